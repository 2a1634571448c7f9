"""Language-independent evidence that two texts translate each other.

Every text is reduced to *keys*: numbers, punctuation that survives translation, acronyms,
names and the consonant skeletons of longer words, all transliterated to Latin (anyascii) so
that "Lavrov" and "Лавров", "Karabakh" and "Карабаха", 王琦瑶 and "Wang Qiyao" give the
same key. Keys that occur on only one side of a
document pair carry no evidence and are dropped; the rest are weighted by rarity.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, compress
from operator import methodcaller

import numpy as np
import regex
from anyascii import anyascii

from aligner.align.keys import Keys
from aligner.align.numerals import cjk_numbers, word_numbers
from aligner.errors import AlignerError

_TOKEN = regex.compile(r"\d+|\p{Han}+|\p{L}[\p{L}\p{M}'’]*|[?!]")
# Punctuation that survives translation, after NFKC (？！： become ?!:); quotes and a dialogue
# dash opening the sentence both mark direct speech. Single quotes too, as British English writes
# dialogue ('Dad,' Father said): ‘, or an apostrophe that opens a word at the start or after white
# space or a bracket or dash (within a word, as in "don't", it is no quote).
_SPEECH = regex.compile(r"[\"“”„«»「」『』‘]|^\s*[—–-]|(?:^|(?<=[\s(\[—–]))'(?=\w)")
_CAPITALIZED = regex.compile(r"\p{Lu}\p{Ll}+")
_HAN = regex.compile(r"\p{Han}")
_SYLLABLE = regex.compile(r"[A-Z][a-z]*")
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
    return text_evidence(text)[0]


def text_evidence(text: str) -> tuple[Counter[str], bool]:
    """:func:`text_keys` of ``text``, and whether they hold Han name keys (``H:``): known as
    the keys are made, where looking among the keys of every text took a tenth of aligning
    a document, and asking again once a long document had pushed the text out of the cache,
    another tenth."""
    reduced, han_names = _text_keys(text)
    keys: Counter[str] = Counter()
    dict.update(keys, reduced)  # no Counter.update: it asks whether its argument is a Mapping
    return keys, han_names


_CACHED_TEXTS = 1 << 12
"""Texts whose keys a process remembers (about 3 KB each): repeated boilerplate is reduced once,
while a worker that aligns a corpus of distinct sentences stays small (65,536 took 200 MB)."""


@lru_cache(maxsize=_CACHED_TEXTS)
def _text_keys(text: str) -> tuple[Mapping[str, int], bool]:
    # The keys' dict itself is cached: callers copy it, never change it.
    text = unicodedata.normalize("NFKC", text)
    keys: dict[str, int] = {}
    han = han_names = False
    for token in _TOKEN.findall(text):
        first = token[0]
        if first in "?!:":
            keys[token] = keys.get(token, 0) + 1
        elif "\u2e80" <= first <= "\U0003134f" and _HAN.match(first):
            han = True
            spans = _han_keys(token)
            han_names = han_names or bool(spans)
            for key in spans:
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
    return keys, han_names


@cache
def _pinyin(character: str) -> str | None:
    syllables = _SYLLABLE.findall(anyascii(character))
    return syllables[0].lower() if len(syllables) == 1 else None


def _han_keys(run: str) -> list[str]:
    """Pinyin of every span of two or three characters of a Han run, as name keys: the pairs
    in order, then the triples."""
    flat = list(map(_pinyin, run))
    if None in flat:
        return []
    syllables: list[str] = flat  # type: ignore[assignment]
    pairs = ["H:" + first + second for first, second in zip(syllables, syllables[1:])]
    return pairs + [pair + third for pair, third in zip(pairs, syllables[2:])]


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


CSR = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Keys of a sequence of texts before weighting: row starts, key ids, counts."""


