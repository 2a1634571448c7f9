"""The bead cost: a length model, bead-type priors, lexical evidence and speaker turns."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from aligner.align.dp import CostFunction


@dataclass(frozen=True)
class CostModel:
    """Parameters of the bead cost; every number here is a log-probability scale in nats.

    ``variance`` is Gale and Church's per-character variance of the length difference;
    ``lexical_weight`` scales the key overlap of a bead (0 to 1) per sentence with keys;
    ``turn_*`` reward and punish agreement of speaker turns between paragraphs.
    """

    variance: float = 6.8
    prior_1_1: float = 0.89
    prior_1_0: float = 0.005
    prior_2_1: float = 0.045
    prior_2_2: float = 0.011
    prior_3_1: float = 0.004
    lexical_weight: float = 6.0
    turn_bonus: float = 2.0
    turn_penalty: float = 6.0

    def prior_cost(self, a: int, b: int) -> float:
        """``-log P(bead type)``."""
        prior = {
            (1, 1): self.prior_1_1,
            (1, 0): self.prior_1_0,
            (0, 1): self.prior_1_0,
            (2, 1): self.prior_2_1,
            (1, 2): self.prior_2_1,
            (2, 2): self.prior_2_2,
            (3, 1): self.prior_3_1,
            (1, 3): self.prior_3_1,
        }[(a, b)]
        return -math.log(prior)


@dataclass(frozen=True)
class Units:
    """One side's units (sentences or paragraphs) as the cost model sees them.

    ``keyed`` counts the sentences in each unit that have any evidence keys: the lexical
    bonus grows with it, so that merging a sentence without keys into a bead gains nothing.
    """

    lengths: tuple[int, ...]
    keys: tuple[dict[str, float], ...]
    keyed: tuple[int, ...]
    turns: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.lengths)

    def coarsened(self) -> Units:
        """Neighbours merged in pairs (the last unit alone when the count is odd)."""
        pairs = range(0, len(self), 2)
        return Units(
            lengths=tuple(sum(self.lengths[k : k + 2]) for k in pairs),
            keys=tuple(_merge(self.keys[k : k + 2]) for k in pairs),
            keyed=tuple(sum(self.keyed[k : k + 2]) for k in pairs),
            turns=tuple(self.turns[k] for k in pairs),
        )


def _merge(parts: Sequence[dict[str, float]]) -> dict[str, float]:
    if len(parts) == 1:
        return parts[0]
    merged = dict(parts[0])
    for part in parts[1:]:
        for key, weight in part.items():
            merged[key] = merged.get(key, 0.0) + weight
    return merged


def _length_cost(source_chars: int, target_chars: int, ratio: float, variance: float) -> float:
    """``-log P(length difference)`` after Gale and Church, symmetric in the two sides."""
    mean = (source_chars * ratio + target_chars) / 2
    if mean == 0:
        return 0.0
    delta = abs(target_chars - source_chars * ratio) / math.sqrt(mean * variance)
    tail = math.erfc(delta / math.sqrt(2))
    if tail > 1e-300:
        return -math.log(tail)
    return delta * delta / 2 + math.log(delta * math.sqrt(2 * math.pi))


def bead_cost(model: CostModel, source: Units, target: Units, ratio: float) -> CostFunction:
    """The cost function of ``model`` for these two unit sequences."""
    source_prefix = (0, *accumulate(source.lengths))
    target_prefix = (0, *accumulate(target.lengths))
    source_keyed = (0, *accumulate(source.keyed))
    target_keyed = (0, *accumulate(target.keyed))

    def cost(i: int, a: int, j: int, b: int) -> float:
        total = model.prior_cost(a, b)
        if a and b:
            source_chars = source_prefix[i + a] - source_prefix[i]
            target_chars = target_prefix[j + b] - target_prefix[j]
            total += _length_cost(source_chars, target_chars, ratio, model.variance)
            source_keys = source.keys[i] if a == 1 else _merge(source.keys[i : i + a])
            target_keys = target.keys[j] if b == 1 else _merge(target.keys[j : j + b])
            keyed = source_keyed[i + a] - source_keyed[i] + target_keyed[j + b] - target_keyed[j]
            total -= model.lexical_weight * _overlap(source_keys, target_keys) * keyed / 2
        total += _turn_cost(model, source.turns[i : i + a], target.turns[j : j + b])
        return total

    return cost


def _overlap(source: dict[str, float], target: dict[str, float]) -> float:
    """Weighted Dice overlap of two key sets, in [0, 1]."""
    mass = sum(source.values()) + sum(target.values())
    if mass == 0:
        return 0.0
    if len(source) > len(target):
        source, target = target, source
    shared = sum(min(weight, target[key]) for key, weight in source.items() if key in target)
    return 2 * shared / mass


def _turn_cost(model: CostModel, source: Sequence[str | None], target: Sequence[str | None]) -> float:
    if not source or not target:
        return 0.0
    total = 0.0
    if any(source[1:]) or any(target[1:]):
        total += model.turn_penalty
    if source[0] and target[0]:
        total += -model.turn_bonus if source[0] == target[0] else model.turn_penalty
    elif source[0] or target[0]:
        total += model.turn_penalty / 2
    return total
