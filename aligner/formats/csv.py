"""CSV (RFC 4180, UTF-8): one row per unit, both sides, every unit kept.

Units with an empty side stay in, with an empty cell: researchers want to see omissions. With
``excel`` the file starts with a BOM, which spreadsheet programs need to read it as UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from typing import IO

from aligner.dates import creation_time
from aligner.errors import AlignerError
from aligner.formats.base import ExportOptions, Format, InputFile, check_size, decode_utf8, only_file, stem_of
from aligner.formats.table import TABLE_COLUMNS, require_columns, table_record, table_row
from aligner.model import Corpus


class Csv(Format):
    name = "csv"
    summary = "CSV, one row per bead (RFC 4180; --excel adds a BOM)"
    suffixes = (".csv",)
    carries_languages = False

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """The corpus as CSV with a header row; CRLF line ends as RFC 4180 asks."""
        (stream,) = streams
        if options.excel:
            stream.write(codecs.BOM_UTF8)
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(TABLE_COLUMNS)
        for record in corpus.records:
            writer.writerow(table_row(record))
        text.detach()

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The rows of a CSV with at least ``source`` and ``target`` columns (a BOM is allowed)."""
        file = only_file(files, self.name)
        check_size(file.data, file.name)
        corpus_name = stem_of(file.name)
        try:
            rows = csv.DictReader(io.StringIO(decode_utf8(file.data, file.name), newline=""))
            require_columns(rows.fieldnames, file.name)
            records = tuple(
                table_record(row, number, corpus_name, f"{file.name}:{rows.line_num}")
                for number, row in enumerate(rows, start=1)
            )
        except csv.Error as error:
            raise AlignerError(f"{file.name}: not readable as CSV ({error})") from None
        return Corpus(name=corpus_name, records=records, created=creation_time(()))


FORMAT = Csv()
