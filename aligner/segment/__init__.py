"""Sentence segmentation: rule-based, per language, with abbreviation lists in data files."""

from __future__ import annotations

from dataclasses import replace

from aligner.model import Document, Sentence
from aligner.segment.rules import RuleSegmenter, segmenter_for

__all__ = ["RuleSegmenter", "segment_document", "segmenter_for", "split_sentences"]


def split_sentences(text: str, language: str) -> list[Sentence]:
    """The sentences of one paragraph, with their character offsets in ``text``."""
    return segmenter_for(language).split(text)


def segment_document(document: Document) -> Document:
    """A copy of ``document`` whose paragraphs carry their sentences.

    Paragraphs that already have sentences (pre-segmented input) are kept as they are.
    """
    segmenter = segmenter_for(document.language)
    paragraphs = tuple(
        p if p.sentences else replace(p, sentences=tuple(segmenter.split(p.text)))
        for p in document.paragraphs
    )
    return replace(document, paragraphs=paragraphs)
