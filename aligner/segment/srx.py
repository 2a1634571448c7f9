"""SRX 2.0 and 1.0 rule files and the segmenter that runs them.

Semantics, after the SRX 2.0 specification:

- ``<maprules>`` picks language rules: each ``<languagemap>`` whose ``languagepattern``
  matches the whole language code contributes its ``<languagerule>``, in document order;
  with ``cascade="no"`` in the header only the first match counts.
- SRX 1.0 (memoQ's and older tools' format) has the same rules; its ``<maprules>`` hold
  named ``<maprule>`` groups of language maps, of which the first is used, and it has no
  cascading: the first matching map alone decides.
- Between any two characters of a paragraph, the rules are tried in order; the first rule
  whose ``<beforebreak>`` matches text ending there and whose ``<afterbreak>`` matches text
  starting there decides, breaking if its ``break`` is ``"yes"`` (the default). A missing
  or empty pattern matches anything. Where no rule matches, there is no break.

Patterns are ICU regular expressions, translated by :mod:`aligner.segment.icu`.

Speed comes from not trying every rule everywhere: one combined pattern of the break rules
finds the positions where a break is possible, and only there one ordered alternation of
all rules (the first alternative that matches is the first rule that matches) decides.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import regex
from lxml import etree

from aligner.errors import AlignerError
from aligner.model import Sentence
from aligner.segment.icu import UnsupportedRegex, last_characters, required_characters, translate

DEFAULT_SRX = "aligner.srx"
"""The toolkit's own rules, in ``aligner/segment/data/``."""

TIME_LIMIT_SECONDS = 0.5
TIME_LIMIT_SECONDS_PER_MILLION_CHARACTERS = 10.0
"""How much CPU time the rules may take on one paragraph: half a second, plus 10 s per million characters.

The toolkit's rules segment several megabytes a second, so only a pattern that backtracks
without end (nested quantifiers such as ``(a+)+``) comes near the limit. The `regex`
module counts the CPU time of the process, so a busy machine does not trip it.
"""


@dataclass(frozen=True)
class Rule:
    """One ``<rule>``: where it comes from, whether it breaks, and its two ICU patterns.

    ``source`` names the file, ``where`` the rule in it (``languagerule 'English', rule 2``).
    """

    where: str
    breaks: bool
    before: str | None
    after: str | None
    source: str = ""


@dataclass(frozen=True)
class LanguageMap:
    """One ``<languagemap>``: an ICU pattern over language codes and the rules it selects."""

    pattern: str
    rule_name: str


@dataclass(frozen=True)
class SrxDocument:
    """The parts of an SRX file that segmenting plain text needs.

    ``segmentsubflows`` and ``<formathandle>`` concern inline markup, which plain
    paragraphs do not have, so they are not kept.
    """

    source: str
    cascade: bool
    language_rules: tuple[tuple[str, tuple[Rule, ...]], ...]
    maps: tuple[LanguageMap, ...]
    version: str = "2.0"

    def rules_for(self, language: str) -> tuple[Rule, ...]:
        """The rules for ``language`` (a code such as ``en`` or ``ru-RU``), in the order they apply.

        Language codes are case-insensitive (BCP 47), so the patterns are matched so too.
        """
        by_name = dict(self.language_rules)
        rules: list[Rule] = []
        for language_map in self.maps:
            matcher = regex.compile(translate(language_map.pattern).pattern, regex.V1 | regex.IGNORECASE)
            if matcher.fullmatch(language):
                rules.extend(by_name[language_map.rule_name])
                if not self.cascade:
                    break
        return tuple(rules)


def load_srx(path: str | os.PathLike[str]) -> SrxDocument:
    """Read and check an SRX 2.0 or 1.0 file; every rule must be one this engine can run.

    Problems are AlignerErrors with a one-line message naming the file and the rule.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise AlignerError(f"{file}: cannot read the SRX file ({error.strerror or error})") from None
    return parse_srx(data, str(file))


def default_srx_path() -> Path:
    """Where the toolkit's own SRX file is installed."""
    return Path(str(resources.files("aligner.segment").joinpath("data").joinpath(DEFAULT_SRX)))


SUPPORTED_VERSIONS = ("2.0", "1.0")


