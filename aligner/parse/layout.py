"""From the text blocks of a page to a Document: chrome and date lines out, title and turns found."""

from __future__ import annotations

import re

import regex

from aligner.languages import Language
from aligner.model import Document, Paragraph
from aligner.parse.chrome import is_chrome
from aligner.parse.dates import find_date, is_date_line
from aligner.parse.speakers import LABEL, speaker_labels

_SPACE = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")  # re: twice as fast as regex on a class
_ENDS_SENTENCE = regex.compile(r"[.!?…:;][\"'»”’)\]]*$")
_MAX_TITLE_CHARS = 300


def normalize_space(text: str) -> str:
    """Collapse runs of white space (not no-break spaces) to one space and strip the ends."""
    if "  " not in text and text.isprintable():
        return text.strip()  # no run to collapse: tabs, newlines and separators are not printable
    return _SPACE.sub(" ", text).strip()


def looks_like_title(text: str) -> bool:
    """A short line that does not end like a sentence: a headline."""
    return len(text) <= _MAX_TITLE_CHARS and not _ENDS_SENTENCE.search(text)


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
        if title is None and not body and looks_like_title(text) and not LABEL.match(text):
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
        language=language,
        paragraphs=tuple(paragraphs),
        title=title,
        date=date,
        source=source,
        url=url,
    )
