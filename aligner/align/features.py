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
from functools import lru_cache

import regex
from anyascii import anyascii

from aligner.align.numerals import cjk_numbers, word_numbers
from aligner.errors import AlignerError

_TOKEN = regex.compile(r"\d+|\p{Han}+|\p{L}[\p{L}\p{M}'’]*|[?!]")
# Punctuation that survives translation, after NFKC (？！： become ?!:); quotes and a dialogue
# dash opening the sentence both mark direct speech.
_SPEECH = regex.compile(r"[\"“”„«»「」『』]|^\s*[—–-]")
_CAPITALIZED = regex.compile(r"\p{Lu}\p{Ll}+")
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
    text = unicodedata.normalize("NFKC", text)
    keys: Counter[str] = Counter()
    for token in _TOKEN.findall(text):
        if token[0] in "?!:":
            keys[token] += 1
        elif "\u4e00" <= token[0] <= "\u9fff" or regex.match(r"\p{Han}", token):
            keys.update(_han_keys(token))
        else:
            key = _token_key(token)
            if key:
                keys[key] += 1
    if _SPEECH.search(text):
        keys["speech"] += 1
    keys.update(f"#{value}" for value in cjk_numbers(text) + word_numbers(text))
    names = _CAPITALIZED.findall(text)
    for k, name in enumerate(names):
        keys["P:" + transliterate(name)] += 1
        if k + 1 < len(names):
            keys["P:" + transliterate(name + names[k + 1])] += 1
    return keys


@lru_cache(maxsize=1 << 16)
def _han_keys(run: str) -> tuple[str, ...]:
    """Pinyin of every span of two or three characters of a Han run, as name keys."""
    syllables = [_SYLLABLE.findall(anyascii(ch)) for ch in run]
    if any(len(s) != 1 for s in syllables):
        return ()
    flat = [s[0].lower() for s in syllables]
    return tuple("H:" + "".join(flat[k : k + size]) for size in _NAME_SYLLABLES for k in range(len(flat) - size + 1))


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
