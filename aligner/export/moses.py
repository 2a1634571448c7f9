"""Moses-style bitext: two plain-text files, ``<stem>.<src>`` and ``<stem>.<tgt>`` (such as
``interview.en`` and ``interview.ru``), line *n* of one the translation of line *n* of the other.

This is what MT training tools read. A line break inside a segment would shift every later
line, so line breaks become spaces. Units are selected as for TMX (pairs only unless asked).
The files carry texts only: read back, a unit is numbered by its line.
"""

from __future__ import annotations

from pathlib import PurePath

import regex

from aligner.errors import AlignerError
from aligner.export.common import (
    Corpus,
    ExportOptions,
    Record,
    check_size,
    clean,
    creation_time,
    decode_utf8,
    language_suffix,
    selected,
)

# Everything str.splitlines() breaks at, once XML-illegal characters are gone.
_LINE_BREAKS = regex.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def suffixes(options: ExportOptions) -> tuple[str, str]:
    """The suffixes of the source and the target file, such as ``(".en", ".ru")``."""
    return language_suffix(options.source_code, options.target_code)


def write(corpus: Corpus, options: ExportOptions) -> tuple[bytes, bytes]:
    """The source file and the target file, one line per selected unit, UTF-8, LF line ends."""
    records = selected(corpus.records, options)
    sides = []
    for side in ("source", "target"):
        lines = [_LINE_BREAKS.sub(" ", clean(getattr(r, side), f"{r.uid} {side}")) for r in records]
        sides.append("".join(line + "\n" for line in lines).encode("utf-8"))
    return sides[0], sides[1]


def read(source: bytes, target: bytes, name: str, source_code: str, target_code: str) -> Corpus:
    """The pairs of two line-aligned files ``<name>.<code>``; the last part of ``name`` names the corpus."""
    check_size(source, f"{name}.{source_code}")
    check_size(target, f"{name}.{target_code}")
    sides = [
        _lines(decode_utf8(data, f"{name}.{code}")) for data, code in ((source, source_code), (target, target_code))
    ]
    if len(sides[0]) != len(sides[1]):
        raise AlignerError(
            f"{name}: the {source_code} file has {len(sides[0])} lines but the {target_code} file has {len(sides[1])}; "
            "a bitext needs one line per pair on each side"
        )
    corpus_name = PurePath(name).name
    records = tuple(
        Record(source=s, target=t, document=corpus_name, unit=number)
        for number, (s, t) in enumerate(zip(*sides), start=1)
    )
    return Corpus(name=corpus_name, records=records, source_code=source_code, target_code=target_code,
                  created=creation_time(()))


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    # Files edited on Windows end their lines with CR LF; the writer never leaves a CR in a line.
    return [line[:-1] if line.endswith("\r") else line for line in lines]
