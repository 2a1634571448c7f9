"""What the checks read: the beads of one document as records, with whatever metadata the input has."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aligner.languages import Language
from aligner.model import Alignment, Record, corpus_of

# Kinds of data a rule may need and an input may lack (CheckedDocument.lacking).
CONFIDENCE = "confidence"
PARAGRAPHS = "paragraphs"
TURNS = "turns"
ALL_UNITS = "all units"


@dataclass(frozen=True)
class CheckedDocument:
    """The records of one document and what is known about it.

    ``origin`` says where the records come from (the two source files, or the aligned file);
    ``lacking`` maps the kinds of data that the input does not carry to the reason, so that
    the rules needing them are skipped and the report says why. ``left_out`` numbers the units
    an aligned file does not contain although its numbering counts them (TMX keeps no unit with
    an empty side, PO none without a source), as ranges ``(first, last)``: a unit numbered ten
    billion is one gap, not ten billion numbers.
    """

    name: str
    origin: str
    source_language: Language
    target_language: Language
    pairs: tuple[Record, ...]
    lacking: dict[str, str]
    left_out: tuple[tuple[int, int], ...] = ()


def from_alignment(alignment: Alignment, origin: str) -> CheckedDocument:
    """The records of an alignment made on the fly: every kind of data is there."""
    corpus = corpus_of(alignment)
    return CheckedDocument(
        name=alignment.source.name,
        origin=origin,
        source_language=alignment.source.language,
        target_language=alignment.target.language,
        pairs=tuple(corpus.records),
        lacking={},
    )


def from_records(
    name: str, origin: str, records: Sequence[Record], source_language: Language, target_language: Language
) -> CheckedDocument:
    """The records of one document of an aligned file, with what the file says about them."""
    numbers = sorted({record.unit for record in records})
    # Gaps in the numbering, found from the numbers present (not from the largest one).
    left_out = tuple((before + 1, after - 1) for before, after in zip([0, *numbers], numbers) if after - before > 1)
    lacking = {TURNS: "speaker turns are known only when source files are aligned on the fly"}
    if all(record.confidence is None for record in records):
        lacking[CONFIDENCE] = "the file has no alignment confidences"
    if all(record.source_paragraph is None and record.target_paragraph is None for record in records):
        lacking[PARAGRAPHS] = "the file has no paragraph numbers"
    if left_out:
        missing = sum(last - first + 1 for first, last in left_out)
        lacking[ALL_UNITS] = f"{missing} unit(s) are not in the file, so their paragraphs are unknown"
    return CheckedDocument(name, origin, source_language, target_language, tuple(records), lacking, left_out)
