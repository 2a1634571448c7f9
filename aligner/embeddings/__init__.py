"""Optional semantic evidence: multilingual sentence encoders behind one small interface.

An encoder turns texts into unit vectors (:class:`~aligner.embeddings.base.Encoder`); this
registry is the only place that knows which encoders exist, so another one (a
sentence-transformers model the user has on disk, say) is one more module listed here.
:class:`VectorCache` keeps each text's vector, so that a text is encoded once however often
it is aligned.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence

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
        return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).digest()

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


_CACHES: dict[str, VectorCache] = {}


def shared_cache(encoder: Encoder) -> VectorCache:
    """The process's cache of ``encoder``'s vectors: a re-alignment of the same texts (after a
    review, say, or in the next batch) encodes nothing again."""
    if encoder.name not in _CACHES or _CACHES[encoder.name].encoder is not encoder:
        _CACHES[encoder.name] = VectorCache(encoder)
    return _CACHES[encoder.name]


__all__ = ["CACHED_VECTORS", "ENCODERS", "Encoder", "VectorCache", "get_encoder", "shared_cache"]
