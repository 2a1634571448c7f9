"""Optional semantic evidence: multilingual sentence encoders behind one small interface.

An encoder turns texts into unit vectors (:class:`~aligner.embeddings.base.Encoder`); this
registry is the only place that knows which encoders exist, so another one (a
sentence-transformers model the user has on disk, say) is one more module listed here.
:class:`VectorCache` keeps each text's vector in the process, so that a text is encoded once
however often it is aligned; :class:`StoredVectors` puts a persistent store (the corpus store's
``vectors`` table) in front of it, so that a text is encoded once however often it is built.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np

from aligner.embeddings.base import Encoder
from aligner.embeddings.usem3 import UniversalSentenceEncoder
from aligner.errors import AlignerError

ENCODERS: Mapping[str, type[Encoder]] = {UniversalSentenceEncoder.name: UniversalSentenceEncoder}
"""Every encoder by name."""

_LOADED: dict[str, Encoder] = {}


def get_encoder(name: str) -> Encoder:
    """The encoder called ``name`` (loaded once per process); an unknown name is an AlignerError."""
    if name not in ENCODERS:
        raise AlignerError(f"unknown encoder '{name}'; choose from {', '.join(ENCODERS)}")
    if name not in _LOADED:
        _LOADED[name] = ENCODERS[name]()
    return _LOADED[name]


CACHED_VECTORS = 100_000
"""How many vectors a process keeps per encoder (2 KB each): enough for a 10,000-sentence pair."""


def text_key(text: str) -> bytes:
    """The 16-byte BLAKE2b digest of the text's UTF-8 (a lone surrogate as "?"): what vectors are stored by."""
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).digest()


class TextVectors(Protocol):
    """Where an alignment gets the vectors of its texts: a :class:`VectorCache` or :class:`StoredVectors`."""

    @property
    def encoder(self) -> Encoder:
        """The encoder whose vectors these are."""
        ...

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts``, rows in order, shape (len(texts), dimensions)."""
        ...


class VectorCache:
    """Vectors of texts by the hash of their text, for one encoder; the least recently used
    are forgotten beyond ``limit``."""

    def __init__(self, encoder: Encoder, limit: int = CACHED_VECTORS) -> None:
        self.encoder = encoder
        self.limit = limit
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self.encoded = 0
        """How many texts this cache had to encode (the others it already held)."""

    @staticmethod
    def key(text: str) -> bytes:
        """The 16-byte BLAKE2b digest of the text's UTF-8 (a lone surrogate as "?"): what vectors are stored by."""
        return text_key(text)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts`` (rows in order), encoding only those not seen before."""
        keys = [self.key(text) for text in texts]
        known = {k: self._vectors[k] for k in keys if k in self._vectors}
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            first = {k: text for k, text in zip(keys, texts)}
            known.update(zip(missing, self.encoder.encode([first[k] for k in missing])))
            self.encoded += len(missing)
        for k in dict.fromkeys(keys):
            self._vectors[k] = known[k]
            self._vectors.move_to_end(k)
        while len(self._vectors) > self.limit:
            self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, self.encoder.dimensions), dtype=np.float32)
        return np.stack([known[k] for k in keys])


class StoredVectors:
    """Vectors read from a store first, then from ``cache`` (which encodes what neither holds).

    ``lookup`` returns the vectors the store holds among the keys it is given (it may leave any
    out). Every vector it did not give is kept in :attr:`new`, in the order first needed, for the
    store's owner to save: the store lacks it, whether ``cache`` had to encode it or remembered it
    from other work of the process. One instance serves one unit of work (a document pair, a
    re-alignment), and remembers what it found, so a second embedding round asks nothing again.
    """

    def __init__(self, cache: VectorCache, lookup: Callable[[Sequence[bytes]], Mapping[bytes, np.ndarray]]) -> None:
        self.cache = cache
        self.lookup = lookup
        self.new: dict[bytes, np.ndarray] = {}
        """The vectors the store did not hold, by key."""
        self.stored = 0
        """How many distinct texts the store gave."""
        self.encoded = 0
        """How many texts had to be encoded (neither the store nor ``cache`` held them)."""
        self._found: dict[bytes, np.ndarray] = {}

    @property
    def encoder(self) -> Encoder:
        """The encoder of ``cache``."""
        return self.cache.encoder

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts`` (rows in order): the store's, else the cache's."""
        keys = [text_key(text) for text in texts]
        unknown = [k for k in dict.fromkeys(keys) if k not in self._found and k not in self.new]
        if unknown:
            stored = self.lookup(unknown)
            self._found.update((k, stored[k]) for k in unknown if k in stored)
            self.stored += sum(1 for k in unknown if k in stored)
            text_of = dict(zip(keys, texts))
            missing = [k for k in unknown if k not in stored]
            if missing:
                before = self.cache.encoded
                self.new.update(zip(missing, self.cache.vectors([text_of[k] for k in missing])))
                self.encoded += self.cache.encoded - before
        if not texts:
            return np.zeros((0, self.encoder.dimensions), dtype=np.float32)
        return np.stack([self._found[k] if k in self._found else self.new[k] for k in keys])


_CACHES: dict[str, VectorCache] = {}


def shared_cache(encoder: Encoder) -> VectorCache:
    """The process's cache of ``encoder``'s vectors: a re-alignment of the same texts (after a
    review, say, or in the next batch) encodes nothing again."""
    if encoder.name not in _CACHES or _CACHES[encoder.name].encoder is not encoder:
        _CACHES[encoder.name] = VectorCache(encoder)
    return _CACHES[encoder.name]


__all__ = [
    "CACHED_VECTORS",
    "ENCODERS",
    "Encoder",
    "StoredVectors",
    "TextVectors",
    "VectorCache",
    "get_encoder",
    "shared_cache",
    "text_key",
]
