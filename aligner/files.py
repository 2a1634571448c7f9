"""Reading user files safely, and writing a command's output files all together or not at all.

:class:`OutputFiles` stages every file of a command in a temporary file beside its final name
(same folder, so the final step is a rename), and commits them together at the end: each old
file is moved aside, each new one renamed into place, and the old ones deleted. Any error or
interrupt before or during that commit puts the old files back and removes the temporaries,
so the output folders hold either their old files or all the new ones. SIGINT and SIGTERM wait
while the renames run (a few microseconds per file). Temporaries and set-aside files that a
killed run (SIGKILL, power loss) left behind carry its process id; the next run that writes to
the same folder removes them, or restores a set-aside old file whose new one never arrived.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO

from aligner.errors import AlignerError, warn

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Larger inputs are refused: a transcript is kilobytes, 64 MB is a book shelf."""
_TEMPORARY = ".aligner-tmp"
_SET_ASIDE = ".aligner-old"


def read_bytes(path: str | os.PathLike[str], limit: int | None = MAX_INPUT_BYTES) -> bytes:
    """The content of ``path``; a missing, unreadable, empty or oversized file is an AlignerError."""
    file = Path(path)
    if not file.exists():
        raise AlignerError(f"{file}: no such file")
    if not file.is_file():
        raise AlignerError(f"{file}: not a regular file")
    size = file.stat().st_size
    if limit is not None and size > limit:
        raise AlignerError(
            f"{file}: {size / 2**20:.0f} MB is larger than the {limit // 2**20} MB limit; split the document into parts"
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise AlignerError(f"{file}: cannot read ({error.strerror})") from None
    if not data.strip():
        raise AlignerError(f"{file}: the file is empty")
    return data


class OutputFiles:
    """The files one command writes, committed together when the ``with`` block ends without error.

    ``inputs`` are the files the command reads: writing over one of them is refused before
    anything is written.
    """

    def __init__(self, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
        self._inputs = {_identity(Path(path)) for path in inputs}
        self._staged: dict[Path, Path] = {}
        self._created_folders: list[Path] = []
        self.written: list[Path] = []

    def __enter__(self) -> OutputFiles:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self._discard()

    def add(self, path: str | os.PathLike[str], data: bytes) -> None:
        """Stage ``data`` as the new content of ``path``."""
        with self.open(path) as stream:
            stream.write(data)

    @contextlib.contextmanager
    def open(self, path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
        """A stream into the staged new content of ``path``."""
        target = Path(path)
        if _identity(target) in self._inputs:
            raise AlignerError(
                f"{target}: the command reads this file itself; writing its output there would destroy it, "
                "so choose another output name or folder"
            )
        if target in self._staged:
            raise AlignerError(f"{target}: two outputs of the command have this name")
        if target.is_dir():
            raise AlignerError(f"{target}: a folder has the output's name; choose another output folder")
        self._make_folder(target.parent)
        _clear_leftovers(target.parent)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{_TEMPORARY}")
        try:
            stream = open(temporary, "xb")
        except OSError as error:
            raise AlignerError(f"{target.parent}: cannot write there ({error.strerror}); choose another output folder") from None
        self._staged[target] = temporary
        try:
            with stream:
                yield stream
        except OSError as error:
            raise AlignerError(f"{target}: cannot write ({error.strerror})") from None

    def commit(self) -> None:
        """Put every staged file in place, or (on any failure) none of them."""
        with _signals_held():
            set_aside: dict[Path, Path] = {}
            placed: list[Path] = []
            try:
                for target, temporary in self._staged.items():
                    os.chmod(temporary, 0o666 & ~_umask())
                    if target.exists():
                        aside = target.with_name(f".{target.name}.{os.getpid()}{_SET_ASIDE}")
                        os.replace(target, aside)
                        set_aside[target] = aside
                    os.replace(temporary, target)
                    placed.append(target)
            except BaseException as error:
                for target in reversed(placed):
                    target.unlink(missing_ok=True)
                for target, aside in set_aside.items():
                    os.replace(aside, target)
                self._discard()
                if isinstance(error, OSError):
                    raise AlignerError(f"cannot put the output files in place ({error.strerror}); nothing was changed") from None
                raise
            for aside in set_aside.values():
                aside.unlink(missing_ok=True)
        self.written = list(self._staged)
        self._staged.clear()

    def _discard(self) -> None:
        for temporary in self._staged.values():
            temporary.unlink(missing_ok=True)
        self._staged.clear()
        for folder in reversed(self._created_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._created_folders.clear()

    def _make_folder(self, folder: Path) -> None:
        missing = []
        current = folder
        while not current.exists():
            missing.append(current)
            current = current.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise AlignerError(f"{folder}: cannot write there ({error.strerror}); choose another output folder") from None
        self._created_folders += reversed(missing)


def write_files(files: Mapping[Path, bytes], inputs: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Write every file of ``files`` together (see :class:`OutputFiles`); the paths written."""
    with OutputFiles(inputs) as output:
        for path, data in files.items():
            output.add(path, data)
    return output.written


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write one file so that a failure leaves the old one (or none), never a partial file."""
    write_files({Path(path): data})


def _clear_leftovers(folder: Path) -> None:
    """Remove what a killed run left in ``folder``; restore an old file whose new one never came."""
    try:
        entries = [entry for entry in folder.iterdir() if entry.name.endswith((_TEMPORARY, _SET_ASIDE))]
    except OSError:
        return
    cleared = 0
    for entry in entries:
        parts = entry.name.split(".")
        pid_text = parts[-3] if entry.name.endswith(_TEMPORARY) else parts[-2]
        if not pid_text.isdecimal() or _alive(int(pid_text)):
            continue
        if entry.name.endswith(_SET_ASIDE):
            original = folder / entry.name[1 : -len(f".{pid_text}{_SET_ASIDE}")]
            if not original.exists():
                os.replace(entry, original)
                cleared += 1
                continue
        entry.unlink(missing_ok=True)
        cleared += 1
    if cleared:
        warn(f"{folder}: cleared {cleared} temporary file(s) left by an interrupted run")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _identity(path: Path) -> Path:
    return path.resolve()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends, then take effect (main thread only).

    Their handlers are swapped for one that notes the signal, rather than the signals being
    blocked: a process-directed signal reaches any thread that does not block it (numpy's and
    numba's worker threads), and Python would then interrupt the main thread all the same.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def note(number: int, frame: object) -> None:
        arrived.append(number)

    previous = {number: signal.signal(number, note) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for number in dict.fromkeys(arrived):
            signal.raise_signal(number)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
