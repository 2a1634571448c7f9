"""Pausing Python's cycle collector during work that makes millions of objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_cycle_collector() -> Iterator[None]:
    """Python's cycle collector off while the block runs, and back as the caller had it.

    Aligning and segmenting make millions of small objects (keys, tokens, beads, sentences) and
    no reference cycles, yet the collector walks all of them again and again as they pile up:
    0.35 of 2.7 s when aligning 20,000 sentences, a sixth of segmenting with the learned layer.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
