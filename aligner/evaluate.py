"""Alignment quality: strict and lax precision, recall and F1 (Sennrich and Volk, 2011).

The definitions are those of Vecalign's scorer: a test bead is strictly correct when the gold
has the same bead; laxly correct when it shares a source and a target sentence with the gold.
Recall swaps the roles, leaving out beads with an empty side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.errors import AlignerError
from aligner.formats import BeadIndices, format_beads, read_beads
from aligner.model import Alignment

__all__ = ["Scores", "beads_of", "format_beads", "read_beads", "score"]


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1."""

    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float


def beads_of(alignment: Alignment) -> list[BeadIndices]:
    """The beads of an alignment as index tuples."""
    return [(bead.source, bead.target) for bead in alignment.beads]


def _counts(gold: Sequence[BeadIndices], test: Sequence[BeadIndices]) -> tuple[int, int, int, int]:
    """True and false positives of ``test`` against ``gold``, strict and lax."""
    gold_set = {bead for bead in gold if bead[0] or bead[1]}
    test_set = {bead for bead in test if bead[0] or bead[1]}
    gold_targets: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            gold_targets[s].update(tgt)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for src, tgt in test_set:
        if (src, tgt) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        linked = set().union(*(gold_targets[s] for s in src)) if src else set()
        if linked.intersection(tgt):
            tp_lax += 1
        else:
            fp_lax += 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def score(gold: Sequence[Sequence[BeadIndices]], test: Sequence[Sequence[BeadIndices]]) -> Scores:
    """Scores summed over documents: ``gold[k]`` and ``test[k]`` belong to document ``k``."""
    if len(gold) != len(test):
        raise AlignerError(f"{len(gold)} gold alignments but {len(test)} test alignments")
    precision = [0, 0, 0, 0]
    recall = [0, 0, 0, 0]
    for gold_beads, test_beads in zip(gold, test):
        precision = [x + y for x, y in zip(precision, _counts(gold_beads, test_beads))]
        gold_pairs = [b for b in gold_beads if b[0] and b[1]]
        test_pairs = [b for b in test_beads if b[0] and b[1]]
        recall = [x + y for x, y in zip(recall, _counts(test_pairs, gold_pairs))]

    def ratio(hit: int, miss: int) -> float:
        return hit / (hit + miss) if hit + miss else 0.0

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    p_strict, r_strict = ratio(precision[0], precision[1]), ratio(recall[0], recall[1])
    p_lax, r_lax = ratio(precision[2], precision[3]), ratio(recall[2], recall[3])
    return Scores(p_strict, r_strict, f1(p_strict, r_strict), p_lax, r_lax, f1(p_lax, r_lax))
