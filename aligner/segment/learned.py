"""The learned layer: evidence from the text itself, where the SRX rules leave a break ambiguous.

The idea is Punkt's (Kiss and Strunk 2006, "Unsupervised multilingual sentence boundary
detection"): a text tells which of its short tokens are abbreviations and which of its
capitalised words are names, so a period after an abbreviation before a name is no sentence
end. The layer is written for this toolkit and decides only three kinds of places, each after
the rules have spoken:

- an abbreviation before a capitalised word (``2019 г. Меморандума``, ``the U.S. Capitol``):
  where the rules break, the layer keeps the sentence together when the word is a *name or a
  defined term* of the text: capitalised in mid-sentence (after a word or a comma), never
  written in lower case, never seen opening a sentence, and not a title with its period (``Dr.``,
  ``Mr.``, which opens sentences as readily as it stands in them). A token is an abbreviation when it has
  an inner period (``т.е``, ``U.S``); or when it has at most five letters and the text goes on
  after its period (lower case, a digit or a comma follows) at least once, and at least half as
  often as the period ends a paragraph (``г.`` in ``в 2025 г. наши страны``); or when it has at
  most three lower-case letters and is written with its period at least twice and never without;
- an initial before a capitalised word (``group A. The``): where the rules keep the initial to
  the word, the layer breaks when the word is a *sentence starter* of the text: written in
  lower case elsewhere and never capitalised in mid-sentence;
- an ellipsis between a word and its repetition (``I... I'm going``, ``But... but``): a
  hesitation, never a break.

Evidence is counted over every paragraph given at once (a document, or all documents of one
language in a batch), so a term defined in one document helps in the next. Every decision
is a function of the two words at the place and of those counts, so it is deterministic, it
comes with its reason, and it can be written as one SRX rule with the two words as literals
(:meth:`Decision.rule`), which gives the same decision wherever the two words meet again.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from aligner.collector import paused_cycle_collector
from aligner.model import Sentence
from aligner.segment.srx import Rule, SrxSegmenter, sentences_between

MAX_ABBREVIATION_LETTERS = 5
"""Longest token (letters, without periods) that can be learned to be an abbreviation.

