"""Language-independent evidence that two texts translate each other.

Every text is reduced to *keys*: numbers, question marks, acronyms and the consonant
skeletons of longer words, all transliterated to Latin so that "Lavrov" and "Лавров" or
"Karabakh" and "Карабаха" give the same key. Keys that occur on only one side of a
document pair carry no evidence and are dropped; the rest are weighted by rarity.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import regex

from aligner.errors import AlignerError

_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ј": "j", "љ": "lj",
        "њ": "nj", "ћ": "c", "ђ": "dj", "џ": "dz",
    }
)
_GREEK_TO_LATIN = str.maketrans(
    {
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
        "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "ks", "ο": "o", "π": "p",
        "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "kh", "ψ": "ps",
        "ω": "o",
    }
)
_TOKEN = regex.compile(r"\d+|\p{L}[\p{L}\p{M}'’]*|\?")
_VOWELS = regex.compile(r"[aeiouy]")
_DOUBLES = regex.compile(r"(.)\1+")
_SOUND_CLASSES = (("kh", "h"), ("ph", "f"), ("w", "v"), ("c", "k"), ("q", "k"), ("x", "ks"), ("j", "y"))
_MIN_WORD_CHARS = 4
_LOCAL_SPAN = 2
_SKELETON_CHARS = 4


def transliterate(word: str) -> str:
    """Lower-case Latin spelling of ``word`` (Cyrillic and Greek transliterated, accents dropped)."""
    lowered = word.lower().translate(_CYRILLIC_TO_LATIN).translate(_GREEK_TO_LATIN)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def skeleton(latin: str) -> str:
    """First letter plus consonants, doubled letters folded: spelling variants meet."""
    for written, sound in _SOUND_CLASSES:
        latin = latin.replace(written, sound)
    latin = _DOUBLES.sub(r"\1", latin)
    return latin[:1] + _VOWELS.sub("", latin[1:])


def text_keys(text: str) -> Counter[str]:
    """The evidence keys of ``text`` with their counts."""
    keys: Counter[str] = Counter()
    for token in _TOKEN.findall(text):
        key = _token_key(token)
        if key:
            keys[key] += 1
    return keys


@lru_cache(maxsize=1 << 18)
def _token_key(token: str) -> str | None:
    if token == "?":
        return "?"
    if token[0].isdigit():
        return "#" + (token.lstrip("0") or "0")
    if len(token) >= 2 and token.isupper():
        return "A:" + transliterate(token)
    latin = transliterate(token).replace("'", "").replace("’", "")
    if len(latin) < _MIN_WORD_CHARS:
        return None
    bones = skeleton(latin)
    return "W:" + bones[:_SKELETON_CHARS] if len(bones) >= 3 else None


def weigh_keys(
    source: Sequence[Counter[str]], target: Sequence[Counter[str]]
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Weighted keys per text: keys present on both sides, weighted by inverse text frequency
    and shared out among the neighbouring texts (two either side) that repeat them."""
    source_df: Counter[str] = Counter()
    target_df: Counter[str] = Counter()
    for keys in source:
        source_df.update(keys.keys())
    for keys in target:
        target_df.update(keys.keys())
    total = len(source) + len(target)
    weight = {
        key: math.log(1.0 + total / (source_df[key] + target_df[key]))
        for key in source_df.keys() & target_df.keys()
    }

    def weigh(side: Sequence[Counter[str]]) -> list[dict[str, float]]:
        # A key repeated in neighbouring units is shared out among them: it says less about
        # which of them is the match, and a bead spanning them must not count it twice.
        weighed = []
        for r, keys in enumerate(side):
            near = side[max(0, r - _LOCAL_SPAN) : r + _LOCAL_SPAN + 1]
            weighed.append(
                {k: n * weight[k] / sum(1 for other in near if k in other) for k, n in keys.items() if k in weight}
            )
        return weighed

    return weigh(source), weigh(target)



_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’-]*|\d+")


def word_keys(text: str) -> Counter[str]:
    """Lower-cased words of ``text`` as keys, for comparing a translation with a target text.

    A machine translation of a source sentence is in the target language, so its words meet
    the target's words directly; rarity weighting then does what BLEU's n-gram matching does,
    without the cost of scoring every candidate pair.
    """
    return Counter("M:" + word.lower() for word in _WORD.findall(text) if len(word) >= 3 or word.isdigit())


_DICTIONARY_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def read_dictionary(text: str, name: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Entries of a hunalign dictionary: ``target phrase @ source phrase`` per line."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        target, separator, source = line.partition(" @ ")
        source_words = tuple(_DICTIONARY_WORD.findall(source.lower()))
        target_words = tuple(_DICTIONARY_WORD.findall(target.lower()))
        if not separator or not source_words or not target_words:
            raise AlignerError(f"{name}:{number}: not a dictionary line 'target @ source': {line[:60]!r}")
        entries.append((source_words, target_words))
    return entries


def phrase_keys(text: str, phrases: Sequence[tuple[str, ...]]) -> Counter[str]:
    """A key ``D:k`` for each phrase ``k`` that occurs in ``text`` (as whole words)."""
    found: Counter[str] = Counter()
    tokens = _DICTIONARY_WORD.findall(text.lower())
    starts: dict[str, list[int]] = {}
    for position, token in enumerate(tokens):
        starts.setdefault(token, []).append(position)
    for k, phrase in enumerate(phrases):
        for position in starts.get(phrase[0], ()):
            if tuple(tokens[position : position + len(phrase)]) == phrase:
                found[f"D:{k}"] += 1
    return found


_LEARNED_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’-]*\p{L}")
_MIN_PAIR_COUNT = 2
_MIN_DICE = 0.5
_MAX_WORD_SHARE = 0.1


def content_words(text: str) -> set[str]:
    """The distinct lower-cased words of ``text`` with three letters or more."""
    return {w for w in (m.lower() for m in _LEARNED_WORD.findall(text)) if len(w) >= 3}


def learn_translations(pairs: Sequence[tuple[set[str], set[str]]]) -> dict[str, set[str]]:
    """Source word → target words that translate it, learned from sentence pairs we trust.

    Association is Dice's coefficient over the pairs, ``2·c(s,t) / (c(s) + c(t))``; a word
    pair is kept when it occurs at least twice, scores at least 0.5, and each word is the
    other's best partner. Words in more than a tenth of the pairs are function words, which
    match everywhere, and are left out.
    """
    source_count: Counter[str] = Counter()
    target_count: Counter[str] = Counter()
    for source, target in pairs:
        source_count.update(source)
        target_count.update(target)
    ceiling = max(_MIN_PAIR_COUNT, _MAX_WORD_SHARE * len(pairs))
    joint: Counter[tuple[str, str]] = Counter()
    for source, target in pairs:
        rare_target = [t for t in target if target_count[t] <= ceiling]
        joint.update((s, t) for s in source if source_count[s] <= ceiling for t in rare_target)
    best_target: dict[str, tuple[float, str]] = {}
    best_source: dict[str, tuple[float, str]] = {}
    for (s, t), together in sorted(joint.items()):
        if together < _MIN_PAIR_COUNT:
            continue
        dice = 2 * together / (source_count[s] + target_count[t])
        if dice < _MIN_DICE:
            continue
        if dice > best_target.get(s, (0.0, ""))[0]:
            best_target[s] = (dice, t)
        if dice > best_source.get(t, (0.0, ""))[0]:
            best_source[t] = (dice, s)
    learned: dict[str, set[str]] = {}
    for s, (_, t) in best_target.items():
        if best_source[t][1] == s:
            learned.setdefault(s, set()).add(t)
    return learned
