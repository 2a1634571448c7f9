"""Sentence segmentation by SRX 2.0 rules: the toolkit's own file, or a user's."""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache

from aligner.languages import Language
from aligner.model import Document
from aligner.segment.srx import SrxDocument, SrxSegmenter, cached_srx, default_srx_path, load_srx

__all__ = [
    "SrxDocument",
    "SrxSegmenter",
    "default_srx_path",
    "load_srx",
    "segment_document",
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


def segment_document(document: Document, srx: SrxPath | None = None) -> Document:
    """A copy of ``document`` whose paragraphs carry their sentences.

    Paragraphs that already have sentences (pre-segmented input) are kept as they are.
    """
    segmenter = segmenter_for(document.language, srx)
    paragraphs = tuple(
        p if p.sentences else replace(p, sentences=tuple(segmenter.split(p.text)))
        for p in document.paragraphs
    )
    return replace(document, paragraphs=paragraphs)
