"""The aligner's global settings: how hard to search, and how to learn from a first pass.

The cost model's own parameters are in :class:`aligner.align.cost.CostModel`; those that the
text can tell (length ratio and variance, bead-type priors) are re-estimated from each input.
What stays here is what no single text can tell: how much to search, and when to trust.
"""

from __future__ import annotations

from dataclasses import dataclass

BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (3, 2), (2, 3), (4, 1), (1, 4),
)
"""Bead types searched: (source units, target units). 1-0 and 0-1 must be present."""


@dataclass(frozen=True)
class AlignSettings:
    """Search and estimation settings (none of them tuned to a data set; see each).

    ``full_search_cells``: problems of at most this many cells, ``(n + 1) × (m + 1)``, are
    searched in full; longer ones coarse to fine. It only trades time for nothing: the band
    search widens itself until the path keeps clear of its edges.
    ``band_margin``: half-width of the first fine band around the coarse path, in units.
    ``edge_guard``: a path that comes this close (in units) to an edge of its band that is
    not the edge of the grid may have been pushed there, so the band is widened around it
    and the search re-run; ``max_widenings`` rounds at most, each doubling the margin there,
    and never beyond ``max_cells`` cells (memory: about 40 bytes a cell).
    ``estimation_rounds``: passes that re-estimate the length ratio, its variance and the
    bead priors from the beads of the previous pass (EM style); 0 keeps the defaults.
    ``prior_strength``: how many beads' worth the default priors weigh against a pass's
    counts, and the fewest 1-1 beads from which the variance is re-estimated.
    ``trusted``: confidence from which a bead counts as sure (for estimation and learning).
    ``learn_min_beads``: a lexicon is learned from the sure beads of a first pass, and the
    text realigned with it, when there are at least this many of them.
    """

    bead_types: tuple[tuple[int, int], ...] = BEAD_TYPES
    full_search_cells: int = 60_000
    band_margin: int = 16
    edge_guard: int = 3
    edge_mass: float = 0.01
    max_widenings: int = 8
    max_cells: int = 30_000_000
    estimation_rounds: int = 0
    prior_strength: float = 20.0
    trusted: float = 0.9
    learn_min_beads: int = 300
