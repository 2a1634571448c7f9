"""What ``aligner check`` reads: a source pair aligned on the fly, two folders of them, aligned files, or a store."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from aligner.check.pairs import CheckedDocument, from_alignment, from_records
from aligner.errors import AlignerError
from aligner.formats import read_path, single_file_format, text_formats
from aligner.model import Record
from aligner.parse import INPUT_SUFFIXES
from aligner.pipeline import SRX_SUFFIX, align_files, find_pairs
from aligner.settings import Settings
from aligner.store import StoreReader


def load_inputs(paths: Sequence[str | os.PathLike[str]], settings: Settings) -> list[CheckedDocument]:
    """The documents to check, in the order given.

    ``paths`` is a source file and its translation (aligned here), a source folder and a target
    folder (files paired by name, as ``aligner run`` does), or any number of aligned files.
    ``settings`` say how to align a source pair, and give the languages of an aligned file
    that names none.
    """
    # `aligner check output/*` also sees the segmentation rules written beside the aligned files.
    files = [Path(path) for path in paths if Path(path).suffix.lower() != SRX_SUFFIX] or [Path(p) for p in paths]
    for file in files:
        if not file.exists():
            raise AlignerError(f"{file}: no such file or folder")
    if files and all(file.is_file() and single_file_format(file) for file in files):
        return [document for file in files for document in _aligned_file(file, settings)]
    if len(files) == 2 and all(file.is_dir() for file in files):
        return [
            from_alignment(align_files(pair.source, pair.target, settings), f"{pair.source} + {pair.target}")
            for pair in find_pairs(files[0], files[1])
        ]
    if len(files) == 2 and all(file.is_file() and file.suffix.lower() in INPUT_SUFFIXES for file in files):
        alignment = align_files(files[0], files[1], settings)
        return [from_alignment(alignment, f"{files[0]} + {files[1]}")]
    suffixes = sorted(suffix for fmt in text_formats() for suffix in fmt.suffixes)
    raise AlignerError(
        f"cannot check {' '.join(str(f) for f in files)}: give a source file and its translation "
        f"({', '.join(INPUT_SUFFIXES)}), a source folder and a target folder, "
        f"or aligned files ({', '.join(suffixes)})"
    )


def _aligned_file(file: Path, settings: Settings) -> list[CheckedDocument]:
    corpus = read_path(file, single_file_format(file))
    if not corpus.records:
        raise AlignerError(f"{file}: no aligned units to check")
    source = corpus.source_language or settings.languages.source
    target = corpus.target_language or settings.languages.target
    # A merged file holds several documents: each is judged, and reported, on its own.
    by_document: dict[str, list[Record]] = {}
    for record in corpus.records:
        by_document.setdefault(record.document, []).append(record)
    return [from_records(document, str(file), records, source, target) for document, records in by_document.items()]


def load_store(store: str | os.PathLike[str]) -> Iterator[CheckedDocument]:
    """Every aligned document of a corpus store, with all the data an alignment made on the fly
    has, read one by one as the iterator goes (a store may hold more than memory does)."""
    with StoreReader(store) as reader:
        empty = True
        for pair in reader.pairs():
            empty = False
            yield CheckedDocument(
                name=pair.name,
                origin=f"{store}: {pair.name}",
                source_language=reader.source_language,
                target_language=reader.target_language,
                pairs=tuple(reader.records(pair)),
                lacking={},
            )
    if empty:
        raise AlignerError(f"{store}: no aligned document to check")
