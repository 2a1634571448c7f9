"""The bead cost: a length model, bead-type priors, lexical evidence and speaker turns.

A bead's cost is a negative log-probability (nats), divided by the temperature:

- **length**: Gale and Church's model, the difference ``target − ratio × source`` (in
  characters) normal with variance ``variance × mean length``; ``ratio`` and ``variance`` are
  estimated from each input (``aligner.align.estimate``), since characters of Chinese and of
  English relate nothing like German and French;
- **prior**: ``−log P(bead type)``, also estimated from the input;
- **leaving a unit out** (1-0, 0-1): ``null_base`` plus ``null_per_log_letter × log(1 +
  letters)``, so a long sentence is rarely dropped but OCR debris is;
- **evidence**: key mass (rarity-weighted numbers, names, punctuation, shared words; see
  ``aligner.align.features``) shared by the two sides lowers the cost, mass without a partner
  raises it, in 1-0 and 0-1 beads too; words of a machine translation shared with the target
  lower it (missing ones cost nothing: MT wording differs from a human translator's);
- **speaker turns** (paragraph level): turns must open beads on both sides together.

The compiled ``aligner.align.kernel.cost_table`` computes it; this module prepares its arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from aligner.align import kernel
from aligner.align.dp import Band, Problem
from aligner.align.keys import Keys


@dataclass(frozen=True)
class CostModel:
    """Parameters of the bead cost; costs are negative log-probabilities (nats).

    ``ratio`` (target characters per source character) and ``variance`` (Gale and Church's
    variance of the length difference per character of mean length): ``None`` means estimate
    the ratio from the input; ``variance`` is what the first pass uses, in *target* characters
    (it is scaled by the ratio for other units), and every later pass uses the one measured on
    the first pass's 1-1 beads (see ``aligner.align.estimate``). Length differences have heavier
    tails than a normal law: ``variance_scale`` multiplies the variance measured on a pass's
    1-1 beads so that the wrong candidates a search weighs are not all but ruled out (on the
    Text+Berg dev set the variance that aligns best, 6.8, is 2.5 times the measured one, 2.75;
    on the other dev sets the same factor is held out). ``ratio_drift``: the length ratio
    wanders along a text (from one book of the Bible to the next by ±8 %), so a bead's
    variance adds ``(ratio_drift × mean)²`` in the coarse levels of the search, whose long
    units would otherwise trust a global ratio over hundreds of sentences and run far ahead
    of the text (sentences and paragraphs are short enough for the variance alone). ``priors`` maps bead types to their
    probabilities; types not named share ``prior_other``; 1-0 and 0-1 take ``null_base``.
    These are starting points too: with ``estimation_rounds``, a pass re-estimates them from
    its own beads.
    ``null_base`` and ``null_per_log_letter``: leaving a unit unaligned costs more the more
    letters it has (counted in the units of the side with more letters per sentence, since a
    Chinese character says as much as several English letters), so OCR debris ("- _-",
    "24 a !") becomes a 1-0/0-1 bead rather than being
    swallowed by a neighbour's bead.
    ``shared_weight`` rewards each unit of key mass (rarity-weighted numbers, names, shared
    words) that the two sides of a bead share; ``unmatched_weight`` charges each unit of key
    mass that finds no partner in its bead, also in 1-0/0-1 beads. Both count mass, not
    sentences, so merging a sentence into a bead gains only what it really shares.
    ``translation_weight`` rewards words (or, for scripts without spaces, character n-grams)
    shared by a machine translation of the source side and the target side; it is the first
    pass's weight, which the first pass's sure beads then replace by the text's own (see
    :func:`aligner.align.estimate.translation_weight`) when there are enough of them.
    ``turn_*``: speaker turns must start paragraph beads together.
    ``temperature`` divides every cost: it leaves the best path as it is and flattens the
    posteriors, calibrating confidence (a higher temperature gives more modest confidences).
    ``embedding_weight`` multiplies the embedding evidence (with an encoder only; see
    :class:`Similarity`): the log likelihood ratio would be the right weight if the embeddings
    said nothing the lengths and keys do not; they overlap, and 0.75 was chosen on the 12 mac/
    chapters, Text+Berg dev and the interview pooled (strict F1 0.865 at 0.75, 0.864 at 1.0:
    a choice within noise).
    The evidence weights and the temperature were chosen on the Text+Berg dev set and the
    bundled interview; see benchmarks/alignment.py for how they hold on the other dev sets.
    """

    ratio: float | None = None
    variance: float = 6.8
    variance_scale: float = 2.5
    ratio_drift: float = 0.1
    priors: tuple[tuple[tuple[int, int], float], ...] = (
        ((1, 1), 0.89), ((2, 1), 0.045), ((1, 2), 0.045), ((2, 2), 0.011), ((3, 1), 0.004), ((1, 3), 0.004),
    )
    prior_other: float = 0.0005
    null_base: float = 0.22
    null_per_log_letter: float = 1.0
    shared_weight: float = 0.2
    unmatched_weight: float = 0.08
    translation_weight: float = 0.15
    turn_bonus: float = 2.0
    turn_penalty: float = 6.0
    temperature: float = 1.1
    embedding_weight: float = 0.75

    def null_cost(self, letters: np.ndarray, scale: float) -> np.ndarray:
        """The cost of leaving out sentences of ``letters`` letters, counted ``scale`` times."""
        return self.null_base + self.null_per_log_letter * np.log1p(letters * scale)

    def prior_cost(self, a: int, b: int) -> float:
        """``-log P(bead type)``; 0 for 1-0 and 0-1 beads, whose cost is the unit's ``null_cost``."""
        if not a or not b:
            return 0.0
        return -math.log(dict(self.priors).get((a, b), self.prior_other))


