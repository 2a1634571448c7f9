"""Dates written on a page ("30 December 2020", "30 декабря 2020 года, 10:15"), as ISO 8601."""

from __future__ import annotations

import re
from functools import cache

import regex

from aligner.languages import Language

_ISO_DATE = regex.compile(
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?"
)

_YEAR = re.compile(r"\d{4}")
"""Every date pattern has a four-digit year: a line without one is passed over at once."""


@cache
def _date_patterns(language: Language) -> tuple[regex.Pattern[str], ...]:
    if not language.months:
        return (_ISO_DATE,)
    names = "|".join(
        regex.escape(form) for forms in language.months for form in sorted(forms, key=len, reverse=True)
    )
    time = r"(?:[\s,]*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?!\d))?"
    # A word that may follow the year ("2020 года", "2020 г."); one ending in a letter must end a word.
    suffixes = "|".join(
        regex.escape(suffix) + (r"\b" if suffix[-1].isalpha() else "") for suffix in language.year_suffixes
    )
    year_suffix = rf"(?:\s*(?:{suffixes}))?" if suffixes else ""
    day_month_year = regex.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})\.?\s+(?P<month>{names})\.?\s+(?P<year>\d{{4}}){year_suffix}{time}",
        regex.IGNORECASE,
    )
    month_day_year = regex.compile(
        rf"\b(?P<month>{names})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){time}", regex.IGNORECASE
    )
    return (_ISO_DATE, day_month_year, month_day_year)


def find_date(text: str, language: Language) -> tuple[str, regex.Match[str]] | None:
    """The first date (and time, if given) in ``text`` as ISO 8601, with its match."""
    if _YEAR.search(text) is None:
        return None
    for pattern in _date_patterns(language):
        match = pattern.search(text)
        if match is None:
            continue
        month = match.group("month")
        month_number = int(month) if month.isdigit() else _month_number(month, language)
        day, year = int(match.group("day")), int(match.group("year"))
        if not (1 <= month_number <= 12 and 1 <= day <= 31):
            continue
        iso = f"{year:04d}-{month_number:02d}-{day:02d}"
        if match.group("hour") is not None and int(match.group("hour")) < 24:
            iso += f"T{int(match.group('hour')):02d}:{match.group('minute')}"
        return iso, match
    return None


def _month_number(name: str, language: Language) -> int:
    folded = name.casefold()
    for number, forms in enumerate(language.months, start=1):
        if folded in forms:
            return number
    return 0


_LINE_FILLER = " ,.|–—-\t"
"""What a date line may hold besides its date."""
_DATE_CHARACTERS = 64
"""More characters than any date of the patterns has, spaces and filler aside: day, month name,
year and its suffix, time, each with its punctuation (a test checks it for every language)."""
_FILLER_MARKS = tuple(_LINE_FILLER.replace(" ", "").replace("\t", ""))


def is_date_line(line: str, language: Language) -> str | None:
    """The ISO date when ``line`` is nothing but a date (and time), else None."""
    # A long line is prose, and searching it for dates took most of the time of parsing. What is
    # not the date must be filler, so a line with more than a date's characters is no date line.
    # str.split's white space includes all that the patterns' \s matches, so the count is never
    # more than the characters the date would need; the start of the line is enough to count.
    if len(line) > _DATE_CHARACTERS:
        head = line[: 4 * _DATE_CHARACTERS]
        if sum(map(len, head.split())) - sum(map(head.count, _FILLER_MARKS)) > _DATE_CHARACTERS:
            return None
    found = find_date(line, language)
    if found is None:
        return None
    iso, match = found
    rest = (line[: match.start()] + line[match.end() :]).strip(_LINE_FILLER)
    return iso if not rest else None
