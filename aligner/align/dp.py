"""Dynamic programming over beads, in a band, with posterior probabilities.

A bead covers ``a`` source units and ``b`` target units. The best path minimises the summed
bead costs (negative log probabilities); each bead on it gets its posterior probability,
computed by the forward–backward algorithm over every path in the band.

Long sequences are not searched in full: both sides are coarsened (neighbours merged in
pairs), the coarse problem is solved recursively, and the fine search is confined to a band
around the coarse path. Time and memory therefore grow linearly with the text.

The cells of the band are stored row after row in flat arrays; bead costs are computed for all
cells at once (numpy), and the recurrence runs row by row over vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (3, 2), (2, 3), (4, 1), (1, 4),
)
_ROW_TYPES = tuple(t for t, (a, _) in enumerate(BEAD_TYPES) if a > 0)
_INSERTION = BEAD_TYPES.index((0, 1))


@dataclass(frozen=True)
class Grid:
    """The cells ``(row, col)`` of a band: row ``r`` holds columns ``low[r]..high[r]``.

    Cell ``(r, c)`` is stored at ``offset[r] + c - low[r]`` in every flat array.
    """

    n: int
    m: int
    low: np.ndarray
    high: np.ndarray
    offset: np.ndarray
    rows: np.ndarray
    cols: np.ndarray

    @classmethod
    def from_band(cls, n: int, m: int, low: Sequence[int], high: Sequence[int]) -> Grid:
        """A grid of the band ``low[r]..high[r]`` for rows ``0..n``."""
        low_array = np.asarray(low, dtype=np.int64)
        high_array = np.asarray(high, dtype=np.int64)
        widths = high_array - low_array + 1
        offset = np.concatenate(([0], np.cumsum(widths)))
        rows = np.repeat(np.arange(n + 1), widths)
        cols = np.arange(int(offset[-1])) - np.repeat(offset[:-1] - low_array, widths)
        return cls(n, m, low_array, high_array, offset, rows, cols)

    @property
    def size(self) -> int:
        """Number of cells."""
        return int(self.offset[-1])

    def index(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Flat indices of cells, -1 where ``(row, col)`` lies outside the band."""
        inside = (rows >= 0) & (rows <= self.n) & (cols >= 0)
        safe_rows = np.where(inside, rows, 0)
        inside &= (cols >= self.low[safe_rows]) & (cols <= self.high[safe_rows])
        return np.where(inside, self.offset[safe_rows] + cols - self.low[safe_rows], -1)


@dataclass(frozen=True)
class Step:
    """One bead of a path: source units ``i:i+a``, target units ``j:j+b``."""

    i: int
    a: int
    j: int
    b: int
    posterior: float


class Problem:
    """An alignment problem that can price beads on a grid and make a coarser copy of itself."""

    n: int
    m: int

    def costs(self, grid: Grid) -> np.ndarray:
        """Bead costs, shape (len(BEAD_TYPES), grid.size), inf where a bead does not fit."""
        raise NotImplementedError

    def coarsened(self) -> Problem:
        """The same problem with neighbouring units merged in pairs."""
        raise NotImplementedError


def align_units(problem: Problem, *, band_margin: int, full_search_cells: int) -> list[Step]:
    """The lowest-cost bead path from (0, 0) to (n, m), with each bead's posterior.

    A problem of at most ``full_search_cells`` cells is searched in full; a larger one in a band
    of ``band_margin`` units either side of the path of its coarsened copy.
    """
    n, m = problem.n, problem.m
    if n == 0 and m == 0:
        return []
    if (n + 1) * (m + 1) <= full_search_cells or min(n, m) < 4:
        grid = Grid.from_band(n, m, [0] * (n + 1), [m] * (n + 1))
    else:
        coarse_path = align_units(problem.coarsened(), band_margin=band_margin, full_search_cells=full_search_cells)
        grid = Grid.from_band(n, m, *_band_around(coarse_path, n, m, band_margin))
    return _search(grid, problem.costs(grid))


def _band_around(coarse_path: Sequence[Step], n: int, m: int, margin: int) -> tuple[list[int], list[int]]:
    """Rows of the fine grid that the coarse path passes through, widened by a margin."""
    low = [m] * (n + 1)
    high = [0] * (n + 1)
    for step in coarse_path:
        cols_low, cols_high = 2 * step.j, min(m, 2 * (step.j + step.b) + 1)
        for row in range(2 * step.i, min(n, 2 * (step.i + step.a) + 1) + 1):
            low[row] = min(low[row], cols_low)
            high[row] = max(high[row], cols_high)
    low[0], high[n] = 0, m
    low_array = np.asarray(low)
    high_array = np.asarray(high)
    window = 2 * margin + 1
    padded_low = np.pad(low_array, margin, constant_values=m)
    padded_high = np.pad(high_array, margin, constant_values=0)
    near_low = np.lib.stride_tricks.sliding_window_view(padded_low, window).min(axis=1)
    near_high = np.lib.stride_tricks.sliding_window_view(padded_high, window).max(axis=1)
    low_array = np.maximum(0, near_low - margin)
    high_array = np.minimum(m, near_high + margin)
    # Monotone edges keep every cell reachable from (0, 0) and able to reach (n, m).
    high_array = np.maximum.accumulate(high_array)
    low_array = np.minimum.accumulate(low_array[::-1])[::-1]
    return low_array.tolist(), high_array.tolist()


