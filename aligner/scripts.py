"""Letters and writing systems: which script a text is in, and how much of it.

One helper for every stage that asks: decoding (which legacy encoding reads as the
language's script), parsing (files swapped?), alignment (letters per sentence) and the
quality gate (a target left in the source's script).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import regex

LETTERS = regex.compile(r"\p{L}+")
SAMPLE_CHARS = 65536
"""Script shares are measured on the first this many characters: enough to decide, quick on a book."""

KNOWN_SCRIPTS = ("Latn", "Cyrl", "Grek", "Arab", "Hebr", "Armn", "Geor", "Hani", "Hira", "Kana", "Hang", "Deva", "Thai")
"""ISO 15924 codes that :func:`dominant_script` chooses from."""

_BMP = 0x10000
_SHORT_TEXT = 256
"""Below this many characters the pattern itself counts faster than a table look-up."""


@cache
def _pattern(script: str) -> regex.Pattern[str]:
    # The regex module knows the ISO 15924 codes as script names.
    return regex.compile(rf"\p{{Script={script}}}+")


@cache
def _table(pattern: regex.Pattern[str]) -> np.ndarray:
    """For each code point of the Basic Multilingual Plane, whether ``pattern`` matches it."""
    table = np.zeros(_BMP, dtype=bool)
    for match in pattern.finditer("".join(map(chr, range(_BMP)))):
        table[match.start() : match.end()] = True
    return table


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _count(pattern: regex.Pattern[str], text: str) -> int:
    """How many characters of ``text`` ``pattern`` (a run of one class) matches."""
    if len(text) < _SHORT_TEXT:
        return sum(map(len, pattern.findall(text)))
    # Long texts: one table look-up per character instead of a match object per run.
    codes = _code_points(text)
    if codes.max() < _BMP:
        return int(np.count_nonzero(_table(pattern).take(codes)))
    plane = codes < _BMP
    astral = "".join(map(chr, codes[~plane].tolist()))
    return int(np.count_nonzero(_table(pattern)[codes[plane]])) + sum(map(len, pattern.findall(astral)))


def letter_count(text: str) -> int:
    """The number of letters in ``text`` (not digits, punctuation or spaces)."""
    return _count(LETTERS, text)


_CHUNK_CHARACTERS = 1 << 20
"""Characters counted at a time: a book's texts at once took some 700 MB of arrays for a moment."""


def letter_counts(texts: Sequence[str]) -> np.ndarray:
    """:func:`letter_count` of each of ``texts``, a chunk of texts (about a million characters) at a time."""
    if not texts:
        return np.zeros(0, dtype=np.float64)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    bounds = np.unique(np.searchsorted(ends, np.arange(0, int(ends[-1]), _CHUNK_CHARACTERS), side="right"))
    limits = [0, *[int(b) for b in bounds if 0 < b < len(texts)], len(texts)]
    return np.concatenate([_letter_counts(texts[first:last]) for first, last in zip(limits, limits[1:])])


def _letter_counts(texts: Sequence[str]) -> np.ndarray:
    codes = _code_points("".join(texts))
    flags = np.zeros(len(codes) + 1, dtype=np.int64)
    plane = codes < _BMP
    flags[1:][plane] = _table(LETTERS)[codes[plane]]
    if not plane.all():  # letters beyond the BMP (rare: historic scripts, mathematical letters)
        flags[1:][~plane] = [letter_count(chr(code)) for code in codes[~plane].tolist()]
    ends = np.cumsum([len(text) for text in texts])
    totals = np.cumsum(flags)[np.concatenate(([0], ends))]
    return np.diff(totals).astype(np.float64)


def letter_share(text: str) -> float:
    """Letters per character in the sample of ``text``."""
    sample = text[:SAMPLE_CHARS]
    return letter_count(sample) / max(1, len(sample))


def script_letter_count(text: str, script: str) -> int:
    """The number of letters of ``text`` that are in ``script`` (ISO 15924)."""
    return _count(_pattern(script), text)


def script_share(text: str, script: str) -> float:
    """The share of the letters of ``text`` (its sample) that are in ``script`` (ISO 15924)."""
    sample = text[:SAMPLE_CHARS]
    letters = letter_count(sample)
    return script_letter_count(sample, script) / letters if letters else 0.0


def dominant_script(text: str) -> str | None:
    """The script most letters of ``text`` are in, of :data:`KNOWN_SCRIPTS`; None without letters."""
    sample = text[:SAMPLE_CHARS]
    counts = {script: _count(_pattern(script), sample) for script in KNOWN_SCRIPTS}
    best = max(counts, key=lambda script: counts[script])
    return best if counts[best] else None