def parse_srx(data: bytes, source: str) -> SrxDocument:
    """Parse the bytes of an SRX 2.0 or 1.0 file named ``source`` (for messages)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise AlignerError(f"{source}: not well-formed XML: {_one_line(str(error))}") from None
    if _local(root) != "srx":
        raise AlignerError(f"{source}: not an SRX file (the root element is <{_local(root)}>, not <srx>)")
    version = root.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise AlignerError(f"{source}: SRX version {version!r} is not supported; this engine reads SRX 2.0 and 1.0")
    header = _child(root, "header")
    body = _child(root, "body")
    if body is None:
        raise AlignerError(f"{source}: <srx> has no <body>")
    if version == "1.0":
        cascade = False
    else:
        # OmegaT writes <header/> without the attribute and always cascades, so a missing
        # attribute reads as "yes"; an explicit value is obeyed.
        cascade = _yes_no(header.get("cascade") if header is not None else None, True, f"{source}: <header cascade>")
    language_rules = _language_rules(_child(body, "languagerules"), source)
    maprules = _child(body, "maprules")
    if version == "1.0" and maprules is not None and _children(maprules, "maprule"):
        # A 1.0 file may name several map rules for a tool to choose from; the first is the default.
        maprules = _children(maprules, "maprule")[0]
    maps = _maps(maprules, source, {name for name, _ in language_rules})
    document = SrxDocument(source, cascade, language_rules, maps, version)
    for _, rules in language_rules:
        for rule in rules:
            _compile_rule(rule, source)
    return document


def _language_rules(element: etree._Element | None, source: str) -> tuple[tuple[str, tuple[Rule, ...]], ...]:
    if element is None:
        raise AlignerError(f"{source}: <body> has no <languagerules>")
    result: list[tuple[str, tuple[Rule, ...]]] = []
    seen: set[str] = set()
    for language_rule in _children(element, "languagerule"):
        name = language_rule.get("languagerulename")
        if not name:
            raise AlignerError(f"{source}: a <languagerule> has no languagerulename")
        if name in seen:
            raise AlignerError(f"{source}: two <languagerule> elements are named {name!r}")
        seen.add(name)
        rules = []
        for number, rule in enumerate(_children(language_rule, "rule"), start=1):
            where = f"languagerule {name!r}, rule {number}"
            before, after = _child(rule, "beforebreak"), _child(rule, "afterbreak")
            rules.append(
                Rule(
                    where=where,
                    breaks=_yes_no(rule.get("break"), True, f"{source}: {where}: break"),
                    before=(before.text or None) if before is not None else None,
                    after=(after.text or None) if after is not None else None,
                    source=source,
                )
            )
        result.append((name, tuple(rules)))
    return tuple(result)


def _maps(element: etree._Element | None, source: str, names: set[str]) -> tuple[LanguageMap, ...]:
    if element is None:
        raise AlignerError(f"{source}: <body> has no <maprules>")
    maps = []
    for number, language_map in enumerate(_children(element, "languagemap"), start=1):
        pattern = language_map.get("languagepattern")
        name = language_map.get("languagerulename")
        if pattern is None or name is None:
            raise AlignerError(f"{source}: languagemap {number} needs languagepattern and languagerulename")
        if name not in names:
            raise AlignerError(f"{source}: languagemap {number} names languagerule {name!r}, which is not defined")
        try:
            regex.compile(translate(pattern).pattern, regex.V1)
        except (UnsupportedRegex, regex.error) as error:
            raise AlignerError(f"{source}: languagemap {number}, languagepattern {pattern!r}: {error}") from None
        maps.append(LanguageMap(pattern, name))
    return tuple(maps)


def _yes_no(value: str | None, default: bool, what: str) -> bool:
    if value is None:
        return default
    if value not in ("yes", "no"):
        raise AlignerError(f"{what} is {value!r}; SRX allows 'yes' or 'no'")
    return value == "yes"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    # Files in the wild use the SRX 2.0 namespace, an older one, or none: match local names.
    return [child for child in element if isinstance(child.tag, str) and _local(child) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class _Piece:
    """A rule rewritten as zero-width assertions at a candidate break position.

    ``trigger`` is a set of the characters that can end the before-pattern (see
    :func:`aligner.segment.icu.last_characters`), when that is known.
    """

    text: str
    groups: int
    trigger: str | None = None


def _assertions(rule: Rule, offset: int, exact: bool) -> _Piece:
    """The rule as ``(?<=before)(?=after)``, its back-references shifted by ``offset``.

    With ``exact``, a before-pattern that a right-to-left look-behind would misread
    (possessive, atomic, back-references) is matched forwards from some earlier position
    up to ``\\G``, which is the candidate position when matched with ``pattern.match(text, pos)``.
    Without it, such a pattern is left out, which can only add candidates.
    """
    text, groups, trigger = "", 0, None
    if rule.before:
        before = translate(rule.before, offset)
        if not before.direction_sensitive:
            text += f"(?<=(?:{before.pattern}))"
            groups += before.groups
            last = last_characters(rule.before)
            trigger = translate(last).pattern if last is not None else None
        elif exact:
            text += rf"(?<=(?=(?:{before.pattern})\G)[\s\S]*?)"
            groups += before.groups
    if rule.after:
        after = translate(rule.after, offset + groups)
        text += f"(?=(?:{after.pattern}))"
        groups += after.groups
    return _Piece(text, groups, trigger)


def _compile_rule(rule: Rule, source: str) -> None:
    """Fail with the rule's name if this engine cannot run it."""
    for side, pattern in (("beforebreak", rule.before), ("afterbreak", rule.after)):
        if not pattern:
            continue
        try:
            translated = translate(pattern)
            regex.compile(translated.pattern, regex.V1)
        except (UnsupportedRegex, regex.error) as error:
            raise AlignerError(f"{source}: {rule.where}, {side} {pattern!r}: {error}") from None
    try:
        regex.compile(_assertions(rule, 0, exact=True).text, regex.V1)
    except regex.error as error:
        raise AlignerError(f"{source}: {rule.where}: {error}") from None


