"""Decoding user files: byte order marks, UTF-8, UTF-16, and the legacy encodings still met on the web.

The order of trust: a byte order mark; UTF-16 recognised by its zero bytes; strict UTF-8; UTF-8
with a few broken bytes (replaced by U+FFFD and reported by line and column: a stray byte is
never a reason to read a whole file in another encoding); then a legacy code page, from the
candidates of charset-normalizer, decided by the language's script. A declared charset (an
HTML page's ``<meta charset>``) is checked against the bytes rather than believed.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from aligner.errors import AlignerError, warn
from aligner.scripts import SAMPLE_CHARS, script_share

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Binary files are full of these; a text file has none, or a stray few (removed with a warning).
# The standard library's engine scans a character class three times as fast as regex's, and
# every document is scanned twice.
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return: no text
# format carries them (XML forbids them) and the HTML parser chokes on them.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_UTF16_SAMPLE = 4096
_MAX_SHOWN_POSITIONS = 3
_MIN_SCRIPT_SHARE = 0.5


def decode(data: bytes, name: str, script: str | None = None, declared: str | None = None) -> str:
    """Decode ``data`` to text, with C0 control characters removed (and reported).

    ``script`` (ISO 15924, such as "Cyrl") decides between legacy encodings that all decode
    the bytes; ``declared`` is the charset the file names for itself, if any, checked against
    the bytes.
    """
    return remove_controls(_decode(data, name, script, declared), name)


def remove_controls(text: str, name: str) -> str:
    """``text`` without C0 control characters other than white space, with one warning if any went."""
    if CONTROL.search(text) is None:
        return text
    found = CONTROL.findall(text)
    codes = ", ".join(f"U+{code:04X}" for code in sorted({ord(c) for c in found}))
    warn(f"{name}: removed {len(found)} control character(s) ({codes}) that no text format carries")
    return CONTROL.sub("", text)


def _decode(data: bytes, name: str, script: str | None, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), name)
            except UnicodeDecodeError:
                raise AlignerError(f"{name}: broken {encoding.upper()} text after its byte order mark") from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return _check_text(data.decode(utf16), name)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:SAMPLE_CHARS]:
        raise AlignerError(f"{name}: binary file (NUL bytes); give a text or HTML file")
    if declared is not None:
        text = _declared(data, name, script, declared)
        if text is not None:
            return _check_text(text, name)
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data, name)
    if mostly_utf8 is not None:
        return _check_text(mostly_utf8, name)
    return _check_text(_legacy(data, name, script), name)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 by its zero bytes: text in Latin, Cyrillic, … has one in every other byte at most."""
    sample = data[: _UTF16_SAMPLE - _UTF16_SAMPLE % 2]
    if len(sample) < 8 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0) / (len(sample) / 2), sample[1::2].count(0) / (len(sample) / 2)
    if even >= 0.1 and odd == 0:
        return "utf-16-be"
    if odd >= 0.1 and even == 0:
        return "utf-16-le"
    return None


def _declared(data: bytes, name: str, script: str | None, declared: str) -> str | None:
    """The text as its declared charset reads it, when the bytes agree; None to decide from the bytes."""
    try:
        codec = codecs.lookup(declared)
    except LookupError:
        codec = None
    if codec is None or not getattr(codec, "_is_text_encoding", True):
        warn(f"{name}: ignored the declared charset {declared!r}, which is no text encoding; decided from the bytes")
        return None
    if codec.name == "utf-8":
        return None
    try:
        data.decode("utf-8")
        if data.isascii():
            return data.decode(codec.name)
        warn(f"{name}: the page declares {declared} but its bytes are UTF-8; read as UTF-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError:
        warn(f"{name}: the bytes are not {declared} as the page declares; decided from the bytes")
        return None
    if script and script_share(text, script) < _MIN_SCRIPT_SHARE:
        guessed = _legacy(data, name, script)
        if script_share(guessed, script) >= _MIN_SCRIPT_SHARE:
            warn(f"{name}: the page declares {declared}, which does not read as the language's script; decided from the bytes")
            return guessed
    return text


def _mostly_utf8(data: bytes, name: str) -> str | None:
    """UTF-8 with a few broken byte sequences replaced by U+FFFD (and reported); None if more are broken.

    "A few": at most 3, or one in 200 of the bytes outside ASCII, so that a code page (where
    nearly every such byte is broken UTF-8) never passes for UTF-8.
    """
    allowed = max(3, sum(1 for byte in data if byte >= 0x80) // 200)
    parts: list[str] = []
    broken: list[int] = []  # character offsets of the replacements in the decoded text
    position = 0
    length = 0
    while True:
        try:
            chunk = data[position:].decode("utf-8")
        except UnicodeDecodeError as error:
            good = data[position : position + error.start].decode("utf-8")
            parts.append(good)
            length += len(good)
            # Neighbouring broken bytes (an encoded surrogate is three) are one replacement.
            if not (good == "" and broken and broken[-1] == length - 1):
                parts.append("\ufffd")
                broken.append(length)
                length += 1
                if len(broken) > allowed:
                    return None
            position += error.end
            continue
        parts.append(chunk)
        break
    text = "".join(parts)
    shown = "; ".join(_line_and_column(text, offset) for offset in broken[:_MAX_SHOWN_POSITIONS])
    more = f" and {len(broken) - _MAX_SHOWN_POSITIONS} more" if len(broken) > _MAX_SHOWN_POSITIONS else ""
    warn(f"{name}: invalid UTF-8 replaced by U+FFFD at {shown}{more}; the rest of the file is UTF-8")
    return text


def _line_and_column(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    return f"line {text.count(chr(10), 0, offset) + 1}, column {offset - line_start + 1}"


def _legacy(data: bytes, name: str, script: str | None) -> str:
    """The code page that charset-normalizer finds likeliest among those that read as ``script``."""
    candidates = [match for match in charset_normalizer.from_bytes(data) if match.encoding not in ("utf_8", "ascii")]
    for match in candidates:
        text = str(match)
        if script is None or script_share(text, script) >= _MIN_SCRIPT_SHARE:
            return text
    if candidates:
        return str(candidates[0])
    raise AlignerError(f"{name}: unknown text encoding; convert the file to UTF-8")


def _check_text(text: str, name: str) -> str:
    sample = text[:SAMPLE_CHARS]
    if _BINARY_CONTROL.search(sample) is not None and len(_BINARY_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise AlignerError(f"{name}: binary file (control characters); give a text or HTML file")
    return text
