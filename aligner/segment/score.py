"""Sentence-boundary precision, recall and F1 of a split against a gold split.

A boundary is the end of a sentence that is not the last of its paragraph: paragraph ends
come from the layout, not from the segmenter, so they are not counted. Positions are taken
in the paragraph's text with white space removed, so that splitters that keep, trim or
normalise spaces are compared on the same footing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.errors import AlignerError
from aligner.languages import Language
from aligner.parse import parse_file

Paragraphs = Sequence[Sequence[str]]
"""Paragraphs, each a list of its sentences."""


@dataclass(frozen=True)
class BoundaryScores:
    """Counts of gold, found and correct boundaries, and the measures built on them."""

    gold: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        """Share of found boundaries that are in the gold."""
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """Share of gold boundaries that were found."""
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def read_gold(path: str | os.PathLike[str], language: Language) -> list[list[str]]:
    """A gold file: one sentence per line, a blank line between paragraphs."""
    document = parse_file(path, language, presegmented=True)
    return [[sentence.text for sentence in paragraph.sentences] for paragraph in document.paragraphs]


UNSPACED_LANGUAGES = frozenset({"zh", "ja", "yue"})
"""Languages (primary subtags) whose writing puts no space between sentences."""


def sentence_separator(language: Language) -> str:
    """What stands between two sentences of a paragraph in ``language``: a space, or nothing (Chinese, Japanese)."""
    return "" if language.code in UNSPACED_LANGUAGES else " "


def paragraph_texts(paragraphs: Paragraphs, separator: str = " ") -> list[str]:
    """The running text of each paragraph: its sentences joined by ``separator``."""
    return [separator.join(sentences) for sentences in paragraphs]


def boundaries(sentences: Sequence[str]) -> set[int]:
    """Ends of all but the last sentence, as offsets in the text without white space."""
    ends, offset = set(), 0
    for sentence in sentences[:-1]:
        offset += len("".join(sentence.split()))
        ends.add(offset)
    return ends


def boundary_scores(gold: Paragraphs, test: Paragraphs) -> BoundaryScores:
    """Score ``test`` against ``gold``, paragraph by paragraph; both must split the same text."""
    if len(gold) != len(test):
        raise AlignerError(f"{len(gold)} gold paragraphs but {len(test)} split paragraphs")
    gold_count = found = correct = 0
    for number, (gold_sentences, test_sentences) in enumerate(zip(gold, test), start=1):
        if "".join("".join(gold_sentences).split()) != "".join("".join(test_sentences).split()):
            raise AlignerError(f"paragraph {number}: the split is not of the gold text")
        expected, got = boundaries(gold_sentences), boundaries(test_sentences)
        gold_count += len(expected)
        found += len(got)
        correct += len(expected & got)
    return BoundaryScores(gold_count, found, correct)
