"""CSV (RFC 4180, UTF-8): one row per bead, both sides, every bead kept.

Beads with an empty side stay in, with an empty cell: researchers want to see omissions.
"""

from __future__ import annotations

import csv
import io

from aligner.errors import AlignerError
from aligner.export.common import ExportOptions, TextPair, xml_safe
from aligner.model import Alignment

SUFFIX = ".csv"
COLUMNS = (
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
)


def write(alignment: Alignment, options: ExportOptions) -> bytes:
    """The alignment as CSV with a header row; CRLF line ends as RFC 4180 asks."""
    del options  # the column names say which side is which
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for unit in alignment.units():
        writer.writerow(
            (
                unit.number,
                xml_safe(unit.source_text),
                xml_safe(unit.target_text),
                unit.bead.kind,
                f"{unit.bead.confidence:.4f}",
                " ".join(map(str, unit.bead.source)),
                " ".join(map(str, unit.bead.target)),
                "" if unit.source_paragraph is None else unit.source_paragraph,
                "" if unit.target_paragraph is None else unit.target_paragraph,
                unit.speaker or "",
            )
        )
    return buffer.getvalue().encode("utf-8")


def read(data: bytes, name: str = "CSV") -> list[TextPair]:
    """The (source, target) pairs of a CSV with ``source`` and ``target`` columns."""
    try:
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        if not rows.fieldnames or not {"source", "target"} <= set(rows.fieldnames):
            raise AlignerError(f"{name}: a CSV needs 'source' and 'target' columns")
        return [TextPair(row["source"], row["target"]) for row in rows]
    except (csv.Error, UnicodeDecodeError) as error:
        raise AlignerError(f"{name}: not readable as CSV ({error})") from None
