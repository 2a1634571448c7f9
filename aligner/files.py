"""Reading user files safely, and writing output files so that a failure leaves no partial file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from aligner.errors import AlignerError

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Larger inputs are refused: a transcript is kilobytes, 64 MB is a book shelf."""


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


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file of ``files`` (each atomically); they are all rendered before this is called."""
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
