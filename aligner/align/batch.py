"""Aligning documents: paragraphs first (speaker turns anchor them), then sentences inside."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from aligner.align.cost import BeadProblem, CostModel, Similarity, Units, shared_masses
from aligner.align.dp import Step, align_units
from aligner.align.estimate import (
    MIN_FIT_BEADS,
    NEGATIVE_SHIFT,
    LengthModel,
    first_guess,
    measured_lengths,
    reestimate,
    translation_weight,
)
from aligner.align.features import (
    KeySpace,
    phrase_keys,
    skeleton,
    text_evidence,
    transliterate,
    weigh_keys,
    word_keys,
)
from aligner.align.keys import Keys
from aligner.align.lexicon import Tokens, learn_lexicon, rows_between
from aligner.align.semantic import WINDOW, SideVectors, fit_similarity, neighbourhoods, partner_places
from aligner.align.settings import AlignSettings
from aligner.collector import paused_cycle_collector
from aligner.embeddings import Encoder, TextVectors, shared_cache
from aligner.errors import AlignerError
from aligner.model import Alignment, Bead, Document, Paragraph, SentenceRef
from aligner.scripts import letter_counts

Dictionary = Sequence[tuple[tuple[str, ...], tuple[str, ...]]]


def align_documents(
    source: Document,
    target: Document,
    settings: AlignSettings | None = None,
    *,
    translation: Sequence[str] | None = None,
    dictionary: Dictionary = (),
    anchors: Sequence[Bead] = (),
    encoder: Encoder | None = None,
    vectors: TextVectors | None = None,
) -> Alignment:
    """Align the sentences of two segmented documents (see ``align_batch``).

    ``anchors`` are beads that must be in the result as they are (a reviewer confirmed them):
    the text between two of them is aligned on its own, so nothing crosses them, and an
    anchor with an empty side pins its sentence as unaligned. Anchors get confidence 1.
    """
    if anchors:
        return _align_around(source, target, settings, translation, dictionary, anchors, encoder, vectors)
    translations = None if translation is None else [translation]
    return align_batch(
        [(source, target)], settings, translations=translations, dictionary=dictionary, encoder=encoder,
        vectors=vectors,
    )[0]


def _align_around(
    source: Document,
    target: Document,
    settings: AlignSettings | None,
    translation: Sequence[str] | None,
    dictionary: Dictionary,
    anchors: Sequence[Bead],
    encoder: Encoder | None,
    vectors: TextVectors | None,
) -> Alignment:
    """The alignment that keeps ``anchors``: the stretches between them aligned as one batch."""
    n, m = len(source.sentences()), len(target.sentences())
    pinned = list(anchors)
    pairs = sorted((b for b in pinned if b.source and b.target), key=lambda b: b.source[0])
    _check_anchors(pinned, pairs, n, m)
    excluded_source = {i for b in pinned if not b.target for i in b.source}
    excluded_target = {j for b in pinned if not b.source for j in b.target}
    stretches: list[tuple[list[int], list[int]]] = []
    start_s = start_t = 0
    for bead in [*pairs, None]:
        stop_s, stop_t = (bead.source[0], bead.target[0]) if bead is not None else (n, m)
        stretches.append((
            [i for i in range(start_s, stop_s) if i not in excluded_source],
            [j for j in range(start_t, stop_t) if j not in excluded_target],
        ))
        if bead is not None:
            start_s, start_t = bead.source[-1] + 1, bead.target[-1] + 1
    batch = [(_part(source, s), _part(target, t)) for s, t in stretches]
    translations = None
    if translation is not None:
        translations = [[translation[i] for i in s] for s, _ in stretches]
    aligned = align_batch(batch, settings, translations=translations, dictionary=dictionary, encoder=encoder,
                          vectors=vectors)
    beads: list[Bead] = []
    for k, ((s, t), part) in enumerate(zip(stretches, aligned)):
        beads += [Bead(tuple(s[i] for i in b.source), tuple(t[j] for j in b.target), b.confidence) for b in part.beads]
        if k < len(pairs):
            beads.append(Bead(pairs[k].source, pairs[k].target, 1.0))
    for bead in (b for b in pinned if not (b.source and b.target)):
        beads.insert(_place(beads, bead), Bead(bead.source, bead.target, 1.0))
    return Alignment(source=source, target=target, beads=tuple(beads))


def _check_anchors(pinned: Sequence[Bead], pairs: Sequence[Bead], n: int, m: int) -> None:
    used_source = [i for b in pinned for i in b.source]
    used_target = [j for b in pinned for j in b.target]
    for indices, size, side in ((used_source, n, "source"), (used_target, m, "target")):
        if len(set(indices)) != len(indices):
            raise AlignerError(f"two anchors share a {side} sentence")
        if any(not 0 <= i < size for i in indices):
            raise AlignerError(f"an anchor names a {side} sentence the document does not have (it has {size})")
    for bead in pinned:
        if not bead.source and not bead.target:
            raise AlignerError("an anchor has no sentence on either side")
        for sentences in (bead.source, bead.target):
            if sentences and list(sentences) != list(range(sentences[0], sentences[0] + len(sentences))):
                raise AlignerError(f"an anchor's sentences must follow each other: {list(sentences)}")
    for before, after in zip(pairs, pairs[1:]):
        if after.source[0] <= before.source[-1] or after.target[0] <= before.target[-1]:
            raise AlignerError(
                f"anchors cross: {list(before.source)}:{list(before.target)} and {list(after.source)}:{list(after.target)}"
            )


def _place(beads: Sequence[Bead], pinned: Bead) -> int:
    """Where a pinned 1-0 (0-1) bead goes: before the first bead that starts after its sentence."""
    for k, bead in enumerate(beads):
        if pinned.source and bead.source and bead.source[0] > pinned.source[0]:
            return k
        if pinned.target and bead.target and bead.target[0] > pinned.target[0]:
            return k
    return len(beads)


def _part(document: Document, indices: Sequence[int]) -> Document:
    """The document with only the sentences ``indices`` (in order), in their own paragraphs.

    A speaker label stays with its paragraph only when the paragraph's first sentence is kept.
    """
    wanted = set(indices)
    paragraphs: list[Paragraph] = []
    index = 0
    for paragraph in document.paragraphs:
        kept = [(k, s) for k, s in enumerate(paragraph.sentences) if index + k in wanted]
        index += len(paragraph.sentences)
        if not kept:
            continue
        sentences = tuple(s for _, s in kept)
        speaker = paragraph.speaker if kept[0][0] == 0 else None
        paragraphs.append(
            replace(paragraph, text=" ".join(s.text for s in sentences), sentences=sentences, speaker=speaker)
        )
    return replace(document, paragraphs=tuple(paragraphs))


def align_batch(
    pairs: Sequence[tuple[Document, Document]],
    settings: AlignSettings | None = None,
    *,
    translations: Sequence[Sequence[str]] | None = None,
    dictionary: Dictionary = (),
    progress: Callable[[], None] | None = None,
    encoder: Encoder | None = None,
    vectors: TextVectors | None = None,
) -> list[Alignment]:
    """Align the sentences of each (source, target) pair of segmented documents.

    Paragraphs are aligned first; then the sentences of each group of aligned paragraphs.
    A bead's confidence is its posterior probability at the sentence level times that of its
    paragraph bead. ``translations`` (one per pair), a machine translation of each source
    sentence into the target language, add their words as evidence (Bleualign's idea).
    ``dictionary`` entries (source words, target words), as ``features.read_dictionary`` reads
    them, add a shared key wherever an entry's source phrase and target phrase occur.

    With ``settings.learn``, a lexicon is learned from the beads the first pass is sure of,
    across the whole batch, when there are at least ``settings.learn_min_beads`` of them (see
    ``aligner.align.lexicon``); the batch is aligned again with it, and the lexicon relearned
    from the new sure beads, until it stops growing (at most ``settings.learning_rounds`` rounds).
    With an ``encoder``, the batch is aligned again with the similarity of sentence embeddings
    as evidence, its law fitted to the first pass's sure beads (see ``aligner.align.semantic``),
    before any learning; each distinct text is encoded once. Its vectors come from ``vectors``
    when given (:class:`~aligner.embeddings.StoredVectors`, a corpus store's), else from the
    process's :func:`~aligner.embeddings.shared_cache`. A bead's confidence is then at most
    what the first pass believed of it (see ``_agreed``).
    ``progress`` is called once per pair of the first pass.
    """
    with paused_cycle_collector():
        return _align_batch(pairs, settings or AlignSettings(), translations, dictionary, progress, encoder, vectors)


def _align_batch(
    pairs: Sequence[tuple[Document, Document]],
    settings: AlignSettings,
    translations: Sequence[Sequence[str]] | None,
    dictionary: Dictionary,
    progress: Callable[[], None] | None,
    encoder: Encoder | None,
    vectors: TextVectors | None,
) -> list[Alignment]:
    model = settings.model
    if translations is not None and len(translations) != len(pairs):
        raise AlignerError(f"{len(translations)} translations for {len(pairs)} document pairs")
    raw_machine = list(translations) if translations is not None else [None] * len(pairs)
    if encoder is not None and vectors is not None and vectors.encoder.name != encoder.name:
        raise AlignerError(f"vectors of the {vectors.encoder.name} encoder given to align with {encoder.name}")
    if encoder is not None:
        for source, target in pairs:
            encoder.check_covers(source.language)
            encoder.check_covers(target.language)
    source_phrases = [source_words for source_words, _ in dictionary]
    target_phrases = [target_words for _, target_words in dictionary]
    sides: list[tuple[_Side, _Side]] = []
    spaces: list[KeySpace] = []
    for source, target in pairs:
        # Each text's keys live only until the pair's key space numbers them (a tenth of the
        # memory of aligning a long text).
        source_side, source_keys = _prepare(source, source_phrases)
        target_side, target_keys = _prepare(target, target_phrases)
        spaces.append(KeySpace.of(source_keys, target_keys, (source_side.han_names, target_side.han_names)))
        sides.append((source_side, target_side))
    # A translation's words are weighed once, however often the pair is aligned.
    machine = [
        None if translation is None else _translation_keys(translation, target_side, len(source_side.sentences))
        for (source_side, target_side), translation in zip(sides, raw_machine)
    ]
    # The first pass measures lengths by the generic law; every pass after it by the text's own
    # variance (see estimate).
    guessed = [_guessed_length(side, model) for side in sides]
    alignments = []
    for (source_side, target_side), mt, keys, guess in zip(sides, machine, spaces, guessed):
        alignments.append(_align_pair(source_side, target_side, model, mt, settings, keys, guess))
        if progress is not None:
            progress()
    lengths = measured_lengths(model, guessed, [_one_to_one(side, alignment) for side, alignment in zip(sides, alignments)])
    realigned = False
    semantics: list[_Semantic | None] = [None] * len(pairs)
    # Kept only to bound the confidences of an embedding pass (see _agreed).
    first_pass = list(alignments) if encoder is not None else []
    if encoder is not None:
        cache = vectors if vectors is not None else shared_cache(encoder)
        for _ in range(settings.embedding_rounds):
            semantics = _semantics(sides, alignments, cache, settings.trusted)
            realigned = realigned or any(semantic is not None for semantic in semantics)
            alignments = [
                _align_pair(source_side, target_side, model, mt, settings, keys, length, semantic=semantic)
                if semantic is not None else alignment
                for (source_side, target_side), mt, keys, length, semantic, alignment
                in zip(sides, machine, spaces, lengths, semantics, alignments)
            ]
    before_fit: list[Alignment] = []
    for _ in range(settings.translation_rounds if translations is not None else 0):
        fitted = _fitted_translation(sides, machine, alignments, model, settings.trusted)
        # The same sure beads give the same weight: the fit has settled.
        if fitted is None or fitted.translation_weight == model.translation_weight:
            break
        model, before_fit, realigned = fitted, before_fit or alignments, True
        # The pass before places the band, as in the learning rounds (no coarse levels).
        guides = [_Guide.of(alignment) for alignment in alignments]
        alignments = [
            _align_pair(source_side, target_side, model, mt, settings, keys, length, semantic, guide)
            for (source_side, target_side), mt, keys, length, semantic, guide
            in zip(sides, machine, spaces, lengths, semantics, guides)
        ]
    if settings.learn:
        alignments, learned = _learn(sides, machine, spaces, lengths, semantics, alignments, model, settings)
        realigned = realigned or learned
    if not realigned:
        # Nothing else aligned the text again: the measured variance makes its final pass.
        alignments = [
            _align_pair(source_side, target_side, model, mt, settings, keys, length, guide=_Guide.of(alignment))
            if length != guess else alignment
            for (source_side, target_side), mt, keys, length, guess, alignment
            in zip(sides, machine, spaces, lengths, guessed, alignments)
        ]
    if any(semantic is not None for semantic in semantics):
        alignments = [_agreed(alignment, first) for alignment, first in zip(alignments, first_pass)]
    if before_fit:
        alignments = [_agreed(alignment, first) for alignment, first in zip(alignments, before_fit)]
    return alignments


def _guessed_length(side: tuple[_Side, _Side], model: CostModel) -> LengthModel:
    source_side, target_side = side
    return first_guess(model, float(source_side.lengths.sum()), float(target_side.lengths.sum()))


def _one_to_one(side: tuple[_Side, _Side], alignment: Alignment) -> np.ndarray:
    """The source and target characters of each 1-1 bead of ``alignment``, a row each."""
    ones = [bead for bead in alignment.beads if len(bead.source) == len(bead.target) == 1]
    sources = np.fromiter((bead.source[0] for bead in ones), dtype=np.int64, count=len(ones))
    targets = np.fromiter((bead.target[0] for bead in ones), dtype=np.int64, count=len(ones))
    return np.column_stack([side[0].lengths[sources], side[1].lengths[targets]])


def _agreed(alignment: Alignment, first: Alignment) -> Alignment:
    """``alignment`` with each bead's confidence at most what the first pass (no embeddings) believes of it.

    The first pass gave its own beads their posteriors; a bead it did not have conflicts with
    the first-pass beads that share a sentence with it, so it believed in it at most one minus
    the surest of those. Embeddings are evidence of another kind, but a posterior that counts
    them is sure of beads the cheaper evidence doubts (on Text+Berg dev, 15 wrong of 26 sure
    beads the first pass did not have): a bead is sure only when both passes are.
    """
    believed = {(bead.source, bead.target): bead.confidence for bead in first.beads}
    source_bead: dict[int, float] = {}
    target_bead: dict[int, float] = {}
    for bead in first.beads:
        source_bead.update(dict.fromkeys(bead.source, bead.confidence))
        target_bead.update(dict.fromkeys(bead.target, bead.confidence))
    beads = []
    for bead in alignment.beads:
        bound = believed.get((bead.source, bead.target))
        if bound is None:
            rival = max([source_bead.get(i, 0.0) for i in bead.source] + [target_bead.get(j, 0.0) for j in bead.target])
            bound = 1.0 - rival
        beads.append(replace(bead, confidence=round_confidence(min(bead.confidence, bound))))
    return replace(alignment, beads=tuple(beads))


def _learn(
    sides: Sequence[tuple[_Side, _Side]],
    machine: Sequence[Translated | None],
    spaces: Sequence[KeySpace],
    lengths: Sequence[LengthModel],
    semantics: Sequence[_Semantic | None],
    alignments: list[Alignment],
    model: CostModel,
    settings: AlignSettings,
) -> tuple[list[Alignment], bool]:
    """The alignments after learning a lexicon from their sure beads (see ``align_batch``), and
    whether it aligned them again.

    ``alignments`` is emptied when the text is aligned again: an earlier pass's beads go as
    soon as the sure beads and the guides of the search are taken from them (a long text's
    beads are tens of megabytes)."""
    sure = sum(bead.is_pair and bead.confidence >= settings.trusted for a in alignments for bead in a.beads)
    if sure < settings.learn_min_beads:
        return alignments, False  # too short to teach a lexicon: spare tokenising it
    source_tokens = Tokens.of([s.text for source_side, _ in sides for s in source_side.sentences])
    target_tokens = Tokens.of([s.text for _, target_side in sides for s in target_side.sentences])
    # The sentences of pair k are numbered from its offset in the batch's Tokens.
    source_offsets = np.cumsum([0] + [len(source_side.sentences) for source_side, _ in sides]).tolist()
    target_offsets = np.cumsum([0] + [len(target_side.sentences) for _, target_side in sides]).tolist()
    learned_words = 0
    realigned = False
    for _ in range(settings.learning_rounds):
        trusted = [
            (
                source_tokens.of_sentences([source_offset + i for i in bead.source]),
                target_tokens.of_sentences([target_offset + j for j in bead.target]),
            )
            for alignment, source_offset, target_offset in zip(alignments, source_offsets, target_offsets)
            for bead in alignment.beads
            if bead.is_pair and bead.confidence >= settings.trusted
        ]
        if len(trusted) < settings.learn_min_beads:
            break
        lexicon = learn_lexicon(
            trusted, source_tokens, target_tokens, min_count=settings.learn_min_count,
            min_dice=settings.learn_min_dice, max_share=settings.learn_max_share,
        )
        if len(lexicon) <= learned_words:
            break
        learned_words = len(lexicon)
        del trusted
        guides = [_Guide.of(alignment) for alignment in alignments]
        alignments.clear()
        learned_keys = lexicon.keys(source_tokens, target_tokens)
        learned = [
            keys.with_extra(
                learned_keys.names,
                rows_between(learned_keys.source, source_offsets[k], source_offsets[k + 1]),
                rows_between(learned_keys.target, target_offsets[k], target_offsets[k + 1]),
            )
            for k, keys in enumerate(spaces)
        ]
        alignments.extend(
            _align_pair(source_side, target_side, model, mt, settings, keys, length, semantic, guide)
            for (source_side, target_side), mt, keys, length, semantic, guide
            in zip(sides, machine, learned, lengths, semantics, guides)
        )
        del guides, learned
        realigned = True
    return alignments, realigned


@dataclass(frozen=True)
class _Semantic:
    """The embedding evidence of one pair: its vectors, neighbourhoods and the batch's law."""

    source: SideVectors
    target: SideVectors
    source_local: np.ndarray
    target_local: np.ndarray
    similarity: Similarity


def _semantics(
    sides: Sequence[tuple[_Side, _Side]], alignments: Sequence[Alignment], cache: TextVectors, trusted: float
) -> list[_Semantic | None]:
    """The embedding evidence of each pair, from the first pass's ``alignments``; all None when
    the batch is too small to fit the law of a translation's similarity."""
    vectors = [
        (SideVectors.of([s.text for s in source.sentences], cache), SideVectors.of([s.text for s in target.sentences], cache))
        for source, target in sides
    ]
    locals_ = [neighbourhoods(s.vectors, t.vectors, a) for (s, t), a in zip(vectors, alignments)]
    similarity = fit_similarity([(s, t, local, a) for (s, t), local, a in zip(vectors, locals_, alignments)], trusted)
    if similarity is None:
        return [None] * len(sides)
    return [_Semantic(s, t, sl, tl, similarity) for (s, t), (sl, tl) in zip(vectors, locals_)]


@dataclass(frozen=True)
class _Side:
    """What aligning needs of one document, computed once however often it is aligned."""

    document: Document
    sentences: list[SentenceRef]
    lengths: np.ndarray
    letters: np.ndarray
    ranges: list[range]
    han_names: bool


def _prepare(document: Document, phrases: Sequence[tuple[str, ...]]) -> tuple[_Side, list[Counter[str]]]:
    """The sentences of ``document``, and their evidence keys (dictionary phrases included)."""
    sentences = document.sentences()
    reduced = [text_evidence(s.text) for s in sentences]
    evidence = [keys for keys, _ in reduced]
    if phrases:
        for keys, sentence in zip(evidence, sentences):
            keys.update(phrase_keys(sentence.text, phrases))
    side = _Side(
        document=document,
        sentences=sentences,
        lengths=np.array([len(s.text) for s in sentences], dtype=np.float64),
        letters=letter_counts([s.text for s in sentences]),
        ranges=_paragraph_ranges(document),
        # Dictionary phrases add no name keys.
        han_names=any(han_names for _, han_names in reduced),
    )
    return side, evidence


def _align_pair(
    source_side: _Side,
    target_side: _Side,
    model: CostModel,
    translated: Translated | None,
    settings: AlignSettings,
    keys: KeySpace,
    length: LengthModel,
    semantic: _Semantic | None = None,
    guide: _Guide | None = None,
) -> Alignment:
    """Align one pair, with the evidence ``keys`` of its sentences (and ``semantic``, that of
    their embeddings) and the ``length`` model (the generic guess, or the one measured on an
    earlier pass); the beads of an earlier pass (``guide``) guide the search where its beads tile
    the same stretch."""
    source, target = source_side.document, target_side.document
    source_sentence_keys, target_sentence_keys, vocabulary = keys.weighted()
    n = len(source_side.sentences)
    if translated is None:
        source_translated, target_translated, translation_vocabulary = Keys.empty(n), Keys.empty(len(target_side.sentences)), 0
    else:
        source_translated, target_translated, translation_vocabulary = translated
    # Letters are counted in the units of the side with more of them (see CostModel).
    source_scale, target_scale = max(1.0, length.ratio), 1 / min(1.0, length.ratio)
    source_units = _units(source_side, source_sentence_keys, source_translated, model, source_scale)
    target_units = _units(target_side, target_sentence_keys, target_translated, model, target_scale)
    similarity = None
    if semantic is not None:
        similarity = semantic.similarity
        source_units = replace(
            source_units, vectors=semantic.source.vectors, pair_vectors=semantic.source.pair_vectors,
            neighbourhood=semantic.source_local,
        )
        target_units = replace(
            target_units, vectors=semantic.target.vectors, pair_vectors=semantic.target.pair_vectors,
            neighbourhood=semantic.target_local,
        )
    source_ranges, target_ranges = source_side.ranges, target_side.ranges
    source_paragraphs = _paragraph_units(source_side, source_units, target, model, source_scale)
    target_paragraphs = _paragraph_units(target_side, target_units, source, model, target_scale)
    sizes = (vocabulary, translation_vocabulary)

    def solve(
        source: Units, target: Units, model: CostModel, length: LengthModel, guide: np.ndarray | None = None
    ) -> list[Step]:
        problem = BeadProblem(
            model, source, target, length.ratio, length.variance, settings.bead_types, *sizes, similarity=similarity
        )
        return align_units(problem, settings, guide=guide)

    for round in range(settings.estimation_rounds + 1):
        beads: list[Bead] = []
        paragraph_path = solve(source_paragraphs, target_paragraphs, model, length)
        for step in paragraph_path:
            src = range(source_ranges[step.i].start, source_ranges[step.i + step.a - 1].stop) if step.a else range(0)
            tgt = range(target_ranges[step.j].start, target_ranges[step.j + step.b - 1].stop) if step.b else range(0)
            if not src or not tgt:
                beads.extend(Bead((k,), (), step.posterior) for k in src)
                beads.extend(Bead((), (k,), step.posterior) for k in tgt)
                continue
            path = guide.steps(src, tgt) if guide is not None else None
            for inner in solve(source_units.select(src), target_units.select(tgt), model, length, path):
                beads.append(
                    Bead(
                        tuple(range(src.start + inner.i, src.start + inner.i + inner.a)),
                        tuple(range(tgt.start + inner.j, tgt.start + inner.j + inner.b)),
                        round_confidence(inner.posterior * step.posterior),
                    )
                )
        if round == settings.estimation_rounds:
            break
        model, length = reestimate(
            model,
            length,
            [
                (
                    len(b.source),
                    len(b.target),
                    float(sum(source_units.lengths[i] for i in b.source)),
                    float(sum(target_units.lengths[j] for j in b.target)),
                )
                for b in beads
            ],
            settings.bead_types,
            settings.prior_strength,
        )
    return Alignment(source=source, target=target, beads=tuple(beads))


Translated = tuple[Keys, Keys, int]
"""A source's machine translation and the target as weighted words, and their vocabulary's size."""


def _translation_keys(translation: Sequence[str], target_side: _Side, n: int) -> Translated:
    """The weighted words of a source's machine translation and of the target, and their vocabulary."""
    if len(translation) != n:
        raise AlignerError(
            f"the translation has {len(translation)} lines but the source has "
            f"{n} sentences; give one line per source sentence"
        )
    return weigh_keys([word_keys(line) for line in translation], [word_keys(s.text) for s in target_side.sentences])


def _fitted_translation(
    sides: Sequence[tuple[_Side, _Side]],
    machine: Sequence[Translated | None],
    alignments: Sequence[Alignment],
    model: CostModel,
    trusted: float,
) -> CostModel | None:
    """``model`` with the weight of machine-translation evidence fitted to the sure 1-1 beads of
    ``alignments`` (see :func:`~aligner.align.estimate.translation_weight`), against the same
    sources with the target :data:`~aligner.align.estimate.NEGATIVE_SHIFT` places off; to the mutual best matches near
    their paths when the batch has fewer sure beads than that needs; None when it cannot be fitted."""
    translations, others = [], []
    sure_pairs = [
        [(b.source[0], b.target[0]) for b in alignment.beads if len(b.source) == len(b.target) == 1 and b.confidence >= trusted]
        for alignment in alignments
    ]
    # A pass sure of too few beads fits on the mutual best matches near its path instead.
    few = sum(map(len, sure_pairs)) < MIN_FIT_BEADS
    for (_, target_side), translated, alignment, sure in zip(sides, machine, alignments, sure_pairs):
        if translated is None:
            continue
        source_keys, target_keys, vocabulary = translated
        if few:
            sure = _mutual_best(source_keys, target_keys, vocabulary, alignment)
        if not sure:
            continue
        rows, columns = np.array(sure, dtype=np.int64).T
        translations.append(shared_masses(source_keys, target_keys, vocabulary, rows, columns))
        for shift in (-NEGATIVE_SHIFT, NEGATIVE_SHIFT):
            inside = (columns + shift >= 0) & (columns + shift < len(target_side.sentences))
            others.append(shared_masses(source_keys, target_keys, vocabulary, rows[inside], columns[inside] + shift))
    if not translations:
        return None
    weight = translation_weight(np.concatenate(translations), np.concatenate(others))
    return None if weight is None else replace(model, translation_weight=weight)


def _mutual_best(source_keys: Keys, target_keys: Keys, vocabulary: int, alignment: Alignment) -> list[tuple[int, int]]:
    """The (source, target) sentences whose translation and text share more than either shares
    with any other within :data:`~aligner.align.semantic.WINDOW` of where ``alignment`` puts its
    partner: the pairs to fit on when a pass was sure of too few (as for the embeddings' law)."""
    n, m = len(source_keys), len(target_keys)
    if not n or not m:
        return []
    places, _ = partner_places(alignment, n, m)
    rows = np.repeat(np.arange(n, dtype=np.int64), 2 * WINDOW + 1)
    columns = (places[:, None] + np.arange(-WINDOW, WINDOW + 1)[None, :]).ravel()
    inside = (columns >= 0) & (columns < m)
    mass = np.zeros(len(rows))
    mass[inside] = shared_masses(source_keys, target_keys, vocabulary, rows[inside], columns[inside])
    # Each source's best target (the first of equals), then each target's best source.
    best_column = columns.reshape(n, -1)[np.arange(n), np.argmax(mass.reshape(n, -1), axis=1)]
    order = np.lexsort((rows, -mass, columns))
    first = np.concatenate(([True], columns[order][1:] != columns[order][:-1]))
    best_row = dict(zip(columns[order][first].tolist(), rows[order][first].tolist()))
    has_mass = mass.reshape(n, -1).max(axis=1) > 0
    return [(i, j) for i, j in enumerate(best_column.tolist()) if has_mass[i] and best_row.get(j) == i]


@dataclass(frozen=True)
class _Guide:
    """An earlier pass's beads as rows (source start, source sentences, target start, target
    sentences), to guide the search of a stretch that they tile."""

    beads: np.ndarray
    corners: np.ndarray
    """``source start * (target sentences + 1) + target start`` of each bead, then of the end:
    increasing, since the beads tile both documents in order."""
    width: int

    @classmethod
    def of(cls, previous: Alignment) -> _Guide:
        sizes = np.array([(len(b.source), len(b.target)) for b in previous.beads], dtype=np.int64).reshape(-1, 2)
        source_starts, target_starts = (np.concatenate(([0], np.cumsum(sizes[:, k]))) for k in (0, 1))
        beads = np.stack((source_starts[:-1], sizes[:, 0], target_starts[:-1], sizes[:, 1]), axis=1)
        width = int(target_starts[-1]) + 1
        return cls(beads, source_starts * width + target_starts, width)

    def steps(self, source: range, target: range) -> np.ndarray | None:
        """The beads over exactly these source and target sentences, numbered from the stretch's
        start; None when its corners are not both where a bead starts (or the end)."""
        start, stop = source.start * self.width + target.start, source.stop * self.width + target.stop
        first, last = np.searchsorted(self.corners, [start, stop]).tolist()
        if last >= len(self.corners) or self.corners[first] != start or self.corners[last] != stop:
            return None
        return self.beads[first:last] - np.array([source.start, 0, target.start, 0])


def round_confidence(posterior: float) -> float:
    """Confidences are written with four decimals."""
    return round(posterior, 4)


def _units(side: _Side, keys: Keys, translated: Keys, model: CostModel, scale: float) -> Units:
    return Units(
        lengths=side.lengths,
        nulls=model.null_cost(side.letters, scale),
        keys=keys,
        translation_keys=translated,
        turns=np.zeros(len(side.sentences), dtype=np.int64),
    )


def _paragraph_ranges(document: Document) -> list[range]:
    ranges, start = [], 0
    for paragraph in document.paragraphs:
        ranges.append(range(start, start + len(paragraph.sentences)))
        start += len(paragraph.sentences)
    return [r for r in ranges if r]


def _paragraph_units(side: _Side, sentences: Units, other: Document, model: CostModel, scale: float) -> Units:
    """Paragraphs as units: their sentences merged, and who speaks when a turn opens.

    A translator drops or adds a paragraph as a whole, so leaving one out costs what leaving
    out one unit of its letters costs, not the sum over its sentences.
    """
    document, ranges = side.document, side.ranges
    groups = np.repeat(np.arange(len(ranges), dtype=np.int64), [len(r) for r in ranges])
    turns = _turn_names(document)
    codes = {name: k + 1 for k, name in enumerate(sorted({n for n in turns + _turn_names(other) if n}))}
    return Units(
        lengths=np.array([sentences.lengths[r.start : r.stop].sum() for r in ranges], dtype=np.float64),
        nulls=model.null_cost(np.array([side.letters[r.start : r.stop].sum() for r in ranges], dtype=np.float64), scale),
        keys=sentences.keys.merged(groups),
        translation_keys=sentences.translation_keys.merged(groups),
        turns=np.array([codes.get(t, 0) if t else 0 for t in turns], dtype=np.int64),
    )


def _turn_names(document: Document) -> list[str | None]:
    return [_turn(p, document.language.question_labels) for p in document.paragraphs if p.sentences]


def _turn(paragraph: Paragraph, question_labels: Sequence[str]) -> str | None:
    """A language-independent name for who speaks: heading, question, or the speaker's surname."""
    if paragraph.is_heading:
        return "heading"
    if paragraph.speaker is None:
        return None
    if paragraph.speaker in question_labels:
        return "question"
    return _speaker_name(paragraph.speaker)


@lru_cache(maxsize=1024)
def _speaker_name(speaker: str) -> str:
    # A transcript names a few speakers hundreds of times.
    surname = speaker.replace(".", ". ").split()[-1]
    return "speaker:" + skeleton(transliterate(surname))
