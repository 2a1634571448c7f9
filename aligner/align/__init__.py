"""Sentence alignment: paragraphs first (speaker turns anchor them), then sentences inside.

``align_documents`` aligns one pair of segmented documents, ``align_batch`` several (learning
can span the batch); :class:`AlignSettings` holds every setting. The search is in
:mod:`aligner.align.dp`, the bead cost in :mod:`aligner.align.cost`, the lexical evidence in
:mod:`aligner.align.features`.
"""

from aligner.align.batch import Dictionary, align_batch, align_documents
from aligner.align.cost import CostModel
from aligner.align.features import read_dictionary
from aligner.align.settings import BEAD_TYPES, AlignSettings

__all__ = ["BEAD_TYPES", "AlignSettings", "CostModel", "Dictionary", "align_batch", "align_documents", "read_dictionary"]
