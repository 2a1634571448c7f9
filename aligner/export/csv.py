"""CSV (RFC 4180, UTF-8): one row per unit, both sides, every unit kept.

Units with an empty side stay in, with an empty cell: researchers want to see omissions. With
``excel`` the file starts with a BOM, which spreadsheet programs need to read it as UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import io

from aligner.errors import AlignerError
from aligner.export.common import (
    TABLE_COLUMNS,
    Corpus,
    ExportOptions,
    check_size,
    creation_time,
    decode_utf8,
    require_columns,
    stem_of,
    table_record,
    table_row,
)

SUFFIX = ".csv"


def write(corpus: Corpus, options: ExportOptions) -> bytes:
    """The corpus as CSV with a header row; CRLF line ends as RFC 4180 asks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(table_row(record) for record in corpus.records)
    data = buffer.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + data if options.excel else data


def read(data: bytes, name: str = "CSV") -> Corpus:
    """The rows of a CSV with at least ``source`` and ``target`` columns (a BOM is allowed)."""
    check_size(data, name)
    corpus_name = stem_of(name)
    try:
        rows = csv.DictReader(io.StringIO(decode_utf8(data, name), newline=""))
        require_columns(rows.fieldnames, name)
        records = tuple(
            table_record(row, number, corpus_name, f"{name}:{rows.line_num}")
            for number, row in enumerate(rows, start=1)
        )
    except csv.Error as error:
        raise AlignerError(f"{name}: not readable as CSV ({error})") from None
    return Corpus(name=corpus_name, records=records, created=creation_time(()))