@dataclass(frozen=True)
class KeySpace:
    """The evidence keys of a document pair, as ids over one vocabulary, not yet weighted.

    Name keys are compared across scripts only: the pinyin of Han spans (``H:``) of one side
    with the capitalised words (``P:``) of the other (both become ``N:``); between two
    alphabetic texts the words' own keys already say it. Only keys that both sides have are
    given ids (:meth:`of`): a key of one side is no evidence, and most of a Chinese text's
    pinyin spans meet nothing on the other side. Ids follow a key's first text.
    """

    vocabulary: dict[str, int]
    source: CSR
    target: CSR

    @classmethod
    def of(
        cls, source: Sequence[Mapping[str, int]], target: Sequence[Mapping[str, int]],
        han_names: tuple[bool, bool] | None = None,
    ) -> KeySpace:
        """The keys of every source and target text; ``han_names``, whether each side has Han
        name keys, when the caller knows it (:func:`text_evidence` of its texts), else they are
        looked for among the keys."""
        source_han, target_han = han_names or (_has_han_names(source), _has_han_names(target))
        rules = (_name_rule(source_han, target_han), _name_rule(target_han, source_han))
        distinct = [dict.fromkeys(chain.from_iterable(side)) for side in (source, target)]
        # The side with fewer distinct keys names its own; the other's keys are looked up as
        # they are written there, so that only those that meet are renamed (a Chinese side has
        # ten times the English side's distinct keys, nearly all pinyin spans that meet nothing).
        small = 0 if len(distinct[0]) <= len(distinct[1]) else 1
        big = 1 - small
        small_names = {key: _vocabulary_name(key, rules[small]) for key in distinct[small]}
        wanted = {_written(name, rules[big]) for name in small_names.values() if name is not None}
        names: list[dict[str, str]] = [{}, {}]
        names[big] = {key: name for key in distinct[big] if key in wanted
                      and (name := _vocabulary_name(key, rules[big])) is not None}
        shared = set(names[big].values())
        names[small] = {key: name for key, name in small_names.items() if name in shared}
        vocabulary: dict[str, int] = {}
        return cls(vocabulary, _encode(source, names[0], vocabulary), _encode(target, names[1], vocabulary))

    def with_extra(self, names: Sequence[str], source: tuple[np.ndarray, np.ndarray], target: tuple[np.ndarray, np.ndarray]) -> KeySpace:
        """The same keys and, for each text, the keys given as rows (starts, ids into ``names``;
        distinct, ascending, no name keys), once each."""
        vocabulary = dict(self.vocabulary)
        # New names take ids in the order they first occur, source texts first.
        both = np.concatenate((source[1], target[1]))
        present, first = np.unique(both, return_index=True)
        for word in present[np.argsort(first, kind="stable")].tolist():
            vocabulary.setdefault(names[word], len(vocabulary))
        ids = np.full(len(names), -1, dtype=np.int64)
        ids[present] = [vocabulary[names[word]] for word in present.tolist()]
        return KeySpace(
            vocabulary,
            _joined(self.source, (source[0], ids[source[1]], np.ones(len(source[1])))),
            _joined(self.target, (target[0], ids[target[1]], np.ones(len(target[1])))),
        )

    def weighted(self) -> tuple[Keys, Keys, int]:
        """Weighted keys per text, and the vocabulary's size.

        Only keys present on both sides are kept, weighted by inverse text frequency
        (``log(1 + texts / texts with the key)``) and shared out among the neighbouring texts
        (two either side) that repeat them: a key repeated in neighbouring units says less
        about which of them is the match, and a bead spanning them must not count it twice.
        """
        size = len(self.vocabulary)
        frequency = [np.bincount(ids, minlength=size) for _, ids, _ in (self.source, self.target)]
        both = (frequency[0] > 0) & (frequency[1] > 0)
        texts = len(self.source[0]) + len(self.target[0]) - 2
        weight = np.where(both, np.log1p(texts / np.maximum(frequency[0] + frequency[1], 1)), 0.0)
        source_keys, target_keys = (_shared_out(*side, weight, both) for side in (self.source, self.target))
        return source_keys, target_keys, size


def _has_han_names(side: Sequence[Mapping[str, int]]) -> bool:
    return any(map(methodcaller("startswith", "H:"), chain.from_iterable(side)))


def weigh_keys(source: Sequence[Mapping[str, int]], target: Sequence[Mapping[str, int]]) -> tuple[Keys, Keys, int]:
    """:meth:`KeySpace.weighted` of the keys of every source and target text."""
    return KeySpace.of(source, target).weighted()


