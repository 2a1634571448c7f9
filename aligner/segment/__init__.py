"""Sentence segmentation by SRX rules (the toolkit's own file, or a user's), with a learned layer on top.

The rules come from an SRX 2.0 or 1.0 file; the learned layer (:mod:`aligner.segment.learned`)
decides, from evidence in the text itself, the places the rules leave ambiguous. What was
used can be written back as one SRX file (:func:`used_srx`), the layer's decisions as rules
in front of the others, so that a CAT tool segments the same text the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from aligner.errors import AlignerError
from aligner.languages import Language
from aligner.model import Document, Sentence
from aligner.segment.export import Addition, render_srx
from aligner.segment.learned import Decision, decision_at, split_paragraphs
from aligner.segment.srx import Rule, SrxDocument, SrxSegmenter, cached_srx, default_srx_path, load_srx

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
    "used_srx",
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


def used_srx(documents: Sequence[Document], srx: SrxPath | None = None, version: str | None = None) -> bytes:
    """The SRX file that gives ``documents`` the sentences they have: the rules of ``srx``, and first
    for each language, the learned layer's decisions in them as rules.

    The decisions are found again where the documents' sentence ends differ from the rules'
    alone, so the documents must have been segmented by :func:`segment_documents` with the
    same rules. Without decisions, and in the file's own version, the file is returned as it is.
    ``version`` ("2.0" or "1.0") defaults to the file's own.
    """
    path = srx if srx is not None else default_srx_path()
    rules_file = cached_srx(path)
    version = version or rules_file.version
    additions = []
    for language in dict.fromkeys(document.language for document in documents):
        segmenter = segmenter_for(language, srx)
        rules: dict[tuple[bool, str | None, str | None], Rule] = {}
        for document in documents:
            if document.language != language:
                continue
            for number, paragraph in enumerate(document.paragraphs, start=1):
                for decision in _decisions_behind(paragraph.text, paragraph.sentences, segmenter):
                    if decision is None:
                        raise AlignerError(
                            f"{document.source or 'a document'}: paragraph {number} is not split as the rules of "
                            f"{path} and the learned layer split it, so no SRX file can reproduce it"
                        )
                    rule = decision.rule()
                    rules.setdefault((rule.breaks, rule.before, rule.after), rule)
        if rules:
            name = f"{language.name}, learned from the text"
            additions.append(Addition(language.code, language.tag, name, tuple(rules.values())))
    if not additions and version == rules_file.version:
        return Path(path).read_bytes()
    note = (
        f"The segmentation rules of {os.path.basename(path)}; rules learned from the text, when there are any, "
        "come first for their language (a languagerule named '..., learned from the text')."
    )
    return render_srx(rules_file, version, additions, note)


def _decisions_behind(text: str, sentences: Sequence[Sentence], segmenter: SrxSegmenter) -> list[Decision | None]:
    final = {sentence.end for sentence in sentences[:-1]}
    by_rules = {sentence.end for sentence in segmenter.split(text)[:-1]}
    return [decision_at(text, position, position in final) for position in sorted(final ^ by_rules)]
