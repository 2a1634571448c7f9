"""Every setting of the aligner, with its default and what it does, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, field

from aligner.align.cost import CostModel


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class AlignSettings:
    """How the aligner searches and what it learns; the bead cost's parameters are in ``model``.

    The defaults are the documented behaviour (see docs/settings.md); every field can be set
    from the command line with ``--set NAME=VALUE``.
    """

    model: CostModel = field(default_factory=CostModel, metadata=_doc("Parameters of the bead cost."))
    learn: bool = field(
        default=False,
        metadata=_doc("Learn word translations from the sure beads of a first pass and align again."),
    )
    learning_rounds: int = field(
        default=3, metadata=_doc("At most this many rounds of learning, while the number of sure beads grows.")
    )
    trusted: float = field(
        default=0.9, metadata=_doc("A bead this confident is sure: learning takes its words as translations.")
    )
    band_margin: int = field(
        default=8,
        metadata=_doc("Units either side of the coarse path that the finer search also visits."),
    )
    full_search_cells: int = field(
        default=60_000,
        metadata=_doc("Problems of at most this many cells are searched in full, without a coarse pass."),
    )
