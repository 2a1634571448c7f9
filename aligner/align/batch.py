"""Aligning documents: paragraphs first (speaker turns anchor them), then sentences inside."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aligner.align.cost import BeadProblem, Units, merge_keys
from aligner.align.dp import Step, align_units
from aligner.align.features import (
    content_words,
    learn_translations,
    phrase_keys,
    skeleton,
    text_keys,
    transliterate,
    weigh_keys,
    word_keys,
)
from aligner.align.settings import AlignSettings
from aligner.errors import AlignerError
from aligner.model import Alignment, Bead, Document, Paragraph, SentenceRef
from aligner.scripts import letter_count

Dictionary = Sequence[tuple[tuple[str, ...], tuple[str, ...]]]


def align_documents(
    source: Document,
    target: Document,
    settings: AlignSettings | None = None,
    *,
    translation: Sequence[str] | None = None,
    dictionary: Dictionary = (),
) -> Alignment:
    """Align the sentences of two segmented documents (see ``align_batch``)."""
    translations = None if translation is None else [translation]
    return align_batch([(source, target)], settings, translations=translations, dictionary=dictionary)[0]


def align_batch(
    pairs: Sequence[tuple[Document, Document]],
    settings: AlignSettings | None = None,
    *,
    translations: Sequence[Sequence[str]] | None = None,
    dictionary: Dictionary = (),
    progress: Callable[[], None] | None = None,
) -> list[Alignment]:
    """Align the sentences of each (source, target) pair of segmented documents.

    Paragraphs are aligned first; then the sentences of each group of aligned paragraphs.
    A bead's confidence is its posterior probability at the sentence level times that of its
    paragraph bead. ``translations`` (one per pair), a machine translation of each source
    sentence into the target language, add their words as evidence (Bleualign's idea).
    ``dictionary`` entries (source words, target words), as ``features.read_dictionary`` reads
    them, add a shared key wherever an entry's source phrase and target phrase occur.

    With ``settings.learn``, word translations are learned from the beads the first pass is sure
    of, across the whole batch, and added to that evidence; the batch is aligned again, and again
    while the number of sure beads grows (at most ``settings.learning_rounds`` rounds).
    ``progress`` is called once per pair of the first pass.
    """
    settings = settings or AlignSettings()
    if translations is not None and len(translations) != len(pairs):
        raise AlignerError(f"{len(translations)} translations for {len(pairs)} document pairs")
    machine = list(translations) if translations is not None else [None] * len(pairs)
    alignments = []
    for (source, target), mt in zip(pairs, machine):
        alignments.append(_align_pair(source, target, settings, mt, dictionary))
        if progress is not None:
            progress()
    if not settings.learn:
        return alignments
    source_words = [[content_words(s.text) for s in source.sentences()] for source, _ in pairs]
    target_words = [[content_words(s.text) for s in target.sentences()] for _, target in pairs]
    sure = _count_sure(alignments, settings.trusted)
    for _ in range(settings.learning_rounds):
        learned = learn_translations(
            [
                (set().union(*(sw[i] for i in bead.source)), set().union(*(tw[j] for j in bead.target)))
                for alignment, sw, tw in zip(alignments, source_words, target_words)
                for bead in alignment.beads
                if bead.is_pair and bead.confidence >= settings.trusted
            ]
        )
        realigned = []
        for (source, target), mt, sw in zip(pairs, machine, source_words):
            # The learned translations of a sentence's words act as one more machine translation.
            glosses = [" ".join(sorted(t for w in words for t in learned.get(w, ()))) for words in sw]
            if mt is not None:
                glosses = [f"{line} {gloss}" for line, gloss in zip(mt, glosses)]
            realigned.append(_align_pair(source, target, settings, glosses, dictionary))
        now_sure = _count_sure(realigned, settings.trusted)
        if now_sure <= sure:
            break
        alignments, sure = realigned, now_sure
    return alignments


def _count_sure(alignments: Sequence[Alignment], trusted: float) -> int:
    return sum(1 for alignment in alignments for bead in alignment.beads if bead.confidence >= trusted)


def _align_pair(
    source: Document,
    target: Document,
    settings: AlignSettings,
    translation: Sequence[str] | None,
    dictionary: Dictionary,
) -> Alignment:
    source_sentences, target_sentences = source.sentences(), target.sentences()
    source_phrases = [source_words for source_words, _ in dictionary]
    target_phrases = [target_words for _, target_words in dictionary]
    source_keys, target_keys = weigh_keys(
        [text_keys(s.text) + phrase_keys(s.text, source_phrases) for s in source_sentences],
        [text_keys(s.text) + phrase_keys(s.text, target_phrases) for s in target_sentences],
    )
    if translation is None:
        source_translated: list[dict[str, float]] = [{} for _ in source_sentences]
        target_translated: list[dict[str, float]] = [{} for _ in target_sentences]
    else:
        if len(translation) != len(source_sentences):
            raise AlignerError(
                f"the translation has {len(translation)} lines but the source has "
                f"{len(source_sentences)} sentences; give one line per source sentence"
            )
        source_translated, target_translated = weigh_keys(
            [word_keys(line) for line in translation], [word_keys(s.text) for s in target_sentences]
        )
    source_chars = sum(len(s.text) for s in source_sentences)
    target_chars = sum(len(s.text) for s in target_sentences)
    ratio = target_chars / source_chars if source_chars and target_chars else 1.0

    source_ranges = _paragraph_ranges(source)
    target_ranges = _paragraph_ranges(target)
    source_paragraphs = _paragraph_units(source, source_ranges, source_keys, source_translated)
    target_paragraphs = _paragraph_units(target, target_ranges, target_keys, target_translated)
    paragraph_path = _solve(settings, source_paragraphs, target_paragraphs, ratio)

    beads: list[Bead] = []
    for step in paragraph_path:
        src = range(source_ranges[step.i].start, source_ranges[step.i + step.a - 1].stop) if step.a else range(0)
        tgt = range(target_ranges[step.j].start, target_ranges[step.j + step.b - 1].stop) if step.b else range(0)
        if not src or not tgt:
            beads.extend(Bead((k,), (), step.posterior) for k in src)
            beads.extend(Bead((), (k,), step.posterior) for k in tgt)
            continue
        source_units = _sentence_units(source_sentences, src, source_keys, source_translated)
        target_units = _sentence_units(target_sentences, tgt, target_keys, target_translated)
        for inner in _solve(settings, source_units, target_units, ratio):
            beads.append(
                Bead(
                    tuple(range(src.start + inner.i, src.start + inner.i + inner.a)),
                    tuple(range(tgt.start + inner.j, tgt.start + inner.j + inner.b)),
                    round(inner.posterior * step.posterior, 4),
                )
            )
    return Alignment(source=source, target=target, beads=tuple(beads))


def _solve(settings: AlignSettings, source: Units, target: Units, ratio: float) -> list[Step]:
    problem = BeadProblem(settings.model, source, target, ratio)
    return align_units(problem, band_margin=settings.band_margin, full_search_cells=settings.full_search_cells)


def _paragraph_ranges(document: Document) -> list[range]:
    ranges, start = [], 0
    for paragraph in document.paragraphs:
        ranges.append(range(start, start + len(paragraph.sentences)))
        start += len(paragraph.sentences)
    return [r for r in ranges if r]


def _paragraph_units(
    document: Document,
    ranges: list[range],
    keys: Sequence[dict[str, float]],
    translated: Sequence[dict[str, float]],
) -> Units:
    paragraphs = [p for p in document.paragraphs if p.sentences]
    language = document.language
    return Units(
        lengths=tuple(sum(len(s.text) for s in p.sentences) for p in paragraphs),
        letters=tuple(sum(letter_count(s.text) for s in p.sentences) for p in paragraphs),
        keys=tuple(merge_keys([keys[k] for k in span]) for span in ranges),
        translation_keys=tuple(merge_keys([translated[k] for k in span]) for span in ranges),
        turns=tuple(_turn(p, language.question_labels) for p in paragraphs),
    )


def _turn(paragraph: Paragraph, question_labels: Sequence[str]) -> str | None:
    """A language-independent name for who speaks: heading, question, or the speaker's surname."""
    if paragraph.is_heading:
        return "heading"
    if paragraph.speaker is None:
        return None
    if paragraph.speaker in question_labels:
        return "question"
    surname = paragraph.speaker.replace(".", ". ").split()[-1]
    return "speaker:" + skeleton(transliterate(surname))


def _sentence_units(
    sentences: Sequence[SentenceRef],
    span: range,
    keys: Sequence[dict[str, float]],
    translated: Sequence[dict[str, float]],
) -> Units:
    return Units(
        lengths=tuple(len(sentences[k].text) for k in span),
        letters=tuple(letter_count(sentences[k].text) for k in span),
        keys=tuple(keys[k] for k in span),
        translation_keys=tuple(translated[k] for k in span),
        turns=(None,) * len(span),
    )
