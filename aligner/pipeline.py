"""The library API behind the command line: files in, aligned files out."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aligner.align import align_batch, align_documents
from aligner.align.features import read_dictionary
from aligner.errors import AlignerError
from aligner.export import Corpus, ExportOptions, corpus_of, merge, render
from aligner.export.common import LOW_CONFIDENCE
from aligner.model import Alignment, Document
from aligner.parse import parse_file
from aligner.segment import segment_document
from aligner.textio import decode, read_bytes, write_atomic

INPUT_SUFFIXES = (".html", ".htm", ".txt")
"""Suffixes ``aligner run`` looks for, in order of preference for one stem."""


@dataclass(frozen=True)
class SourcePair:
    """Two language versions of one document, found by file stem."""

    stem: str
    source: Path
    target: Path


@dataclass(frozen=True)
class Summary:
    """Counts for the one-screen report of a run."""

    beads: int
    kinds: dict[str, int]
    low_confidence: int


def load_document(
    path: str | os.PathLike[str],
    language: str,
    *,
    presegmented: bool = False,
    srx: str | os.PathLike[str] | None = None,
) -> Document:
    """Parse and segment one file, by the SRX rules in ``srx`` if given, else the toolkit's own."""
    return segment_document(parse_file(path, language, presegmented=presegmented), srx)


def align_files(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    source_language: str,
    target_language: str,
    *,
    presegmented: bool = False,
    translation: str | os.PathLike[str] | None = None,
    srx: str | os.PathLike[str] | None = None,
    dictionary: str | os.PathLike[str] | None = None,
    learn: bool = False,
) -> Alignment:
    """Parse, segment and align two files.

    ``translation`` names a file with a machine translation of each source sentence, one per
    line, used as extra evidence. ``srx`` names SRX segmentation rules to use instead of the
    toolkit's own. ``dictionary`` names a bilingual dictionary in hunalign's format
    (``target phrase @ source phrase`` per line). ``learn`` learns word translations from the
    first pass and aligns again (see ``aligner.align.align_batch``).
    """
    lines = None
    if translation is not None:
        text = decode(read_bytes(translation), str(translation))
        lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return align_documents(
        load_document(source, source_language, presegmented=presegmented, srx=srx),
        load_document(target, target_language, presegmented=presegmented, srx=srx),
        translation=lines,
        dictionary=load_dictionary(dictionary),
        learn=learn,
    )


def align_pairs(
    pairs: list[SourcePair],
    source_language: str,
    target_language: str,
    *,
    srx: str | os.PathLike[str] | None = None,
    dictionary: str | os.PathLike[str] | None = None,
    learn: bool = False,
    progress: Callable[[], None] | None = None,
) -> list[Alignment]:
    """Parse, segment and align every pair; with ``learn``, learning spans the whole batch.

    Every file is read before any pair is aligned, so a bad file stops the batch early.
    ``progress`` is called once per aligned pair.
    """
    documents = [
        (load_document(p.source, source_language, srx=srx), load_document(p.target, target_language, srx=srx))
        for p in pairs
    ]
    return align_batch(documents, dictionary=load_dictionary(dictionary), learn=learn, progress=progress)


def load_dictionary(path: str | os.PathLike[str] | None) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The entries of a hunalign dictionary file, or none without a path."""
    if path is None:
        return []
    return read_dictionary(decode(read_bytes(path), str(path)), str(path))


def export_alignment(
    alignment: Alignment, directory: str | os.PathLike[str], stem: str, formats: list[str], options: ExportOptions
) -> list[Path]:
    """Write ``<directory>/<stem>.<format>`` for each format; all are rendered before any is written."""
    return export_corpus(corpus_of(alignment), directory, stem, formats, options)


def export_corpus(
    corpus: Corpus, directory: str | os.PathLike[str], stem: str, formats: list[str], options: ExportOptions
) -> list[Path]:
    """Write ``<directory>/<stem><suffix>`` for each file of each format, once all are rendered."""
    rendered = {}
    for name in formats:
        for suffix, data in render(name, corpus, options).items():
            rendered[Path(directory) / f"{stem}{suffix}"] = data
    for path, data in rendered.items():
        write_atomic(path, data)
    return list(rendered)


MERGED_TMX = Path("merged") / "all.tmx"
"""Where a batch's merged TMX goes, below the output folder: a stem cannot contain a folder."""


def export_merged(alignments: list[Alignment], directory: str | os.PathLike[str], options: ExportOptions) -> Path:
    """Write one TMX with the units of every alignment, in order, to ``<directory>/merged/all.tmx``."""
    corpus = merge([corpus_of(alignment) for alignment in alignments], MERGED_TMX.stem)
    (path,) = export_corpus(corpus, Path(directory) / MERGED_TMX.parent, MERGED_TMX.stem, ["tmx"], options)
    return path


def find_pairs(source_directory: str | os.PathLike[str], target_directory: str | os.PathLike[str]) -> list[SourcePair]:
    """Files of the two directories paired by stem; HTML is preferred when a stem has both."""
    def by_stem(directory: Path) -> dict[str, Path]:
        if not directory.is_dir():
            raise AlignerError(f"{directory}: no such directory")
        found: dict[str, Path] = {}
        for path in sorted(directory.iterdir()):
            suffix = path.suffix.lower()
            if path.is_file() and suffix in INPUT_SUFFIXES:
                current = found.get(path.stem)
                if current is None or INPUT_SUFFIXES.index(suffix) < INPUT_SUFFIXES.index(current.suffix.lower()):
                    found[path.stem] = path
        return found

    sources, targets = by_stem(Path(source_directory)), by_stem(Path(target_directory))
    pairs = [SourcePair(stem, sources[stem], targets[stem]) for stem in sorted(sources.keys() & targets.keys())]
    if not pairs:
        raise AlignerError(
            f"no file in {source_directory} has a file with the same name in {target_directory}; "
            "name the two versions alike, such as en/interview.html and ru/interview.html"
        )
    return pairs


def summarize(alignment: Alignment) -> Summary:
    """Bead counts by kind and the number of low-confidence beads."""
    kinds = Counter(bead.kind for bead in alignment.beads)
    return Summary(
        beads=len(alignment.beads),
        kinds=dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
        low_confidence=sum(1 for bead in alignment.beads if bead.confidence < LOW_CONFIDENCE),
    )


__all__ = [
    "SourcePair",
    "Summary",
    "align_files",
    "align_pairs",
    "load_dictionary",
    "export_alignment",
    "export_corpus",
    "export_merged",
    "find_pairs",
    "load_document",
    "summarize",
]
