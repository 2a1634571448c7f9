"""Export formats: one module per file format, each with a writer and a reader.

Writers take a :class:`Corpus` (records plus header facts) and :class:`ExportOptions` and return
bytes; readers take bytes and a name for messages and return a :class:`Corpus`, so that
converting is reading one format and writing another. Two formats bend the rule: Moses writes
and reads two files (``moses.write`` returns both), and beads carry no texts (``beads.read``
returns sentence indices, for scorers). :func:`render` hides the first difference.

Adding a format means adding one module with ``SUFFIX``, ``write`` and ``read`` and naming it
in ``FORMATS``.
"""

from __future__ import annotations

from types import ModuleType

from aligner.errors import AlignerError
from aligner.export import beads, csv, jsonl, moses, po, tmx, tsv
from aligner.export.common import Corpus, ExportOptions, Record, corpus_of, merge

FORMATS: dict[str, ModuleType] = {
    "tmx": tmx,
    "po": po,
    "csv": csv,
    "tsv": tsv,
    "jsonl": jsonl,
    "moses": moses,
    "beads": beads,
}

__all__ = ["FORMATS", "Corpus", "ExportOptions", "Record", "corpus_of", "exporter", "merge", "render"]


def exporter(name: str) -> ModuleType:
    """The module of format ``name``; an unknown name is an AlignerError listing the known ones."""
    try:
        return FORMATS[name.strip().lower()]
    except KeyError:
        raise AlignerError(f"unknown format '{name}'; choose from {', '.join(FORMATS)}") from None


def render(name: str, corpus: Corpus, options: ExportOptions) -> dict[str, bytes]:
    """The files of format ``name`` for ``corpus``: file suffix → content."""
    module = exporter(name)
    if module is moses:
        source_suffix, target_suffix = moses.suffixes(options)
        source, target = moses.write(corpus, options)
        return {source_suffix: source, target_suffix: target}
    return {module.SUFFIX: module.write(corpus, options)}