class SrxSegmenter:
    """Splits paragraphs with an ordered list of SRX rules.

    With ``time_limit`` (for a user's rules), the rules run with a limit per paragraph (see
    :data:`TIME_LIMIT_SECONDS`): a rule that backtracks without end stops the work with an
    AlignerError that names it. The toolkit's own rules run without one: they are tested on
    megabytes of text, and the limit costs a clock reading per match (some microseconds),
    which nearly halves their speed.
    """

    def __init__(self, rules: tuple[Rule, ...], time_limit: bool = True):
        self._time_limit = time_limit
        last_break = max((k for k, rule in enumerate(rules) if rule.breaks), default=-1)
        # Rules after the last break rule can never be the first match at a candidate.
        deciding = rules[: last_break + 1]
        self._rules = deciding
        alternatives, self._marker_breaks = [], {}
        groups = 0
        for rule in deciding:
            piece = _assertions(rule, groups, exact=True)
            groups += piece.groups + 1
            self._marker_breaks[groups] = rule.breaks
            alternatives.append(f"{piece.text}()")
        self._decider = regex.compile("|".join(alternatives), regex.V1) if alternatives else None
        # Candidates: a break rule whose before-pattern can only end in certain characters is
        # looked for after those (one consumed character, which `regex` finds by a fast scan);
        # the others at every position, by look-around alone. A rule whose before-pattern needs
        # one of a few characters is looked for only in paragraphs that have one ("。" in Chinese).
        self._pieces: list[tuple[str, bool, frozenset[str] | None]] = []
        groups = 0
        for rule in deciding:
            if rule.breaks:
                piece = _assertions(rule, groups, exact=False)
                groups += piece.groups
                required = required_characters(rule.before) if rule.before else None
                if piece.trigger is not None:
                    self._pieces.append((f"{piece.trigger}{piece.text}", True, required))
                else:
                    self._pieces.append((piece.text, False, required))
        self._scanner_cache: dict[tuple[int, ...], list[tuple[regex.Pattern[str], bool]]] = {}
        # Only rules that need characters outside ASCII are worth leaving out; a requirement such
        # as "." is met by nearly every paragraph, and checking it costs more than it saves.
        for number, (text, consumes, required) in enumerate(self._pieces):
            if required is not None and any(char.isascii() for char in required):
                self._pieces[number] = (text, consumes, None)
        self._unconditional = tuple(number for number, (_, _, required) in enumerate(self._pieces) if required is None)
        wanted = sorted({char for _, _, required in self._pieces if required for char in required})
        # Whether a paragraph has any of those characters: the standard library's `re` answers
        # that several times faster than `regex` or a set would.
        self._any_required = re.compile("[" + "".join(re.escape(char) for char in wanted) + "]") if wanted else None

    def _scanners_for(self, text: str) -> list[tuple[regex.Pattern[str], bool]]:
        """The compiled searches for the break rules that can match in ``text``."""
        if self._any_required is None or not self._any_required.search(text):
            active = self._unconditional
        else:
            present = set(text)
            active = tuple(
                number for number, (_, _, required) in enumerate(self._pieces)
                if required is None or not required.isdisjoint(present)
            )
        scanners = self._scanner_cache.get(active)
        if scanners is None:
            scanners = []
            for consumes in (True, False):
                texts = [self._pieces[number][0] for number in active if self._pieces[number][1] == consumes]
                if texts:
                    scanners.append((regex.compile("|".join(f"(?:{t})" for t in texts), regex.V1), consumes))
            self._scanner_cache[active] = scanners
        return scanners

    def breaks(self, text: str) -> list[int]:
        """Positions strictly inside ``text`` where the rules break."""
        if not self._pieces or self._decider is None:
            return []
        limit = _time_limit(text) if self._time_limit else None
        try:
            return self._find_breaks(self._decider, text, limit)
        except TimeoutError:
            raise self._too_slow(text, _time_limit(text)) from None

    def _find_breaks(self, decider: regex.Pattern[str], text: str, limit: float | None) -> list[int]:
        deadline = None if limit is None else time.process_time() + limit

        def remaining() -> float | None:
            return None if deadline is None else max(deadline - time.process_time(), 0.0)

        candidates: list[int] = []
        scanners = self._scanners_for(text)
        for scanner, consumes in scanners:
            if consumes:
                candidates += [match.end() for match in scanner.finditer(text, timeout=remaining())]
            else:
                candidates += [match.start() for match in scanner.finditer(text, timeout=remaining())]
        if len(scanners) > 1:
            candidates = sorted(set(candidates))
        found = []
        decide, marker_breaks, length = decider.match, self._marker_breaks, len(text)
        for position in candidates:
            if 0 < position < length:
                decision = decide(text, position) if deadline is None else decide(text, position, timeout=remaining())
                if decision is not None and decision.lastindex is not None and marker_breaks[decision.lastindex]:
                    found.append(position)
        return found

    def _too_slow(self, text: str, limit: float) -> AlignerError:
        """The error for rules that ran out of time on ``text``, naming the first rule that does alone."""
        for rule in self._rules:
            for side, pattern in (("beforebreak", rule.before), ("afterbreak", rule.after)):
                if pattern and _runs_out_of_time(rule, side, text, limit):
                    where = f"{rule.source}: {rule.where}" if rule.source else rule.where
                    return AlignerError(
                        f"{where}, {side} {pattern!r}: took more than {limit:.1f} s on a paragraph of "
                        f"{len(text):,} characters; rewrite it without nested repetition such as (a+)+"
                    )
        return AlignerError(
            f"the segmentation rules took more than {limit:.1f} s on a paragraph of {len(text):,} characters"
        )

    def split(self, text: str) -> list[Sentence]:
        """The sentences of ``text`` with their ``[start, end)`` offsets, white space trimmed."""
        return sentences_between(text, self.breaks(text))


