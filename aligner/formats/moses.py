"""Moses-style bitext: two plain-text files, ``<stem>.<src>`` and ``<stem>.<tgt>`` (such as
``interview.en`` and ``interview.ru``), line *n* of one the translation of line *n* of the other.

This is what MT training tools read. A line break inside a segment would shift every later
line, so line breaks become spaces. Units are selected as for TMX (pairs only unless asked).
The files carry texts only: read back, a unit is numbered by its line.

A bitext is named by its language suffixes: reading ``corpus.en`` reads its sibling with the
other language suffix too (``--tgt-lang-code`` chooses when there are several).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import IO

import regex

from aligner.dates import creation_time
from aligner.errors import AlignerError
from aligner.formats.base import (
    ExportOptions,
    Format,
    InputFile,
    decode_utf8,
    kept,
    report_losses,
    selected,
    stated_language,
)
from aligner.model import Corpus, Record
from aligner.xmltext import clean

# Everything str.splitlines() breaks at, once XML-illegal characters are gone.
_LINE_BREAKS = regex.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
_LANGUAGE_SUFFIX = regex.compile(r"\.[a-z]{2,3}(?:-[a-z0-9]{1,8})*", regex.IGNORECASE)
# Guessing Moses from a name needs a two-letter code, so that .txt or .xml is not taken for one.
_GUESSED_SUFFIX = regex.compile(r"\.[a-z]{2}(?:-[a-z0-9]{1,8})*", regex.IGNORECASE)


def language_suffixes(source_tag: str, target_tag: str) -> tuple[str, str]:
    """The file suffixes of a bitext: primary language subtags, full tags if those are equal."""
    source, target = source_tag.lower(), target_tag.lower()
    primary = source.split("-")[0], target.split("-")[0]
    if primary[0] != primary[1]:
        return f".{primary[0]}", f".{primary[1]}"
    if source == target:
        raise AlignerError(f"source and target language are both '{source_tag}'; give different tags")
    return f".{source}", f".{target}"


class Moses(Format):
    name = "moses"
    summary = "Moses bitext, two line-aligned files <name>.<src> and <name>.<tgt>, for MT training"

    def output_suffixes(self, options: ExportOptions) -> tuple[str, ...]:
        return language_suffixes(options.source.tag, options.target.tag)

    def output_stem(self, path: Path) -> Path:
        """``corpus.en`` and ``corpus`` both name the bitext ``corpus``."""
        return path.with_suffix("") if _LANGUAGE_SUFFIX.fullmatch(path.suffix) else path

    def matches(self, path: PurePath) -> bool:
        return bool(_GUESSED_SUFFIX.fullmatch(path.suffix))

    def input_files(self, path: Path, target_tag: str | None, taken_suffixes: frozenset[str]) -> tuple[Path, ...]:
        """``path`` (the source side) and its sibling with the target language suffix."""
        stem = path.with_suffix("")
        if target_tag:
            candidates = [stem.with_name(f"{stem.name}.{code}") for code in (target_tag.split("-")[0], target_tag)]
            found = [candidate for candidate in candidates if candidate.is_file()]
            if not found:
                raise AlignerError(f"{path}: no target file {candidates[0]} beside it")
            return path, found[0]
        siblings = sorted(
            sibling
            for sibling in path.parent.iterdir()
            if sibling != path and sibling.with_suffix("") == stem and sibling.is_file()
            and sibling.suffix.lower() not in taken_suffixes and _LANGUAGE_SUFFIX.fullmatch(sibling.suffix)
        )
        if len(siblings) != 1:
            listed = ", ".join(sibling.name for sibling in siblings) or "none"
            raise AlignerError(
                f"{path}: a Moses bitext needs exactly one target file named {stem.name}.<language> beside it "
                f"(found: {listed}); give --tgt-lang-code to choose"
            )
        return path, siblings[0]

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """The source file and the target file, one line per selected unit, UTF-8, LF line ends."""
        source, target = streams
        losses: Counter[str] = Counter()
        for record in kept(selected(corpus.records, options), self, losses):
            for side, stream in (("source", source), ("target", target)):
                line = _LINE_BREAKS.sub(" ", clean(getattr(record, side), f"{record.uid} {side}"))
                stream.write((line + "\n").encode("utf-8"))
        report_losses(corpus, self, losses)

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The pairs of two line-aligned files ``<name>.<code>``; ``<name>`` names the corpus."""
        if len(files) != 2:
            raise AlignerError(f"a Moses bitext is two files, not {len(files)}")
        source, target = files
        sides = [_lines(decode_utf8(file.data, file.name)) for file in files]
        codes = [PurePath(file.name).suffix[1:] for file in files]
        if len(sides[0]) != len(sides[1]):
            raise AlignerError(
                f"{PurePath(source.name).with_suffix('')}: the {codes[0]} file has {len(sides[0])} lines but the "
                f"{codes[1]} file has {len(sides[1])}; a bitext needs one line per pair on each side"
            )
        corpus_name = PurePath(source.name).stem
        records = tuple(
            Record(source=s, target=t, document=corpus_name, unit=number)
            for number, (s, t) in enumerate(zip(*sides), start=1)
        )
        return Corpus(
            name=corpus_name,
            records=records,
            source_language=stated_language(codes[0], source.name),
            target_language=stated_language(codes[1], target.name),
            created=creation_time(()),
        )


FORMAT = Moses()


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    # Files edited on Windows end their lines with CR LF; the writer never leaves a CR in a line.
    return [line[:-1] if line.endswith("\r") else line for line in lines]
