"""Evidence keys of a sequence of units (sentences or paragraphs), in compressed sparse rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.align import kernel


@dataclass(frozen=True)
class Keys:
    """Weighted keys of a sequence of units in CSR form: unit ``u`` has keys
    ``ids[start[u]:start[u+1]]`` (sorted) with ``weights`` alike."""

    start: np.ndarray
    ids: np.ndarray
    weights: np.ndarray

    @classmethod
    def empty(cls, units: int) -> Keys:
        return cls(np.zeros(units + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))

    @classmethod
    def of(cls, units: Sequence[dict[int, float]]) -> Keys:
        """From one ``{key id: weight}`` per unit."""
        counts = np.array([len(u) for u in units], dtype=np.int64)
        start = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        ids = np.fromiter((k for u in units for k in sorted(u)), dtype=np.int64, count=int(start[-1]))
        weights = np.fromiter((u[k] for u in units for k in sorted(u)), dtype=np.float64, count=int(start[-1]))
        return cls(start, ids, weights)

    def __len__(self) -> int:
        return len(self.start) - 1

    def select(self, span: range) -> Keys:
        """The keys of units ``span`` (a contiguous range)."""
        lo, hi = int(self.start[span.start]), int(self.start[span.stop])
        return Keys(self.start[span.start : span.stop + 1] - lo, self.ids[lo:hi], self.weights[lo:hi])

    def merged(self, groups: np.ndarray) -> Keys:
        """Units merged by group number (non-decreasing, from 0): a key's weights are summed."""
        units = len(self)
        owner = np.repeat(groups, np.diff(self.start)) if units else np.zeros(0, dtype=np.int64)
        count = int(groups[-1]) + 1 if units else 0
        if not len(self.ids):
            return Keys.empty(count)
        span = int(self.ids.max()) + 1
        combined = owner * span + self.ids
        unique, inverse = np.unique(combined, return_inverse=True)
        weights = np.bincount(inverse, weights=self.weights, minlength=len(unique))
        new_owner = unique // span
        start = np.searchsorted(new_owner, np.arange(count + 1)).astype(np.int64)
        return Keys(start, (unique % span).astype(np.int64), weights)

    def mass(self) -> np.ndarray:
        """Prefix sums of each unit's total weight."""
        return kernel.unit_mass(self.start, self.weights)

    def postings(self, vocabulary: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """By key: CSR of (unit, weight), units ascending."""
        return kernel.key_postings(self.start, self.ids, self.weights, vocabulary)
