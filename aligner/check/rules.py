"""The quality rules: each finds the pairs of one document that break it.

A rule has a name, a default severity, default limits (how many findings a document may have
before its gate fails) and, for some, parameters; its docstring says what it catches. Rules
report findings; whether a finding fails the gate is decided by aligner.check.gate.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import regex

from aligner.check.numbers import quantities, unmatched
from aligner.check.pairs import ALL_UNITS, CONFIDENCE, PARAGRAPHS, TURNS, CheckedDocument
from aligner.model import LOW_CONFIDENCE, Record
from aligner.scripts import dominant_script, script_share

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)

_WORDS = regex.compile(r"\p{L}{2,}")
_SPACES = regex.compile(r"\s+")
_LATIN_TOKEN = regex.compile(r"(?<![\p{L}\p{N}])\p{Script=Latin}[\p{Script=Latin}\p{N}&.\-]*(?<![.\-])")
_ACRONYM = regex.compile(r"(?<![\p{L}\p{N}])(?=[\p{Lu}\p{N}]*\p{Lu}[\p{Lu}\p{N}]*\p{Lu})[\p{Lu}\p{N}]{2,}(?![\p{L}\p{N}])")


@dataclass(frozen=True)
class Finding:
    """One pair that breaks one rule: which unit, what is wrong, and both texts."""

    rule: str
    unit: int
    message: str
    source: str
    target: str


class Rule:
    """A check of the pairs of one document; subclasses set the class attributes and ``check``."""

    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[str] = ERROR
    max_count: ClassVar[int | None] = 0
    max_ratio: ClassVar[float | None] = None
    needs: ClassVar[tuple[str, ...]] = ()
    parameters: ClassVar[Mapping[str, float]] = {}

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        """The findings of this rule in ``document``; ``parameters`` has every key of ``self.parameters``."""
        raise NotImplementedError

    def finding(self, pair: Record, message: str) -> Finding:
        """A finding of this rule about ``pair``."""
        return Finding(self.name, pair.unit, message, pair.source, pair.target)


def _both_sides(document: CheckedDocument) -> list[Record]:
    return [pair for pair in document.pairs if pair.source.strip() and pair.target.strip()]


def _listed(texts: Sequence[str]) -> str:
    return ", ".join(f"“{text}”" for text in texts)


class Numbers(Rule):
    """A number or date differs: each side has one the other lacks ("2010" became "2011").

    Numbers are compared as values across languages: "17 декабря" is "December 17",
    "1,5 млрд" is "1.5 billion", "2020–2021 гг." is "2020-2021", "five" may stand for "5".
    Page numbers ("p. 80") are left out: a translation cites its own edition.
    """

    name = "numbers"
    summary = "a number or date differs across the pair"

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        findings = []
        for pair in _both_sides(document):
            source_only, target_only = _unmatched(document, pair)
            if source_only and target_only:
                message = f"{_listed(source_only)} in the source but {_listed(target_only)} in the target"
                findings.append(self.finding(pair, message))
        return findings


class NumbersMissing(Rule):
    """A number or date is on one side only: left out of the translation, or added to it."""

    name = "numbers-missing"
    summary = "a number or date is on one side only"
    severity = WARNING

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        findings = []
        for pair in _both_sides(document):
            source_only, target_only = _unmatched(document, pair)
            if source_only and not target_only:
                findings.append(self.finding(pair, f"{_listed(source_only)} in the source is not in the target"))
            elif target_only and not source_only:
                findings.append(self.finding(pair, f"{_listed(target_only)} in the target is not in the source"))
        return findings


def _unmatched(document: CheckedDocument, pair: Record) -> tuple[list[str], list[str]]:
    source_only, target_only = unmatched(
        quantities(pair.source, document.source_language), quantities(pair.target, document.target_language)
    )
    return [q.text for q in source_only], [q.text for q in target_only]


class Untranslated(Rule):
    """The target was left untranslated: the same text as the source, or in the source's script.

    Texts of fewer than ``min-words`` words (names, numbers, "OK") may rightly stay the same.
    """

    name = "untranslated"
    summary = "the target repeats the source, or is written in the source's script"
    parameters = {"min-words": 2}

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        source_script, target_script = _script(document, "source"), _script(document, "target")
        findings = []
        for pair in _both_sides(document):
            if len(_WORDS.findall(pair.target)) < parameters["min-words"]:
                continue
            if _normalised(pair.source) == _normalised(pair.target):
                findings.append(self.finding(pair, "the target is the source text, untranslated"))
            elif source_script and target_script and source_script != target_script:
                share = script_share(pair.target, source_script)
                if share > 0.5:
                    findings.append(
                        self.finding(pair, f"{share:.0%} of the target's letters are in the source's script ({source_script})")
                    )
        return findings


def _script(document: CheckedDocument, side: str) -> str | None:
    """The script of one side: the language's, else the one most of the side's letters are in."""
    language = document.source_language if side == "source" else document.target_language
    return language.script or dominant_script(" ".join(getattr(pair, side) for pair in document.pairs))


def _normalised(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


class EmptySide(Rule):
    """A sentence has no counterpart (a 1-0 or 0-1 bead): something was left out or added.

    In an aligned file that leaves such units out (TMX, and PO for 0-1), a gap in the unit
    numbers is the trace of one, and is reported as such.
    """

    name = "empty-side"
    summary = "a sentence has no counterpart (1-0 or 0-1 bead)"

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        findings = [
            Finding(
                self.name,
                first,
                "the unit is not in the file: it had an empty side (or was filtered out)" if first == last
                else f"units {first}-{last} are not in the file: they had an empty side (or were filtered out)",
                "",
                "",
            )
            for first, last in document.left_out
        ]
        for pair in document.pairs:
            if pair.source.strip() and not pair.target.strip():
                findings.append(self.finding(pair, "the source has no translation in the target"))
            elif pair.target.strip() and not pair.source.strip():
                findings.append(self.finding(pair, "the target has text with no source"))
        return sorted(findings, key=lambda finding: finding.unit)


class LengthRatio(Rule):
    """The pair's lengths are out of line with the document's own length ratio.

    With ``c`` the document's median target/source ratio (in characters), each pair's
    residual is (target − c · source) / √(source + target): Gale and Church's observation that
    the spread of a translation's length grows with the length, so that a short question
    three words longer than usual is no outlier while a long sentence cut in half is. A pair
    fires when the robust z-score of its residual, 0.6745 (d − median) / MAD (Iglewicz and
    Hoaglin's modified z-score, which one bad pair cannot mask), exceeds ``max-z``. A
    document of fewer than 10 pairs has no ratio of its own to speak of and is not judged.
    """

    name = "length-ratio"
    summary = "the length ratio is an outlier (robust z-score)"
    severity = WARNING
    parameters = {"max-z": 3.5}
    minimum_pairs = 10

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        pairs = _both_sides(document)
        if len(pairs) < self.minimum_pairs:
            return []
        ratio = statistics.median(len(p.target) / len(p.source) for p in pairs)
        residuals = [(len(p.target) - ratio * len(p.source)) / math.sqrt(len(p.source) + len(p.target)) for p in pairs]
        median = statistics.median(residuals)
        mad = statistics.median(abs(r - median) for r in residuals)
        if mad == 0:
            return []
        findings = []
        for pair, residual in zip(pairs, residuals):
            z = 0.6745 * (residual - median) / mad
            if abs(z) > parameters["max-z"]:
                longer = "target" if z > 0 else "source"
                findings.append(
                    self.finding(
                        pair,
                        f"the {longer} is unusually long: {len(pair.source)} → {len(pair.target)} characters, "
                        f"z = {z:+.1f} against the document's ratio {ratio:.2f}",
                    )
                )
        return findings


class LowConfidence(Rule):
    """The aligner is unsure of the pair: its confidence is below ``min-confidence``."""

    name = "low-confidence"
    summary = "the alignment confidence is low"
    needs = (CONFIDENCE,)
    parameters = {"min-confidence": LOW_CONFIDENCE}

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        return [
            self.finding(pair, f"alignment confidence {pair.confidence:.4f} < {parameters['min-confidence']:g}")
            for pair in document.pairs
            if pair.confidence is not None and pair.confidence < parameters["min-confidence"]
        ]


_OPENERS = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "„": "“", "“": "”"}
_CLOSERS = set(_OPENERS.values())


def _balanced(text: str) -> bool:
    """Whether every bracket and quote of ``text`` is closed, in order.

    “ opens in English and closes in German („…“): after a „ it is read as a closer. Straight
    double quotes must come in pairs; single quotes are left alone, being apostrophes too.
    """
    stack: list[str] = []
    for ch in text:
        if stack and ch == stack[-1]:
            stack.pop()
        elif ch in _OPENERS:
            stack.append(_OPENERS[ch])
        elif ch in _CLOSERS:
            return False
    return not stack and text.count('"') % 2 == 0


class Brackets(Rule):
    """Brackets or quotes are unbalanced on one side only (a bracket or quote lost or added).

    A quotation running over several sentences leaves both sides unbalanced, which is fine.
    """

    name = "brackets"
    summary = "brackets or quotes are unbalanced on one side only"
    severity = WARNING

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        findings = []
        for pair in _both_sides(document):
            source_ok, target_ok = _balanced(pair.source), _balanced(pair.target)
            if source_ok != target_ok:
                side = "target" if source_ok else "source"
                findings.append(self.finding(pair, f"brackets or quotes are unbalanced in the {side} only"))
        return findings


class LatinNames(Rule):
    """A Latin-script name or acronym is on one side only.

    Where one side is in another script (Russian), a Latin-script word in it ("COVID-19",
    "Mr Smith") must also be in the other side; the Latin side's names are not checked, since
    they are transliterated ("Lavrov" is "Лавров"). Where both sides are in Latin script,
    acronyms ("NATO", "K2") are compared: other names may be translated or inflected.
    """

    name = "latin-names"
    summary = "a Latin-script name or acronym is on one side only"
    severity = WARNING

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        source_latin, target_latin = _script(document, "source") == "Latn", _script(document, "target") == "Latn"
        findings = []
        for pair in _both_sides(document):
            if source_latin and target_latin:
                missing = _absent(_ACRONYM.findall(pair.source), pair.target, word=True)
                added = _absent(_ACRONYM.findall(pair.target), pair.source, word=True)
            else:
                missing = [] if source_latin else _absent(_LATIN_TOKEN.findall(pair.source), pair.target, word=False)
                added = [] if target_latin else _absent(_LATIN_TOKEN.findall(pair.target), pair.source, word=False)
            if missing:
                findings.append(self.finding(pair, f"{_listed(missing)} in the source is not in the target"))
            if added:
                findings.append(self.finding(pair, f"{_listed(added)} in the target is not in the source"))
        return findings


def _absent(tokens: Sequence[str], other: str, *, word: bool) -> list[str]:
    """The tokens not found in ``other``: as whole words, or (for names) anywhere, ignoring case."""
    folded = other.casefold()
    absent = []
    for token in dict.fromkeys(tokens):
        if word:
            found = regex.search(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(token)}(?![\p{{L}}\p{{N}}])", other) is not None
        else:
            found = token.casefold() in folded
        if not found:
            absent.append(token)
    return absent


class TargetReuse(Rule):
    """One target text is paired with different source texts: a translation pasted twice.

    Targets of fewer than ``min-words`` words ("Спасибо.", "Да.") may rightly serve several sources.
    """

    name = "target-reuse"
    summary = "one target is used for different sources"
    severity = WARNING
    parameters = {"min-words": 3}

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        first: dict[str, Record] = {}
        findings = []
        for pair in _both_sides(document):
            if len(_WORDS.findall(pair.target)) < parameters["min-words"]:
                continue
            key = _normalised(pair.target)
            earlier = first.setdefault(key, pair)
            if earlier is not pair and _normalised(earlier.source) != _normalised(pair.source):
                findings.append(self.finding(pair, f"the same target as unit {earlier.unit}, whose source differs"))
        return findings


class Paragraphs(Rule):
    """A whole paragraph has no counterpart on the other side: every sentence of it is 1-0 (or 0-1)."""

    name = "paragraphs"
    summary = "a paragraph is missing on one side"
    needs = (PARAGRAPHS, ALL_UNITS)

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        findings = []
        for side, other in (("source", "target"), ("target", "source")):
            units: dict[int, list[Record]] = {}
            for pair in document.pairs:
                paragraph = getattr(pair, f"{side}_paragraph")
                if paragraph is not None and getattr(pair, side).strip():
                    units.setdefault(paragraph, []).append(pair)
            for paragraph, pairs in units.items():
                if not any(getattr(pair, other).strip() for pair in pairs):
                    count = len(pairs)
                    findings.append(
                        self.finding(
                            pairs[0],
                            f"{side} paragraph {paragraph} ({count} unit{'s' if count != 1 else ''}, "
                            f"from unit {pairs[0].unit}) has no counterpart in the {other}",
                        )
                    )
        return sorted(findings, key=lambda finding: finding.unit)


class SpeakerTurns(Rule):
    """A speaker turn ("Question:", "Sergey Lavrov:") opens on one side but not on the other."""

    name = "speaker-turns"
    summary = "a speaker turn is missing on one side"
    needs = (TURNS,)

    def check(self, document: CheckedDocument, parameters: Mapping[str, float]) -> list[Finding]:
        findings = []
        for pair in document.pairs:
            if pair.source_turn and not pair.target_turn:
                findings.append(self.finding(pair, "a speaker turn opens here in the source but not in the target"))
            elif pair.target_turn and not pair.source_turn:
                findings.append(self.finding(pair, "a speaker turn opens here in the target but not in the source"))
        return findings


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Numbers(),
        NumbersMissing(),
        Untranslated(),
        EmptySide(),
        Paragraphs(),
        SpeakerTurns(),
        LowConfidence(),
        LengthRatio(),
        Brackets(),
        LatinNames(),
        TargetReuse(),
    )
}
"""Every rule, by name, in the order reports list them."""
