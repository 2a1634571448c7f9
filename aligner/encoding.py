"""Decoding user files: byte order marks, UTF-8, and the legacy encodings still met on the web."""

from __future__ import annotations

import codecs

import regex

from aligner.errors import AlignerError
from aligner.scripts import SAMPLE_CHARS, letter_share, script_share

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte encodings still met on the web, tried in this order when UTF-8 fails.
_LEGACY_ENCODINGS = ("cp1251", "koi8-r", "cp1252", "iso-8859-2", "cp1250")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, name: str, script: str | None = None) -> str:
    """Decode ``data`` to text: BOM, else UTF-8, else the legacy encoding that reads best.

    ``script`` (ISO 15924, such as "Cyrl") helps choose between legacy encodings: cp1251 and
    cp1252 decode any byte string, so the one giving most letters of the expected script wins.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), name)
            except UnicodeDecodeError:
                raise AlignerError(f"{name}: broken {encoding.upper()} text after its byte order mark") from None
    if b"\x00" in data[:SAMPLE_CHARS]:
        raise AlignerError(f"{name}: binary file (NUL bytes); give a text or HTML file")
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    best_text, best_score = None, -1.0
    for encoding in _LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = script_share(text, script) if script else letter_share(text)
        if score > best_score:
            best_text, best_score = text, score
    if best_text is None:
        raise AlignerError(f"{name}: unknown text encoding; convert the file to UTF-8")
    return _check_text(best_text, name)


def _check_text(text: str, name: str) -> str:
    sample = text[:SAMPLE_CHARS]
    if sample and len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise AlignerError(f"{name}: binary file (control characters); give a text or HTML file")
    return text
