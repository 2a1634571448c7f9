"""What CSV and TSV share: their columns, so that a spreadsheet user meets the same layout in both."""

from __future__ import annotations

from collections.abc import Sequence

from aligner.errors import AlignerError
from aligner.formats.base import finite, format_confidence, whole_number
from aligner.model import Record
from aligner.xmltext import clean

TABLE_COLUMNS = (
    "unit",
    "source",
    "target",
    "bead",
    "confidence",
    "source_sentences",
    "target_sentences",
    "source_paragraph",
    "target_paragraph",
    "speaker",
    "document",
)


def table_row(record: Record) -> list[str]:
    """The cells of one record, in :data:`TABLE_COLUMNS` order (texts cleaned)."""
    return [
        str(record.unit),
        clean(record.source, f"{record.uid} source"),
        clean(record.target, f"{record.uid} target"),
        record.bead or "",
        format_confidence(record.confidence),
        " ".join(map(str, record.source_sentences)),
        " ".join(map(str, record.target_sentences)),
        _cell(record.source_paragraph),
        _cell(record.target_paragraph),
        clean(record.speaker or "", f"{record.uid} speaker"),
        clean(record.document, f"{record.uid} document"),
    ]


def table_record(row: dict[str, str], number: int, default_document: str, where: str) -> Record:
    """The record of one table row; only ``source`` and ``target`` are required columns."""
    def text(column: str) -> str:
        return row.get(column) or ""

    def optional(column: str) -> int | None:
        return whole_number(text(column), where, column) if text(column) else None

    try:
        confidence = finite(float(text("confidence")), where) if text("confidence") else None
    except ValueError:
        raise AlignerError(f"{where}: the confidence {text('confidence')[:20]!r} is not a number") from None
    return Record(
        source=text("source"),
        target=text("target"),
        document=text("document") or default_document,
        unit=optional("unit") or number,
        bead=text("bead") or None,
        confidence=confidence,
        source_sentences=tuple(whole_number(x, where, "source_sentences") for x in text("source_sentences").split()),
        target_sentences=tuple(whole_number(x, where, "target_sentences") for x in text("target_sentences").split()),
        source_paragraph=optional("source_paragraph"),
        target_paragraph=optional("target_paragraph"),
        speaker=text("speaker") or None,
    )


def require_columns(fieldnames: Sequence[str] | None, name: str) -> None:
    """A table must at least have ``source`` and ``target`` columns."""
    if not fieldnames or not {"source", "target"} <= set(fieldnames):
        raise AlignerError(f"{name}: the header row needs 'source' and 'target' columns")


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)
