"""What ``aligner check`` reads: a source pair aligned on the fly, two folders of them, or aligned files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from aligner.check.pairs import CheckedDocument, from_alignment, from_records
from aligner.errors import AlignerError
from aligner.export import FORMATS, Corpus, Record
from aligner.languages import primary_subtag
from aligner.pipeline import INPUT_SUFFIXES, align_files, find_pairs
from aligner.textio import read_bytes


def aligned_suffixes() -> dict[str, str]:
    """File suffix → format name, for the formats that a single aligned file is read from."""
    # Moses is two files and has no single suffix; a bead file has no texts.
    return {
        module.SUFFIX: name for name, module in FORMATS.items() if hasattr(module, "SUFFIX") and name != "beads"
    }


def load_inputs(
    paths: Sequence[str | os.PathLike[str]], source_language: str, target_language: str
) -> list[CheckedDocument]:
    """The documents to check, in the order given.

    ``paths`` is a source file and its translation (aligned here), a source folder and a target
    folder (files paired by name, as ``aligner run`` does), or any number of aligned files.
    The languages say how to read a source pair, and an aligned file that names none.
    """
    files = [Path(path) for path in paths]
    for file in files:
        if not file.exists():
            raise AlignerError(f"{file}: no such file or folder")
    suffixes = aligned_suffixes()
    if files and all(file.is_file() and file.suffix.lower() in suffixes for file in files):
        documents = []
        for file in files:
            documents.extend(_aligned_file(file, suffixes[file.suffix.lower()], source_language, target_language))
        return documents
    if len(files) == 2 and all(file.is_dir() for file in files):
        return [
            from_alignment(align_files(pair.source, pair.target, source_language, target_language),
                           f"{pair.source} + {pair.target}")
            for pair in find_pairs(files[0], files[1])
        ]
    if len(files) == 2 and all(file.is_file() and file.suffix.lower() in INPUT_SUFFIXES for file in files):
        alignment = align_files(files[0], files[1], source_language, target_language)
        return [from_alignment(alignment, f"{files[0]} + {files[1]}")]
    raise AlignerError(
        f"cannot check {' '.join(str(f) for f in files)}: give a source file and its translation "
        f"({', '.join(INPUT_SUFFIXES)}), a source folder and a target folder, "
        f"or aligned files ({', '.join(sorted(suffixes))})"
    )


def _aligned_file(file: Path, name: str, source_language: str, target_language: str) -> list[CheckedDocument]:
    corpus: Corpus = FORMATS[name].read(read_bytes(file), str(file))
    if not corpus.records:
        raise AlignerError(f"{file}: no aligned units to check")
    source = primary_subtag(corpus.source_code) if corpus.source_code else source_language
    target = primary_subtag(corpus.target_code) if corpus.target_code else target_language
    # A merged file holds several documents: each is judged, and reported, on its own.
    by_document: dict[str, list[Record]] = {}
    for record in corpus.records:
        by_document.setdefault(record.document, []).append(record)
    return [from_records(document, str(file), records, source, target) for document, records in by_document.items()]
