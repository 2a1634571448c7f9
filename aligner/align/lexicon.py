"""A bilingual lexicon learned from the text itself, when the text is long enough to teach one.

A first pass aligns the text by lengths and the evidence that needs no dictionary; the beads it
is sure of are sentence pairs we trust. Across them, a source word that keeps meeting the same
target word (or, in a script written without spaces, the same character or pair of characters)
is taken for its translation: "God" and 神, "LORD" and 耶和华, "Cain" and 该隐. Each learned
source word then becomes a key that a source sentence has when it contains the word and a target
sentence has when it contains any of the word's translations, and the text is aligned again with
those keys as evidence beside the others.

Association is Dice's coefficient over the sure beads, ``2·c(s,t) / (c(s) + c(t))``, with a
minimum count; tokens found in too large a share of the beads (function words, the commonest
characters) match everywhere and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import add

import numpy as np
import regex

_TOKEN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]+|\p{L}[\p{L}\p{M}'’]*")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
_SPACED_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]+")
"""The tokens of a text without unspaced scripts: words of two letters or more, found in one pass."""


def lexicon_tokens(text: str) -> frozenset[str]:
    """The distinct tokens a lexicon is learned over: lower-cased words; characters and
    character pairs in scripts written without spaces."""
    lowered = text.lower()
    if _UNSPACED.search(lowered) is None:
        return frozenset(_SPACED_WORD.findall(lowered))
    tokens: set[str] = set()
    for word in _TOKEN.findall(lowered):
        if _UNSPACED.match(word):
            tokens.update(word)
            tokens.update(map(add, word, word[1:]))  # each character with the next
        elif len(word) >= 2:
            tokens.add(word)
    return frozenset(tokens)


Rows = tuple[np.ndarray, np.ndarray]
"""Ids per sentence as (starts, ids): sentence ``k`` has ``ids[starts[k]:starts[k + 1]]``."""


def rows_between(rows: Rows, first: int, stop: int) -> Rows:
    """The rows of sentences ``first..stop-1``, as rows of their own."""
    starts, ids = rows
    return starts[first : stop + 1] - starts[first], ids[starts[first] : starts[stop]]


@dataclass(frozen=True)
class Tokens:
    """The distinct lexicon tokens of each of a side's sentences, as ids into ``names``.

    ``names`` is sorted, so that ids compare as the tokens do; each sentence's ids ascend.
    Tokenising once lets every learning round count and pair tokens as arrays.
    """

    names: tuple[str, ...]
    rows: Rows

    @classmethod
    def of(cls, texts: Sequence[str]) -> Tokens:
        """The tokens of ``texts`` (see :func:`lexicon_tokens`)."""
        # Texts none of whose few distinct characters is of a script without spaces (seen in one
        # pass over them) are split into words without asking each text again: asking took a
        # third of tokenising a long text.
        characters: set[str] = set()
        for text in texts:
            characters.update(text)
        if any(_UNSPACED.match(character) for character in characters):
            sets = [lexicon_tokens(text) for text in texts]
        else:
            sets = [frozenset(_SPACED_WORD.findall(text.lower())) for text in texts]
        names = sorted(frozenset().union(*sets))
        index = {name: k for k, name in enumerate(names)}
        lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
        ids = np.fromiter(map(index.__getitem__, chain.from_iterable(sets)), dtype=np.int64, count=int(lengths.sum()))
        # One sort puts each sentence's ids in order: sentence number first, then id.
        width = max(1, len(names))
        ids = np.sort(np.repeat(np.arange(len(sets), dtype=np.int64), lengths) * width + ids) % width
        return cls(tuple(names), (np.concatenate(([0], np.cumsum(lengths))).astype(np.int64), ids))

    def __len__(self) -> int:
        """The number of sentences."""
        return len(self.rows[0]) - 1

    def sentence(self, k: int) -> np.ndarray:
        """The ids of the tokens of sentence ``k``."""
        starts, ids = self.rows
        return ids[starts[k] : starts[k + 1]]

    def of_sentences(self, sentences: Sequence[int]) -> np.ndarray:
        """The ids of the tokens of these sentences together (a bead's side)."""
        if len(sentences) == 1:
            return self.sentence(sentences[0])
        if not sentences:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate([self.sentence(k) for k in sentences]))


