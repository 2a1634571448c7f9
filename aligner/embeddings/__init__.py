"""Optional semantic evidence: multilingual sentence encoders behind one small interface.

An encoder turns texts into unit vectors (:class:`~aligner.embeddings.base.Encoder`); this
registry is the only place that knows which encoders exist, so another one (a
sentence-transformers model the user has on disk, say) is one more module listed here.
:class:`VectorCache` keeps each text's vector, so that a text is encoded once however often
it is aligned.
"""

from __future__ import annotations

import hashlib
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


class VectorCache:
    """Vectors of texts by the hash of their text, for one encoder."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self._vectors: dict[bytes, np.ndarray] = {}
        self.encoded = 0
        """How many texts this cache had to encode (the others it already held)."""

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).digest()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts`` (rows in order), encoding only those not seen before."""
        keys = [self.key(text) for text in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            first = {k: text for k, text in zip(keys, texts)}
            fresh = self.encoder.encode([first[k] for k in missing])
            self._vectors.update(zip(missing, fresh))
            self.encoded += len(missing)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])


__all__ = ["ENCODERS", "Encoder", "VectorCache", "get_encoder"]
