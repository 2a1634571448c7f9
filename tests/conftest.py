"""Shared paths and helpers for the tests: the bundled interview, the benchmark data, the CLI."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from aligner.cli import main
from aligner.formats import ExportOptions, InputFile, get_format
from aligner.languages import resolve_language, resolve_pair
from aligner.model import Corpus, Document, Paragraph, Sentence
from aligner.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "sources"
STEM = "lavrov-tass-2020-12-30"
EN_TXT = SOURCES / "en" / f"{STEM}.txt"
RU_TXT = SOURCES / "ru" / f"{STEM}.txt"
EN_HTML = SOURCES / "en" / f"{STEM}.html"
RU_HTML = SOURCES / "ru" / f"{STEM}.html"
GOLD = REPO / "tests" / "data" / "gold"
GOLD_BEADS = GOLD / f"{STEM}.en-ru.beads"
BENCH = REPO.parent / "shared" / "bench"
TEXTBERG = BENCH / "textberg"
EN = resolve_language("en")
RU = resolve_language("ru")
OPTIONS = ExportOptions(EN, RU)
"""en-GB → ru-RU, the tags the command line writes by default."""


def invoke(*args: object) -> Result:
    """Run the command in-process (fast), exceptions propagating."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def run_command(*args: object, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m aligner`` as a user would, to see its exact exit code and stderr."""
    environment = {k: v for k, v in os.environ.items() if k != "ALIGNER_DEBUG"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "aligner", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], expected_code: int = 2) -> str:
    """The single stderr line of a failed command, after checking the exit code and that no traceback shows."""
    assert result.returncode == expected_code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"stderr should be one line, got: {result.stderr!r}"
    return lines[0]


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every entry below ``directory``, hidden ones included, with the bytes of files."""
    if not directory.exists():
        return {}
    return {
        str(path.relative_to(directory)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(directory.rglob("*"))
    }


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dictionaries."""
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def csv_pairs(path: Path) -> list[tuple[str, str]]:
    """The (source, target) texts of a CSV written by aligner."""
    return [(row["source"], row["target"]) for row in csv_rows(path)]


def write_one(name: str, corpus: Corpus, options: ExportOptions = OPTIONS) -> bytes:
    """The bytes of a single-file format's file for ``corpus``."""
    (data,) = get_format(name).write(corpus, options)
    return data


def read_one(name: str, data: bytes, file_name: str = "x") -> Corpus:
    """The corpus in the bytes of a single-file format's file."""
    return get_format(name).read([InputFile(file_name, data)])


def document_of(language: str, sentences: list[str]) -> Document:
    """A one-paragraph document of pre-split sentences."""
    spans, offset = [], 0
    for text in sentences:
        spans.append(Sentence(text, offset, offset + len(text)))
        offset += len(text) + 1
    return Document(resolve_language(language), (Paragraph(" ".join(sentences), sentences=tuple(spans)),))


def settings_for(source: str = "en", target: str = "ru", **changes: object) -> Settings:
    """Settings of a run between two languages, with any field changed."""
    return Settings(languages=resolve_pair(source, target), **changes)  # type: ignore[arg-type]


SETTINGS = settings_for()
"""English → Russian with every default, as ``aligner run`` has them."""