Chosen on the development set and general knowledge: the Russian and English abbreviations that
the rules do not list are mostly of one to four letters (г., гг., млн., тыс., etc.), while words
of six letters and more end sentences all the time."""

MAX_NEVER_BARE_LETTERS = 3
MIN_PERIOD_USES = 2
"""A lower-case token of at most 3 letters that the text writes with its period at least twice and
never without it is an abbreviation, even when no lower case follows it (гг., etc.). Longer
words can end sentences every time they occur."""

_LETTERS = r"[\p{L}\p{M}]"
_WORD = rf"\p{{L}}{_LETTERS}*"
_NOT_AFTER_WORD = r"(?<![\p{L}\p{M}\p{N}.])"
_WORD_END = r"(?![\p{L}\p{M}\p{N}])"
OPENERS = "«„“\"‘'‚‹(\\[¿¡"
"""What may stand between a sentence end and the first word of the next sentence (as in the rules)."""
_CLOSERS = "”’\"')\\]»›"
# A word with inner apostrophes, as a hesitation repeats it: "I'm... I'm".
_SPOKEN = rf"{_WORD}(?:['’]{_WORD})*"
# "...", "…" or the spaced ". . ." of book typography.
_ELLIPSIS = r"(?:\.{2,}|…+| ?\.(?: \.){2,})"
_SHORT = rf"\p{{L}}{_LETTERS}{{0,{MAX_ABBREVIATION_LETTERS - 1}}}"

_TOKEN = rf"{_SHORT}(?:\.{_SHORT})*"
_IS_TOKEN = regex.compile(_TOKEN, regex.V1)
# Periods are found first, by a fast scan, and the letters before each (with inner periods:
# "т.е", "U.S") are a look-behind, so that "А. Б. Петров" yields both places; whether they make
# a token of the layer (at most five letters a part) is checked afterwards, once per spelling.
_RUN = r"(?<![\p{L}\p{M}\p{N}.])([\p{L}\p{M}.]{1,24})"
# Every period after a run of letters, with the character after it when the sentence goes on
# (lower case, a digit, a comma, a semicolon, a colon or a closing bracket), or else the
# capitalised word after white space (and whether that word is itself followed by a period, as
# an initial is).
_PERIOD = regex.compile(
    rf"\.(?<={_RUN}\.)(?:(?=\)?\s*([\p{{Ll}}\p{{N}},;:)]))"
    rf"|(?=\s+[{OPENERS}]*(\p{{Lu}}{_LETTERS}*){_WORD_END}(\.?)))?",
    regex.V1,
)
# A word, an ellipsis, white space and a word.
_HESITATION = regex.compile(
    rf"(?:\.{{2,}}|…+|\.(?: \.){{2,}})(?<={_NOT_AFTER_WORD}({_SPOKEN}){_ELLIPSIS})"
    rf"(?=\s+[{OPENERS}]*({_SPOKEN}){_WORD_END})",
    regex.V1,
)
# A run of letters and its period at the end of a paragraph: before the separator of a batch, or
# at the end of the text.
_AT_PARAGRAPH_END = regex.compile(rf"\x00(?<={_RUN}\.[{_CLOSERS}]*\s*)", regex.V1)
_AT_TEXT_END = regex.compile(rf"(?<={_RUN}\.[{_CLOSERS}]*\s*)\Z", regex.V1)
_TAIL = 64
_GAP = regex.compile(rf"\s*[{OPENERS}]*", regex.V1)
# Where a capitalised word is in mid-sentence: after a word, a digit, a comma or a semicolon,
# white space and perhaps an opening quote.
_MIDDLE_BEFORE = regex.compile(rf"[\p{{L}}\p{{M}}\p{{N}},;]\s+[{OPENERS}]*\Z", regex.V1)


@dataclass(frozen=True)
class Decision:
    """A break or non-break the learned layer decided, at ``position`` in its paragraph, and why.

    ``before`` and ``after`` are ICU patterns that recognise the place from its two words;
    :meth:`rule` makes them an SRX rule that gives the same decision.
    """

    position: int
    breaks: bool
    before: str
    after: str
    reason: str

    def rule(self) -> Rule:
        """The decision as an SRX rule: literal words, so it holds wherever they meet again."""
        return Rule(where="learned from the text", breaks=self.breaks, before=self.before, after=self.after)

    def describe(self, text: str) -> str:
        """One line: what was decided, where in ``text`` (its paragraph), and why."""
        left = " ".join(text[max(0, self.position - 30) : self.position].split())
        right = " ".join(text[self.position : self.position + 30].split())
        verdict = "break" if self.breaks else "no break"
        return f"{verdict} at “…{left} | {right}…”: {self.reason}"


@dataclass(frozen=True)
class Split:
    """One paragraph's sentences and the decisions of the learned layer in it."""

    sentences: tuple[Sentence, ...]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class _Candidate:
    position: int
    token: str | None
    following: str
    following_is_initial: bool
    repeated: str | None
    paragraph: int = 0
    following_is_title: bool = False


@dataclass
class _Counts:
    """How the tokens and words of interest are used across the paragraphs."""

    continued: Counter[str]
    paragraph_ends: Counter[str]
    bare: Counter[str]
    with_period: Counter[str]
    lower: Counter[str]
    middle: Counter[str]
    opening: Counter[str]


def split_paragraphs(segmenter: SrxSegmenter, texts: Sequence[str], learned: bool = True) -> list[Split]:
    """Split every paragraph of ``texts`` by the rules, with the learned layer on top if ``learned``.

    The layer's evidence is counted over all of ``texts`` together.
    """
    with paused_cycle_collector():
        return _split_paragraphs(segmenter, texts, learned)


def _split_paragraphs(segmenter: SrxSegmenter, texts: Sequence[str], learned: bool) -> list[Split]:
    rule_breaks = [segmenter.breaks(text) for text in texts]
    if not learned:
        return [Split(tuple(sentences_between(text, breaks)), ()) for text, breaks in zip(texts, rule_breaks)]
    batch = _Batch(texts, rule_breaks)
    counts = _Counts(Counter(), Counter(), Counter(), Counter(), Counter(), Counter(), Counter())
    before_capitals = _count_periods(batch.text, counts)
    abbreviations = _count_tokens(batch.text, counts)
    # Only abbreviations and initials can be decided.
    candidates = batch.candidates(before_capitals, lambda token: token in abbreviations or _is_initial(token))
    _count_words_of(batch, candidates, abbreviations, counts)
    splits = []
    for text, breaks, found in zip(texts, rule_breaks, candidates):
        decisions = _decide(found, set(breaks), counts) if found else []
        if decisions:
            final = set(breaks)
            for decision in decisions:
                (final.add if decision.breaks else final.discard)(decision.position)
            breaks = sorted(final)
        splits.append(Split(tuple(sentences_between(text, breaks)), tuple(decisions)))
    return splits


_SEPARATOR = "\n\x00\n"
"""Between paragraphs in the joined text of a batch: no pattern of the layer reads across it."""


