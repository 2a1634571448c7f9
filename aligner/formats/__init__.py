"""File formats: one module per format behind one interface, and the registry of them.

Every format is a :class:`~aligner.formats.base.Format`: it names the files it needs for a
stem, writes a :class:`~aligner.model.Corpus` into their bytes and reads it back. This module is
the only place that knows which formats exist; adding one is one new module, listed here.

    >>> from aligner.formats import get_format
    >>> get_format("tmx").suffixes
    ('.tmx',)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import IO

from aligner.errors import AlignerError
from aligner.files import read_bytes
from aligner.formats import beads, csv, jsonl, moses, po, tmx, tsv, xliff
from aligner.formats.base import ExportOptions, Format, InputFile
from aligner.formats.beads import BeadIndices, format_beads
from aligner.model import Corpus

FORMATS: Mapping[str, Format] = {
    fmt.name: fmt
    for fmt in (tmx.FORMAT, po.FORMAT, csv.FORMAT, tsv.FORMAT, jsonl.FORMAT, xliff.FORMAT, moses.FORMAT, beads.FORMAT)
}
"""Every format by name, in the order help texts list them."""

DEFAULT_FORMATS: tuple[str, ...] = ("tmx", "po", "csv")
"""What ``aligner run`` and ``aligner align`` write unless told otherwise."""

MERGED_NAME = "all"
"""The stem of the file that holds a whole batch, in the ``merged/`` folder below the output."""


def get_format(name: str) -> Format:
    """The format called ``name``; an unknown name is an AlignerError listing the known ones."""
    try:
        return FORMATS[name.strip().lower()]
    except KeyError:
        raise AlignerError(f"unknown format '{name}'; choose from {', '.join(FORMATS)}") from None


def text_formats() -> list[Format]:
    """The formats that carry texts (every one that can be converted from)."""
    return [fmt for fmt in FORMATS.values() if fmt.carries_text]


def _taken_suffixes() -> frozenset[str]:
    return frozenset(suffix for fmt in FORMATS.values() for suffix in fmt.suffixes)


def format_of(path: Path) -> Format:
    """The format a file name implies: by its suffix, else by a format that claims such names."""
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    for fmt in FORMATS.values():
        if not fmt.suffixes and fmt.matches(path):
            return fmt
    known = ", ".join(suffix for fmt in FORMATS.values() for suffix in fmt.suffixes)
    raise AlignerError(
        f"{path}: cannot tell the format from the suffix '{suffix}'; name the file "
        f"{known} or <name>.<language> for Moses, or give --from/--to"
    )


def single_file_format(path: Path) -> Format | None:
    """The text format of a file that is a whole aligned corpus on its own, by its suffix; else None."""
    suffix = path.suffix.lower()
    return next((fmt for fmt in text_formats() if suffix in fmt.suffixes), None)


def format_for_indices(path: Path) -> Format:
    """The format to read sentence indices from: the one the suffix names, else the index-only one.

    Gold alignments come with any suffix (``dev.defr``, ``001.gold``), so an unknown suffix is
    read as a bead file.
    """
    suffix = path.suffix.lower()
    named = next((fmt for fmt in FORMATS.values() if suffix in fmt.suffixes), None)
    return named or next(fmt for fmt in FORMATS.values() if not fmt.carries_text)


def input_files(path: Path, fmt: Format, target_tag: str | None = None) -> tuple[Path, ...]:
    """The files ``fmt`` reads for ``path`` (Moses: both sides)."""
    return fmt.input_files(path, target_tag, _taken_suffixes())


def read_path(path: str | os.PathLike[str], fmt: Format | None = None, target_tag: str | None = None) -> Corpus:
    """Read the corpus at ``path``, in ``fmt`` or the format its name implies."""
    file = Path(path)
    fmt = fmt or format_of(file)
    # No size limit: whatever the toolkit writes (a batch's merged TMX too) it reads back.
    return fmt.read([InputFile(str(p), read_bytes(p, limit=None)) for p in input_files(file, fmt, target_tag)])


def read_beads(path: str | os.PathLike[str]) -> list[BeadIndices]:
    """The beads of an alignment file that keeps sentence indices (a bead file, or aligner's CSV, TSV, JSONL)."""
    file = Path(path)
    fmt = format_for_indices(file)
    corpus = read_path(file, fmt)
    beads = [(record.source_sentences, record.target_sentences) for record in corpus.records]
    if any(not source and not target for source, target in beads):
        raise AlignerError(
            f"{file}: a {fmt.name} file does not keep the sentence numbers of every unit; "
            "score a bead file or the CSV, TSV or JSONL that aligner writes"
        )
    return beads


def output_paths(stem: Path, fmt: Format, options: ExportOptions) -> list[Path]:
    """The files ``fmt`` writes for ``stem``: ``<stem><suffix>`` for each of its suffixes."""
    return [stem.with_name(stem.name + suffix) for suffix in fmt.output_suffixes(options)]


def render(corpus: Corpus, stem: Path, formats: Iterable[Format], options: ExportOptions) -> dict[Path, bytes]:
    """The files of ``corpus`` in each format, named ``<stem><suffix>``: path → content."""
    rendered: dict[Path, bytes] = {}
    for fmt in formats:
        rendered.update(zip(output_paths(stem, fmt, options), fmt.write(corpus, options)))
    return rendered


def write_corpus(
    corpus: Corpus,
    stem: Path,
    formats: Iterable[Format],
    options: ExportOptions,
    open_stream: Callable[[Path], AbstractContextManager[IO[bytes]]],
) -> list[Path]:
    """Stream ``corpus`` in each format into the files ``<stem><suffix>`` that ``open_stream`` opens."""
    written = []
    for fmt in formats:
        paths = output_paths(stem, fmt, options)
        with ExitStack() as stack:
            fmt.write_to(corpus, options, [stack.enter_context(open_stream(path)) for path in paths])
        written += paths
    return written


__all__ = [
    "BeadIndices",
    "DEFAULT_FORMATS",
    "FORMATS",
    "MERGED_NAME",
    "ExportOptions",
    "Format",
    "InputFile",
    "format_beads",
    "format_for_indices",
    "format_of",
    "get_format",
    "input_files",
    "read_beads",
    "output_paths",
    "read_path",
    "render",
    "single_file_format",
    "text_formats",
    "write_corpus",
]
