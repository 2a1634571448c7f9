"""Language-independent evidence that two texts translate each other.

Every text is reduced to *keys*: numbers, punctuation that survives translation, acronyms,
names and the consonant skeletons of longer words, all transliterated to Latin (anyascii) so
that "Lavrov" and "Лавров", "Karabakh" and "Карабаха", 王琦瑶 and "Wang Qiyao" give the
same key. Keys that occur on only one side of a
document pair carry no evidence and are dropped; the rest are weighted by rarity.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache

import regex
from anyascii import anyascii

from aligner.align.numerals import cjk_numbers, word_numbers
from aligner.errors import AlignerError

_TOKEN = regex.compile(r"\d+|\p{Han}+|\p{L}[\p{L}\p{M}'’]*|[?!]")
# Punctuation that survives translation, after NFKC (？！： become ?!:); quotes and a dialogue
# dash opening the sentence both mark direct speech.
_SPEECH = regex.compile(r"[\"“”„«»「」『』]|^\s*[—–-]")
_CAPITALIZED = regex.compile(r"\p{Lu}\p{Ll}+")
_HAN = regex.compile(r"\p{Han}")
_SYLLABLE = regex.compile(r"[A-Z][a-z]*")
_NAME_SYLLABLES = (2, 3)
_VOWELS = regex.compile(r"[aeiouy]")
_DOUBLES = regex.compile(r"(.)\1+")
_SOUND_CLASSES = (("kh", "h"), ("ph", "f"), ("w", "v"), ("c", "k"), ("q", "k"), ("x", "ks"), ("j", "y"))
_MIN_WORD_CHARS = 4
_LOCAL_SPAN = 2
_SKELETON_CHARS = 4


def transliterate(word: str) -> str:
    """Lower-case Latin spelling of ``word``, any script (anyascii: Cyrillic, Greek with its
    accents, Polish Ł, Georgian, Armenian, Han as pinyin, ...)."""
    return anyascii(word).lower()


def skeleton(latin: str) -> str:
    """First letter plus consonants, doubled letters folded: spelling variants meet."""
    for written, sound in _SOUND_CLASSES:
        latin = latin.replace(written, sound)
    latin = _DOUBLES.sub(r"\1", latin)
    return latin[:1] + _VOWELS.sub("", latin[1:])


def text_keys(text: str) -> Counter[str]:
    """The evidence keys of ``text`` with their counts.

    Words (as transliterated consonant skeletons), acronyms, numbers as values (digits,
    Chinese numerals, number words), question and exclamation marks, colons and direct
    speech, and names: a run of Han characters gives the pinyin of its spans of two and three
    characters, and a capitalised Latin word (alone or with the next one) its spelling, so
    that 王琦瑶 meets "Wang Qiyao" (keys found on one side only are dropped by ``weigh_keys``).
    """
    return Counter(dict(_text_keys(text)))


@lru_cache(maxsize=1 << 16)
def _text_keys(text: str) -> tuple[tuple[str, int], ...]:
    text = unicodedata.normalize("NFKC", text)
    keys: dict[str, int] = {}
    han = False
    for token in _TOKEN.findall(text):
        first = token[0]
        if first in "?!:":
            keys[token] = keys.get(token, 0) + 1
        elif "\u2e80" <= first <= "\U0003134f" and _HAN.match(first):
            han = True
            for key in _han_keys(token):
                keys[key] = keys.get(key, 0) + 1
        else:
            word_key = _token_key(token)
            if word_key:
                keys[word_key] = keys.get(word_key, 0) + 1
    if _SPEECH.search(text):
        keys["speech"] = keys.get("speech", 0) + 1
    for value in (cjk_numbers(text) if han else []) + word_numbers(text):
        key = f"#{value}"
        keys[key] = keys.get(key, 0) + 1
    names = [transliterate(name) for name in _CAPITALIZED.findall(text)]
    for k, name in enumerate(names):
        for key in ("P:" + name, "P:" + name + names[k + 1]) if k + 1 < len(names) else ("P:" + name,):
            keys[key] = keys.get(key, 0) + 1
    return tuple(keys.items())


@cache
def _pinyin(character: str) -> str | None:
    syllables = _SYLLABLE.findall(anyascii(character))
    return syllables[0].lower() if len(syllables) == 1 else None


def _han_keys(run: str) -> list[str]:
    """Pinyin of every span of two or three characters of a Han run, as name keys."""
    flat = [_pinyin(ch) for ch in run]
    if None in flat:
        return []
    return [
        "H:" + "".join(flat[k : k + size])  # type: ignore[arg-type]
        for size in _NAME_SYLLABLES
        for k in range(len(flat) - size + 1)
    ]


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
    and shared out among the neighbouring texts (two either side) that repeat them.

    Name keys are compared across scripts only: the pinyin of Han spans (``H:``) of one side
    with the capitalised words (``P:``) of the other; between two alphabetic texts the words'
    own keys already say it.
    """
    source, target = _names_across(source, target)
    source_df: Counter[str] = Counter()
    target_df: Counter[str] = Counter()
    for keys in source:
        source_df.update(keys.keys())
    for keys in target:
        target_df.update(keys.keys())
    total = len(source) + len(target)
    weight = {
        key: math.log(1.0 + total / (source_df[key] + target_df[key])) for key in source_df.keys() & target_df.keys()
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


def _names_across(
    source: Sequence[Counter[str]], target: Sequence[Counter[str]]
) -> tuple[Sequence[Counter[str]], Sequence[Counter[str]]]:
    def has_han(side: Sequence[Counter[str]]) -> bool:
        return any(k.startswith("H:") for keys in side for k in keys)

    def rename(side: Sequence[Counter[str]], keep: str) -> list[Counter[str]]:
        return [
            Counter(
                {
                    ("N:" + k[2:] if k.startswith(keep) else k): n
                    for k, n in keys.items()
                    if k[:2] not in ("H:", "P:") or k.startswith(keep)
                }
            )
            for keys in side
        ]

    source_han, target_han = has_han(source), has_han(target)
    if source_han == target_han:
        return rename(source, "-"), rename(target, "-")
    return rename(source, "H:" if source_han else "P:"), rename(target, "H:" if target_han else "P:")


_WORD = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]+|\p{L}[\p{L}\p{M}'’-]*|\d+")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
_SPACE_BETWEEN_UNSPACED = regex.compile(
    r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}])\s+(?=[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}])"
)


def word_keys(text: str) -> Counter[str]:
    """Lower-cased words of ``text`` as keys, for comparing a translation with a target text.

    A machine translation of a source sentence is in the target language, so its words meet
    the target's words directly; rarity weighting then does what BLEU's n-gram matching does,
    without the cost of scoring every candidate pair. Scripts written without spaces (Chinese,
    Japanese, Thai) give character bigrams instead of words, as Bleualign's character-level
    mode does, so that a word-segmented translation meets an unsegmented text.
    """
    keys: Counter[str] = Counter()
    for word in _WORD.findall(_SPACE_BETWEEN_UNSPACED.sub("", text)):
        if _UNSPACED.match(word):
            keys.update("M:" + word[k : k + 2] for k in range(len(word) - 1))
        elif len(word) >= 3 or word.isdigit():
            keys["M:" + word.lower()] += 1
    return keys


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