class _Batch:
    """The paragraphs joined into one text, so that each count is one pass of `regex` (C speed)."""

    def __init__(self, texts: Sequence[str], rule_breaks: list[list[int]]):
        self.text = _SEPARATOR.join(texts)
        self.starts, offset = [], 0
        for text in texts:
            self.starts.append(offset)
            offset += len(text) + len(_SEPARATOR)
        # Where sentences open: each paragraph, and where the rules break.
        self.openings = [start + b for start, breaks in zip(self.starts, rule_breaks) for b in (0, *breaks)]
        self.count = len(texts)

    def candidates(self, before_capitals: list[_BeforeCapital], wanted: Callable[[str], bool]) -> list[list[_Candidate]]:
        """The candidate places in each paragraph whose token is ``wanted``, at positions in that paragraph."""
        found: list[list[_Candidate]] = [[] for _ in range(self.count)]
        for candidate in _candidates(self.text, before_capitals, wanted, self.starts):
            found[candidate.paragraph].append(candidate)
        return found



def decision_at(text: str, position: int, breaks: bool) -> Decision | None:
    """The learned layer's kind of decision that would put (or not put) a break at ``position``.

    Used to write, as SRX rules, the decisions behind a split whose counts are gone: ``None``
    when no candidate place of the layer ends at ``position``.
    """
    for candidate in _candidates(text, _count_periods(text, None), lambda token: True):
        if candidate.position == position:
            return _decision(candidate, breaks, "learned from the text")
    return None


_BeforeCapital = tuple[int, str, str, bool]
"""A period before a capitalised word: where it ends, the letters before it, the word, whether a
period follows the word (as after an initial or a title: "A.", "Dr.")."""


def _count_periods(text: str, counts: _Counts | None) -> list[_BeforeCapital]:
    """One pass over the periods of ``text``: how tokens are used with a period (into ``counts``),
    and the periods before a capitalised word."""
    before_capitals = []
    runs, continued_runs = [], []
    # Runs are collected and counted at the end: Counter counts a list in C.
    for match in _PERIOD.finditer(text):
        run, goes_on, following, period = match.groups()
        runs.append(run)
        if goes_on:
            continued_runs.append(run)
        elif following:
            before_capitals.append((match.end(), run, following, period == "."))
    with_period, continued = Counter(runs), Counter(continued_runs)
    if counts is not None:
        for run, number in with_period.items():
            if _is_token(run):
                counts.with_period[run] += number
                if continued[run]:
                    counts.continued[run] += continued[run]
    return before_capitals


def _candidates(
    text: str, before_capitals: list[_BeforeCapital], wanted: Callable[[str], bool], starts: Sequence[int] = (0,)
) -> list[_Candidate]:
    """The candidate places in ``text`` whose token is ``wanted``; with ``starts`` (of the paragraphs
    joined in it), each at its position in its paragraph, in order."""
    found = []
    joined = len(starts) > 1
    for end, token, following, period in before_capitals:
        if wanted(token) and _is_token(token):
            paragraph = bisect.bisect_right(starts, end) - 1 if joined else 0
            initial = period and len(following) == 1
            # A short word in lower case after its capital, with a period, is a title: "Dr.", "Mr."
            title = period and 2 <= len(following) <= 4 and not following.isupper()
            found.append(_Candidate(end - starts[paragraph], token, following, initial, None, paragraph, title))
    for match in _hesitations(text):
        word, repeat = match.group(1), match.group(2)
        if _head(repeat) == _head(word):
            end = match.end()
            paragraph = bisect.bisect_right(starts, end) - 1 if joined else 0
            found.append(_Candidate(end - starts[paragraph], None, repeat, False, word, paragraph))
    found.sort(key=lambda candidate: (candidate.paragraph, candidate.position))
    return found


def _hesitations(text: str) -> Iterator[regex.Match[str]]:
    """The matches of _HESITATION, tried only where an ellipsis starts (found by ``str.find``, as
    ellipses are rare and a scan of `regex` would try every period)."""
    starts = sorted({at for mark in ("..", "…", ". .") for at in _find_all(text, mark)})
    resume = 0
    for start in starts:
        if start < resume:
            continue
        match = _HESITATION.match(text, start)
        if match:
            resume = match.end()
            yield match


def _find_all(text: str, mark: str) -> Iterator[int]:
    start = text.find(mark)
    while start >= 0:
        yield start
        start = text.find(mark, start + len(mark))


@lru_cache(maxsize=65536)
def _is_token(run: str) -> bool:
    """Whether letters with inner periods make a token of the layer: parts of at most five letters."""
    return _IS_TOKEN.fullmatch(run) is not None


