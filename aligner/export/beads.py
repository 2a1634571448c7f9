"""Vecalign's bead format: ``[0, 1]:[2]`` per line, 0-based sentence indices, no texts.

It is what alignment benchmarks and their scorers read, so ``aligner evaluate`` reads it too.
"""

from __future__ import annotations

import regex

from aligner.errors import AlignerError
from aligner.export.common import ExportOptions
from aligner.model import Alignment

SUFFIX = ".beads"
BeadIndices = tuple[tuple[int, ...], tuple[int, ...]]
_BEAD_LINE = regex.compile(r"\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*")


def write(alignment: Alignment, options: ExportOptions) -> bytes:
    """One line per bead, every bead kept (1-0 and 0-1 included)."""
    del options  # indices need no language tags
    return format_beads((bead.source, bead.target) for bead in alignment.beads).encode("ascii")


def format_beads(beads) -> str:  # type: ignore[no-untyped-def]
    """``[0, 1]:[2]`` lines for an iterable of (source indices, target indices)."""
    return "".join(f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]\n" for src, tgt in beads)


def read(data: bytes, name: str = "beads") -> list[BeadIndices]:
    """The beads of a Vecalign file; a malformed line is an AlignerError naming it."""
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise AlignerError(f"{name}: not a text file") from None
    beads: list[BeadIndices] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _BEAD_LINE.fullmatch(line)
        if match is None:
            raise AlignerError(f"{name}:{number}: not a bead line like [0, 1]:[2]: {line[:60]!r}")
        source, target = (tuple(int(x) for x in side.replace(",", " ").split()) for side in match.groups())
        beads.append((source, target))
    return beads
