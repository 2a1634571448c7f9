"""Page chrome: the furniture around an article (language switchers, UI phrases, bullets)."""

from __future__ import annotations

from functools import cache

import regex

from aligner.languages import languages_with_resources

BULLETS = "•·▪◦●*|–—-"
_LANGUAGE_SWITCH = regex.compile(r"(?:[a-z]{2,3}(?:[-_][A-Z]{2})?|[A-Z]{2})\d*")


@cache
def _all_chrome_lines() -> frozenset[str]:
    """UI phrases of every language we have data for: pages mix them."""
    return frozenset(phrase.casefold() for language in languages_with_resources() for phrase in language.chrome_lines)


@cache
def _longest_chrome_line() -> int:
    return max(map(len, _all_chrome_lines()), default=0)


_FIRST_TOKEN = regex.compile(r"[^\s|\x1c-\x1f]+")
"""The first of the tokens ``str.split`` makes of a line once its bars are spaces."""


def is_chrome(line: str) -> bool:
    """True for a line of page furniture: a language switcher ("en-GB1 ru-RU1") or a UI phrase."""
    bare = line.strip().strip(BULLETS).strip()
    if not bare:
        return True
    # Case folding never shortens a text, so a line longer than every UI phrase is none of them.
    if len(bare) <= _longest_chrome_line() and bare.casefold() in _all_chrome_lines():
        return True
    first = _FIRST_TOKEN.search(bare)
    if first is None or not _LANGUAGE_SWITCH.fullmatch(first.group().strip(BULLETS)):
        return False  # prose: its first word is no language switch, so the line is none
    tokens = bare.replace("|", " ").split()
    return len(tokens) >= 2 and all(_LANGUAGE_SWITCH.fullmatch(t.strip(BULLETS)) for t in tokens)
