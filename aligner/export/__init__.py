"""Exporters: one module per file format, each with ``write`` (Alignment → bytes) and ``read``.

Adding a format means adding one module with ``SUFFIX``, ``write`` and ``read`` and naming it
in ``FORMATS``.
"""

from __future__ import annotations

from types import ModuleType

from aligner.errors import AlignerError
from aligner.export import beads, csv, po, tmx
from aligner.export.common import ExportOptions, TextPair

FORMATS: dict[str, ModuleType] = {"tmx": tmx, "po": po, "csv": csv, "beads": beads}

__all__ = ["FORMATS", "ExportOptions", "TextPair", "exporter"]


def exporter(name: str) -> ModuleType:
    """The module of format ``name``; an unknown name is an AlignerError listing the known ones."""
    try:
        return FORMATS[name.strip().lower()]
    except KeyError:
        raise AlignerError(f"unknown format '{name}'; choose from {', '.join(FORMATS)}") from None
