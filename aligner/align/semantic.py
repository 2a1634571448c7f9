"""Sentence embeddings as evidence: vectors of sentences and joins, their neighbourhoods, and
the law of a translation's similarity, all estimated from the documents being aligned.

The first pass aligns without embeddings; its path says where each sentence's partner lies
roughly. From it come (1) each sentence's *neighbourhood*: its mean similarity to its few
most similar sentences of the other side near that place, against which a bead's similarity
is measured (CSLS, Conneau et al. 2018: a sentence that resembles everything is not evidence
for any one bead); and (2) the two laws of :class:`~aligner.align.cost.Similarity`, fitted to
the beads the first pass is sure of (translations) and to the same sentences paired with a
partner two places off (non-translations). The second pass then aligns with the evidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex

from aligner.align.cost import Similarity
from aligner.align.estimate import MIN_FIT_BEADS, NEGATIVE_SHIFT
from aligner.embeddings import TextVectors
from aligner.model import Alignment

NEIGHBOURS = 4
"""How many most similar sentences make a neighbourhood (CSLS's k; 4 beat 1, 2, 8 and 10 on mac/001–004)."""
WINDOW = 20
"""How far from the first pass's path a sentence's neighbours are looked for, in sentences."""
EVIDENCE_LIMIT = 10.0
"""Embedding evidence is clipped to this many nats either way (the tails of a fitted law are its
least known part)."""
MIN_SPREAD = 0.02
"""A fitted law is never narrower than this (a handful of near-identical pairs would make it a spike)."""

_CLOSE_UP = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True)
class SideVectors:
    """One document's sentence vectors: each sentence, and each sentence joined with the next."""

    vectors: np.ndarray
    pair_vectors: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], cache: TextVectors) -> SideVectors:
        found = cache.vectors(encoded_texts(texts))
        vectors = found[: len(texts)]
        pair_vectors = np.concatenate([found[len(texts) :], vectors[len(texts) - 1 :]])[: len(texts)]
        return cls(vectors, pair_vectors)


def encoded_texts(texts: Sequence[str]) -> list[str]:
    """Every text whose vector aligning a document of these sentences needs: each sentence, then
    each sentence joined with the next. The corpus store looks up the vectors of a document's
    stored sentences by it, so it must stay what :meth:`SideVectors.of` encodes."""
    return [*texts, *(join(a, b) for a, b in zip(texts, texts[1:]))]


def join(first: str, second: str) -> str:
    """Two sentences as one text: with a space, but none between two CJK characters."""
    if first and second and _CLOSE_UP.match(first[-1]) and _CLOSE_UP.match(second[0]):
        return first + second
    return first + " " + second


def neighbourhoods(source: np.ndarray, target: np.ndarray, alignment: Alignment) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's mean cosine to its :data:`NEIGHBOURS` most similar sentences of the other
    side within :data:`WINDOW` of where ``alignment`` puts its partner."""
    source_places, target_places = partner_places(alignment, len(source), len(target))
    return _neighbourhood(source, target, source_places), _neighbourhood(target, source, target_places)


def partner_places(alignment: Alignment, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the partner of each source (target) sentence lies on the other side, by the path."""
    source_places, target_places = np.zeros(n, dtype=np.int64), np.zeros(m, dtype=np.int64)
    i = j = 0
    for bead in alignment.beads:
        for k in bead.source:
            source_places[k] = j
        for k in bead.target:
            target_places[k] = i
        i += len(bead.source)
        j += len(bead.target)
    return source_places, target_places


def _window(place: int, size: int) -> slice:
    """The sentences of the other side within :data:`WINDOW` of ``place`` (0 ≤ place ≤ size):
    never empty when the other side has sentences, since ``place`` is at most ``size``."""
    return slice(max(0, place - WINDOW), min(size, place + WINDOW + 1))


def _neighbourhood(vectors: np.ndarray, other: np.ndarray, places: np.ndarray) -> np.ndarray:
    result = np.zeros(len(vectors), dtype=np.float64)
    if not len(other):
        return result
    for k, place in enumerate(places.tolist()):
        cosines = other[_window(place, len(other))] @ vectors[k]
        top = np.sort(cosines)[-NEIGHBOURS:]
        result[k] = float(top.mean())
    return result


def fit_similarity(
    samples: Sequence[tuple[SideVectors, SideVectors, tuple[np.ndarray, np.ndarray], Alignment]], trusted: float
) -> Similarity | None:
    """The two laws of a bead's local similarity, fitted over a batch (see the module's docstring).

    Translations are the first pass's sure 1-1 beads; when the batch has fewer than
    :data:`MIN_FIT_BEADS` of them (the first pass was lost), the mutual nearest neighbours near
    its path instead. None when even those are too few.
    """
    sure = [
        [(b.source[0], b.target[0]) for b in alignment.beads if len(b.source) == len(b.target) == 1 and b.confidence >= trusted]
        for _, _, _, alignment in samples
    ]
    if sum(map(len, sure)) < MIN_FIT_BEADS:
        sure = [mutual_neighbours(s.vectors, t.vectors, local, a) for s, t, local, a in samples]
    positives: list[float] = []
    negatives: list[float] = []
    for (source, target, (source_local, target_local), _), pairs in zip(samples, sure):
        m = len(target.vectors)
        for i, j in pairs:
            partners = [jj for jj in (j - NEGATIVE_SHIFT, j + NEGATIVE_SHIFT) if 0 <= jj < m]
            cosines = target.vectors[[j, *partners]] @ source.vectors[i]
            local = cosines - (source_local[i] + target_local[[j, *partners]]) / 2
            positives.append(float(local[0]))
            negatives += local[1:].tolist()
    if len(positives) < MIN_FIT_BEADS or len(negatives) < MIN_FIT_BEADS:
        return None
    # One spread for both laws: the pooled within-class deviation.
    spread = math.sqrt((np.var(positives) * len(positives) + np.var(negatives) * len(negatives)) / (len(positives) + len(negatives)))
    return Similarity(
        translation_mean=float(np.mean(positives)),
        other_mean=float(np.mean(negatives)),
        spread=max(MIN_SPREAD, spread),
        limit=EVIDENCE_LIMIT,
    )


def mutual_neighbours(
    source: np.ndarray, target: np.ndarray, local: tuple[np.ndarray, np.ndarray], alignment: Alignment
) -> list[tuple[int, int]]:
    """The (source, target) sentences that are each other's most similar one (less their
    neighbourhoods) within :data:`WINDOW` of where ``alignment`` puts their partners."""
    n, m = len(source), len(target)
    if not n or not m:
        return []
    source_places, target_places = partner_places(alignment, n, m)
    source_local, target_local = local

    def best(vectors: np.ndarray, other: np.ndarray, places: np.ndarray, own: np.ndarray, others: np.ndarray) -> list[int]:
        found = []
        for k, place in enumerate(places.tolist()):
            window = _window(place, len(other))
            scores = other[window] @ vectors[k] - (own[k] + others[window]) / 2
            found.append(window.start + int(np.argmax(scores)))
        return found

    forward = best(source, target, source_places, source_local, target_local)
    backward = best(target, source, target_places, target_local, source_local)
    return [(i, j) for i, j in enumerate(forward) if backward[j] == i]
