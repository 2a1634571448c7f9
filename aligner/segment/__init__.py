"""Sentence segmentation by SRX rules (the toolkit's own file, or a user's), with a learned layer on top.

The rules come from an SRX 2.0 or 1.0 file; the learned layer (:mod:`aligner.segment.learned`)
decides, from evidence in the text itself, the places the rules leave ambiguous.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from aligner.languages import Language
from aligner.model import Document
from aligner.segment.learned import Decision, split_paragraphs
from aligner.segment.srx import SrxDocument, SrxSegmenter, cached_srx, default_srx_path, load_srx

__all__ = [
    "Decision",
    "Segmented",
    "SrxDocument",
    "SrxSegmenter",
    "default_srx_path",
    "load_srx",
    "segment_document",
    "segment_documents",
    "segmenter_for",
]

SrxPath = str | os.PathLike[str]


def segmenter_for(language: Language, srx: SrxPath | None = None) -> SrxSegmenter:
    """The segmenter for ``language`` from the SRX file ``srx`` (default: the toolkit's own).

    The language's tag (``en-GB``, ``ru``) is matched against the file's ``<maprules>``, as
    CAT tools match their project language.
    """
    document = cached_srx(srx if srx is not None else default_srx_path())
    # A user's rules run with a time limit; the toolkit's own are known to be fast.
    return _segmenter(document, language.tag, time_limit=srx is not None)


@lru_cache(maxsize=32)
def _segmenter(document: SrxDocument, tag: str, time_limit: bool) -> SrxSegmenter:
    return SrxSegmenter(document.rules_for(tag), time_limit=time_limit)


@dataclass(frozen=True)
class Segmented:
    """A segmented document and, for each of its paragraphs, what the learned layer decided there."""

    document: Document
    decisions: tuple[tuple[Decision, ...], ...]


def segment_documents(
    documents: Sequence[Document], srx: SrxPath | None = None, *, learned: bool = True
) -> list[Segmented]:
    """Copies of ``documents`` whose paragraphs carry their sentences.

    Paragraphs that already have sentences (pre-segmented input) are kept as they are. With
    ``learned``, the learned layer counts its evidence over all documents of the same
    language together, so that a batch teaches each of its documents.
    """
    wanted: dict[Language, list[tuple[int, int]]] = {}
    for number, document in enumerate(documents):
        for index, paragraph in enumerate(document.paragraphs):
            if not paragraph.sentences:
                wanted.setdefault(document.language, []).append((number, index))
    paragraphs = [list(document.paragraphs) for document in documents]
    decisions: list[list[tuple[Decision, ...]]] = [[()] * len(document.paragraphs) for document in documents]
    for language, places in wanted.items():
        texts = [documents[number].paragraphs[index].text for number, index in places]
        splits = split_paragraphs(segmenter_for(language, srx), texts, learned=learned)
        for (number, index), split in zip(places, splits):
            paragraphs[number][index] = replace(paragraphs[number][index], sentences=split.sentences)
            decisions[number][index] = split.decisions
    return [
        Segmented(replace(document, paragraphs=tuple(paragraphs[number])), tuple(decisions[number]))
        for number, document in enumerate(documents)
    ]


def segment_document(document: Document, srx: SrxPath | None = None, *, learned: bool = True) -> Document:
    """A copy of ``document`` whose paragraphs carry their sentences (see :func:`segment_documents`)."""
    return segment_documents([document], srx, learned=learned)[0].document
