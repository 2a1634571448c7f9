"""The work of one document pair, as a pure function of plain data.

:func:`align_document` takes a :class:`PairTask` (two paths and the settings) and returns an
:class:`AlignedPair` or a :class:`FailedPair`, frozen dataclasses of strings and numbers. It
raises nothing, needs no store and no shared state, and pickles both ways, so the same function
runs in the client's process, on worker processes and on a Dask cluster.

With ``--embeddings`` the store's vectors travel as bytes: the client puts in the task those of
the texts the pair had when it was last aligned (the store has its sentences), and the worker
returns those it needed and was not given, for the client to write with the document. A worker
never opens the store, which may be on another machine, and SQLite's WAL is not to be shared over
a network file system.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache

from aligner.align import Dictionary, align_batch
from aligner.embeddings import StoredVectors, shared_cache
from aligner.errors import AlignerError
from aligner.model import Document, bead_place
from aligner.pipeline import encoder_of, load_dictionary, load_document
from aligner.settings import Settings
from aligner.store.vectors import vector_bytes, vector_of

Vectors = tuple[tuple[bytes, bytes], ...]
"""Vectors as plain data: (text key, the vector as the store keeps it), in a fixed order."""


@dataclass(frozen=True)
class PairTask:
    """Align ``source`` with ``target`` (paths the workers can read) as ``settings`` say.

    ``key`` identifies the pair in the store and ``name`` is the document's name in exports.
    ``vectors`` are the store's vectors of texts the pair is likely to have (its sentences when
    it was last aligned), for ``settings.embeddings``; any other text is encoded.
    """

    key: str
    name: str
    source: str
    target: str
    settings: Settings
    vectors: Vectors = ()


SentenceRow = tuple[int, int, int, int | None, str | None, str]
"""A sentence as the store's ``sentences`` table holds it, less its document: its index, its
paragraph, its place there, its bead (the unit number; ``None`` if in none), the paragraph's
speaker and its text. Rows of plain values, not objects: a result crosses a process boundary
and the client unpickles tens of thousands of them a minute."""

BeadRow = tuple[int, str, float, str, str, int | None, int | None, str | None, int, int]
"""A bead as the store's ``beads`` table holds it, less its pair: its unit number (from 1), its
kind (``"1-2"``), its confidence, its source and target sentences (indices joined by spaces),
its source and target paragraphs, the speaker, and whether it opens a turn on either side
(0 or 1), as the records of the formats have them (``aligner.model.bead_place``)."""


@dataclass(frozen=True)
class StoredDocument:
    """One language version: what was read (its SHA-256), its metadata and its sentences in order."""

    path: str
    sha256: str
    title: str | None
    date: str | None
    url: str | None
    sentences: tuple[SentenceRow, ...]


@dataclass(frozen=True)
class AlignedPair:
    """The result of a pair that aligned; with embeddings, the vectors it needed that the task did
    not give (in the order first needed), and how many of them had to be encoded (the others the
    worker remembered from earlier pairs)."""

    key: str
    source: StoredDocument
    target: StoredDocument
    beads: tuple[BeadRow, ...]
    vectors: Vectors = ()
    encoded: int = 0


@dataclass(frozen=True)
class FailedPair:
    """The result of a pair that could not be aligned: the one-line error, and what was read."""

    key: str
    error: str
    source_sha256: str
    target_sha256: str


PairResult = AlignedPair | FailedPair


def file_digest(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, read in blocks; empty when the file cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 16), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def align_document(task: PairTask) -> PairResult:
    """Parse, segment and align one pair; any failure is returned as a :class:`FailedPair`."""
    source_sha, target_sha = file_digest(task.source), file_digest(task.target)
    try:
        settings = task.settings
        source = load_document(task.source, settings.languages.source, presegmented=settings.presegmented,
                               srx=settings.srx)
        target = load_document(task.target, settings.languages.target, presegmented=settings.presegmented,
                               srx=settings.srx)
        encoder = encoder_of(settings)
        given = {key: vector_of(data) for key, data in task.vectors}
        vectors = None if encoder is None else StoredVectors(
            shared_cache(encoder), lambda keys: {k: given[k] for k in keys if k in given})
        alignment = align_batch(
            [(source, target)], settings.alignment, dictionary=_dictionary(settings), encoder=encoder, vectors=vectors
        )[0]
    except AlignerError as error:
        return FailedPair(task.key, str(error), source_sha, target_sha)
    except Exception as error:  # noqa: BLE001 - one bad document must not stop a batch of thousands
        return FailedPair(task.key, f"internal error: {type(error).__name__}: {error}", source_sha, target_sha)
    source_refs, target_refs = source.sentences(), target.sentences()
    beads: list[BeadRow] = []
    bead_of: dict[str, dict[int, int]] = {"source": {}, "target": {}}
    for unit, bead in enumerate(alignment.beads, start=1):
        bead_of["source"].update((index, unit) for index in bead.source)
        bead_of["target"].update((index, unit) for index in bead.target)
        place = bead_place(alignment, [source_refs[i] for i in bead.source], [target_refs[j] for j in bead.target])
        beads.append((
            unit, bead.kind, bead.confidence, " ".join(map(str, bead.source)), " ".join(map(str, bead.target)),
            place.source_paragraph, place.target_paragraph, place.speaker,
            int(place.source_turn), int(place.target_turn),
        ))
    new: Vectors = () if vectors is None else tuple((key, vector_bytes(v)) for key, v in vectors.new.items())
    return AlignedPair(
        task.key, _stored(source, task.source, source_sha, bead_of["source"]),
        _stored(target, task.target, target_sha, bead_of["target"]), tuple(beads), new,
        0 if vectors is None else vectors.encoded,
    )


def _stored(document: Document, path: str, sha256: str, bead_of: dict[int, int]) -> StoredDocument:
    speakers = [paragraph.speaker for paragraph in document.paragraphs]
    sentences = tuple(
        (index, ref.paragraph, ref.position, bead_of.get(index), speakers[ref.paragraph], ref.text)
        for index, ref in enumerate(document.sentences())
    )
    return StoredDocument(path, sha256, document.title, document.date, document.url, sentences)


def _dictionary(settings: Settings) -> Dictionary:
    if settings.dictionary is None:
        return []
    return _cached_dictionary(settings, file_digest(settings.dictionary))


@lru_cache(maxsize=4)
def _cached_dictionary(settings: Settings, digest: str) -> Dictionary:
    # A worker reads the dictionary once, not once per document; the digest notices a change.
    del digest
    return load_dictionary(settings)


__all__ = [
    "AlignedPair",
    "FailedPair",
    "PairResult",
    "PairTask",
    "BeadRow",
    "SentenceRow",
    "StoredDocument",
    "Vectors",
    "align_document",
    "file_digest",
]
