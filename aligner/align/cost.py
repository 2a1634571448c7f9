"""The bead cost: a length model, bead-type priors, lexical evidence and speaker turns."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.align.dp import BEAD_TYPES, Grid, Problem


@dataclass(frozen=True)
class CostModel:
    """Parameters of the bead cost; costs are negative log-probabilities (nats).

    ``variance``: Gale and Church's per-character variance of the length difference.
    ``prior_*``: bead-type probabilities; ``prior_large`` is that of 3-2, 2-3, 4-1, 1-4, 3-3.
    ``null_base`` and ``null_per_log_letter``: leaving a unit unaligned costs more the more
    letters it has, so OCR debris ("- _-", "24 a !") becomes a 1-0/0-1 bead rather than being
    swallowed by a neighbour's bead.
    ``shared_weight`` rewards each unit of key mass (rarity-weighted numbers, names, shared
    words) that the two sides of a bead share; ``unmatched_weight`` charges each unit of key
    mass that finds no partner in its bead, also in 1-0/0-1 beads. Both count mass, not
    sentences, so merging a sentence into a bead gains only what it really shares.
    ``translation_weight`` rewards words shared by a machine translation of the source side
    and the target side, when a translation is given; missing words cost nothing, since MT
    wording differs from a human translator's.
    ``turn_*``: speaker turns must start paragraph beads together.
    ``temperature`` divides every cost: it leaves the best path as it is and flattens the
    posteriors, calibrating confidence (a higher temperature gives more modest confidences).
    The defaults were chosen on the Text+Berg dev set and the bundled interview (see
    benchmarks/alignment.py).
    """

    variance: float = 6.8
    prior_1_1: float = 0.89
    prior_2_1: float = 0.045
    prior_2_2: float = 0.011
    prior_3_1: float = 0.004
    prior_large: float = 0.0005
    null_base: float = 0.22
    null_per_log_letter: float = 1.0
    shared_weight: float = 0.2
    unmatched_weight: float = 0.08
    translation_weight: float = 0.15
    turn_bonus: float = 2.0
    turn_penalty: float = 6.0
    temperature: float = 1.1

    def prior_cost(self, a: int, b: int) -> float:
        """``-log P(bead type)``; for 1-0 and 0-1 beads, the part that does not depend on the unit."""
        if not a or not b:
            return self.null_base
        prior = {
            (1, 1): self.prior_1_1,
            (2, 1): self.prior_2_1,
            (1, 2): self.prior_2_1,
            (2, 2): self.prior_2_2,
            (3, 1): self.prior_3_1,
            (1, 3): self.prior_3_1,
        }.get((a, b), self.prior_large)
        return -math.log(prior)


@dataclass(frozen=True)
class Units:
    """One side's units (sentences or paragraphs) as the cost model sees them.

    ``letters`` counts letters (not digits or punctuation) per unit. ``translation_keys`` are
    the words of a machine translation (source side) or of the text itself (target side).
    ``turns`` names who speaks in a unit that opens a turn (paragraph level only).
    """

    lengths: tuple[int, ...]
    letters: tuple[int, ...]
    keys: tuple[dict[str, float], ...]
    translation_keys: tuple[dict[str, float], ...]
    turns: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.lengths)

    def coarsened(self) -> Units:
        """Neighbours merged in pairs (the last unit alone when the count is odd)."""
        pairs = range(0, len(self), 2)
        return Units(
            lengths=tuple(sum(self.lengths[k : k + 2]) for k in pairs),
            letters=tuple(sum(self.letters[k : k + 2]) for k in pairs),
            keys=tuple(merge_keys(self.keys[k : k + 2]) for k in pairs),
            translation_keys=tuple(merge_keys(self.translation_keys[k : k + 2]) for k in pairs),
            turns=tuple(self.turns[k] for k in pairs),
        )


def merge_keys(parts: Sequence[dict[str, float]]) -> dict[str, float]:
    """The summed keys of several units."""
    if len(parts) == 1:
        return parts[0]
    merged = dict(parts[0])
    for part in parts[1:]:
        for key, weight in part.items():
            merged[key] = merged.get(key, 0.0) + weight
    return merged


def _prefix(values: Sequence[float]) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(np.asarray(values, dtype=np.float64))))


def neg_log_erfc(x: np.ndarray) -> np.ndarray:
    """``-log(erfc(x))`` for x ≥ 0, from the Chebyshev-fitted erfc of Numerical Recipes
    (relative error < 1.2e-7), in log form so that it never underflows."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (
        1.00002368
        + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (
            -1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    return x * x - poly - np.log(t)


class BeadProblem(Problem):
    """Aligning two unit sequences under a CostModel."""

    def __init__(self, model: CostModel, source: Units, target: Units, ratio: float):
        self.model = model
        self.source = source
        self.target = target
        self.ratio = ratio
        self.n = len(source)
        self.m = len(target)

    def coarsened(self) -> BeadProblem:
        return BeadProblem(self.model, self.source.coarsened(), self.target.coarsened(), self.ratio)

    def costs(self, grid: Grid) -> np.ndarray:
        model = self.model
        source_chars, target_chars = _prefix(self.source.lengths), _prefix(self.target.lengths)
        source_letters, target_letters = np.asarray(self.source.letters), np.asarray(self.target.letters)
        source_mass = _prefix([sum(k.values()) for k in self.source.keys])
        target_mass = _prefix([sum(k.values()) for k in self.target.keys])
        shared = _SharedMass(self.source.keys, self.target.keys, grid)
        translated = (
            _SharedMass(self.source.translation_keys, self.target.translation_keys, grid)
            if any(self.source.translation_keys)
            else None
        )
        translation_mass = _prefix([sum(k.values()) for k in self.source.translation_keys])
        source_turns, source_opens = _turn_codes(self.source.turns, self.target.turns)
        target_turns, target_opens = _turn_codes(self.target.turns, self.source.turns)

        ends_row, ends_col = grid.rows, grid.cols
        table = np.full((len(BEAD_TYPES), grid.size), np.inf)
        for t, (a, b) in enumerate(BEAD_TYPES):
            i, j = ends_row - a, ends_col - b
            fits = (i >= 0) & (j >= 0)
            # Cells where the bead does not fit get harmless indices; their cost is inf anyway.
            i, j = np.where(fits, i, 0), np.where(fits, j, 0)
            i_end, j_end = np.where(fits, ends_row, a), np.where(fits, ends_col, b)
            if a > self.n or b > self.m:
                continue
            cost = np.full(grid.size, model.prior_cost(a, b))
            if not b:
                cost += model.null_per_log_letter * np.log1p(source_letters[np.minimum(i, self.n - 1)])
                cost += model.unmatched_weight * (source_mass[i_end] - source_mass[i])
            if not a:
                cost += model.null_per_log_letter * np.log1p(target_letters[np.minimum(j, self.m - 1)])
                cost += model.unmatched_weight * (target_mass[j_end] - target_mass[j])
            if a and b:
                src = source_chars[i_end] - source_chars[i]
                tgt = target_chars[j_end] - target_chars[j]
                mean = (src * self.ratio + tgt) / 2
                delta = np.abs(tgt - src * self.ratio) / np.sqrt(np.maximum(mean, 1e-9) * model.variance)
                cost += np.where(mean > 0, neg_log_erfc(delta / math.sqrt(2)), 0.0)
                mass = (source_mass[i_end] - source_mass[i]) + (target_mass[j_end] - target_mass[j])
                common = np.minimum(
                    shared.total(i, a, j, b, fits),
                    np.minimum(source_mass[i_end] - source_mass[i], target_mass[j_end] - target_mass[j]),
                )
                cost -= model.shared_weight * common - model.unmatched_weight * (mass - 2 * common)
                if translated is not None:
                    by_translation = translated.total(i, a, j, b, fits)
                    by_translation = np.minimum(by_translation, translation_mass[i_end] - translation_mass[i])
                    cost -= model.translation_weight * by_translation
                if source_turns is not None and source_opens is not None and target_turns is not None \
                        and target_opens is not None:
                    cost += _turn_cost(model, source_turns, source_opens, target_turns, target_opens, i, a, j, b)
            table[t] = np.where(fits, cost, np.inf)
        return table / model.temperature


def _turn_codes(
    turns: Sequence[str | None], other: Sequence[str | None]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Integer codes of turns (0 = none) and prefix counts of units that open a turn."""
    if not any(turns) and not any(other):
        return None, None
    names = sorted({t for t in (*turns, *other) if t})
    code = {name: k + 1 for k, name in enumerate(names)}
    codes = np.array([code.get(t, 0) if t else 0 for t in turns], dtype=np.int64)
    return codes, _prefix([1.0 if t else 0.0 for t in turns])


def _turn_cost(
    model: CostModel,
    source_turns: np.ndarray,
    source_opens: np.ndarray,
    target_turns: np.ndarray,
    target_opens: np.ndarray,
    i: np.ndarray,
    a: int,
    j: np.ndarray,
    b: int,
) -> np.ndarray:
    """Speaker turns must start beads on both sides together and never sit inside one."""
    first_source = source_turns[np.minimum(i, len(source_turns) - 1)]
    first_target = target_turns[np.minimum(j, len(target_turns) - 1)]
    inner = (source_opens[i + a] - source_opens[i + 1]) + (target_opens[j + b] - target_opens[j + 1])
    cost = np.where(inner > 0, model.turn_penalty, 0.0)
    both = (first_source > 0) & (first_target > 0)
    one = (first_source > 0) ^ (first_target > 0)
    cost += np.where(both, np.where(first_source == first_target, -model.turn_bonus, model.turn_penalty), 0.0)
    cost += np.where(one, model.turn_penalty / 2, 0.0)
    return cost


class _SharedMass:
    """Key mass shared by source unit ``r`` and target unit ``c``, for the cells near the band.

    A bead's shared mass is approximated by the sum over its unit pairs (capped by the caller
    at the smaller side's mass), so it is computed once per pair, not once per bead.
    """

    def __init__(self, source: Sequence[dict[str, float]], target: Sequence[dict[str, float]], grid: Grid):
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for col, keys in enumerate(target):
            for key, weight in keys.items():
                postings[key].append((col, weight))
        positions = {key: [col for col, _ in entries] for key, entries in postings.items()}
        n, m = len(source), len(target)
        reach = max(a for a, _ in BEAD_TYPES)
        # Row r is needed for beads starting at rows r-reach+1..r: their columns span from the
        # band's low edge at the earliest such row to its high edge at row r, plus the bead width.
        self.low = np.array([grid.low[max(0, r - reach)] for r in range(n)], dtype=np.int64)
        self.high = np.array([min(m - 1, grid.high[r] + reach) for r in range(n)], dtype=np.int64)
        widths = np.maximum(self.high - self.low + 1, 0)
        self.offset = np.concatenate(([0], np.cumsum(widths + 1)))
        prefix = np.zeros(int(self.offset[-1]) + 1)
        for r, keys in enumerate(source):
            lo, hi = int(self.low[r]), int(self.high[r])
            row = np.zeros(hi - lo + 1 if hi >= lo else 0)
            for key, weight in keys.items():
                cols = positions.get(key)
                if not cols:
                    continue
                entries = postings[key]
                for k in range(bisect_left(cols, lo), bisect_right(cols, hi)):
                    col, other = entries[k]
                    row[col - lo] += min(weight, other)
            start = int(self.offset[r])
            prefix[start + 1 : start + 1 + len(row)] = np.cumsum(row)
        self.prefix = prefix

    def total(self, i: np.ndarray, a: int, j: np.ndarray, b: int, fits: np.ndarray) -> np.ndarray:
        """Summed pair masses of the beads at source ``i:i+a`` and target ``j:j+b``."""
        result = np.zeros(len(i))
        for k in range(a):
            row = np.where(fits, np.minimum(i + k, len(self.low) - 1), 0)
            lo = self.low[row]
            base = self.offset[row]
            start = np.clip(j - lo, 0, None)
            stop = np.clip(j + b - lo, 0, None)
            width = self.offset[row + 1] - base - 1
            start, stop = np.minimum(start, width), np.minimum(stop, width)
            result += self.prefix[base + stop] - self.prefix[base + start]
        return np.where(fits, result, 0.0)
