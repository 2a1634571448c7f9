"""Numbers written in words or in Chinese numerals, as values: 二十一 = "twenty-one" = 21.

A translator writes "twenty-one" for 二十一 and "fourteenth" for 十四, so a number is evidence
only once it is a value. Digits are read by ``features``; this module reads Chinese and
Japanese numerals (by the Unicode numeric values of their characters) and number words of
English and Russian, including compounds ("twenty-one", "двадцать один") and English
ordinals. Only values of at least 2 are kept: "one" and 一 are articles as often as numbers.
"""

from __future__ import annotations

import unicodedata

import regex

_CJK_DIGITS = {"零": 0, "〇": 0, "两": 2, "兩": 2}
_CJK_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CJK_GROUPS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_LETTERS = regex.compile(r"\p{L}+")
CJK_NUMERAL = regex.compile(r"[零〇一二三四五六七八九两兩十拾百佰千仟万萬亿億]+")

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "один": 1,
    "одна": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "сто": 100, "тысяча": 1000, "тысяч": 1000}
_NUMBER_WORDS = frozenset(_TENS) | frozenset(_UNITS) | frozenset(_TEENS)
"""The words that start (or are) a number."""


def _cjk_digit(ch: str) -> int:
    return _CJK_DIGITS[ch] if ch in _CJK_DIGITS else int(unicodedata.numeric(ch))


def cjk_value(run: str) -> int | None:
    """The value of a run of Chinese numerals such as 二十一, 一百零五, 三万, or None."""
    total, group, digit = 0, 0, None
    for ch in run:
        if ch in _CJK_GROUPS:
            group = (group + (digit or 0)) or 1
            total += group * _CJK_GROUPS[ch]
            group, digit = 0, None
        elif ch in _CJK_UNITS:
            group += (1 if digit is None else digit) * _CJK_UNITS[ch]
            digit = None
        else:
            value = _cjk_digit(ch)
            if value == 0 and (group or total):  # 一百零五: the zero only holds a place
                continue
            if digit is not None:  # digit by digit, as in 一九四九; else not one number
                if any(c in _CJK_UNITS or c in _CJK_GROUPS for c in run):
                    return None
                return int("".join(str(_cjk_digit(c)) for c in run))
            digit = value
    return total + group + (digit or 0)


def cjk_numbers(text: str) -> list[int]:
    """Values of at least 2 of the Chinese numerals in ``text``."""
    values = []
    for run in CJK_NUMERAL.findall(text):
        value = cjk_value(run)
        if value is not None and value >= 2:
            values.append(value)
    return values


def word_numbers(text: str) -> list[int]:
    """Values of at least 2 of the English and Russian number words in ``text``."""
    words = _LETTERS.findall(text.lower())
    if _NUMBER_WORDS.isdisjoint(words):
        return []  # most sentences: no number can start (scales and "and" only extend one)
    values = []
    current: int | None = None
    for word in words:
        if word in _TENS:
            if current is not None:
                values.append(current)
            current = _TENS[word]
        elif word in _UNITS:
            if current is not None and (20 <= current % 100 <= 90 and current % 10 == 0 or current % 100 == 0):
                current += _UNITS[word]
            else:
                if current is not None:
                    values.append(current)
                current = _UNITS[word]
        elif word in _TEENS:
            if current is not None and current % 100 == 0:
                current += _TEENS[word]
            else:
                if current is not None:
                    values.append(current)
                current = _TEENS[word]
        elif word in _SCALES and current is not None:
            current *= _SCALES[word]
        elif word == "and" and current is not None and current >= 100:
            continue
        else:
            if current is not None:
                values.append(current)
            current = None
    if current is not None:
        values.append(current)
    return [v for v in values if v >= 2]