@dataclass(frozen=True)
class Units:
    """One side's units (sentences or paragraphs) as the cost model sees them.

    ``lengths`` in characters; ``nulls`` is the cost of leaving the unit out (``null_cost``;
    a merged unit's is the sum of its parts', since leaving it out leaves them all out).
    ``keys`` are the evidence keys; ``translation_keys`` the words (or character n-grams) of a
    machine translation (source side) or of the text itself (target side). ``turns`` codes who
    speaks in a unit that opens a turn (0: none; paragraph level only).

    With sentence embeddings, ``vectors`` holds each unit's unit vector and ``pair_vectors``
    that of the unit joined with the next one (encoded as one text: a join says more than the
    sum of its parts); longer spans are the normalised sums of their units' vectors.
    ``neighbourhood`` is each unit's mean similarity to its few nearest units of the other side,
    which the similarity of a bead is measured against (see :class:`Similarity`).
    """

    lengths: np.ndarray
    nulls: np.ndarray
    keys: Keys
    translation_keys: Keys
    turns: np.ndarray
    vectors: np.ndarray | None = None
    pair_vectors: np.ndarray | None = None
    neighbourhood: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def select(self, span: range) -> Units:
        """Units ``span`` (a contiguous range)."""
        part = slice(span.start, span.stop)
        pair_vectors = None
        if self.pair_vectors is not None and self.vectors is not None:
            # The last unit of the span has no next unit inside it.
            pair_vectors = self.pair_vectors[part].copy()
            if len(pair_vectors):
                pair_vectors[-1] = self.vectors[span.stop - 1]
        return Units(
            self.lengths[part],
            self.nulls[part],
            self.keys.select(span),
            self.translation_keys.select(span),
            self.turns[part],
            None if self.vectors is None else self.vectors[part],
            pair_vectors,
            None if self.neighbourhood is None else self.neighbourhood[part],
        )

    def coarsened(self) -> Units:
        """Neighbours merged in pairs (the last unit alone when the count is odd)."""
        groups = np.arange(len(self), dtype=np.int64) // 2
        starts = np.arange(0, len(self), 2)
        vectors = pair_vectors = neighbourhood = None
        if self.vectors is not None and self.pair_vectors is not None and self.neighbourhood is not None:
            # A coarse unit is two units: their joint encoding. A coarse pair is four: a sum.
            vectors = self.pair_vectors[starts]
            pair_vectors = vectors.copy()
            pair_vectors[:-1] = _normalised(vectors[:-1] + vectors[1:])
            neighbourhood = np.add.reduceat(self.neighbourhood, starts) / np.diff(np.append(starts, len(self)))
        return Units(
            np.add.reduceat(self.lengths, starts) if len(self) else self.lengths,
            np.add.reduceat(self.nulls, starts) if len(self) else self.nulls,
            self.keys.merged(groups),
            self.translation_keys.merged(groups),
            self.turns[::2],
            vectors,
            pair_vectors,
            neighbourhood,
        )


