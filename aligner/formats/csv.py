"""CSV (RFC 4180, UTF-8): one row per unit, both sides, every unit kept.

Units with an empty side stay in, with an empty cell: researchers want to see omissions. With
``excel`` the file starts with a BOM, which spreadsheet programs need to read it as UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections import Counter
from collections.abc import Sequence
from typing import IO

from aligner.dates import creation_time
from aligner.errors import AlignerError
from aligner.formats.base import ExportOptions, Format, InputFile, decode_utf8, kept, only_file, report_losses, stem_of
from aligner.formats.table import TABLE_COLUMNS, require_columns, table_record, table_row
from aligner.model import Corpus

# The csv module refuses cells over 131,072 characters, which a long segment can be: what the
# writer writes, the reader reads.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


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
        losses: Counter[str] = Counter()
        for record in kept(corpus.records, self, losses):
            writer.writerow(table_row(record))
        text.detach()
        report_losses(corpus, self, losses)

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The rows of a CSV with at least ``source`` and ``target`` columns (a BOM is allowed)."""
        file = only_file(files, self.name)
        corpus_name = stem_of(file.name)
        # strict: an unterminated quote is an error, not a cell that swallows the rest of the file.
        rows = csv.reader(io.StringIO(decode_utf8(file.data, file.name), newline=""), strict=True)
        records = []
        try:
            header = next(rows, None)
            require_columns(header, file.name)
            assert header is not None
            for number, cells in enumerate(rows, start=1):
                where = f"{file.name}:{rows.line_num}"
                if len(cells) != len(header):
                    raise AlignerError(f"{where}: {len(cells)} cells, but the header row has {len(header)}")
                records.append(table_record(dict(zip(header, cells)), number, corpus_name, where))
        except csv.Error as error:
            raise AlignerError(f"{file.name}:{rows.line_num}: not readable as CSV ({error})") from None
        return Corpus(name=corpus_name, records=tuple(records), created=creation_time(()))


FORMAT = Csv()
