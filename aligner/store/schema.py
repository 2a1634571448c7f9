"""The corpus store's SQLite schema, its version and the migrations that bring an older store up to date.

The version is SQLite's own ``PRAGMA user_version``. :data:`MIGRATIONS` maps each version to the
statements that lead to it from the one before; :func:`connect` applies the missing ones, in one
transaction, when it opens a store, and refuses a store made by a newer aligner. docs/store.md
describes every table.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from aligner.errors import AlignerError

SIDES = ("source", "target")
"""The two documents of a pair, as the ``side`` columns name them."""

FTS_TABLES = {"source": "fts_source", "target": "fts_target"}
"""The FTS5 index of each side's sentences: a store holds one language pair, so one index per language."""

_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL UNIQUE
);
CREATE TABLE pairs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('aligned', 'failed')),
    error TEXT,
    settings_id INTEGER NOT NULL REFERENCES settings(id),
    pairing TEXT NOT NULL,
    score REAL,
    beads INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES pairs(id),
    side TEXT NOT NULL CHECK (side IN ('source', 'target')),
    language TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT,
    date TEXT,
    url TEXT,
    sentences INTEGER NOT NULL DEFAULT 0,
    UNIQUE (pair_id, side)
);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    position INTEGER NOT NULL,
    bead INTEGER,
    speaker TEXT,
    text TEXT NOT NULL,
    UNIQUE (document_id, idx)
);
CREATE INDEX sentences_by_bead ON sentences (document_id, bead);
CREATE TABLE beads (
    pair_id INTEGER NOT NULL REFERENCES pairs(id),
    unit INTEGER NOT NULL,
    kind TEXT NOT NULL,
    confidence REAL NOT NULL,
    source_sentences TEXT NOT NULL,
    target_sentences TEXT NOT NULL,
    source_paragraph INTEGER,
    target_paragraph INTEGER,
    speaker TEXT,
    source_turn INTEGER NOT NULL,
    target_turn INTEGER NOT NULL,
    PRIMARY KEY (pair_id, unit)
) WITHOUT ROWID;
CREATE TABLE unpaired (
    side TEXT NOT NULL CHECK (side IN ('source', 'target')),
    path TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (side, path)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts_source USING fts5(
    text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE fts_target USING fts5(
    text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""

_V2 = """
ALTER TABLE beads ADD COLUMN status TEXT NOT NULL DEFAULT 'auto' CHECK (status IN ('auto', 'confirmed', 'edited'));
ALTER TABLE pairs ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE TABLE operations (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES pairs(id),
    kind TEXT NOT NULL,
    arguments TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    changed TEXT NOT NULL DEFAULT '',
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX operations_by_pair ON operations (pair_id, id);
"""
"""Review (``aligner review``): a bead's status, a document's revision, and the log of operations."""

_V3 = """
CREATE TABLE vectors (
    encoder TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (encoder, text_hash)
);
"""
"""Sentence vectors by encoder and text (``--embeddings``), so that a rebuild or a re-alignment
encodes only texts it has not seen. A rowid table: in a WITHOUT ROWID one each 2 KB vector would
spill to an overflow page of its own (4.7 rather than 4.1 MB per 1,000 vectors at 4 KB pages)."""

STATUSES = ("auto", "confirmed", "edited")
"""A bead as the aligner made it, confirmed by a reviewer as it was, or made (edited) by a reviewer."""

MIGRATIONS: dict[int, str] = {1: _V1, 2: _V2, 3: _V3}
"""The statements that take a store from version ``n - 1`` to ``n`` (0 is an empty file)."""

SCHEMA_VERSION = max(MIGRATIONS)
"""The version this aligner writes."""


def connect(path: str | os.PathLike[str], *, create: bool = False) -> sqlite3.Connection:
    """An open store, migrated to :data:`SCHEMA_VERSION`; with ``create``, a new one if there is none.

    WAL mode lets searches and exports read while a build writes, and a killed build leaves every
    committed document in place and nothing of the one it was writing.
    """
    file = Path(path)
    if not create and not file.is_file():
        raise AlignerError(f"{file}: no such corpus store; build one with 'aligner corpus build'")
    try:
        if create:
            file.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(file, isolation_level=None, timeout=_BUSY_TIMEOUT)
        _use_wal(connection)
        # NORMAL in WAL mode: a crash of the process loses nothing committed; a power cut may lose
        # the last documents, never the store's consistency.
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        _migrate(connection, file)
    except sqlite3.DatabaseError as error:
        raise AlignerError(f"{file}: not a corpus store ({error})") from None
    except OSError as error:
        raise AlignerError(f"{file}: cannot open ({error.strerror})") from None
    return connection


_BUSY_TIMEOUT = 60.0
"""Seconds a connection waits for another's lock (``sqlite3.connect(timeout=)``), and for WAL mode."""


def _use_wal(connection: sqlite3.Connection) -> None:
    # Connections opening a new store at once: SQLite refuses a change of journal mode at once
    # ("database is locked") while another connection holds a lock, without waiting out the busy
    # timeout as other statements do, so wait here, as the timeout would.
    deadline = time.monotonic() + _BUSY_TIMEOUT
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _migrate(connection: sqlite3.Connection, file: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        _migrate_locked(connection, file, version)  # refuses, before taking any lock
    # Read the version again under the write lock: another process (a build, a second tab's
    # server, a search) may have been creating or migrating the store since.
    connection.execute("BEGIN IMMEDIATE")
    try:
        _migrate_locked(connection, file, connection.execute("PRAGMA user_version").fetchone()[0])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _migrate_locked(connection: sqlite3.Connection, file: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise AlignerError(
            f"{file}: the store has schema version {version}, newer than this aligner's {SCHEMA_VERSION}; "
            "upgrade aligner to read it"
        )
    if version == 0:
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise AlignerError(f"{file}: an SQLite database, but not a corpus store (no schema version)")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[step].split(";"):
            if statement.strip():
                connection.execute(statement)
    connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def read_meta(connection: sqlite3.Connection) -> dict[str, str]:
    """The store's ``meta`` table: its languages (``source_code``, ``source_tag``, …)."""
    return dict(connection.execute("SELECT key, value FROM meta ORDER BY key").fetchall())


__all__ = ["FTS_TABLES", "MIGRATIONS", "SCHEMA_VERSION", "SIDES", "STATUSES", "connect", "read_meta"]
