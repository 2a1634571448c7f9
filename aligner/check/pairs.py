"""What the checks read: the aligned pairs of one document, with whatever metadata the input has."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aligner.export import Record
from aligner.model import Alignment, Document, SentenceRef

# Kinds of data a rule may need and an input may lack (CheckedDocument.lacking).
CONFIDENCE = "confidence"
PARAGRAPHS = "paragraphs"
TURNS = "turns"
ALL_UNITS = "all units"


@dataclass(frozen=True)
class CheckedPair:
    """One aligned unit: the texts of both sides and where they sit.

    ``unit`` numbers the units of a document from 1 (the bead number for an alignment made
    on the fly, the ``unit`` column or ``tuid`` of an aligned file). ``bead`` is the bead
    type ("1-1", "1-0"); ``source_turn``/``target_turn`` say whether the unit opens a speaker
    turn on that side. A value the input does not carry is ``None``.
    """

    unit: int
    source: str
    target: str
    bead: str | None = None
    confidence: float | None = None
    source_paragraph: int | None = None
    target_paragraph: int | None = None
    source_turn: bool | None = None
    target_turn: bool | None = None


@dataclass(frozen=True)
class CheckedDocument:
    """The pairs of one document and what is known about it.

    ``origin`` says where the pairs come from (the two source files, or the aligned file);
    ``lacking`` maps the kinds of data (:data:`DATA`) that the input does not carry to the
    reason, so that the rules needing them are skipped and the report says why. ``left_out``
    numbers the units an aligned file does not contain although its numbering counts them
    (TMX keeps no unit with an empty side, PO none without a source).
    """

    name: str
    origin: str
    source_language: str
    target_language: str
    pairs: tuple[CheckedPair, ...]
    lacking: dict[str, str]
    left_out: tuple[int, ...] = ()


def from_alignment(alignment: Alignment, origin: str) -> CheckedDocument:
    """The pairs of an alignment made on the fly: every kind of data is there."""
    source_sentences = alignment.source.sentences()
    target_sentences = alignment.target.sentences()

    def opens_turn(document: Document, sentences: Sequence[SentenceRef], indices: tuple[int, ...]) -> bool:
        # A unit opens a turn when it holds the first sentence of a paragraph with a speaker label.
        return any(sentences[i].position == 0 and document.paragraphs[sentences[i].paragraph].speaker for i in indices)

    pairs = tuple(
        CheckedPair(
            unit=unit.number,
            source=unit.source_text,
            target=unit.target_text,
            bead=unit.bead.kind,
            confidence=unit.bead.confidence,
            source_paragraph=unit.source_paragraph,
            target_paragraph=unit.target_paragraph,
            source_turn=opens_turn(alignment.source, source_sentences, unit.bead.source),
            target_turn=opens_turn(alignment.target, target_sentences, unit.bead.target),
        )
        for unit in alignment.units()
    )
    return CheckedDocument(
        name=alignment.source.name,
        origin=origin,
        source_language=alignment.source.language,
        target_language=alignment.target.language,
        pairs=pairs,
        lacking={},
    )


def from_records(
    name: str, origin: str, records: Sequence[Record], source_language: str, target_language: str
) -> CheckedDocument:
    """The pairs of one document of an aligned file, with what the file says about them."""
    pairs = tuple(
        CheckedPair(
            unit=record.unit,
            source=record.source,
            target=record.target,
            bead=record.bead,
            confidence=record.confidence,
            source_paragraph=record.source_paragraph,
            target_paragraph=record.target_paragraph,
        )
        for record in records
    )
    numbers = {pair.unit for pair in pairs}
    left_out = tuple(sorted(set(range(1, max(numbers, default=0) + 1)) - numbers))
    lacking = {TURNS: "speaker turns are known only when source files are aligned on the fly"}
    if all(pair.confidence is None for pair in pairs):
        lacking[CONFIDENCE] = "the file has no alignment confidences"
    if all(pair.source_paragraph is None and pair.target_paragraph is None for pair in pairs):
        lacking[PARAGRAPHS] = "the file has no paragraph numbers"
    if left_out:
        lacking[ALL_UNITS] = f"{len(left_out)} unit(s) are not in the file, so their paragraphs are unknown"
    return CheckedDocument(name, origin, source_language, target_language, pairs, lacking, left_out)
