"""Numbers and dates written in different languages, reduced to comparable keys.

"17 декабря" and "December 17" both give the date key ``12-17``; "1,5 млрд" and "1.5 billion"
both give ``1500000000``; "2020–2021 гг." and "2020-21" both give 2020 and 2021. How a
language writes numbers (decimal mark, digit-group separators, multiplier words such as "млн"
or "billion", number words, page abbreviations, month names) comes from
``aligner/languages/<code>.json``; a language without a file is read with a decimal point, no
group separators and no words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import regex

from aligner.languages import Language

_FRACTIONS = "\u00bc-\u00be\u2150-\u215e"
# Days written "17th", "1er", "17-го", "18." and the like: letters glued to the digits, an
# ordinal point, and at most one short word between day and month ("17th of December").
_DAY_GAP = regex.compile(r"(?:-?\p{L}{1,3})?\.?\s*(?:\p{Ll}{1,3}\s+)?")
_MONTH_DAY_GAP = regex.compile(r"\.?\s+")
_WORD = regex.compile(r"\p{L}+")
# Numeric dates that cannot be misread: day.month.year (as in German and Russian) and ISO.
_DOTTED_DATE = regex.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_ISO_DATE = regex.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WORD_BEFORE = regex.compile(r"(?<!\p{L})(\p{L}+)\.?\s*$")
# What joins the two ends of a range: "2020–21", "1954/55", "S. 298-303".
_ELISION = regex.compile(r"['’][\p{L}«\"“]")
_LIST_MARK = regex.compile(r"[.)]\s")
_RANGE = regex.compile(r"\s?[-‐‑–—/]\s?")


@dataclass(frozen=True)
class Quantity:
    """A number or a date found in a text.

    ``key`` is what is compared across languages (``"1500"``, ``"8847.6"``, ``"12-17"`` for
    17 December); ``text`` is how it was written; ``day`` is the day of a date, so that
    "on the 17th" can still meet "17 декабря". A ``spelled`` quantity is a number word
    ("five", "пяти"): it can stand for a number on the other side, but since words such as
    "one" or "ein" are also articles and pronouns, a word alone is never a mismatch.
    """

    key: str
    text: str
    day: str | None = None
    spelled: bool = False


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    value: Decimal
    integer_digits: int
    is_integer: bool


class _Reader:
    """The compiled patterns of one language."""

    def __init__(self, language: Language) -> None:
        groups = "".join(regex.escape(ch) for ch in language.digit_group_separators)
        decimal = regex.escape(language.decimal_separator)
        grouped = rf"\d{{1,3}}(?:[{groups}]\d{{3}}(?!\d))+|" if groups else ""
        # A decimal part is taken only where it cannot be a digit group ("1,500" in English is
        # 1500, in Russian 1.5); "1 ½" is one and a half.
        self.number = regex.compile(
            rf"(?<!\d)(?:(?P<number>{grouped}\d+)(?:{decimal}(?P<fraction>\d+)(?!\d))?(?:\s?(?P<vulgar>[{_FRACTIONS}]))?"
            rf"|(?P<alone>[{_FRACTIONS}]))"
        )
        self.decimal = language.decimal_separator
        self.multipliers = dict(language.number_multipliers)
        self.words = dict(language.number_words)
        self.page_words = language.page_words
        self.months = {form.casefold(): number for number, forms in enumerate(language.months, 1) for form in forms}

    def quantities(self, text: str) -> list[Quantity]:
        found: list[Quantity] = []
        # Numeric dates first; their digits are then blanked so they are not read again.
        for pattern, order in ((_DOTTED_DATE, (1, 2, 3)), (_ISO_DATE, (3, 2, 1))):
            for match in pattern.finditer(text):
                day, month, year = (int(match.group(i)) for i in order)
                if 1 <= day <= 31 and 1 <= month <= 12:
                    found.append(Quantity(f"{month:02d}-{day:02d}", match.group(), str(day)))
                    found.append(Quantity(str(year), str(year)))
                    text = text[: match.start()] + " " * len(match.group()) + text[match.end() :]
        tokens = self._numbers(text)
        skipped = self._page_numbers(text, tokens)
        for word in _WORD.finditer(text):
            folded = word.group().casefold()
            if folded in self.words:
                found.append(Quantity(str(self.words[folded]), word.group(), spelled=True))
            month_number = self.months.get(folded)
            if month_number is None:
                continue
            day_index = self._day_before(text, tokens, word.start(), skipped)
            if day_index is None:
                day_index = self._day_after(text, tokens, word.end(), skipped)
            if day_index is not None:
                token = tokens[day_index]
                skipped.add(day_index)
                span = text[min(token.start, word.start()) : max(token.end, word.end())]
                found.append(Quantity(f"{month_number:02d}-{int(token.value):02d}", span, str(int(token.value))))
        if tokens and 0 not in skipped and _is_list_number(text, tokens[0]):
            skipped.add(0)
        for index, token in enumerate(tokens):
            if index not in skipped:
                found.append(Quantity(format(token.value.normalize(), "f"), text[token.start : token.end]))
        return found

    def _numbers(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        for match in self.number.finditer(text):
            if _is_code(text, match.start(), match.end()):
                continue
            if match.group("alone"):
                value = Decimal(str(unicodedata.numeric(match.group("alone"))))
                tokens.append(_Token(match.start(), match.end(), value, 0, False))
                continue
            digits = "".join(ch for ch in match.group("number") if ch.isdigit())
            fraction = match.group("fraction")
            value = Decimal(f"{digits}.{fraction}" if fraction else digits)
            if match.group("vulgar"):
                value += Decimal(str(unicodedata.numeric(match.group("vulgar")))).quantize(Decimal("0.0001"))
            scale, end = self._multiplier(text, match.end())
            whole = not fraction and not match.group("vulgar") and not scale
            if tokens and whole:
                value = _expand_short_year(text, tokens[-1], match.start(), digits, value)
            tokens.append(_Token(match.start(), end, value.scaleb(scale), len(digits), whole))
        return tokens

    def _multiplier(self, text: str, end: int) -> tuple[int, int]:
        """The power of ten of a multiplier word right after a number ("5bn", "1,5 млрд.")."""
        gap = 1 if text[end : end + 1] in (" ", "\u00a0") else 0
        word = _WORD.match(text, end + gap)
        if word is not None:
            scale = self.multipliers.get(word.group().casefold())
            if scale is not None:
                return scale, word.end() + (1 if text[word.end() : word.end() + 1] == "." else 0)
        return 0, end

    def _page_numbers(self, text: str, tokens: Sequence[_Token]) -> set[int]:
        """Indices of page numbers ("p. 80", "S. 298-303"), left out of the comparison.

        A translation is paginated on its own, and cites the edition in its own language, so
        its page numbers legitimately differ from the original's.
        """
        pages: set[int] = set()
        for index, token in enumerate(tokens):
            before = _WORD_BEFORE.search(text, max(0, token.start - 30), token.start)
            if before and before.group(1).casefold() in self.page_words:
                pages.add(index)
            elif index - 1 in pages and _RANGE.fullmatch(text, tokens[index - 1].end, token.start):
                pages.add(index)
        return pages

    def _day_before(self, text: str, tokens: Sequence[_Token], month_start: int, taken: set[int]) -> int | None:
        for index in range(len(tokens) - 1, -1, -1):
            token = tokens[index]
            if token.end > month_start:
                continue
            if _is_day(token) and index not in taken and _DAY_GAP.fullmatch(text, token.end, month_start):
                return index
            return None
        return None

    def _day_after(self, text: str, tokens: Sequence[_Token], month_end: int, taken: set[int]) -> int | None:
        for index, token in enumerate(tokens):
            if token.start < month_end:
                continue
            if _is_day(token) and index not in taken and _MONTH_DAY_GAP.fullmatch(text, month_end, token.start):
                return index
            return None
        return None


def _expand_short_year(text: str, previous: _Token, start: int, digits: str, value: Decimal) -> Decimal:
    """``21`` in "2020–21" is 2021, so that it meets "2020–2021" on the other side."""
    if (
        previous.is_integer
        and previous.integer_digits == 4
        and len(digits) == 2
        and _RANGE.fullmatch(text, previous.end, start)
        and int(previous.value) % 100 < int(value)
    ):
        return Decimal(int(previous.value) // 100 * 100 + int(value))
    return value


def _is_code(text: str, start: int, end: int) -> bool:
    """Digits glued to a capital letter ("G20", "5G", "A380", "K2") name a thing, not a quantity.

    Such codes are often spelled out in translation ("G20" is «Группа двадцати»). Digits glued
    to an apostrophe and a word ("1'«Human»") are an elision such as "l'" misread by OCR.
    """
    if (start > 0 and text[start - 1].isupper()) or (end < len(text) and text[end].isupper()):
        return True
    return _ELISION.match(text, end) is not None


def _is_list_number(text: str, token: _Token) -> bool:
    """A number that opens a segment as "7." or "7)" numbers a section or list item: editions
    number them differently, and it says nothing about the translation."""
    return (
        not text[: token.start].strip()
        and token.is_integer
        and token.integer_digits <= 3
        and _LIST_MARK.match(text, token.end) is not None
    )


def _is_day(token: _Token) -> bool:
    return token.is_integer and token.integer_digits <= 2 and 1 <= token.value <= 31


@cache
def _reader(language: Language) -> _Reader:
    return _Reader(language)


def quantities(text: str, language: Language) -> list[Quantity]:
    """The numbers, dates and number words of ``text``, as ``language`` writes them."""
    return _reader(language).quantities(text)


def unmatched(source: Sequence[Quantity], target: Sequence[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """The quantities of each side that the other side lacks (each key reported once).

    Presence is compared, not counts: a translation that says "this year" for a repeated
    "2020" has not drifted. A date and a bare day meet ("17 декабря", "the 17th"); a number
    meets a number word with its value ("5 лет", "five years").
    """
    return _lacking(source, target), _lacking(target, source)


def _lacking(side: Sequence[Quantity], other: Sequence[Quantity]) -> list[Quantity]:
    other_keys = {q.key for q in other}
    other_days = {q.day for q in other if q.day}
    lacking: dict[str, Quantity] = {}
    for quantity in side:
        if quantity.spelled or quantity.key in other_keys or quantity.key in other_days:
            continue
        if quantity.day and quantity.day in other_keys:
            continue
        lacking.setdefault(quantity.key, quantity)
    return list(lacking.values())
