"""aligner: parse, segment, align and export bilingual documents.

The public API, in the order the data flows::

    import aligner

    source = aligner.segment(aligner.parse("sources/en/interview.html", "en"))
    target = aligner.segment(aligner.parse("sources/ru/interview.html", "ru"))
    alignment = aligner.align(source, target)
    aligner.write(alignment, "output/interview", formats=("tmx", "csv"))
    corpus = aligner.read("output/interview.tmx")
    aligner.convert("output/interview.tmx", "output/interview.po")
    report = aligner.check(["output/interview.csv"], source="en", target="ru")

Each function is a thin layer over a stage's own module (``aligner.parse``, ``aligner.segment``,
``aligner.align``, ``aligner.formats``, ``aligner.check``); their objects are plain frozen
dataclasses (``aligner.model``). Every setting that changes output is in
:class:`aligner.settings.Settings`; ``aligner.pipeline`` runs whole jobs from one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from aligner.align import AlignSettings, align_documents
from aligner.check import CheckConfig, Report, load_config, load_inputs, run_checks
from aligner.convert import convert
from aligner.errors import AlignerError
from aligner.files import write_files
from aligner.formats import DEFAULT_FORMATS, ExportOptions, get_format, read_path, render
from aligner.languages import Language, resolve_language, resolve_pair
from aligner.model import Alignment, Corpus, Document, Record, corpus_of
from aligner.parse import parse_file
from aligner.segment import segment_document
from aligner.settings import Settings
from aligner.version import __version__

PathLike = str | os.PathLike[str]


def parse(path: PathLike, language: str | Language, *, presegmented: bool = False) -> Document:
    """Read a document (HTML page, scraped text, or one sentence per line with ``presegmented``)."""
    resolved = language if isinstance(language, Language) else resolve_language(language)
    return parse_file(path, resolved, presegmented=presegmented)


def segment(document: Document, srx: PathLike | None = None) -> Document:
    """Split the document's paragraphs into sentences by SRX rules (the toolkit's own by default)."""
    return segment_document(document, srx)


def align(
    source: Document,
    target: Document,
    settings: AlignSettings | None = None,
    *,
    translation: Sequence[str] | None = None,
) -> Alignment:
    """Align the sentences of two segmented documents; ``translation`` is an MT of each source sentence."""
    return align_documents(source, target, settings, translation=translation)


def read(path: PathLike, format: str | None = None) -> Corpus:
    """Read an aligned file (TMX, PO, CSV, TSV, JSONL, XLIFF, Moses); the format comes from the name."""
    return read_path(path, get_format(format) if format else None)


def write(
    data: Alignment | Corpus,
    stem: PathLike,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    options: ExportOptions | None = None,
) -> list[Path]:
    """Write ``<stem>.<suffix>`` in each format; every file is rendered before any is written.

    ``options`` default to the languages of the alignment (or those the corpus states).
    """
    corpus = corpus_of(data) if isinstance(data, Alignment) else data
    if options is None:
        if corpus.source_language is None or corpus.target_language is None:
            raise AlignerError("the corpus does not say its languages; give options=ExportOptions(source, target)")
        options = ExportOptions(corpus.source_language, corpus.target_language)
    return write_files(render(corpus, Path(stem), [get_format(name) for name in formats], options))


def check(
    inputs: Sequence[PathLike],
    *,
    source: str = "en",
    target: str = "ru",
    config: CheckConfig | None = None,
) -> Report:
    """Run the quality gate on source pairs, folders or aligned files (see ``aligner check --help``)."""
    settings = Settings(languages=resolve_pair(source, target))
    return run_checks(load_inputs(inputs, settings), config or load_config())


__all__ = [
    "AlignSettings",
    "AlignerError",
    "Alignment",
    "Corpus",
    "Document",
    "ExportOptions",
    "Record",
    "Settings",
    "__version__",
    "align",
    "check",
    "convert",
    "parse",
    "read",
    "segment",
    "write",
]
