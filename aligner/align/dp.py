"""Dynamic programming over beads, in a band, with posterior probabilities.

A bead covers ``a`` source units and ``b`` target units. The best path minimises the summed
bead costs (negative log probabilities); each bead on it gets its posterior probability,
computed by the forward–backward algorithm over every path in the band.

Long sequences are not searched in full: both sides are coarsened (neighbours merged in
pairs), the coarse problem is solved recursively, and the fine search is confined to a band
around the coarse path. Time and memory therefore grow linearly with the text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))
FULL_SEARCH_CELLS = 40_000
BAND_MARGIN = 8

CostFunction = Callable[[int, int, int, int], float]
"""``cost(i, a, j, b)``: cost of the bead of source units ``i:i+a`` and target units ``j:j+b``."""
Coarsen = Callable[[], "tuple[int, int, CostFunction, Coarsen]"]


@dataclass(frozen=True)
class Step:
    """One bead of a path: source units ``i:i+a``, target units ``j:j+b``."""

    i: int
    a: int
    j: int
    b: int
    posterior: float


def align_units(n: int, m: int, cost: CostFunction, coarsen: Coarsen | None = None) -> list[Step]:
    """The lowest-cost bead path from (0, 0) to (n, m), with each bead's posterior.

    ``coarsen`` returns the same problem with neighbouring units merged in pairs; it is used
    when ``n × m`` is too large to search in full.
    """
    if n == 0 and m == 0:
        return []
    if n * m <= FULL_SEARCH_CELLS or coarsen is None or min(n, m) < 4:
        band = [(0, m)] * (n + 1)
    else:
        coarse_n, coarse_m, coarse_cost, coarser = coarsen()
        coarse_path = align_units(coarse_n, coarse_m, coarse_cost, coarser)
        band = _band_around(coarse_path, n, m)
    return _search(n, m, cost, band)


def _band_around(coarse_path: Sequence[Step], n: int, m: int) -> list[tuple[int, int]]:
    """Rows of the fine grid that the coarse path passes through, widened by a margin."""
    low = [m] * (n + 1)
    high = [0] * (n + 1)
    for step in coarse_path:
        rows = range(2 * step.i, min(n, 2 * (step.i + step.a) + 1) + 1)
        cols_low, cols_high = 2 * step.j, min(m, 2 * (step.j + step.b) + 1)
        for row in rows:
            low[row] = min(low[row], cols_low)
            high[row] = max(high[row], cols_high)
    low[0], high[n] = 0, m
    near = [range(max(0, row - BAND_MARGIN), min(n, row + BAND_MARGIN) + 1) for row in range(n + 1)]
    low = [max(0, min(low[k] for k in rows) - BAND_MARGIN) for rows in near]
    high = [min(m, max(high[k] for k in rows) + BAND_MARGIN) for rows in near]
    for row in range(1, n + 1):
        high[row] = max(high[row], high[row - 1])
    for row in range(n - 1, -1, -1):
        low[row] = min(low[row], low[row + 1])
    return list(zip(low, high))


def _log_add(x: float, y: float) -> float:
    if x == -math.inf:
        return y
    if y == -math.inf:
        return x
    if x > y:
        return x + math.log1p(math.exp(y - x))
    return y + math.log1p(math.exp(x - y))


def _search(n: int, m: int, cost: CostFunction, band: Sequence[tuple[int, int]]) -> list[Step]:
    inf = math.inf
    best = [[inf] * (hi - lo + 1) for lo, hi in band]
    choice = [[-1] * (hi - lo + 1) for lo, hi in band]
    forward = [[-inf] * (hi - lo + 1) for lo, hi in band]
    best[0][0] = 0.0
    forward[0][0] = 0.0
    for i in range(n + 1):
        lo, hi = band[i]
        best_row, choice_row, forward_row = best[i], choice[i], forward[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            row_best, row_choice, row_forward = inf, -1, -inf
            for t, (a, b) in enumerate(BEAD_TYPES):
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0:
                    continue
                plo, phi = band[pi]
                if pj < plo or pj > phi:
                    continue
                previous = best[pi][pj - plo]
                if previous == inf:
                    continue
                c = cost(pi, a, pj, b)
                total = previous + c
                if total < row_best:
                    row_best, row_choice = total, t
                row_forward = _log_add(row_forward, forward[pi][pj - plo] - c)
            best_row[j - lo] = row_best
            choice_row[j - lo] = row_choice
            forward_row[j - lo] = row_forward
    if best[n][m - band[n][0]] == inf:
        raise RuntimeError("no alignment path within the band")
    backward = [[-inf] * (hi - lo + 1) for lo, hi in band]
    backward[n][m - band[n][0]] = 0.0
    for i in range(n, -1, -1):
        lo, hi = band[i]
        for j in range(hi, lo - 1, -1):
            if i == n and j == m:
                continue
            total = -inf
            for a, b in BEAD_TYPES:
                ni, nj = i + a, j + b
                if ni > n or nj > m:
                    continue
                nlo, nhi = band[ni]
                if nj < nlo or nj > nhi:
                    continue
                after = backward[ni][nj - nlo]
                if after == -inf:
                    continue
                total = _log_add(total, after - cost(i, a, j, b))
            backward[i][j - lo] = total
    log_total = forward[n][m - band[n][0]]
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = BEAD_TYPES[choice[i][j - band[i][0]]]
        pi, pj = i - a, j - b
        log_posterior = forward[pi][pj - band[pi][0]] - cost(pi, a, pj, b) + backward[i][j - band[i][0]] - log_total
        steps.append(Step(pi, a, pj, b, min(1.0, math.exp(min(0.0, log_posterior)))))
        i, j = pi, pj
    steps.reverse()
    return steps
