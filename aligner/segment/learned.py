"""The learned layer: evidence from the text itself, where the SRX rules leave a break ambiguous.

The idea is Punkt's (Kiss and Strunk 2006, "Unsupervised multilingual sentence boundary
detection"): a text tells which of its short tokens are abbreviations and which of its
capitalised words are names, so a period after an abbreviation before a name is no sentence
end. The layer is written for this toolkit and decides only three kinds of places, each after
the rules have spoken:

- an abbreviation before a capitalised word (``2019 г. Меморандума``, ``the U.S. Chargé``):
  where the rules break, the layer keeps the sentence together when the word is a *name or a
  defined term* of the text: capitalised in mid-sentence (after a word or a comma), never
  written in lower case, never seen opening a sentence. A token is an abbreviation when it has
  an inner period (``т.е``, ``U.S``), or when it is short and the text uses it with its period
  before lower case, a digit or a comma at least as often as without the period and at least
  half as often as at the end of a paragraph (``г.`` in ``в 2025 г. наши страны``);
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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from aligner.model import Sentence
from aligner.segment.srx import Rule, SrxSegmenter, sentences_between

MAX_ABBREVIATION_LETTERS = 5
"""Longest token (letters, without periods) that can be learned to be an abbreviation.

Chosen on the development set: the abbreviations of ministry Russian and English that the
rules do not list are one to four letters (г, гг, млн, долл, чел, approx); six-letter words
that end sentences are common."""

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

# A short token with its period before a capitalised word, or a word, an ellipsis and the next
# word. Everything after the token is a look-ahead, so that "А. Б. Петров" yields both places.
_CANDIDATE = regex.compile(
    rf"{_NOT_AFTER_WORD}(?:"
    rf"(?P<token>{_SHORT}(?:\.{_SHORT})*)\."
    rf"(?=\s+[{OPENERS}]*(?P<next>\p{{Lu}}{_LETTERS}*){_WORD_END}(?P<next_period>\.?))"
    rf"|(?P<word>{_SPOKEN}){_ELLIPSIS}(?=\s+[{OPENERS}]*(?P<repeat>{_SPOKEN}){_WORD_END})"
    ")",
    regex.V1,
)
# Capitalised words at the start of a paragraph or after a sentence-final mark.
_OPENING_WORD = regex.compile(
    rf"(?:\A|(?<=[.!?…][{_CLOSERS}]*\s))\s*[{OPENERS}]*(\p{{Lu}}{_LETTERS}*){_WORD_END}", regex.V1
)


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
    rule_breaks = [segmenter.breaks(text) for text in texts]
    if not learned:
        return [Split(tuple(sentences_between(text, breaks)), ()) for text, breaks in zip(texts, rule_breaks)]
    candidates = [_candidates(text) for text in texts]
    counts = _count(texts, candidates)
    splits = []
    for text, breaks, found in zip(texts, rule_breaks, candidates):
        decisions = _decide(found, set(breaks), counts)
        final = set(breaks)
        for decision in decisions:
            (final.add if decision.breaks else final.discard)(decision.position)
        splits.append(Split(tuple(sentences_between(text, sorted(final))), tuple(decisions)))
    return splits


def decision_at(text: str, position: int, breaks: bool) -> Decision | None:
    """The learned layer's kind of decision that would put (or not put) a break at ``position``.

    Used to write, as SRX rules, the decisions behind a split whose counts are gone: ``None``
    when no candidate place of the layer ends at ``position``.
    """
    for candidate in _candidates(text):
        if candidate.position == position:
            return _decision(candidate, breaks, "learned from the text")
    return None


def _candidates(text: str) -> list[_Candidate]:
    found = []
    for match in _CANDIDATE.finditer(text):
        if match.group("token") is not None:
            following = match.group("next")
            found.append(_Candidate(match.end(), match.group("token"), following,
                                    len(following) == 1 and bool(match.group("next_period")), None))
        elif _head(match.group("repeat")) == _head(match.group("word")):
            found.append(_Candidate(match.end(), None, match.group("repeat"), False, match.group("word")))
    return found


def _head(word: str) -> str:
    """The word up to an apostrophe, case folded: "I've" and "I" are the same hesitant start."""
    return regex.split("['’]", word, maxsplit=1)[0].casefold()


def _count(texts: Sequence[str], candidates: list[list[_Candidate]]) -> _Counts:
    tokens = {c.token for found in candidates for c in found if c.token is not None}
    counts = _Counts(Counter(), Counter(), Counter(), Counter(), Counter(), Counter(), Counter())
    for text in texts:
        counts.opening.update(_OPENING_WORD.findall(text))
    if tokens:
        listed = sorted(tokens)
        token = rf"{_NOT_AFTER_WORD}(\L<tokens>)"
        # With its period before lower case, a digit, a comma, a semicolon, a colon or a
        # closing bracket: the sentence goes on, so the period was an abbreviation's.
        continued = regex.compile(rf"{token}\.(?=\)?\s*[\p{{Ll}}\p{{N}},;:)])", regex.V1, tokens=listed)
        at_end = regex.compile(rf"{token}\.[{_CLOSERS}]*\s*\Z", regex.V1, tokens=listed)
        bare = regex.compile(rf"{token}(?![\p{{L}}\p{{M}}\p{{N}}.])", regex.V1, tokens=listed)
        with_period = regex.compile(rf"{token}\.", regex.V1, tokens=listed)
        for text in texts:
            counts.continued.update(continued.findall(text))
            counts.paragraph_ends.update(at_end.findall(text))
            counts.bare.update(bare.findall(text))
            counts.with_period.update(with_period.findall(text))
    words = {
        c.following for found in candidates for c in found
        if c.token is not None and not c.following_is_initial and _is_abbreviation(c.token, counts)
    }
    if words:
        lower = regex.compile(rf"(?<![\p{{L}}\p{{M}}\p{{N}}])(\L<words>){_WORD_END}", regex.V1,
                              words=sorted({w.lower() for w in words}))
        middle = regex.compile(rf"(?<=[\p{{L}}\p{{M}}\p{{N}},;]\s+[{OPENERS}]*)(\L<words>){_WORD_END}", regex.V1,
                               words=sorted(words))
        for text in texts:
            counts.lower.update(lower.findall(text))
            counts.middle.update(middle.findall(text))
        # A capitalised word after an abbreviation has not been seen opening a sentence.
        for found in candidates:
            for candidate in found:
                if candidate.token is not None and _is_abbreviation(candidate.token, counts):
                    counts.opening[candidate.following] -= 1
    return counts


def _is_abbreviation(token: str, counts: _Counts) -> bool:
    if "." in token or (len(token) == 1 and token.isupper()):
        return True
    return _goes_on(token, counts) or _never_bare(token, counts)


def _goes_on(token: str, counts: _Counts) -> bool:
    """The text goes on after the token's period (lower case, a digit, a comma) as often as it writes the
    token without a period, and at least half as often as the period ends a paragraph."""
    continued = counts.continued[token]
    return continued >= 1 and continued >= counts.bare[token] and 2 * continued >= counts.paragraph_ends[token]


def _never_bare(token: str, counts: _Counts) -> bool:
    """A short lower-case token always written with its period (гг., etc.) is an abbreviation."""
    return (
        len(token) <= MAX_NEVER_BARE_LETTERS and token.islower() and counts.bare[token] == 0
        and counts.with_period[token] >= MIN_PERIOD_USES
    )


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
        initial = len(candidate.token) == 1 and candidate.token.isupper()
        if rules_break and middle >= 1 and lower == 0 and opening <= 0:
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
        f"{_times(counts.continued[token])}, written without its period {_times(counts.bare[token])}, "
        f"ending a paragraph {_times(counts.paragraph_ends[token])}"
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
