"""A bilingual lexicon learned from the text itself, when the text is long enough to teach one.

A first pass aligns the text by lengths and the evidence that needs no dictionary; the beads it
is sure of are sentence pairs we trust. Across them, a source word that keeps meeting the same
target word (or, in a script written without spaces, the same character or pair of characters)
is taken for its translation: "God" and 神, "LORD" and 耶和华, "Cain" and 该隐. Each learned
source word then becomes a key that a source sentence has when it contains the word and a target
sentence has when it contains any of the word's translations, and the text is aligned again with
those keys as evidence beside the others.

Association is Dice's coefficient over the sure beads, ``2·c(s,t) / (c(s) + c(t))``, with a
minimum count; tokens found in too large a share of the beads (function words, the commonest
characters) match everywhere and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import regex

_TOKEN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]+|\p{L}[\p{L}\p{M}'’]*")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
_SPACED_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]+")
"""The tokens of a text without unspaced scripts: words of two letters or more, found in one pass."""


def lexicon_tokens(text: str) -> frozenset[str]:
    """The distinct tokens a lexicon is learned over: lower-cased words; characters and
    character pairs in scripts written without spaces."""
    lowered = text.lower()
    if _UNSPACED.search(lowered) is None:
        return frozenset(_SPACED_WORD.findall(lowered))
    tokens: set[str] = set()
    for word in _TOKEN.findall(lowered):
        if _UNSPACED.match(word):
            tokens.update(word)
            tokens.update(word[k : k + 2] for k in range(len(word) - 1))
        elif len(word) >= 2:
            tokens.add(word)
    return frozenset(tokens)


@dataclass(frozen=True)
class Lexicon:
    """Learned translations: each source token with the target tokens that translate it."""

    translations: dict[str, frozenset[str]]
    sources: dict[str, str] = field(init=False)
    """Each target token's source token (a target token belongs to one source token)."""

    def __post_init__(self) -> None:
        inverse = {target: source for source, targets in self.translations.items() for target in targets}
        object.__setattr__(self, "sources", inverse)

    def __len__(self) -> int:
        return len(self.translations)

    def source_keys(self, tokens: frozenset[str]) -> list[str]:
        """``L:word`` for each learned source word among ``tokens``."""
        return sorted(f"L:{token}" for token in tokens if token in self.translations)

    def target_keys(self, tokens: frozenset[str]) -> list[str]:
        """``L:word`` for each learned source word one of whose translations is among ``tokens``."""
        return sorted(f"L:{source}" for source in {self.sources[t] for t in tokens if t in self.sources})


def learn_lexicon(
    pairs: Sequence[tuple[frozenset[str], frozenset[str]]],
    *,
    min_count: int,
    min_dice: float,
    max_share: float,
) -> Lexicon:
    """Source token → target tokens that translate it, from the token sets of trusted beads.

    A pair is kept when it occurs in at least ``min_count`` beads and its Dice coefficient is at
    least ``min_dice``; tokens in more than ``max_share`` of the beads are left out. A target
    token belongs to the source token it associates with best (so that it is evidence for one
    word, not for every word near it).
    """
    source_count: Counter[str] = Counter()
    target_count: Counter[str] = Counter()
    for source, target in pairs:
        source_count.update(source)
        target_count.update(target)
    ceiling = max(min_count, max_share * len(pairs))
    source_ids = {t: k for k, t in enumerate(sorted(t for t, c in source_count.items() if min_count <= c <= ceiling))}
    target_ids = {t: k for k, t in enumerate(sorted(t for t, c in target_count.items() if min_count <= c <= ceiling))}
    if not source_ids or not target_ids:
        return Lexicon({})
    width = len(target_ids)
    chunks = []
    for source, target in pairs:
        s = np.fromiter((source_ids[t] for t in source if t in source_ids), dtype=np.int64)
        t = np.fromiter((target_ids[t] for t in target if t in target_ids), dtype=np.int64)
        if len(s) and len(t):
            chunks.append((s[:, None] * width + t[None, :]).ravel())
    if not chunks:
        return Lexicon({})
    joint, together = np.unique(np.concatenate(chunks), return_counts=True)
    keep = together >= min_count
    joint, together = joint[keep], together[keep]
    source_of, target_of = joint // width, joint % width
    source_names = sorted(source_ids, key=source_ids.__getitem__)
    target_names = sorted(target_ids, key=target_ids.__getitem__)
    counts_s = np.array([source_count[t] for t in source_names], dtype=np.float64)
    counts_t = np.array([target_count[t] for t in target_names], dtype=np.float64)
    dice = 2 * together / (counts_s[source_of] + counts_t[target_of])
    good = dice >= min_dice
    source_of, target_of, dice = source_of[good], target_of[good], dice[good]
    # Each target token goes to its best source token (ties: the first in order, for determinism).
    order = np.lexsort((source_of, -dice, target_of))
    first = np.ones(len(order), dtype=bool)
    first[1:] = target_of[order][1:] != target_of[order][:-1]
    translations: dict[str, set[str]] = {}
    for k in order[first].tolist():
        translations.setdefault(source_names[int(source_of[k])], set()).add(target_names[int(target_of[k])])
    return Lexicon({source: frozenset(targets) for source, targets in sorted(translations.items())})
