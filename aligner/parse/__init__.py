"""Parsing: files (plain text, HTML, pre-segmented text) → Document."""

from __future__ import annotations

import os
from pathlib import Path

from aligner.errors import AlignerError
from aligner.languages import get_language
from aligner.model import Document
from aligner.parse.html import parse_html
from aligner.parse.presegmented import parse_presegmented
from aligner.parse.text import parse_text
from aligner.textio import check_script, decode, read_bytes

__all__ = ["parse_file", "parse_html", "parse_presegmented", "parse_text"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def parse_file(path: str | os.PathLike[str], language: str, *, presegmented: bool = False) -> Document:
    """Read ``path`` as ``language`` and parse it by its kind.

    ``.html``/``.htm`` go through the HTML parser; anything else is plain text, or
    pre-segmented text (one sentence per line) when ``presegmented`` is set.
    """
    lang = get_language(language)
    file = Path(path)
    data = read_bytes(file)
    name = str(file)
    if file.suffix.lower() in HTML_SUFFIXES:
        document = parse_html(data, lang, source=name)
    else:
        text = decode(data, name, lang.script)
        parse = parse_presegmented if presegmented else parse_text
        document = parse(text, lang, source=name)
    if not document.paragraphs:
        raise AlignerError(f"{name}: no text left once page chrome was removed")
    check_script(" ".join(p.text for p in document.paragraphs), lang.script, lang.name, name)
    return document
