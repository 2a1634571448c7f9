"""Letters and writing systems: which script a text is in, and how much of it.

One helper for every stage that asks: decoding (which legacy encoding reads as the
language's script), parsing (files swapped?), alignment (letters per sentence) and the
quality gate (a target left in the source's script).
"""

from __future__ import annotations

from functools import cache

import regex

LETTERS = regex.compile(r"\p{L}+")
SAMPLE_CHARS = 65536
"""Script shares are measured on the first this many characters: enough to decide, quick on a book."""

KNOWN_SCRIPTS = ("Latn", "Cyrl", "Grek", "Arab", "Hebr", "Armn", "Geor", "Hani", "Hira", "Kana", "Hang", "Deva", "Thai")
"""ISO 15924 codes that :func:`dominant_script` chooses from."""


@cache
def _pattern(script: str) -> regex.Pattern[str]:
    # The regex module knows the ISO 15924 codes as script names.
    return regex.compile(rf"\p{{Script={script}}}+")


def _count(pattern: regex.Pattern[str], text: str) -> int:
    # Runs, not single characters: a list of one-letter strings costs four times as much.
    return sum(map(len, pattern.findall(text)))


def letter_count(text: str) -> int:
    """The number of letters in ``text`` (not digits, punctuation or spaces)."""
    return _count(LETTERS, text)


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
