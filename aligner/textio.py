"""Reading user files safely and writing output files atomically."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

import regex

from aligner.errors import AlignerError

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Larger inputs are refused: a transcript is kilobytes, 64 MB is a book shelf."""

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
_LETTER = regex.compile(r"\p{L}")
_SCRIPT_LETTERS = {
    "Latn": regex.compile(r"\p{Script=Latin}"),
    "Cyrl": regex.compile(r"\p{Script=Cyrillic}"),
    "Grek": regex.compile(r"\p{Script=Greek}"),
}


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The content of ``path``; a missing, unreadable, empty or oversized file is an AlignerError."""
    file = Path(path)
    if not file.exists():
        raise AlignerError(f"{file}: no such file")
    if not file.is_file():
        raise AlignerError(f"{file}: not a regular file")
    size = file.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise AlignerError(
            f"{file}: {size / 2**20:.0f} MB is larger than the {MAX_INPUT_BYTES // 2**20} MB limit; "
            "split the document into parts"
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise AlignerError(f"{file}: cannot read ({error.strerror})") from None
    if not data.strip():
        raise AlignerError(f"{file}: the file is empty")
    return data


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
    if b"\x00" in data[:65536]:
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
        score = _script_share(text, script) if script else _letter_share(text)
        if score > best_score:
            best_text, best_score = text, score
    if best_text is None:
        raise AlignerError(f"{name}: unknown text encoding; convert the file to UTF-8")
    return _check_text(best_text, name)


def _check_text(text: str, name: str) -> str:
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise AlignerError(f"{name}: binary file (control characters); give a text or HTML file")
    return text


def _letter_share(text: str) -> float:
    sample = text[:65536]
    return len(_LETTER.findall(sample)) / max(1, len(sample))


def _script_share(text: str, script: str) -> float:
    pattern = _SCRIPT_LETTERS.get(script)
    if pattern is None:
        return _letter_share(text)
    sample = text[:65536]
    return len(pattern.findall(sample)) / max(1, len(_LETTER.findall(sample)))


def check_script(text: str, script: str | None, language_name: str, name: str) -> None:
    """Refuse text whose letters are mostly not in the language's script (files swapped?)."""
    if script not in _SCRIPT_LETTERS or len(_LETTER.findall(text[:65536])) < 20:
        return
    share = _script_share(text, script)
    if share < 0.5:
        raise AlignerError(
            f"{name}: only {share:.0%} of the letters are in the script of {language_name}; "
            "is this the right file, and are --src-lang/--tgt-lang right?"
        )


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a failure leaves no partial file."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise AlignerError(f"{target.parent}: cannot write there ({error.strerror}); choose another output folder") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise AlignerError(f"{target}: cannot write ({error.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
