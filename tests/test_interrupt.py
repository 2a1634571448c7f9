"""All-or-nothing output: a command interrupted at any point while it writes leaves its output
folder in the old state or the new one, never in between.

A batch of two document pairs is written as ``aligner run`` writes it (TMX, PO and CSV per pair,
and the merged TMX in a folder of its own) over an earlier output. The writing is broken at
every point in turn: an error or Ctrl-C in the writer at the k-th file, an error at the k-th
rename of the commit, a real SIGINT arriving during the k-th rename. After each, the folder
(hidden files included) must be byte for byte the old one or the new one.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from conftest import EN_TXT, RU_TXT, SETTINGS, snapshot

import aligner.files
from aligner.errors import AlignerError
from aligner.files import OutputFiles
from aligner.model import Alignment
from aligner.pipeline import align_files, export_alignment, export_merged


@pytest.fixture(scope="module")
def alignments() -> list[Alignment]:
    alignment = align_files(EN_TXT, RU_TXT, SETTINGS)
    return [alignment, alignment]


def write_batch(alignments: list[Alignment], out: Path) -> None:
    """What `aligner run` does once the pairs are aligned."""
    with OutputFiles([EN_TXT, RU_TXT]) as output:
        for stem, alignment in zip(("first", "second"), alignments):
            export_alignment(alignment, out, stem, SETTINGS, output)
        export_merged(alignments, out, SETTINGS, output)


@pytest.fixture(scope="module")
def states(alignments: list[Alignment], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The old folder (a user's file, older versions of some outputs, no merged folder) and the new one."""
    old = tmp_path_factory.mktemp("old")
    (old / "notes.txt").write_bytes(b"the user's own notes")
    for name in ("first.tmx", "first.po", "second.csv"):
        (old / name).write_bytes(f"an older {name}".encode())
    new = tmp_path_factory.mktemp("new")
    shutil.copytree(old, new, dirs_exist_ok=True)
    write_batch(alignments, new)
    old_state, new_state = snapshot(old), snapshot(new)
    # first and second .tmx .po .csv .srx, merged/ with all.tmx and all.srx: 11 entries, 3 of them replacing old ones.
    assert len(new_state) == len(old_state) + 8
    return old_state, new_state


def restore(out: Path, state: dict[str, bytes]) -> None:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    for name, data in state.items():
        if data != b"<dir>":
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)


FILES = 10  # first and second .tmx .po .csv .srx; merged/all.tmx and all.srx
RENAMES = FILES + 3  # each new file renamed into place, and each old one it replaces set aside first


class Broken(Exception):
    """Stands for any failure: a full disk, a bug, anything."""


@contextmanager
def failing_writer(k: int, error: BaseException) -> Iterator[None]:
    """The k-th file opened fails halfway through its content."""
    original = OutputFiles.open
    opened = 0

    @contextmanager
    def open_(self: OutputFiles, path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
        nonlocal opened
        opened += 1
        with original(self, path) as stream:
            if opened == k:
                stream.write(b"half a file")
                raise error
            yield stream

    OutputFiles.open = open_  # type: ignore[method-assign]
    try:
        yield
    finally:
        OutputFiles.open = original  # type: ignore[method-assign]


@contextmanager
def at_rename(k: int, action: Callable[[], None]) -> Iterator[list[int]]:
    """``action`` runs at the k-th os.replace of the commit (and only then)."""
    original = os.replace
    calls = [0]

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        calls[0] += 1
        if calls[0] == k:
            action()
        original(source, target)

    aligner.files.os.replace = replace  # type: ignore[assignment]
    try:
        yield calls
    finally:
        aligner.files.os.replace = original


def raise_(error: BaseException) -> Callable[[], None]:
    def action() -> None:
        raise error
    return action


@pytest.mark.parametrize("error", [Broken("disk full"), KeyboardInterrupt(), AlignerError("bad input")],
                         ids=["error", "ctrl-c", "aligner-error"])
@pytest.mark.parametrize("k", range(1, FILES + 1))
def test_a_failure_while_writing_the_kth_file_leaves_the_old_folder(
    k: int, error: BaseException, alignments: list[Alignment], states: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
) -> None:
    old, _ = states
    out = tmp_path / "out"
    restore(out, old)
    with failing_writer(k, error), pytest.raises(type(error)):
        write_batch(alignments, out)
    assert snapshot(out) == old


@pytest.mark.parametrize("k", range(1, RENAMES + 1))
def test_a_failure_at_the_kth_rename_of_the_commit_leaves_the_old_folder(
    k: int, alignments: list[Alignment], states: tuple[dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    old, _ = states
    out = tmp_path / "out"
    restore(out, old)
    with at_rename(k, raise_(OSError(28, "No space left on device"))) as calls, pytest.raises(AlignerError, match="nothing was changed"):
        write_batch(alignments, out)
    assert calls[0] >= k
    assert snapshot(out) == old


@pytest.mark.parametrize("k", range(1, RENAMES + 1))
def test_ctrl_c_during_the_kth_rename_waits_for_the_commit_and_leaves_the_new_folder(
    k: int, alignments: list[Alignment], states: tuple[dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    _, new = states
    out = tmp_path / "out"
    restore(out, states[0])
    with at_rename(k, lambda: os.kill(os.getpid(), signal.SIGINT)), pytest.raises(KeyboardInterrupt):
        write_batch(alignments, out)
    assert snapshot(out) == new


def test_every_rename_point_was_reached(alignments: list[Alignment], tmp_path: Path,
                                        states: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    """The rename tests cover the whole commit: it makes exactly RENAMES renames."""
    out = tmp_path / "out"
    restore(out, states[0])
    with at_rename(0, lambda: None) as calls:
        write_batch(alignments, out)
    assert calls[0] == RENAMES
    assert snapshot(out) == states[1]
