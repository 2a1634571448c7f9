"""Re-estimating the length model and the bead priors from a first pass.

Gale and Church's constants were measured on English–French–German parliament texts; the
length of a Chinese sentence in characters relates to its English translation nothing like a
German sentence to its French one, and literary translators merge and split sentences far
more often than parliament's. So the first pass runs with generic values, and every pass
after it (learning a lexicon, fitting a translation's weight, adding embeddings) with the
variance of length differences measured on the first pass's 1-1 beads
(:func:`measured_lengths`). ``estimation_rounds`` re-estimates the ratio and the bead priors
too, as hard EM. Estimates are robust (medians) and shrunk towards the defaults when a text has
few beads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from aligner.align.cost import CostModel

# The median of a chi-square variable with one degree of freedom: median(z²) for z ~ N(0, 1).
_CHI2_MEDIAN = 0.454936


@dataclass(frozen=True)
class LengthModel:
    """Target characters per source character and the variance per target character."""

    ratio: float
    variance: float


def first_guess(model: CostModel, source_chars: float, target_chars: float) -> LengthModel:
    """The document's character ratio and the default variance, in target characters.

    The default variance is per character of the side with more characters (alphabetic
    scripts, whose characters say less each): scaled down when the target is the shorter side.
    """
    ratio = model.ratio or (target_chars / source_chars if source_chars and target_chars else 1.0)
    return LengthModel(ratio, model.variance * min(1.0, ratio))


def reestimate(
    model: CostModel,
    length: LengthModel,
    beads: Sequence[tuple[int, int, float, float]],
    bead_types: Sequence[tuple[int, int]],
    prior_strength: float,
) -> tuple[CostModel, LengthModel]:
    """New priors and length model from a pass's beads: (source units, target units, source
    characters, target characters) per bead.

    The ratio is total target over total source characters of the pair beads; the variance is
    measured on the 1-1 beads as :func:`measured_lengths` does;
    the priors are bead-type frequencies with ``prior_strength`` pseudo-beads of the defaults.
    """
    pairs = [(s, t) for a, b, s, t in beads if a and b]
    ones = np.array([(s, t) for a, b, s, t in beads if a == 1 and b == 1 and s > 0 and t > 0], dtype=np.float64)
    ratio, variance = length.ratio, length.variance
    if model.ratio is None and pairs:
        src = sum(s for s, _ in pairs)
        tgt = sum(t for _, t in pairs)
        if src > 0 and tgt > 0:
            ratio = tgt / src
    if len(ones) >= prior_strength:
        variance = max(_variance(model, _spreads(ones, ratio)), 0.1 * length.variance)
    counts = Counter((a, b) for a, b, _, _ in beads if a and b)
    total = sum(counts.values())
    defaults = {t: np.exp(-model.prior_cost(*t)) for t in bead_types if t[0] and t[1]}
    mass = sum(defaults.values())
    # A type the pass never chose keeps at least the default of the rare types: the pass ran
    # under the default priors, so it cannot tell that a type is rarer than that.
    priors = tuple(
        (t, max(min(p, model.prior_other), float(mass * (counts[t] + prior_strength * p / mass) / (total + prior_strength))))
        for t, p in defaults.items()
    )
    return replace(model, priors=priors), LengthModel(ratio, variance)


def measured_lengths(model: CostModel, lengths: Sequence[LengthModel], ones: Sequence[np.ndarray]) -> list[LengthModel]:
    """Each pair's ``lengths`` with the variance measured on the 1-1 beads of a pass over the
    batch, ``ones`` (per pair: their source and target characters, a row each), one variance
    for the batch as the laws of evidence are (a confirmed bead splits a text into a batch of
    stretches, which are still one translation); ``lengths`` themselves when the batch has fewer
    than :data:`MIN_FIT_BEADS` 1-1 beads.

    The measure widens the law, never narrows it: Gale and Church's variance (``lengths``) was
    measured on parliament's translations, as literal as any, and the length cost is a tail
    probability, which under a narrower law favours fewer, longer beads. On the dev sets the
    measure runs from 3.4 target characters (the bundled interview, where it cost a third of
    the sure beads, all of them right) and 6.5 (Text+Berg) to 18 (a mac/ chapter whose
    translator merges and splits sentences freely).
    """
    spreads = np.concatenate([np.zeros(0), *(_spreads(pair, length.ratio) for pair, length in zip(ones, lengths))])
    if len(spreads) < MIN_FIT_BEADS:
        return list(lengths)
    variance = _variance(model, spreads)
    return [LengthModel(length.ratio, max(variance, length.variance)) for length in lengths]


def _spreads(ones: np.ndarray, ratio: float) -> np.ndarray:
    """``(target − ratio·source)² / mean`` of each 1-1 bead."""
    residual = ones[:, 1] - ratio * ones[:, 0]
    return residual * residual / ((ratio * ones[:, 0] + ones[:, 1]) / 2)


def _variance(model: CostModel, spreads: np.ndarray) -> float:
    """The median of the beads' spreads (a median is not moved by the few wrong beads of a
    pass), scaled to the variance of a normal variable, times ``model.variance_scale``."""
    return model.variance_scale * float(np.median(spreads) / _CHI2_MEDIAN)


NEGATIVE_SHIFT = 2
"""Non-translations for fitting a law of evidence (of embeddings, of a machine translation) to a
pass: a sure bead's source with the target sentence this many places off."""
MIN_FIT_BEADS = 20
"""Fewer sure 1-1 beads than this in a batch, and a law of evidence is fitted to the mutual best
matches near the pass's path instead; fewer of those too, and it is not fitted."""


def translation_weight(translations: np.ndarray, others: np.ndarray) -> float | None:
    """The weight that makes a bead's shared machine-translation mass a log likelihood ratio.

    ``translations``: the mass that the translation of each sure 1-1 bead's source shares with
    its target; ``others``: with targets a few places off. As two normal laws of one variance,
    the ratio is linear in the mass, with slope ``(mean translations − mean others) / variance``:
    how much a unit of shared mass says depends on the text and on the translation system (on
    the dev sets' gold beads it ranges from 0.18, the Bible's short verses of a common
    vocabulary, to 0.58). None with too few beads to tell.
    """
    if len(translations) < MIN_FIT_BEADS or len(others) < MIN_FIT_BEADS:
        return None
    variance = (np.var(translations) * len(translations) + np.var(others) * len(others)) / (len(translations) + len(others))
    if variance <= 0:
        return None
    return max(0.0, float((np.mean(translations) - np.mean(others)) / variance))