_NAME_PREFIXES = ("H:", "P:")


def _name_rule(own_han: bool, other_han: bool) -> str | None:
    """Which name keys a side keeps (renamed ``N:``): Han pinyin against capitalised words, or none."""
    if own_han == other_han:
        return None
    return "H:" if own_han else "P:"


def _vocabulary_name(key: str, keep_names: str | None) -> str | None:
    """``key`` as the vocabulary names it: itself, a name key kept as ``N:`` where
    ``keep_names`` says, or ``None`` (dropped)."""
    if not key.startswith(_NAME_PREFIXES):
        return key
    return "N:" + key[2:] if keep_names is not None and key.startswith(keep_names) else None


def _written(name: str, keep_names: str | None) -> str | None:
    """How a side whose name keys are ``keep_names`` writes the vocabulary's ``name``."""
    if not name.startswith("N:"):
        return name
    return keep_names + name[2:] if keep_names is not None else None


def _encode(side: Sequence[Mapping[str, int]], names: Mapping[str, str], vocabulary: dict[str, int]) -> CSR:
    """The keys of each text that ``names`` has, as ids of their names; a name new to
    ``vocabulary`` takes the next id. Whole-side passes (chain, map, compress) rather than a
    Python loop per key: a long book has hundreds of thousands."""
    keys = list(chain.from_iterable(side))
    kept = np.fromiter(map(names.__contains__, keys), dtype=bool, count=len(keys))
    counts = np.fromiter(chain.from_iterable(map(methodcaller("values"), side)), dtype=np.float64, count=len(keys))
    survivors = list(map(names.__getitem__, compress(keys, kept.tolist())))
    for name in dict.fromkeys(survivors):
        vocabulary.setdefault(name, len(vocabulary))
    ids = np.fromiter(map(vocabulary.__getitem__, survivors), dtype=np.int64, count=len(survivors))
    lengths = np.fromiter(map(len, side), dtype=np.int64, count=len(side))
    kept_before = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))
    return kept_before[np.concatenate(([0], np.cumsum(lengths)))], ids, counts[kept]


def _joined(first: CSR, second: CSR) -> CSR:
    """Two key sets of the same texts as one (their keys are distinct)."""
    units = len(first[0]) - 1
    owners = [np.repeat(np.arange(units, dtype=np.int64), np.diff(part[0])) for part in (first, second)]
    owner = np.concatenate(owners)
    order = np.argsort(owner, kind="stable")
    ids = np.concatenate((first[1], second[1]))[order]
    counts = np.concatenate((first[2], second[2]))[order]
    return np.searchsorted(owner[order], np.arange(units + 1)).astype(np.int64), ids, counts


def _shared_out(start: np.ndarray, ids: np.ndarray, counts: np.ndarray, weight: np.ndarray, keep: np.ndarray) -> Keys:
    units = len(start) - 1
    owner = np.repeat(np.arange(units, dtype=np.int64), np.diff(start))
    kept = keep[ids]
    owner, ids, counts = owner[kept], ids[kept], counts[kept]
    # Units within _LOCAL_SPAN of each other that have the same key: one code per (key, unit),
    # spaced so that a window never reaches another key's codes.
    stride = units + 2 * _LOCAL_SPAN + 1
    codes = ids * stride + owner + _LOCAL_SPAN
    # Codes are distinct, so at most _LOCAL_SPAN on each side are that close: compare neighbours.
    order = np.argsort(codes)
    ordered = codes[order]
    near_ordered = np.ones(len(codes), dtype=np.int64)
    for step in range(1, _LOCAL_SPAN + 1):
        close = ordered[step:] - ordered[:-step] <= _LOCAL_SPAN
        near_ordered[step:] += close
        near_ordered[:-step] += close
    near = np.empty_like(near_ordered)
    near[order] = near_ordered
    weights = counts * weight[ids] / near
    order = np.lexsort((ids, owner))
    return Keys(
        np.searchsorted(owner[order], np.arange(units + 1)).astype(np.int64),
        ids[order],
        weights[order],
    )


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
