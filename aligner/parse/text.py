"""Plain text, as scraped from a page: paragraphs separated by blank lines, chrome included."""

from __future__ import annotations

import re

from aligner.languages import Language
from aligner.model import Document
from aligner.parse.chrome import is_chrome
from aligner.parse.dates import is_date_line
from aligner.parse.layout import build_document

_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n")
_UNSPACED_LANGUAGES = frozenset({"zh", "ja", "yue"})


def parse_text(text: str, language: Language, source: str | None = None) -> Document:
    """Parse scraped plain text into a Document.

    A paragraph is a run of non-blank lines; its lines are joined with spaces. Chrome and
    date lines are dropped even when they are glued to a paragraph without a blank line.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    for chunk in _BLANK_LINES.split(text):
        lines: list[str] = []
        for line in chunk.split("\n"):
            line = line.strip()
            if is_chrome(line):
                continue
            if is_date_line(line, language) is not None:
                blocks.append(line)
            else:
                lines.append(line)
        if lines:
            # Hard-wrapped Chinese or Japanese lines join without a space: those scripts use none.
            blocks.append(("" if language.code in _UNSPACED_LANGUAGES else " ").join(lines))
    return build_document(blocks, language, source=source)
