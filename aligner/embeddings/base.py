"""What every sentence encoder offers: a name, the languages it covers, and unit vectors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from aligner.errors import AlignerError
from aligner.languages import Language


class Encoder(ABC):
    """A multilingual sentence encoder: texts in, unit vectors out (one row per text).

    ``encode`` must give the same vector for a text whatever else it is asked to encode with
    it, so that vectors can be cached by text and outputs stay byte-identical from run to run.
    """

    name: ClassVar[str]
    """The name users give in ``--embeddings``; it goes into the settings signature."""
    languages: ClassVar[frozenset[str]]
    """Primary language subtags the encoder was trained on."""
    dimensions: ClassVar[int]
    """The length of its vectors."""

    def check_covers(self, language: Language) -> None:
        """Refuse a language the encoder does not cover: its vectors would be noise."""
        if language.code not in self.languages:
            raise AlignerError(
                f"the {self.name} encoder does not cover {language.name} ({language.code}); it covers "
                f"{', '.join(sorted(self.languages))}; align without --embeddings"
            )

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts``, shape (len(texts), dimensions), float32."""
