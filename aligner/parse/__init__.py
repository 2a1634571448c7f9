"""Parsing: files (plain text, HTML, pre-segmented text) → Document."""

from __future__ import annotations

import os
from pathlib import Path

import pycld2

from aligner.encoding import decode
from aligner.errors import AlignerError, warn
from aligner.files import read_bytes
from aligner.languages import Language, normalize_tag, same_language
from aligner.model import Document
from aligner.parse.html import parse_html
from aligner.parse.presegmented import parse_presegmented
from aligner.parse.text import parse_text
from aligner.scripts import SAMPLE_CHARS, letter_count, script_letter_count

__all__ = ["INPUT_SUFFIXES", "parse_file", "parse_html", "parse_presegmented", "parse_text"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
INPUT_SUFFIXES = (".html", ".htm", ".txt")
"""Suffixes of the documents ``aligner run`` looks for, in order of preference for one stem."""
_MIN_LETTERS_FOR_SCRIPT_CHECK = 20
_MIN_LETTERS_FOR_LANGUAGE_CHECK = 200
"""Below this, a language identifier's verdict on a document is a guess."""
_MIN_LANGUAGE_PERCENT = 80
_LANGUAGE_WINDOW_CHARS = 600
"""CLD2 reads three windows of this many characters (start, middle, end) of a long text: its time
grows with the text (about 60 µs per KB), and the check only warns; 1,800 characters are well
above the 200 letters it needs for a verdict."""


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
    sample = " ".join(p.text for p in document.paragraphs)[:SAMPLE_CHARS]
    letters = letter_count(sample)
    _check_script(sample, letters, language, name)
    _check_language(sample, letters, language, name)
    return document


def _check_script(sample: str, letters: int, language: Language, name: str) -> None:
    """Refuse text whose letters are mostly not in the language's script (files swapped?)."""
    if language.script is None or letters < _MIN_LETTERS_FOR_SCRIPT_CHECK:
        return
    share = script_letter_count(sample, language.script) / letters
    if share < 0.5:
        raise AlignerError(
            f"{name}: only {share:.0%} of the letters are in the script of {language.name}; "
            "is this the right file, and are --src-lang/--tgt-lang right?"
        )


def _check_language(sample: str, letters: int, language: Language, name: str) -> None:
    """Warn when the text is reliably in another language than ``language`` (same script: de for en).

    CLD2 (pycld2) decides; it is only asked with enough letters, and only a reliable verdict
    covering most of the text counts. Never an error: the script check refuses swapped files.
    """
    if letters < _MIN_LETTERS_FOR_LANGUAGE_CHECK:
        return
    window = _LANGUAGE_WINDOW_CHARS
    if len(sample) > 3 * window:
        middle = (len(sample) - window) // 2
        sample = " ".join((sample[:window], sample[middle : middle + window], sample[-window:]))
    try:
        reliable, _, details = pycld2.detect(sample.encode("utf-8", "replace"), isPlainText=True)
    except pycld2.error:
        return
    found_name, found_code, percent, _ = details[0]
    if not reliable or percent < _MIN_LANGUAGE_PERCENT or found_code in ("un", "xxx"):
        return
    try:
        normalize_tag(found_code)
    except AlignerError:
        return  # a code CLD2 knows and BCP 47 does not: no verdict
    if not same_language(found_code, language.code):
        warn(
            f"{name}: the text reads as {found_name.title()} ({found_code}), not {language.name}; "
            "are --src-lang/--tgt-lang right?"
        )
