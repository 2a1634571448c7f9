"""Sentence vectors in the corpus store: the ``vectors`` table, read and written by text key.

A vector is kept by its encoder's name and the key of its text
(:func:`~aligner.embeddings.text_key`), as the encoder's ``dimensions`` little-endian float32
values, so that a rebuild with other alignment settings, a changed document or a re-alignment
after review encodes only the texts the store has never seen. Only the store's owner (the build's
client, the review app) reads and writes the table; workers get and return vectors as bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from aligner.embeddings import Encoder, StoredVectors, shared_cache

VECTOR_DTYPE = np.dtype("<f4")
"""How a vector's values are stored: little-endian float32, whatever the machine's order."""

_CHUNK = 500
"""Keys per ``IN (…)`` query, well below SQLite's oldest limit of 999 parameters."""


def vector_bytes(vector: np.ndarray) -> bytes:
    """A vector as the store keeps it."""
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def vector_of(data: bytes) -> np.ndarray:
    """A stored vector as float32 values."""
    return np.frombuffer(data, dtype=VECTOR_DTYPE).astype(np.float32)


def load_vectors(connection: sqlite3.Connection, encoder: Encoder, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
    """The stored vectors of ``encoder`` among ``keys``, by key (a key the store lacks is left out)."""
    return {key: vector_of(data) for key, data in load_vector_bytes(connection, encoder, keys).items()}


def load_vector_bytes(connection: sqlite3.Connection, encoder: Encoder, keys: Sequence[bytes]) -> dict[bytes, bytes]:
    """:func:`load_vectors` as the store keeps them, for a worker."""
    size = encoder.dimensions * VECTOR_DTYPE.itemsize
    found: dict[bytes, bytes] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = list(keys[start:start + _CHUNK])
        rows = connection.execute(
            f"SELECT text_hash, vector FROM vectors WHERE encoder = ? AND text_hash IN ({', '.join('?' * len(chunk))})",
            (encoder.name, *chunk))
        # A vector of another length was not made by this encoder (the name was another model's): encode again.
        found.update((key, data) for key, data in rows if len(data) == size)
    return found


def save_vectors(connection: sqlite3.Connection, encoder: str, vectors: Iterable[tuple[bytes, bytes]]) -> int:
    """Add ``(key, vector bytes)`` of ``encoder`` that the store lacks; the number added.

    The caller holds the transaction (the document's, or the review operation's), so a vector is
    in the store exactly when the work that needed it is.
    """
    before = connection.total_changes
    connection.executemany("INSERT OR IGNORE INTO vectors (encoder, text_hash, vector) VALUES (?, ?, ?)",
                           ((encoder, key, data) for key, data in vectors))
    return connection.total_changes - before


def store_vectors(connection: sqlite3.Connection, encoder: Encoder) -> StoredVectors:
    """The vectors of ``encoder`` from the store behind ``connection``, then from the process's cache;
    what the store lacked is in the result's ``new`` (save it with :func:`save_vectors`)."""
    return StoredVectors(shared_cache(encoder), lambda keys: load_vectors(connection, encoder, keys))


__all__ = ["VECTOR_DTYPE", "load_vector_bytes", "load_vectors", "save_vectors", "store_vectors", "vector_bytes", "vector_of"]
