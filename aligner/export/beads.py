"""Vecalign's bead format: ``[0, 1]:[2]`` per line, 0-based sentence indices, no texts.

It is what alignment benchmarks and their scorers read, so ``aligner evaluate`` reads it too.
Having no texts, it can be written from any records that carry sentence indices but cannot be
converted into another format.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from aligner.errors import AlignerError
from aligner.export.common import Corpus, ExportOptions

SUFFIX = ".beads"
BeadIndices = tuple[tuple[int, ...], tuple[int, ...]]
_BEAD_LINE = regex.compile(r"\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*")


def write(corpus: Corpus, options: ExportOptions) -> bytes:
    """One line per record, every record kept (1-0 and 0-1 included)."""
    del options  # indices need no language tags
    missing = [record.uid for record in corpus.records if not record.source_sentences and not record.target_sentences]
    if missing:
        raise AlignerError(
            f"{corpus.name}: unit {missing[0]} has no sentence indices (TMX, PO and Moses files do not keep them "
            "all); write beads from an alignment, a CSV, a TSV or a JSONL file"
        )
    beads = ((record.source_sentences, record.target_sentences) for record in corpus.records)
    return format_beads(beads).encode("ascii")


def format_beads(beads: Iterable[BeadIndices]) -> str:
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