def sentences_between(text: str, breaks: list[int]) -> list[Sentence]:
    """The sentences of ``text`` cut at ``breaks`` (ascending), white space trimmed, empty ones left out."""
    sentences: list[Sentence] = []
    start = 0
    for end in [*breaks, len(text)]:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            offset = start + len(chunk) - len(chunk.lstrip())
            sentences.append(Sentence(stripped, offset, offset + len(stripped)))
        start = end
    return sentences


def _time_limit(text: str) -> float:
    return TIME_LIMIT_SECONDS + TIME_LIMIT_SECONDS_PER_MILLION_CHARACTERS * len(text) / 1_000_000


def _runs_out_of_time(rule: Rule, side: str, text: str, limit: float) -> bool:
    """Whether one side of ``rule``, tried at every position of ``text`` as the engine does, exceeds ``limit``."""
    only = Rule(rule.where, True, rule.before if side == "beforebreak" else None,
                rule.after if side == "afterbreak" else None, rule.source)
    scanner = regex.compile(_assertions(only, 0, exact=True).text, regex.V1)
    try:
        for _ in scanner.finditer(text, timeout=limit):
            pass
    except TimeoutError:
        return True
    return False


@lru_cache(maxsize=16)
def _load_cached(path: str, _mtime_ns: int, _size: int) -> SrxDocument:
    return load_srx(path)


def cached_srx(path: str | os.PathLike[str]) -> SrxDocument:
    """``load_srx`` for a file that may be asked for many times; a changed file is re-read."""
    file = Path(path)
    try:
        status = file.stat()
    except OSError as error:
        raise AlignerError(f"{file}: cannot read the SRX file ({error.strerror or error})") from None
    return _load_cached(str(file), status.st_mtime_ns, status.st_size)