def _search(grid: Grid, costs: np.ndarray) -> list[Step]:
    types = np.array(_ROW_TYPES)
    starts = np.stack(
        [grid.index(grid.rows - BEAD_TYPES[t][0], grid.cols - BEAD_TYPES[t][1]) for t in _ROW_TYPES]
    )
    row_costs = costs[types]
    row_costs = np.where(starts >= 0, row_costs, np.inf)
    insertion = costs[_INSERTION]
    size = grid.size
    # One sentinel cell at the end: index -1 reads +inf cost / -inf log-probability.
    best = np.full(size + 1, np.inf)
    forward = np.full(size + 1, -np.inf)
    choice = np.full(size, -1, dtype=np.int8)
    for r in range(grid.n + 1):
        lo, hi = int(grid.offset[r]), int(grid.offset[r + 1])
        if r == 0:
            other_best = np.full(hi - lo, np.inf)
            other_forward = np.full(hi - lo, -np.inf)
            other_best[0] = 0.0
            other_forward[0] = 0.0
            other_choice = np.full(hi - lo, -1)
        else:
            index = starts[:, lo:hi]
            totals = best[index] + row_costs[:, lo:hi]
            pick = np.argmin(totals, axis=0)
            other_best = totals[pick, np.arange(hi - lo)]
            other_choice = types[pick]
            other_forward = np.logaddexp.reduce(forward[index] - row_costs[:, lo:hi], axis=0)
        step = insertion[lo:hi]
        # Insertions (0-1) chain along the row: a running minimum / log-sum over the prefix.
        climb = np.concatenate(([0.0], np.cumsum(step[1:])))
        chained = np.minimum.accumulate(other_best - climb) + climb
        # The prefix trick re-adds what it subtracted; a rounding difference is not a better path.
        with np.errstate(invalid="ignore"):
            from_left = chained < np.where(np.isfinite(other_best), other_best - 1e-9 * (1.0 + np.abs(other_best)), np.inf)
        best[lo:hi] = np.where(from_left, chained, other_best)
        choice[lo:hi] = np.where(from_left, _INSERTION, other_choice)
        forward[lo:hi] = np.logaddexp.accumulate(other_forward + climb) - climb
    final = size - 1
    if not np.isfinite(best[final]):
        raise RuntimeError("no alignment path within the band")

    ends = np.stack([grid.index(grid.rows + BEAD_TYPES[t][0], grid.cols + BEAD_TYPES[t][1]) for t in _ROW_TYPES])
    end_costs = np.where(ends >= 0, row_costs[np.arange(len(types))[:, None], np.maximum(ends, 0)], np.inf)
    backward = np.full(size + 1, -np.inf)
    backward[final] = 0.0
    for r in range(grid.n, -1, -1):
        lo, hi = int(grid.offset[r]), int(grid.offset[r + 1])
        if r == grid.n:
            other = np.full(hi - lo, -np.inf)
            other[-1] = 0.0
        else:
            other = np.logaddexp.reduce(backward[ends[:, lo:hi]] - end_costs[:, lo:hi], axis=0)
        # Insertion leaving cell k lands on k+1 and costs insertion[k+1].
        step = np.concatenate((insertion[lo + 1 : hi], [np.inf]))
        climb = np.concatenate(([0.0], np.cumsum(step[:-1])))
        backward[lo:hi] = np.logaddexp.accumulate((other - climb)[::-1])[::-1] + climb
    log_total = forward[final]
    unaligned_source, unaligned_target = _null_marginals(grid, costs, forward, backward, log_total)

    steps: list[Step] = []
    cell = final
    while cell != 0:
        t = int(choice[cell])
        a, b = BEAD_TYPES[t]
        start = int(grid.index(np.array([grid.rows[cell] - a]), np.array([grid.cols[cell] - b]))[0])
        if a and b:
            log_posterior = forward[start] - costs[t, cell] + backward[cell] - log_total
            posterior = float(np.exp(min(0.0, log_posterior)))
        elif a:
            posterior = float(unaligned_source[grid.rows[start]])
        else:
            posterior = float(unaligned_target[grid.cols[start]])
        steps.append(Step(int(grid.rows[start]), a, int(grid.cols[start]), b, min(1.0, posterior)))
        cell = start
    steps.reverse()
    return steps


def _null_marginals(
    grid: Grid, costs: np.ndarray, forward: np.ndarray, backward: np.ndarray, log_total: float
) -> tuple[np.ndarray, np.ndarray]:
    """P(source unit i is left unaligned) and P(target unit j is left unaligned).

    A 1-0 bead for source unit i can sit between any two target units: its probability is
    the sum over all those places, not the probability of one of them.
    """
    deletion, insertion = BEAD_TYPES.index((1, 0)), BEAD_TYPES.index((0, 1))
    result = []
    for t, units, axis in ((deletion, grid.n, grid.rows), (insertion, grid.m, grid.cols)):
        a, b = BEAD_TYPES[t]
        starts = grid.index(grid.rows - a, grid.cols - b)
        valid = (starts >= 0) & np.isfinite(costs[t])
        log_edge = forward[np.where(valid, starts, -1)] - np.where(valid, costs[t], 0.0) + backward[:-1] - log_total
        edge = np.where(valid, np.exp(np.minimum(log_edge, 0.0)), 0.0)
        result.append(np.bincount(np.maximum(axis - 1, 0), weights=edge, minlength=units + 1)[:units])
    return result[0], result[1]
