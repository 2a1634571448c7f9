"""Re-estimating the length model and the bead priors from a first pass (hard EM).

Gale and Church's constants were measured on English–French–German parliament texts; the
length of a Chinese sentence in characters relates to its English translation nothing like a
German sentence to its French one, and literary translators merge and split sentences far
more often than parliament's. So the first pass runs with generic values, and its beads give
the text's own: the character ratio, the variance of the length difference, and how often
each bead type occurs. Estimates are robust (medians) and shrunk towards the defaults when a
text has few beads.
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
    the median of ``(target − ratio·source)² / mean`` over 1-1 beads, scaled so that it is the
    variance of a normal variable (a median is not moved by the few wrong beads of a pass),
    times ``model.variance_scale``;
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
        residual = ones[:, 1] - ratio * ones[:, 0]
        mean = (ratio * ones[:, 0] + ones[:, 1]) / 2
        variance = model.variance_scale * float(np.median(residual * residual / mean) / _CHI2_MEDIAN)
        # A pass of near-perfect beads must not make every length difference look impossible.
        variance = max(variance, 0.1 * length.variance)
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