class BeadProblem(Problem):
    """Aligning two unit sequences under a CostModel, with the length ratio and variance given."""

    def __init__(
        self,
        model: CostModel,
        source: Units,
        target: Units,
        ratio: float,
        variance: float,
        bead_types: Sequence[tuple[int, int]],
        vocabulary: int,
        translation_vocabulary: int,
        drift: float = 0.0,
        similarity: Similarity | None = None,
    ):
        self.model = model
        self.similarity = similarity
        self._span_cache: dict[tuple[int, int], np.ndarray] = {}
        self.source = source
        self.target = target
        self.ratio = ratio
        self.variance = variance
        self.bead_types = tuple(bead_types)
        self.vocabulary = vocabulary
        self.translation_vocabulary = translation_vocabulary
        self.drift = drift
        self.n = len(source)
        self.m = len(target)
        self._types_a, self._types_b, self._prior = _bead_arrays(model, self.bead_types)
        self._reach = max(a for a, _ in self.bead_types)

    def coarsened(self) -> BeadProblem:
        """Neighbours merged in pairs; the length model allows for the ratio's drift."""
        return BeadProblem(
            self.model, self.source.coarsened(), self.target.coarsened(), self.ratio, self.variance,
            self.bead_types, self.vocabulary, self.translation_vocabulary, self.model.ratio_drift, self.similarity,
        )

    def arrays(self, band: Band) -> kernel.CostArrays:
        model = self.model
        n, m = self.n, self.m
        reach = self._reach
        rows = np.arange(n, dtype=np.int64)
        # Source unit r takes part in beads that start at rows r-reach+1..r and end by row r+reach.
        pair_low = band.low[np.maximum(rows - reach + 1, 0)]
        pair_high = np.minimum(band.high[np.minimum(rows + reach, n)] - 1, m - 1)
        pair_offset, pair_prefix = self._pairs(self.source.keys, self.target.keys, self.vocabulary, pair_low, pair_high)
        has_mt = len(self.source.translation_keys.ids) > 0 and model.translation_weight > 0
        if has_mt:
            mt_offset, mt_prefix = self._pairs(
                self.source.translation_keys, self.target.translation_keys, self.translation_vocabulary,
                pair_low, pair_high,
            )
            mt_low = pair_low
        else:
            mt_low, mt_offset, mt_prefix = np.zeros(n, dtype=np.int64), np.zeros(n + 1, dtype=np.int64), np.zeros(1)
        has_turns = bool(np.count_nonzero(self.source.turns) or np.count_nonzero(self.target.turns))
        empty = np.zeros(0, dtype=np.int64)
        embedded = self._embedding_evidence(band)
        return kernel.CostArrays(
            types_a=self._types_a,
            types_b=self._types_b,
            prior=self._prior,
            source_chars=_prefix(self.source.lengths),
            target_chars=_prefix(self.target.lengths),
            source_null=self.source.nulls,
            target_null=self.target.nulls,
            source_mass=self.source.keys.mass(),
            target_mass=self.target.keys.mass(),
            pair_low=pair_low,
            pair_offset=pair_offset,
            pair_prefix=pair_prefix,
            mt_mass=self.source.translation_keys.mass() if has_mt else np.zeros(n + 1),
            mt_pair_low=mt_low,
            mt_pair_offset=mt_offset,
            mt_pair_prefix=mt_prefix,
            source_turn=self.source.turns.astype(np.int64) if has_turns else empty,
            target_turn=self.target.turns.astype(np.int64) if has_turns else empty,
            source_opens=_prefix((self.source.turns > 0).astype(np.float64)) if has_turns else np.zeros(1),
            target_opens=_prefix((self.target.turns > 0).astype(np.float64)) if has_turns else np.zeros(1),
            embedded=embedded,
            weights=np.array(
                [
                    self.ratio,
                    self.variance,
                    model.shared_weight,
                    model.unmatched_weight,
                    model.translation_weight if has_mt else 0.0,
                    model.turn_bonus,
                    model.turn_penalty,
                    model.temperature,
                    self.drift,
                ],
                dtype=np.float64,
            ),
        )

    def _embedding_evidence(self, band: Band) -> np.ndarray:
        """``evidence[k, t]``: the embedding evidence (nats) for the bead of type ``t`` ending at
        cell ``k``, times the model's weight; an empty table without embeddings."""
        source, target, similarity = self.source, self.target, self.similarity
        if similarity is None or source.vectors is None or target.vectors is None:
            return np.zeros((0, 0), dtype=np.float32)
        assert source.neighbourhood is not None and target.neighbourhood is not None
        rows = np.repeat(np.arange(self.n + 1, dtype=np.int64), band.high - band.low + 1)
        cols = np.arange(band.size, dtype=np.int64) - np.repeat(band.offset[:-1] - band.low, band.high - band.low + 1)
        table = np.zeros((band.size, len(self.bead_types)), dtype=np.float32)
        for t, (a, b) in enumerate(self.bead_types):
            if not a or not b:
                continue
            fits = np.flatnonzero((rows >= a) & (cols >= b))
            i, j = rows[fits] - a, cols[fits] - b
            cosine = _banded_cosines(self._spans(source, a), self._spans(target, b), i, j)
            local = (_span_mean(source.neighbourhood, i, a) + _span_mean(target.neighbourhood, j, b)) / 2
            table[fits, t] = self.model.embedding_weight * similarity.evidence(cosine - local)
        return table

    def _spans(self, units: Units, length: int) -> np.ndarray:
        """The vectors of every span of ``length`` units (row k: the span that starts at k),
        computed once per problem: the search asks for the costs of several bands."""
        key = (id(units), length)
        if key not in self._span_cache:
            spans = _span_vectors(units, np.arange(max(0, len(units) - length + 1)), length)
            self._span_cache[key] = spans.astype(np.float64)
        return self._span_cache[key]

    @staticmethod
    def _pairs(
        source: Keys, target: Keys, vocabulary: int, low: np.ndarray, high: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        key_start, key_cols, key_weights = target.postings(vocabulary)
        offset, prefix = kernel.pair_mass(source.start, source.ids, source.weights, key_start, key_cols, key_weights, low, high)
        return offset, prefix


def shared_masses(source: Keys, target: Keys, vocabulary: int, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The key mass that source unit ``rows[k]`` shares with target unit ``columns[k]``, for each
    k (as a 1-1 bead of the two would count it)."""
    if not len(rows):
        return np.zeros(0)
    low = np.full(len(source), len(target), dtype=np.int64)
    high = np.full(len(source), -1, dtype=np.int64)  # rows nobody asks about: no columns
    np.minimum.at(low, rows, columns)
    np.maximum.at(high, rows, columns)
    key_start, key_cols, key_weights = target.postings(vocabulary)
    offset, prefix = kernel.pair_mass(source.start, source.ids, source.weights, key_start, key_cols, key_weights, low, high)
    at = offset[rows] + columns - low[rows]
    return prefix[at + 1] - prefix[at]


@lru_cache(maxsize=64)
def _bead_arrays(model: CostModel, bead_types: tuple[tuple[int, int], ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each bead type's source and target sizes and prior cost (the same for every problem of a model)."""
    return (
        np.array([a for a, _ in bead_types], dtype=np.int64),
        np.array([b for _, b in bead_types], dtype=np.int64),
        np.array([model.prior_cost(a, b) for a, b in bead_types]),
    )


def _span_vectors(units: Units, starts: np.ndarray, length: int) -> np.ndarray:
    """The vectors of the spans of ``length`` units that begin at ``starts``: a unit's own, a
    pair's joint encoding, and for longer spans the normalised sum of the first pair's and the
    other units' (encoding every longer join too doubles the encoding time for no measured gain
    on mac/001–008)."""
    assert units.vectors is not None and units.pair_vectors is not None
    if length == 1:
        return units.vectors[starts]
    if length == 2:
        return units.pair_vectors[starts]
    total = units.pair_vectors[starts].astype(np.float64)
    for k in range(2, length):
        total += units.vectors[starts + k]
    return _normalised(total)


_COSINE_BLOCK = 64
"""Rows of a band whose cosines are computed as one matrix product."""


def _banded_cosines(source: np.ndarray, target: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``source[i[k]] · target[j[k]]`` for every k, where ``i`` ascends and the ``j`` of nearby
    ``i`` lie close together (a band): block by block of rows, one matrix product over the
    rectangle the band crosses, instead of gathering two vectors per cell."""
    result = np.zeros(len(i), dtype=np.float64)
    if not len(i):
        return result
    bounds = np.searchsorted(i, np.arange(int(i[0]), int(i[-1]) + _COSINE_BLOCK + 1, _COSINE_BLOCK))
    for start, stop in zip(bounds[:-1], bounds[1:]):
        if start == stop:
            continue
        rows, cols = i[start:stop], j[start:stop]
        first_row, first_col = int(rows.min()), int(cols.min())
        block = source[first_row : int(rows.max()) + 1] @ target[first_col : int(cols.max()) + 1].T
        result[start:stop] = block[rows - first_row, cols - first_col]
    return result


def _span_mean(values: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    total = np.zeros(len(starts))
    for k in range(length):
        total += values[starts + k]
    return total / length


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


@dataclass(frozen=True)
class Similarity:
    """How much the similarity of a bead's two sides says that they translate each other.

    A bead's similarity is the cosine of its two sides' vectors less the mean of their units'
    neighbourhoods (the cross-domain similarity local scaling of Conneau et al. 2018, which keeps
    a sentence that resembles everything from matching everything). Its evidence is the log
    likelihood ratio of two normal laws of one spread fitted to the documents themselves (see
    ``aligner.align.semantic``): one of pairs that surely translate each other, one of pairs
    that surely do not. With one spread the ratio is linear in the similarity, so it keeps
    rising past the typical translation: a 1-2 bead whose second sentence belongs to it scores
    above the 1-1 bead without it, which is what grouping needs. Clipped to ``limit`` nats
    either way, since a law's tails are the least known part of it.
    """

    translation_mean: float
    other_mean: float
    spread: float
    limit: float

    def evidence(self, similarity: np.ndarray) -> np.ndarray:
        """The log likelihood ratio (nats) of each similarity: positive for a translation."""
        middle = (self.translation_mean + self.other_mean) / 2
        slope = (self.translation_mean - self.other_mean) / self.spread**2
        return np.clip(slope * (similarity - middle), -self.limit, self.limit)


def _prefix(values: np.ndarray) -> np.ndarray:
    prefix = np.zeros(len(values) + 1)
    np.cumsum(values, out=prefix[1:])
    return prefix

