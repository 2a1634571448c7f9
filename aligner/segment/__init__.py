"""Sentence segmentation by SRX 2.0 rules: the toolkit's own file, or a user's."""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache

from aligner.languages import primary_subtag
from aligner.model import Document, Sentence
from aligner.segment.srx import SrxDocument, SrxSegmenter, cached_srx, default_srx_path, load_srx

__all__ = [
    "SrxDocument",
    "SrxSegmenter",
    "default_srx_path",
    "load_srx",
    "segment_document",
    "segmenter_for",
    "split_sentences",
]

SrxPath = str | os.PathLike[str]


def segmenter_for(language: str, srx: SrxPath | None = None) -> SrxSegmenter:
    """The segmenter for ``language`` from the SRX file ``srx`` (default: the toolkit's own).

    The language code (``en``, ``ru-RU``) is matched against the file's ``<maprules>``.
    """
    primary_subtag(language)
    document = cached_srx(srx if srx is not None else default_srx_path())
    return _segmenter(document, language.replace("_", "-"))


@lru_cache(maxsize=32)
def _segmenter(document: SrxDocument, language: str) -> SrxSegmenter:
    return SrxSegmenter(document.rules_for(language))


def split_sentences(text: str, language: str, srx: SrxPath | None = None) -> list[Sentence]:
    """The sentences of one paragraph, with their character offsets in ``text``."""
    return segmenter_for(language, srx).split(text)


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
