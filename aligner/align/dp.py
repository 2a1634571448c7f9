"""Dynamic programming over beads, in a band that cannot lose the path, with posteriors.

A bead covers ``a`` source units and ``b`` target units. The best path minimises the summed
bead costs (negative log probabilities); each bead on it gets its posterior probability,
computed by the forward–backward algorithm over every path in the band.

Long sequences are not searched in full: both sides are coarsened (neighbours merged in
pairs), the coarse problem is solved recursively, and the fine search is confined to a band
around the coarse path. A coarse path can be wrong, and a band that trusts it cannot repair
it: so wherever the fine path runs close to an edge of its band (an edge that is not the edge
of the grid), the band is widened there, doubling the margin, and the search re-run, until
the path keeps clear of every edge. A path that keeps clear of the edges is what an unbanded
search would find unless a better path lies wholly outside the band, which the coarse levels
(solved the same way) make unlikely. Memory stays linear in the text: the band grows only
where the path pressed against it. The recurrences are compiled (``aligner.align.kernel``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from aligner.align import kernel

if TYPE_CHECKING:
    from aligner.align.settings import AlignSettings


class Step(NamedTuple):
    """One bead of a path: source units ``i:i+a``, target units ``j:j+b``. (A named tuple: a
    long text's path is hundreds of thousands of them, and a frozen dataclass took three times
    as long to make.)"""

    i: int
    a: int
    j: int
    b: int
    posterior: float


@dataclass(frozen=True)
class Band:
    """The cells ``(row, col)`` searched: row ``r`` holds columns ``low[r]..high[r]``.

    Both edges are non-decreasing, so every cell can be reached from ``(0, 0)`` and reach
    ``(n, m)``. Cell ``(r, c)`` is stored at ``offset[r] + c - low[r]``.
    """

    low: np.ndarray
    high: np.ndarray
    offset: np.ndarray

    @classmethod
    def of(cls, low: np.ndarray, high: np.ndarray) -> Band:
        low = np.asarray(low, dtype=np.int64)
        high = np.asarray(high, dtype=np.int64)
        offset = np.concatenate(([0], np.cumsum(high - low + 1))).astype(np.int64)
        return cls(low, high, offset)

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        offset = np.arange(0, (n + 2) * (m + 1), m + 1, dtype=np.int64)
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64), offset)

    @property
    def size(self) -> int:
        """Number of cells."""
        return int(self.offset[-1])


class Problem:
    """An alignment problem that can price beads in a band and make a coarser copy of itself."""

    n: int
    m: int

    def arrays(self, band: Band) -> kernel.CostArrays:
        """What the compiled kernels need to price the beads of ``band``."""
        raise NotImplementedError

    def coarsened(self) -> Problem:
        """The same problem with neighbouring units merged in pairs."""
        raise NotImplementedError


def align_units(
    problem: Problem, settings: AlignSettings, posteriors: bool = True, guide: np.ndarray | None = None
) -> list[Step]:
    """The lowest-cost bead path from (0, 0) to (n, m), with each bead's posterior.

    The coarse levels of a long problem only place the band of the next finer level: they
    search for the best path alone (``posteriors`` false: every posterior is 1), and widen
    their band where that path runs within ``edge_guard`` of an inner edge. A ``guide`` (the
    path of an earlier pass over the same units) places the first band instead of a coarse level.
    """
    n, m = problem.n, problem.m
    if n == 0 and m == 0:
        return []
    if (n + 1) * (m + 1) <= settings.full_search_cells or min(n, m) < 4:
        return search(problem, Band.full(n, m), posteriors=posteriors)[0]
    if guide is not None:
        cells = _boxes(guide)
    else:
        cells = _fine_cells(align_units(problem.coarsened(), settings, posteriors=False), n, m)
    margins = np.full(n + 1, settings.band_margin, dtype=np.int64)
    band = _band_around(cells, margins, n, m)
    for _ in range(settings.max_widenings + 1):
        steps, edges = search(problem, band, settings.edge_guard, posteriors)
        touched = np.flatnonzero(edges > settings.edge_mass)
        if not len(touched):
            break
        grown = margins.copy()
        for r in touched.tolist():
            wider = 2 * int(margins[r])
            lo, hi = max(0, r - 2 * wider), min(n, r + 2 * wider)
            grown[lo : hi + 1] = np.maximum(grown[lo : hi + 1], wider)
        wider_band = _band_around(_path_cells(steps), grown, n, m)
        if wider_band.size > settings.max_cells or wider_band.size <= band.size:
            break
        band, margins = wider_band, grown
    return steps


def search(problem: Problem, band: Band, guard: int = 0, posteriors: bool = True) -> tuple[list[Step], np.ndarray]:
    """The best path inside ``band``, the posterior of each of its beads, and per row the
    posterior probability that the path passes within ``guard`` columns of an inner edge.

    Without ``posteriors``, only the best path is searched: each bead's posterior is given as 1
    and a row's edge mass is 1 where the path itself passes within ``guard`` of an inner edge.
    """
    arrays = problem.arrays(band)
    if not posteriors:
        table = kernel.cost_table(arrays, band.low, band.high, band.offset)
        shape = (arrays.types_a, arrays.types_b, band.low, band.high, band.offset)
        choice, best = kernel.viterbi_pass(table, *shape)
        if not np.isfinite(best[-1]):
            raise RuntimeError("no alignment path within the band")
        rows = kernel.best_path(*shape, choice)[::-1]
        steps = list(map(Step, *rows.T.tolist(), itertools.repeat(1.0)))
        return steps, _path_edges(steps, band, problem.m, guard)
    end, path, edges = kernel.posterior_search(arrays, band.low, band.high, band.offset, problem.m, guard)
    if not np.isfinite(end):
        raise RuntimeError("no alignment path within the band")
    path = path[::-1]
    steps = list(map(Step, *path[:, :4].astype(np.int64).T.tolist(), np.minimum(path[:, 4], 1.0).tolist()))
    return steps, edges


def _path_edges(steps: Sequence[Step], band: Band, m: int, guard: int) -> np.ndarray:
    """1 for each row where the path's cells come within ``guard`` columns of an inner band edge."""
    edges = np.zeros(len(band.low))
    if not steps:
        return edges
    # Every cell a bead covers: its first row to its last at its first and its last column.
    rows = np.array([r for s in steps for r in range(s.i, s.i + s.a + 1)], dtype=np.int64)
    first = np.array([s.j for s in steps for _ in range(s.a + 1)], dtype=np.int64)
    last = np.array([s.j + s.b for s in steps for _ in range(s.a + 1)], dtype=np.int64)
    low, high = band.low[rows], band.high[rows]
    near = ((low > 0) & (np.minimum(first, last) - low < guard)) | ((high < m) & (high - np.maximum(first, last) < guard))
    edges[rows[near]] = 1.0
    return edges


