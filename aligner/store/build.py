"""Building a corpus store: pair two folders' documents, align each pair where it runs best, commit each.

Only this, the client, writes the store. Results come back in the order of the pairs' keys
and each is committed in its own transaction, so a build on one process, on N processes or on
a Dask cluster writes the same rows with the same ids, and a killed build leaves every finished
document in place. A rerun skips each pair whose two files (by SHA-256) and settings are those
stored, and redoes the rest; a pair that failed is tried again. With embeddings, the task of a
pair being redone carries the stored vectors of the texts it had, and its result the vectors it
had to add, which are committed with it: a rerun encodes only texts that are new to the pair.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligner.align.semantic import encoded_texts
from aligner.embeddings import get_encoder, text_key
from aligner.errors import AlignerError
from aligner.settings import Settings
from aligner.store.pairing import (
    CONTENT,
    NAME,
    PATTERN,
    Fingerprint,
    FingerprintTask,
    Pair,
    Pairing,
    Unpaired,
    collect,
    fingerprint,
    pair_by_content,
    pair_by_name,
    pair_by_pattern,
)
from aligner.store.runner import runner_for
from aligner.store.schema import FTS_TABLES, connect, read_meta
from aligner.store.vectors import load_vector_bytes, save_vectors
from aligner.store.work import AlignedPair, FailedPair, PairResult, PairTask, Vectors, align_document, file_digest

READING, ALIGNING = "Reading", "Aligning"
"""The phases of a build: reading every document (to pair them by content), then aligning the pairs."""


@dataclass(frozen=True)
class BuildProgress:
    """How far a phase of a build is: items done of all; when aligning, pairs aligned or failed and sentences."""

    phase: str
    done: int
    total: int
    aligned: int = 0
    failed: int = 0
    sentences: int = 0


@dataclass(frozen=True)
class BuildSummary:
    """What a build did; with embeddings, how many texts it encoded and how many vectors it stored."""

    store: str
    runner: str
    pairs: int
    aligned: int
    up_to_date: int
    failed: int
    sentences: int
    beads: int
    failures: tuple[tuple[str, str], ...] = ()
    unpaired: tuple[Unpaired, ...] = field(default=())
    encoded: int = 0
    vectors: int = 0

    def as_json(self) -> dict[str, Any]:
        """The summary as plain data for ``--json``."""
        return {
            "store": self.store,
            "pairs": self.pairs,
            "aligned": self.aligned,
            "up_to_date": self.up_to_date,
            "failed": self.failed,
            "sentences": self.sentences,
            "bead_count": self.beads,
            "encoded": self.encoded,
            "vectors_added": self.vectors,
            "failures": [{"document": name, "error": error} for name, error in self.failures],
            "unpaired": [{"side": u.side, "path": u.path, "reason": u.reason} for u in self.unpaired],
        }


def build_corpus(
    store: str | os.PathLike[str],
    source_dir: str | os.PathLike[str],
    target_dir: str | os.PathLike[str],
    settings: Settings,
    *,
    pair_by: str = NAME,
    source_pattern: str | None = None,
    target_pattern: str | None = None,
    jobs: int = 1,
    dask: str | None = None,
    progress: Callable[[BuildProgress], None] | None = None,
) -> BuildSummary:
    """Align every pair of the two folders into ``store`` (created if need be) and say what was done."""
    if settings.translation is not None:
        raise AlignerError("a machine translation belongs to one document; corpus build takes none")
    if settings.embeddings is not None:
        get_encoder(settings.embeddings)  # an unknown name is refused now; the model loads where it encodes
    source_root, target_root = Path(source_dir), Path(target_dir)
    sources, targets = collect(source_root), collect(target_root)
    if Path(store).exists():
        # Refuse another language pair's store before any work, not after pairing thousands of files.
        with closing(connect(store)) as connection:
            _check_languages(connection, settings, Path(store))
    with runner_for(jobs, dask) as runner:
        if pair_by == NAME:
            pairing = pair_by_name(sources, targets)
        elif pair_by == PATTERN:
            if not source_pattern or not target_pattern:
                raise AlignerError("--pair-by pattern needs --source-pattern and --target-pattern")
            pairing = pair_by_pattern(sources, targets, source_pattern, target_pattern)
        elif pair_by == CONTENT:
            tasks = [FingerprintTask("source", str(source_root / p), p, settings.languages.source,
                                     settings.presegmented, settings.srx) for p in sources]
            tasks += [FingerprintTask("target", str(target_root / p), p, settings.languages.target,
                                      settings.presegmented, settings.srx) for p in targets]
            pairing = pair_by_content(_counted(runner.map(fingerprint, tasks), len(tasks), progress))
        else:
            raise AlignerError(f"--pair-by {pair_by}: choose name, pattern or content")
        if not pairing.pairs:
            raise AlignerError(
                f"no document of {source_root} found a partner in {target_root} by {pair_by}; "
                "see --pair-by in 'aligner corpus build --help'"
            )
        # The store is created only now: a build that finds nothing to do leaves no file behind.
        with closing(connect(store, create=True)) as connection:
            _check_languages(connection, settings, Path(store))
            _write_unpaired(connection, pairing)
            settings_id = _settings_id(connection, settings.signature)
            return _align_all(connection, runner, pairing, settings, settings_id, pair_by, source_root,
                              target_root, str(store), progress)


def _align_all(connection: sqlite3.Connection, runner: Any, pairing: Pairing, settings: Settings, settings_id: int,
               pair_by: str, source_root: Path, target_root: Path, store: str,
               progress: Callable[[BuildProgress], None] | None) -> BuildSummary:
    by_key = {pair.key: pair for pair in pairing.pairs}
    counts = {"done": 0, "aligned": 0, "failed": 0, "up_to_date": 0, "sentences": 0, "bead_count": 0,
              "encoded": 0, "vectors": 0}
    failures: list[tuple[str, str]] = []
    total = len(pairing.pairs)

    def report() -> None:
        if progress is not None:
            progress(BuildProgress(ALIGNING, counts["done"], total, counts["aligned"], counts["failed"],
                                   counts["sentences"]))

    def tasks() -> Iterator[PairTask]:
        for pair in pairing.pairs:
            source, target = str(source_root / pair.source), str(target_root / pair.target)
            if _up_to_date(connection, pair, settings_id, source, target):
                counts["done"] += 1
                counts["up_to_date"] += 1
                report()
                continue
            yield PairTask(pair.key, pair.name, source, target, settings, _known_vectors(connection, pair, settings))

    for result in runner.map(align_document, tasks()):
        pair = by_key[result.key]
        counts["vectors"] += _commit(connection, pair, result, settings, settings_id, pair_by)
        counts["done"] += 1
        if isinstance(result, AlignedPair):
            counts["aligned"] += 1
            counts["encoded"] += result.encoded
            counts["sentences"] += len(result.source.sentences) + len(result.target.sentences)
            counts["bead_count"] += len(result.beads)
        else:
            counts["failed"] += 1
            failures.append((pair.name, result.error))
        report()
    return BuildSummary(
        store=store, runner=runner.description, pairs=total, aligned=counts["aligned"],
        up_to_date=counts["up_to_date"], failed=counts["failed"], sentences=counts["sentences"],
        beads=counts["bead_count"], failures=tuple(failures), unpaired=pairing.unpaired, encoded=counts["encoded"],
        vectors=counts["vectors"],
    )


def _known_vectors(connection: sqlite3.Connection, pair: Pair, settings: Settings) -> Vectors:
    """The stored vectors of the texts the pair had when it was last aligned: its sentences are
    what the worker will find again, unless the files or the segmentation changed."""
    if settings.embeddings is None:
        return ()
    texts: dict[str, list[str]] = {"source": [], "target": []}
    for side, text in connection.execute(
            """SELECT d.side, s.text FROM pairs p JOIN documents d ON d.pair_id = p.id
               JOIN sentences s ON s.document_id = d.id WHERE p.key = ? ORDER BY d.side, s.idx""", (pair.key,)):
        texts[side].append(text)
    keys = list(dict.fromkeys(text_key(t) for side in texts.values() for t in encoded_texts(side)))
    if not keys:
        return ()
    found = load_vector_bytes(connection, get_encoder(settings.embeddings), keys)
    return tuple((key, found[key]) for key in keys if key in found)


def _counted(items: Iterator[Fingerprint], total: int,
             progress: Callable[[BuildProgress], None] | None) -> Iterator[Fingerprint]:
    for done, item in enumerate(items, start=1):
        if progress is not None:
            progress(BuildProgress(READING, done, total))
        yield item


def _check_languages(connection: sqlite3.Connection, settings: Settings, store: Path) -> None:
    languages = settings.languages
    wanted = {
        "source_code": languages.source.code, "source_tag": languages.source.tag,
        "target_code": languages.target.code, "target_tag": languages.target.tag,
    }
    meta = read_meta(connection)
    if not meta:
        with _transaction(connection):
            connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(wanted.items()))
        return
    if (meta.get("source_code"), meta.get("target_code")) != (languages.source.code, languages.target.code):
        raise AlignerError(
            f"{store} holds {meta.get('source_code')} → {meta.get('target_code')} documents, not "
            f"{languages.source.code} → {languages.target.code}; give the same --src-lang and --tgt-lang, "
            "or another --store"
        )


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error (the connection is in autocommit mode)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _write_unpaired(connection: sqlite3.Connection, pairing: Pairing) -> None:
    with _transaction(connection):
        connection.execute("DELETE FROM unpaired")
        connection.executemany(
            "INSERT INTO unpaired (side, path, reason) VALUES (?, ?, ?)",
            [(item.side, item.path, item.reason) for item in pairing.unpaired],
        )


def _settings_id(connection: sqlite3.Connection, signature: str) -> int:
    row = connection.execute("SELECT id FROM settings WHERE signature = ?", (signature,)).fetchone()
    if row is not None:
        return int(row[0])
    with _transaction(connection):
        cursor = connection.execute("INSERT INTO settings (signature) VALUES (?)", (signature,))
    return int(cursor.lastrowid or 0)


def _up_to_date(connection: sqlite3.Connection, pair: Pair, settings_id: int, source: str, target: str) -> bool:
    """Whether the store has ``pair`` aligned with these settings from files with the same
    content as ``source`` and ``target`` now have (read only when the store has the pair)."""
    row = connection.execute(
        """SELECT p.status, p.settings_id, s.path, s.sha256, t.path, t.sha256 FROM pairs p
           JOIN documents s ON s.pair_id = p.id AND s.side = 'source'
           JOIN documents t ON t.pair_id = p.id AND t.side = 'target'
           WHERE p.key = ?""",
        (pair.key,),
    ).fetchone()
    if row is None or row[:3] != ("aligned", settings_id, pair.source) or row[4] != pair.target:
        return False
    source_sha = file_digest(source)
    return bool(source_sha) and (row[3], row[5]) == (source_sha, file_digest(target))


def _commit(connection: sqlite3.Connection, pair: Pair, result: PairResult, settings: Settings, settings_id: int,
            pair_by: str) -> int:
    """Replace whatever the store had for this pair by ``result``, in one transaction; the number of
    vectors it added."""
    error = result.error if isinstance(result, FailedPair) else None
    with _transaction(connection):
        row = connection.execute("SELECT id FROM pairs WHERE key = ?", (pair.key,)).fetchone()
        values = (pair.name, "failed" if error is not None else "aligned", error, settings_id,
                  pair_by, pair.score, len(result.beads) if isinstance(result, AlignedPair) else 0)
        if row is None:
            cursor = connection.execute(
                "INSERT INTO pairs (key, name, status, error, settings_id, pairing, score, beads) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (pair.key, *values))
            pair_id = int(cursor.lastrowid or 0)
        else:
            pair_id = int(row[0])
            _delete_contents(connection, pair_id)
            connection.execute(
                "UPDATE pairs SET name = ?, status = ?, error = ?, settings_id = ?, pairing = ?, score = ?, beads = ? "
                "WHERE id = ?", (*values, pair_id))
        languages = {"source": settings.languages.source.tag, "target": settings.languages.target.tag}
        paths = {"source": pair.source, "target": pair.target}
        if isinstance(result, FailedPair):
            for side, sha in (("source", result.source_sha256), ("target", result.target_sha256)):
                connection.execute(
                    "INSERT INTO documents (pair_id, side, language, path, sha256) VALUES (?, ?, ?, ?, ?)",
                    (pair_id, side, languages[side], paths[side], sha))
            return 0
        for side, document in (("source", result.source), ("target", result.target)):
            cursor = connection.execute(
                "INSERT INTO documents (pair_id, side, language, path, sha256, title, date, url, sentences) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (pair_id, side, languages[side], paths[side], document.sha256, document.title, document.date,
                 document.url, len(document.sentences)))
            document_id = int(cursor.lastrowid or 0)
            connection.executemany(
                "INSERT INTO sentences (document_id, idx, paragraph, position, bead, speaker, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [(document_id, *row) for row in document.sentences])
            connection.execute(
                f"INSERT INTO {FTS_TABLES[side]} (rowid, text) SELECT id, text FROM sentences WHERE document_id = ?",
                (document_id,))
        connection.executemany(
            "INSERT INTO beads (pair_id, unit, kind, confidence, source_sentences, target_sentences, "
            "source_paragraph, target_paragraph, speaker, source_turn, target_turn) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [(pair_id, *row) for row in result.beads])
        if not result.vectors or settings.embeddings is None:
            return 0
        return save_vectors(connection, settings.embeddings, result.vectors)


def _delete_contents(connection: sqlite3.Connection, pair_id: int) -> None:
    for side, table in FTS_TABLES.items():
        # An external-content FTS5 index forgets a row only when told its old text.
        connection.execute(
            f"INSERT INTO {table} ({table}, rowid, text) SELECT 'delete', s.id, s.text FROM sentences s "
            "JOIN documents d ON d.id = s.document_id WHERE d.pair_id = ? AND d.side = ?", (pair_id, side))
    connection.execute(
        "DELETE FROM sentences WHERE document_id IN (SELECT id FROM documents WHERE pair_id = ?)", (pair_id,))
    connection.execute("DELETE FROM documents WHERE pair_id = ?", (pair_id,))
    connection.execute("DELETE FROM beads WHERE pair_id = ?", (pair_id,))
    # A review's operations refer to the beads and sentences of the files as they were.
    connection.execute("DELETE FROM operations WHERE pair_id = ?", (pair_id,))


__all__ = ["ALIGNING", "READING", "BuildProgress", "BuildSummary", "build_corpus"]