@dataclass(frozen=True)
class LearnedKeys:
    """The keys a lexicon gives each sentence: ids into ``names`` (``L:word``), per side."""

    names: tuple[str, ...]
    source: Rows
    target: Rows


@dataclass(frozen=True)
class Lexicon:
    """Learned translations: each source token with the target tokens that translate it."""

    translations: dict[str, frozenset[str]]

    def __len__(self) -> int:
        return len(self.translations)

    def keys(self, source: Tokens, target: Tokens) -> LearnedKeys:
        """Per sentence, ascending: ``L:word`` for each learned source word a source sentence has,
        and for each learned source word one of whose translations a target sentence has."""
        source_index = {name: k for k, name in enumerate(source.names)}
        target_index = {name: k for k, name in enumerate(target.names)}
        learned = np.zeros(len(source.names), dtype=bool)
        translated = np.full(len(target.names), -1, dtype=np.int64)
        for word, translations in self.translations.items():
            if word in source_index:
                learned[source_index[word]] = True
            for translation in translations:
                if translation in target_index:
                    # A target token belongs to one source token: that word's id (-1: none).
                    translated[target_index[translation]] = source_index.get(word, -1)
        source_owner, source_ids = _owners(source.rows)
        has = learned[source_ids]
        target_owner, target_ids = _owners(target.rows)
        words = translated[target_ids]
        has_word = words >= 0
        # One key per (sentence, word), words ascending within each sentence.
        width = max(1, len(source.names))
        codes = np.unique(target_owner[has_word] * width + words[has_word])
        return LearnedKeys(
            tuple("L:" + name for name in source.names),
            _rows(source_owner[has], source_ids[has], len(source)),
            _rows(codes // width, codes % width, len(target)),
        )


def _owners(rows: Rows) -> tuple[np.ndarray, np.ndarray]:
    """Each id with the number of the sentence it belongs to."""
    starts, ids = rows
    return np.repeat(np.arange(len(starts) - 1, dtype=np.int64), np.diff(starts)), ids


def _rows(owners: np.ndarray, ids: np.ndarray, count: int) -> Rows:
    """``ids`` grouped by their (ascending) ``owners`` as rows of ``count`` sentences."""
    return np.searchsorted(owners, np.arange(count + 1)).astype(np.int64), ids


PAIRS_PER_CHUNK = 1 << 18
"""Token pairs counted at a time: a long text's sure beads hold tens of millions of them, and
counting them all at once would take hundreds of megabytes for a moment."""


def _pair_counts(
    source_bead: np.ndarray, source_token: np.ndarray, target_bead: np.ndarray, target_token: np.ndarray,
    beads: int, width: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each (source token, target token) that meets in a bead, as ``source * width + target``
    (ascending), with the number of beads it meets in. Entries are grouped by bead, ascending."""
    source_per_bead = np.bincount(source_bead, minlength=beads)
    target_per_bead = np.bincount(target_bead, minlength=beads)
    source_first = np.concatenate(([0], np.cumsum(source_per_bead)))
    target_first = np.concatenate(([0], np.cumsum(target_per_bead)))
    # Beads are counted in chunks of about PAIRS_PER_CHUNK pairs (a bead with more is one chunk).
    pairs_before = np.concatenate(([0], np.cumsum(source_per_bead * target_per_bead)))
    bounds = np.unique(np.searchsorted(pairs_before, np.arange(0, pairs_before[-1], PAIRS_PER_CHUNK), side="right") - 1)
    codes, counts = [], []
    for first, last in zip(bounds.tolist(), [*bounds[1:].tolist(), beads]):
        sources = slice(int(source_first[first]), int(source_first[last]))
        targets = slice(int(target_first[first]), int(target_first[last]))
        bead_of, token_of = source_bead[sources] - first, source_token[sources]
        per_bead = target_per_bead[first:last]
        # Every source token of a bead once per target token of the bead.
        first_target = np.concatenate(([0], np.cumsum(per_bead)[:-1]))
        repeats = per_bead[bead_of]
        owners = np.repeat(bead_of, repeats)
        within = np.arange(int(repeats.sum())) - np.repeat(np.cumsum(repeats) - repeats, repeats)
        joint_codes = np.repeat(token_of, repeats) * width + target_token[targets][first_target[owners] + within]
        chunk_codes, chunk_counts = np.unique(joint_codes, return_counts=True)
        codes.append(chunk_codes)
        counts.append(chunk_counts)
        # What the chunks found is merged as it grows, so that it stays near the distinct pairs.
        if sum(map(len, codes)) > 4 * PAIRS_PER_CHUNK:
            merged_codes, merged_counts = _merged(codes, counts)
            codes, counts = [merged_codes], [merged_counts]
    if not codes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return _merged(codes, counts)


def _merged(codes: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Ascending distinct codes of several (codes, counts), with their counts added up: one sort
    (np.unique's inverse would hold three more copies)."""
    if len(codes) == 1:
        return codes[0], counts[0]
    merged = np.concatenate(codes)
    order = np.argsort(merged, kind="stable")
    merged = merged[order]
    tallies = np.concatenate(counts)[order]
    del order
    starts = np.flatnonzero(np.concatenate(([True], merged[1:] != merged[:-1])))
    return merged[starts], np.add.reduceat(tallies, starts)


def learn_lexicon(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]],
    source: Tokens,
    target: Tokens,
    *,
    min_count: int,
    min_dice: float,
    max_share: float,
) -> Lexicon:
    """Source token → target tokens that translate it, from the token ids of trusted beads.

    ``pairs`` holds each bead's source and target token ids (of ``source`` and ``target``). A
    pair of tokens is kept when it occurs in at least ``min_count`` beads and its Dice
    coefficient is at least ``min_dice``; tokens in more than ``max_share`` of the beads are left
    out. A target token belongs to the source token it associates with best (so that it is
    evidence for one word, not for every word near it).
    """
    empty = np.zeros(0, dtype=np.int64)
    source_ids = np.concatenate([s for s, _ in pairs] or [empty])
    target_ids = np.concatenate([t for _, t in pairs] or [empty])
    source_count = np.bincount(source_ids, minlength=len(source.names))
    target_count = np.bincount(target_ids, minlength=len(target.names))
    ceiling = max(min_count, max_share * len(pairs))
    keep_source = (source_count >= min_count) & (source_count <= ceiling)
    keep_target = (target_count >= min_count) & (target_count <= ceiling)
    if not keep_source.any() or not keep_target.any():
        return Lexicon({})
    # Kept tokens are renumbered densely; the ids ascend as the names do.
    dense_source = np.cumsum(keep_source) - 1
    dense_target = np.cumsum(keep_target) - 1
    width = int(keep_target.sum())
    beads = np.arange(len(pairs), dtype=np.int64)
    source_bead = np.repeat(beads, [len(s) for s, _ in pairs])
    target_bead = np.repeat(beads, [len(t) for _, t in pairs])
    kept = keep_source[source_ids]
    source_bead, source_dense = source_bead[kept], dense_source[source_ids[kept]]
    kept = keep_target[target_ids]
    target_bead, target_dense = target_bead[kept], dense_target[target_ids[kept]]
    joint, together = _pair_counts(source_bead, source_dense, target_bead, target_dense, len(pairs), width)
    if not len(joint):
        return Lexicon({})
    keep = together >= min_count
    joint, together = joint[keep], together[keep]
    source_of, target_of = joint // width, joint % width
    source_names = [source.names[k] for k in np.flatnonzero(keep_source).tolist()]
    target_names = [target.names[k] for k in np.flatnonzero(keep_target).tolist()]
    counts_s = source_count[keep_source].astype(np.float64)
    counts_t = target_count[keep_target].astype(np.float64)
    dice = 2 * together / (counts_s[source_of] + counts_t[target_of])
    good = dice >= min_dice
    source_of, target_of, dice = source_of[good], target_of[good], dice[good]
    # Each target token goes to its best source token (ties: the first in order, for determinism).
    order = np.lexsort((source_of, -dice, target_of))
    first = np.ones(len(order), dtype=bool)
    first[1:] = target_of[order][1:] != target_of[order][:-1]
    translations: dict[str, set[str]] = {}
    for k in order[first].tolist():
        translations.setdefault(source_names[int(source_of[k])], set()).add(target_names[int(target_of[k])])
    return Lexicon({source: frozenset(targets) for source, targets in sorted(translations.items())})