def _head(word: str) -> str:
    """The word up to an apostrophe, case folded: "I've" and "I" are the same hesitant start."""
    return regex.split("['’]", word, maxsplit=1)[0].casefold()


def _count_tokens(text: str, counts: _Counts) -> set[str]:
    """Count the rest of what says which tokens are abbreviations in ``text`` (a batch); those tokens."""
    ends = _AT_PARAGRAPH_END.findall(text)
    last = _AT_TEXT_END.search(text, max(0, len(text) - _TAIL))
    counts.paragraph_ends.update(run for run in [*ends, *(last.groups() if last else ())] if _is_token(run))
    # Whether a short token is ever written without its period: one search each, which stops at
    # the first (frequent words, such as "в", stop at once).
    for token in counts.with_period:
        if _may_be_never_bare(token, counts) and not _goes_on(token, counts):
            if _words_pattern([token], r"\b", r"(?![\p{L}\p{M}\p{N}.])").search(text):
                counts.bare[token] += 1
    return {token for token in counts.with_period if _is_abbreviation(token, counts)}


def _count_words_of(batch: _Batch, candidates: list[list[_Candidate]], abbreviations: set[str], counts: _Counts) -> None:
    """Count what the decisions at ``candidates`` need to know of the words after them, and no more."""
    terms, starters, after_abbreviation = set(), set(), set()
    opening_at = set(batch.openings)
    for start, found in zip(batch.starts, candidates):
        for candidate in found:
            if candidate.token is None:
                continue
            place = start + candidate.position
            after_abbreviation.add(place)
            if candidate.following_is_initial:
                continue
            if place in opening_at:
                terms.add(candidate.following)
            elif _is_initial(candidate.token):
                starters.add(candidate.following)
    if terms or starters:
        _count_words(batch, after_abbreviation, terms, starters, counts)
    # Starters never seen in mid-sentence: how often in lower case (the reason says).
    lower_forms = {word.lower() for word in starters if not counts.middle[word]} - starters
    if lower_forms:
        spelled = Counter(_words_pattern(lower_forms, r"\b", _WORD_END).findall(batch.text))
        for form in lower_forms:
            counts.lower[form] = spelled[form]


def _count_words(
    batch: _Batch, after_abbreviation: set[int], terms: set[str], starters: set[str], counts: _Counts
) -> None:
    """For words that may be terms: how often in mid-sentence, whether ever opening a sentence (a
    paragraph, or where the rules break, not after an abbreviation), whether ever in lower case. For
    words that may open sentences after an initial: whether ever in mid-sentence.

    Each word is looked for by plain substring search (C speed) and stops being looked for once
    settled: a word seen opening a sentence is no term, one lower-case use is enough, a starter
    seen in mid-sentence is none."""
    text = batch.text
    for word in sorted(terms | starters):
        is_term, is_starter = word in terms, word in starters
        lower = word.lower()
        if is_term and lower != word and _first_occurrence(text, lower) is not None:
            counts.lower[lower] += 1
            is_term = False
        for start in _occurrences(text, word):
            if not (is_term or is_starter):
                break
            if _in_mid_sentence(text, start):
                counts.middle[word] += 1
                is_starter = False
            elif is_term and _opens_sentence(text, start, batch.openings, after_abbreviation):
                counts.opening[word] += 1
                is_term = False


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Where ``word`` starts as a whole word in ``text``, found by ``str.find``."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not _is_word_character(text[start - 1])) and (
            end == len(text) or not _is_word_character(text[end])
        ):
            yield start
        start = text.find(word, start + 1)


def _first_occurrence(text: str, word: str) -> int | None:
    return next(_occurrences(text, word), None)


