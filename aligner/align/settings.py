"""Every setting of the aligner, with its default and what it does, in one frozen object.

The bead cost's own parameters are in :class:`aligner.align.cost.CostModel` (``model``); those
the text can tell (length ratio and variance) are estimated from each input. What stays here
is what no single text can tell: how much to search, which beads to consider, when to trust
and whether to learn. Every field can be set from the command line with ``--set NAME=VALUE``
and is listed with its default in docs/settings.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aligner.align.cost import CostModel

BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (3, 2), (2, 3), (4, 1), (1, 4),
)
"""Bead types searched by default: (source units, target units). 1-0 and 0-1 must be present."""


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class AlignSettings:
    """How the aligner searches, estimates and learns; the bead cost's parameters are in ``model``."""

    model: CostModel = field(default_factory=CostModel, metadata=_doc("Parameters of the bead cost."))
    bead_types: tuple[tuple[int, int], ...] = field(
        default=BEAD_TYPES, metadata=_doc("Bead types searched, (source units, target units); 1-0 and 0-1 must be in.")
    )
    full_search_cells: int = field(
        default=60_000,
        metadata=_doc("Problems of at most this many cells, (n + 1) × (m + 1), are searched in full, without a coarse pass."),
    )
    band_margin: int = field(
        default=4, metadata=_doc("Half-width, in units, of the first fine band around the coarse path (it widens where the path presses on it).")
    )
    edge_guard: int = field(
        default=3,
        metadata=_doc("A path this close (in units) to an inner edge of its band may have been pushed there: the band widens."),
    )
    edge_mass: float = field(
        default=0.01,
        metadata=_doc("Posterior mass of paths within edge_guard of an inner band edge above which the band widens."),
    )
    max_widenings: int = field(
        default=8, metadata=_doc("Rounds of widening at most, each doubling the margin where the path pressed.")
    )
    max_cells: int = field(
        default=30_000_000, metadata=_doc("The band never grows beyond this many cells (memory: about 40 bytes a cell).")
    )
    estimation_rounds: int = field(
        default=0,
        metadata=_doc("Passes that re-estimate the length model and bead priors from the previous pass (EM style)."),
    )
    prior_strength: float = field(
        default=20.0,
        metadata=_doc("How many beads' worth the default priors weigh against a pass's counts when re-estimating."),
    )
    trusted: float = field(
        default=0.9, metadata=_doc("A bead this confident is sure: estimation and learning take it as right.")
    )
    learn: bool = field(
        default=True,
        metadata=_doc("Learn a lexicon from the sure beads of a first pass and align again, when there are enough."),
    )
    learn_min_beads: int = field(
        default=50, metadata=_doc("The fewest sure beads (across a batch) that a lexicon is learned from.")
    )
    learn_min_count: int = field(
        default=2, metadata=_doc("A learned translation occurs in at least this many sure beads.")
    )
    learn_min_dice: float = field(
        default=0.5, metadata=_doc("A learned translation's Dice coefficient over the sure beads is at least this.")
    )
    learn_max_share: float = field(
        default=0.1, metadata=_doc("Tokens in more than this share of the sure beads are function words: not learned.")
    )
    learning_rounds: int = field(
        default=2, metadata=_doc("At most this many rounds of learning, while the number of sure beads grows.")
    )
    embedding_rounds: int = field(
        default=1,
        metadata=_doc(
            "With an encoder: passes with embedding evidence, each refitting it (neighbourhoods, the law of a "
            "translation's similarity) to the alignment of the pass before."
        ),
    )
    translation_rounds: int = field(
        default=3,
        metadata=_doc(
            "With a machine translation: passes that refit the weight of its evidence to the sure beads of the pass "
            "before and align again, until the weight settles (on the dev sets it does by the third)."
        ),
    )
