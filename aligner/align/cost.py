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

The compiled ``aligner.align.kernel.bead_cost`` computes it; this module prepares its arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.align import kernel
from aligner.align.dp import Band, Problem
from aligner.align.keys import Keys


@dataclass(frozen=True)
class CostModel:
    """Parameters of the bead cost; costs are negative log-probabilities (nats).

    ``ratio`` (target characters per source character) and ``variance`` (Gale and Church's
    variance of the length difference per character of mean length): ``None`` means estimate
    from the input; ``variance`` is also the starting point of that estimate, in *target*
    characters (it is scaled by the ratio for other units). Length differences have heavier
    tails than a normal law: ``variance_scale`` multiplies the variance measured on a pass's
    1-1 beads so that the wrong candidates a search weighs are not all but ruled out (on the
    Text+Berg dev set the variance that aligns best, 6.8, is 2.5 times the measured one, 2.75;
    on the other dev sets the same factor is held out). ``ratio_drift``: the length ratio
    wanders along a text (from one book of the Bible to the next by ±8 %), so a bead's
    variance adds ``(ratio_drift × mean)²`` in the coarse levels of the search, whose long
    units would otherwise trust a global ratio over hundreds of sentences and run far ahead
    of the text (sentences and paragraphs are short enough for the variance alone). ``priors`` maps bead types to their
    probabilities; types not named share ``prior_other``; 1-0 and 0-1 take ``null_base``.
    These are starting points too: a first pass re-estimates them from its own beads.
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
    shared by a machine translation of the source side and the target side.
    ``turn_*``: speaker turns must start paragraph beads together.
    ``temperature`` divides every cost: it leaves the best path as it is and flattens the
    posteriors, calibrating confidence (a higher temperature gives more modest confidences).
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
    """

    lengths: np.ndarray
    nulls: np.ndarray
    keys: Keys
    translation_keys: Keys
    turns: np.ndarray

    def __len__(self) -> int:
        return len(self.lengths)

    def select(self, span: range) -> Units:
        """Units ``span`` (a contiguous range)."""
        return Units(
            self.lengths[span.start : span.stop],
            self.nulls[span.start : span.stop],
            self.keys.select(span),
            self.translation_keys.select(span),
            self.turns[span.start : span.stop],
        )

    def coarsened(self) -> Units:
        """Neighbours merged in pairs (the last unit alone when the count is odd)."""
        groups = np.arange(len(self), dtype=np.int64) // 2
        return Units(
            np.add.reduceat(self.lengths, np.arange(0, len(self), 2)) if len(self) else self.lengths,
            np.add.reduceat(self.nulls, np.arange(0, len(self), 2)) if len(self) else self.nulls,
            self.keys.merged(groups),
            self.translation_keys.merged(groups),
            self.turns[::2],
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
    ):
        self.model = model
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

    def coarsened(self) -> BeadProblem:
        """Neighbours merged in pairs; the length model allows for the ratio's drift."""
        return BeadProblem(
            self.model, self.source.coarsened(), self.target.coarsened(), self.ratio, self.variance,
            self.bead_types, self.vocabulary, self.translation_vocabulary, self.model.ratio_drift,
        )

    def arrays(self, band: Band) -> kernel.CostArrays:
        model = self.model
        n, m = self.n, self.m
        reach = max(a for a, _ in self.bead_types)
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
        has_turns = bool(self.source.turns.any() or self.target.turns.any())
        empty = np.zeros(0, dtype=np.int64)
        return kernel.CostArrays(
            types_a=np.array([a for a, _ in self.bead_types], dtype=np.int64),
            types_b=np.array([b for _, b in self.bead_types], dtype=np.int64),
            prior=np.array([model.prior_cost(a, b) for a, b in self.bead_types]),
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

    @staticmethod
    def _pairs(
        source: Keys, target: Keys, vocabulary: int, low: np.ndarray, high: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        key_start, key_cols, key_weights = target.postings(vocabulary)
        offset, prefix = kernel.pair_mass(source.start, source.ids, source.weights, key_start, key_cols, key_weights, low, high)
        return offset, prefix


def _prefix(values: np.ndarray) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(np.asarray(values, dtype=np.float64))))