def _fine_cells(coarse: Sequence[Step], n: int, m: int) -> np.ndarray:
    """The fine-grid boxes (rows r0..r1, cols c0..c1) that the beads of a coarse path cover."""
    boxes = 2 * _path_cells(coarse)
    boxes[:, 1] = np.minimum(boxes[:, 1], n)
    boxes[:, 3] = np.minimum(boxes[:, 3], m)
    return boxes


def _path_cells(steps: Sequence[Step]) -> np.ndarray:
    """The boxes (rows r0..r1, cols c0..c1) that the beads of a fine path cover."""
    return _boxes(np.array([(s.i, s.a, s.j, s.b) for s in steps], dtype=np.int64).reshape(-1, 4))


def _boxes(beads: np.ndarray) -> np.ndarray:
    """The boxes that beads given as rows (i, a, j, b) cover."""
    return np.stack((beads[:, 0], beads[:, 0] + beads[:, 1], beads[:, 2], beads[:, 2] + beads[:, 3]), axis=1)


def _band_around(boxes: np.ndarray, margins: np.ndarray, n: int, m: int) -> Band:
    """The cells within ``margins[r]`` rows and columns of the boxes, with monotone edges."""
    low = np.full(n + 1, m, dtype=np.int64)
    high = np.zeros(n + 1, dtype=np.int64)
    # Each box row by row: its first column is a low candidate and its last a high one.
    spans = boxes[:, 1] - boxes[:, 0] + 1
    box_rows = np.repeat(boxes[:, 0] - np.cumsum(spans) + spans, spans) + np.arange(int(spans.sum()))
    np.minimum.at(low, box_rows, np.repeat(boxes[:, 2], spans))
    np.maximum.at(high, box_rows, np.repeat(boxes[:, 3], spans))
    low[0], high[n] = 0, m
    # Rows a box does not reach (there are none on a full path) take their neighbours' edges.
    high = np.maximum.accumulate(high)
    low = np.minimum.accumulate(low[::-1])[::-1]
    near_low, near_high = low.copy(), high.copy()
    for margin in np.unique(margins).tolist():
        rows = margins == margin
        window = 2 * margin + 1
        padded_low = np.pad(low, margin, constant_values=m)
        padded_high = np.pad(high, margin, constant_values=0)
        window_low = np.lib.stride_tricks.sliding_window_view(padded_low, window).min(axis=1) - margin
        window_high = np.lib.stride_tricks.sliding_window_view(padded_high, window).max(axis=1) + margin
        near_low[rows] = window_low[rows]
        near_high[rows] = window_high[rows]
    near_low = np.clip(near_low, 0, m)
    near_high = np.clip(near_high, 0, m)
    # Monotone edges keep every cell reachable from (0, 0) and able to reach (n, m).
    near_high = np.maximum.accumulate(near_high)
    near_low = np.minimum.accumulate(near_low[::-1])[::-1]
    return Band.of(near_low, near_high)
