"""Parsing: files (plain text, HTML, pre-segmented text) → Document."""

from __future__ import annotations

import os
from pathlib import Path

from aligner.encoding import decode
from aligner.errors import AlignerError
from aligner.files import read_bytes
from aligner.languages import Language
from aligner.model import Document
from aligner.parse.html import parse_html
from aligner.parse.presegmented import parse_presegmented
from aligner.parse.text import parse_text
from aligner.scripts import SAMPLE_CHARS, letter_count, script_share

__all__ = ["INPUT_SUFFIXES", "parse_file", "parse_html", "parse_presegmented", "parse_text"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
INPUT_SUFFIXES = (".html", ".htm", ".txt")
"""Suffixes of the documents ``aligner run`` looks for, in order of preference for one stem."""
_MIN_LETTERS_FOR_SCRIPT_CHECK = 20


def parse_file(path: str | os.PathLike[str], language: Language, *, presegmented: bool = False) -> Document:
    """Read ``path`` as ``language`` and parse it by its kind.

    ``.html``/``.htm`` go through the HTML parser; anything else is plain text, or
    pre-segmented text (one sentence per line) when ``presegmented`` is set.
    """
    file = Path(path)
    data = read_bytes(file)
    name = str(file)
    if file.suffix.lower() in HTML_SUFFIXES:
        document = parse_html(data, language, source=name)
    else:
        text = decode(data, name, language.script)
        parse = parse_presegmented if presegmented else parse_text
        document = parse(text, language, source=name)
    if not document.paragraphs:
        raise AlignerError(f"{name}: no text left once page chrome was removed")
    _check_script(" ".join(p.text for p in document.paragraphs), language, name)
    return document


def _check_script(text: str, language: Language, name: str) -> None:
    """Refuse text whose letters are mostly not in the language's script (files swapped?)."""
    if language.script is None or letter_count(text[:SAMPLE_CHARS]) < _MIN_LETTERS_FOR_SCRIPT_CHECK:
        return
    share = script_share(text, language.script)
    if share < 0.5:
        raise AlignerError(
            f"{name}: only {share:.0%} of the letters are in the script of {language.name}; "
            "is this the right file, and are --src-lang/--tgt-lang right?"
        )