def _is_word_character(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _opens_sentence(text: str, start: int, openings: list[int], after_abbreviation: set[int]) -> bool:
    """Whether a word at ``start`` opens a sentence: a paragraph, or where the rules break, with only
    white space and opening quotes between, and not after an abbreviation."""
    place = bisect.bisect_right(openings, start) - 1
    if place < 0:
        return False
    opens_at = openings[place]
    return _GAP.fullmatch(text, opens_at, start) is not None and opens_at not in after_abbreviation


def _is_initial(token: str) -> bool:
    return len(token) == 1 and token.isupper()


def _in_mid_sentence(text: str, start: int) -> bool:
    return _MIDDLE_BEFORE.search(text, max(0, start - _TAIL), start) is not None


def _words_pattern(words: Iterable[str], before: str, after: str) -> regex.Pattern[str]:
    """Any of ``words`` between ``before`` and ``after``: a ``\\b`` and an alternation of literals, which
    `regex` scans for fast (a leading look-behind or a named list is tried at every position)."""
    alternatives = "|".join(regex.escape(word) for word in sorted(words, key=lambda w: (-len(w), w)))
    return regex.compile(rf"{before}(?:{alternatives}){after}", regex.V1)


def _is_abbreviation(token: str, counts: _Counts) -> bool:
    if "." in token or _is_initial(token):
        return True
    return _goes_on(token, counts) or _never_bare(token, counts)


def _goes_on(token: str, counts: _Counts) -> bool:
    """The text goes on after the token's period (lower case, a digit, a comma) at least once, and at
    least half as often as the period ends a paragraph."""
    continued = counts.continued[token]
    return continued >= 1 and 2 * continued >= counts.paragraph_ends[token]


def _may_be_never_bare(token: str, counts: _Counts) -> bool:
    return (
        "." not in token and len(token) <= MAX_NEVER_BARE_LETTERS and token.islower()
        and counts.with_period[token] >= MIN_PERIOD_USES
    )


def _never_bare(token: str, counts: _Counts) -> bool:
    """A short lower-case token always written with its period (гг., etc.) is an abbreviation."""
    return _may_be_never_bare(token, counts) and counts.bare[token] == 0


def _decide(candidates: list[_Candidate], rule_breaks: set[int], counts: _Counts) -> list[Decision]:
    decisions = []
    for candidate in candidates:
        rules_break = candidate.position in rule_breaks
        if candidate.repeated is not None:
            if rules_break:
                decisions.append(_decision(candidate, False, (
                    f"«{candidate.repeated}… {candidate.following}» repeats the word before the ellipsis: "
                    "a hesitation, not a sentence end")))
            continue
        assert candidate.token is not None
        if candidate.following_is_initial or not _is_abbreviation(candidate.token, counts):
            continue
        word = candidate.following
        middle, lower, opening = counts.middle[word], counts.lower[word.lower()], counts.opening[word]
        initial = _is_initial(candidate.token)
        # A title before a name ("Dr.", "Mr.") is capitalised in mid-sentence, yet as apt to open a
        # sentence ("… etc. Dr. Smirnova noted …"): no evidence of a name.
        if rules_break and middle >= 1 and lower == 0 and opening <= 0 and not candidate.following_is_title:
            decisions.append(_decision(candidate, False, (
                f"{_token_reason(candidate.token, counts)}; «{word}» is capitalised in mid-sentence "
                f"{_times(middle)} and never written in lower case or seen opening a sentence: a name or a term")))
        elif not rules_break and initial and lower >= 1 and middle == 0:
            decisions.append(_decision(candidate, True, (
                f"«{candidate.token}.» is an initial or a letter; «{word}» is written in lower case "
                f"{_times(lower)} and never capitalised in mid-sentence: it opens a sentence")))
    return decisions


def _token_reason(token: str, counts: _Counts) -> str:
    if "." in token:
        return f"«{token}.» is an abbreviation (it has an inner period)"
    if len(token) == 1 and token.isupper():
        return f"«{token}.» is an initial or a letter"
    if not _goes_on(token, counts):
        return (
            f"«{token}.» is an abbreviation here: written with its period {_times(counts.with_period[token])} "
            "and never without it"
        )
    return (
        f"«{token}.» is an abbreviation here: followed by lower case, a digit or a comma "
        f"{_times(counts.continued[token])}, ending a paragraph {_times(counts.paragraph_ends[token])}"
    )


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _decision(candidate: _Candidate, breaks: bool, reason: str) -> Decision:
    """The decision at ``candidate`` with the SRX patterns that recognise its place."""
    following = rf"\s+[{OPENERS}]*{_literal(candidate.following)}{_WORD_END}"
    if candidate.repeated is not None:
        before = rf"{_NOT_AFTER_WORD}{_literal(candidate.repeated)}{_ELLIPSIS}"
    else:
        assert candidate.token is not None
        before = rf"{_NOT_AFTER_WORD}{_literal(candidate.token)}\."
        if len(candidate.following) == 1:
            # A one-letter word followed by a period is an initial, a place the layer leaves alone.
            following += r"(?!\.)"
    return Decision(candidate.position, breaks, before, following, reason)


def _literal(word: str) -> str:
    # Tokens and words are letters, marks and inner periods: only the period needs escaping.
    return word.replace(".", r"\.")


__all__ = ["MAX_ABBREVIATION_LETTERS", "MAX_NEVER_BARE_LETTERS", "MIN_PERIOD_USES", "OPENERS", "Decision", "Split", "decision_at", "split_paragraphs"]
