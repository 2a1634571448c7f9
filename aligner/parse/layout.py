"""What text parsing and HTML parsing share: page chrome, dates, titles and speaker turns."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

import regex

from aligner.languages import Language, get_language
from aligner.model import Document, Paragraph

_SPACE = regex.compile(r"[ \t\r\n\f\v\u2028\u2029]+")
_BULLETS = "•·▪◦●*|–—-"
_LANGUAGE_TAG = regex.compile(r"(?:[a-z]{2,3}(?:[-_][A-Z]{2})?|[A-Z]{2})\d*")
_ENDS_SENTENCE = regex.compile(r"[.!?…:;][\"'»”’)\]]*$")
_INITIALS_NAME = regex.compile(r"(?:\p{Lu}\.\s?){1,3}\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?")
_FULL_NAME = regex.compile(r"\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2}")
_ONE_WORD = regex.compile(r"\p{Lu}\p{Ll}+")
_LABEL = regex.compile(r"^(\p{Lu}[\p{L}. -]{0,40}?)\s?:\s+(?=\S)")
_MAX_TITLE_CHARS = 300


def normalize_space(text: str) -> str:
    """Collapse runs of white space (not no-break spaces) to one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=None)
def _all_chrome_lines() -> frozenset[str]:
    """UI phrases of every language we have data for: pages mix them."""
    phrases: set[str] = set()
    for entry in resources.files("aligner.languages").iterdir():
        if entry.name.endswith(".json"):
            phrases |= {p.casefold() for p in get_language(entry.name[:-5]).chrome_lines}
    return frozenset(phrases)


def is_chrome(line: str) -> bool:
    """True for a line of page furniture: a language switcher or a UI phrase."""
    bare = line.strip().strip(_BULLETS).strip()
    if not bare:
        return True
    if bare.casefold() in _all_chrome_lines():
        return True
    tokens = bare.replace("|", " ").split()
    return len(tokens) >= 2 and all(_LANGUAGE_TAG.fullmatch(t.strip(_BULLETS)) for t in tokens)


@lru_cache(maxsize=None)
def _date_patterns(language: Language) -> tuple[regex.Pattern[str], ...]:
    if not language.months:
        return (_ISO_DATE,)
    names = "|".join(
        regex.escape(form) for forms in language.months for form in sorted(forms, key=len, reverse=True)
    )
    time = r"(?:[\s,]*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?!\d))?"
    year_suffix = r"(?:\s*(?:г\.|года|г\b))?"
    day_month_year = regex.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})\.?\s+(?P<month>{names})\.?\s+(?P<year>\d{{4}}){year_suffix}{time}",
        regex.IGNORECASE,
    )
    month_day_year = regex.compile(
        rf"\b(?P<month>{names})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){time}", regex.IGNORECASE
    )
    return (_ISO_DATE, day_month_year, month_day_year)


_ISO_DATE = regex.compile(
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?"
)


def find_date(text: str, language: Language) -> tuple[str, regex.Match[str]] | None:
    """The first date (and time, if given) in ``text`` as ISO 8601, with its match."""
    for pattern in _date_patterns(language):
        match = pattern.search(text)
        if match is None:
            continue
        month = match.group("month")
        if not month.isdigit():
            month_number = _month_number(month, language)
        else:
            month_number = int(month)
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


def is_date_line(line: str, language: Language) -> str | None:
    """The ISO date when ``line`` is nothing but a date (and time), else None."""
    found = find_date(line, language)
    if found is None:
        return None
    iso, match = found
    rest = (line[: match.start()] + line[match.end() :]).strip(" ,.|–—-\t")
    return iso if not rest else None


def looks_like_title(text: str) -> bool:
    """A short line that does not end like a sentence: a headline."""
    return len(text) <= _MAX_TITLE_CHARS and not _ENDS_SENTENCE.search(text)


def speaker_labels(texts: list[str], language: Language) -> list[str | None]:
    """The speaker label opening each paragraph, or None.

    Accepted: the language's question labels ("Question", "Вопрос"), names with initials
    ("С.В.Лавров", "S. Lavrov"), two- or three-word capitalised names ("Sergey Lavrov"), and a
    single capitalised word when it opens at least two paragraphs ("Lavrov").
    """
    candidates = []
    for text in texts:
        match = _LABEL.match(text)
        candidates.append(match.group(1).strip() if match else None)
    recurring = Counter(c for c in candidates if c)
    labels: list[str | None] = []
    for label in candidates:
        labels.append(label if label and _is_speaker(label, language, recurring[label]) else None)
    return labels


def _is_speaker(label: str, language: Language, occurrences: int) -> bool:
    if label in language.question_labels:
        return True
    if _INITIALS_NAME.fullmatch(label):
        return True
    words = label.replace("-", " ").split()
    if any(w.casefold() in language.common_words for w in words):
        return False
    if _FULL_NAME.fullmatch(label):
        return True
    return occurrences >= 2 and bool(_ONE_WORD.fullmatch(label))


def build_document(
    blocks: list[str],
    language: Language,
    *,
    title: str | None = None,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Document:
    """Turn the text blocks of a page (in reading order) into a Document.

    Chrome blocks are dropped, a block that is only a date gives the date, the first
    headline-like block gives the title when none is known, and speaker labels are found.
    The title becomes the first paragraph, marked as a heading, so that it is aligned too.
    """
    body: list[str] = []
    for block in blocks:
        text = normalize_space(block)
        if is_chrome(text):
            continue
        block_date = is_date_line(text, language)
        if block_date is not None:
            date = date or block_date
            continue
        if title is not None and text == title:
            continue
        if title is None and not body and looks_like_title(text) and not _LABEL.match(text):
            title = text
            continue
        body.append(text)
    if date is None and title:
        found = find_date(title, language)
        date = found[0] if found else None
    paragraphs = [Paragraph(text=title, is_heading=True)] if title else []
    for text, speaker in zip(body, speaker_labels(body, language)):
        paragraphs.append(Paragraph(text=text, speaker=speaker))
    return Document(
        language=language.code,
        paragraphs=tuple(paragraphs),
        title=title,
        date=date,
        source=source,
        url=url,
    )
