"""TSV: the CSV columns separated by tabs, one unit per line, for ``cut``, ``awk`` and pandas.

TSV has no quoting, so a tab, a line break or a backslash inside a cell is written as ``\\t``,
``\\n``, ``\\r`` or ``\\\\`` and turned back by the reader. Line ends are LF; no BOM.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import IO

import regex

from aligner.dates import creation_time
from aligner.errors import AlignerError
from aligner.formats.base import ExportOptions, Format, InputFile, decode_utf8, kept, only_file, report_losses, stem_of
from aligner.formats.table import TABLE_COLUMNS, require_columns, table_record, table_row
from aligner.model import Corpus

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TO_ESCAPE = regex.compile(r"[\\\t\n\r]")
_ESCAPED = regex.compile(r"\\(.)", regex.DOTALL)
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def escape(cell: str) -> str:
    """A cell with its tabs, line breaks and backslashes written as backslash escapes."""
    return _TO_ESCAPE.sub(lambda match: _ESCAPES[match.group()], cell)


def unescape(cell: str, where: str) -> str:
    """The inverse of :func:`escape`; an unknown escape is an AlignerError."""
    def replace(match: regex.Match[str]) -> str:
        try:
            return _UNESCAPES[match.group(1)]
        except KeyError:
            known = "\\t \\n \\r \\\\"
            raise AlignerError(f"{where}: unknown escape '\\{match.group(1)}' (TSV cells know {known})") from None

    return _ESCAPED.sub(replace, cell)


class Tsv(Format):
    name = "tsv"
    summary = "TSV, the CSV columns tab-separated (tabs and line breaks escaped)"
    suffixes = (".tsv",)
    carries_languages = False

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """The corpus as TSV with a header row."""
        del options  # the column names say which side is which
        (stream,) = streams
        stream.write(("\t".join(TABLE_COLUMNS) + "\n").encode("utf-8"))
        losses: Counter[str] = Counter()
        for record in kept(corpus.records, self, losses):
            stream.write(("\t".join(escape(cell) for cell in table_row(record)) + "\n").encode("utf-8"))
        report_losses(corpus, self, losses)

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The rows of a TSV with at least ``source`` and ``target`` columns."""
        file = only_file(files, self.name)
        corpus_name = stem_of(file.name)
        lines = decode_utf8(file.data, file.name).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        # A file edited on Windows may end its lines with CR LF; a CR inside a cell is always escaped.
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        header = lines[0].split("\t") if lines else []
        require_columns(header, file.name)
        records = []
        for number, line in enumerate(lines[1:], start=1):
            where = f"{file.name}:{number + 1}"
            cells = line.split("\t")
            if len(cells) != len(header):
                raise AlignerError(f"{where}: {len(cells)} cells, but the header row has {len(header)}")
            row = dict(zip(header, (unescape(cell, where) for cell in cells)))
            records.append(table_record(row, number, corpus_name, where))
        return Corpus(name=corpus_name, records=tuple(records), created=creation_time(()))


FORMAT = Tsv()
