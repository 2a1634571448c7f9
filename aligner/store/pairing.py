"""Which source document goes with which target document: by name, by a path pattern, or by content.

Pairing by content compares what survives translation — the date, numbers, names and acronyms
transliterated to Latin consonant skeletons (the keys the aligner itself uses), speaker turns
and length — and assigns the documents one to one, best score first, leaving unpaired those
whose best partner is no better than chance. It never compares all N × N documents: candidates
come from an inverted index of each document's rarest keys and from documents of the same date.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

import regex

from aligner.align.features import skeleton, transliterate
from aligner.errors import AlignerError
from aligner.languages import Language
from aligner.parse import INPUT_SUFFIXES
from aligner.pipeline import load_document

NAME, PATTERN, CONTENT = "name", "pattern", "content"
PAIRINGS = (NAME, PATTERN, CONTENT)
"""The ways of pairing, as ``--pair-by`` names them."""


@dataclass(frozen=True)
class Pair:
    """A source file and its target, as paths relative to their folders ('/'-separated).

    ``key`` identifies the pair in the store (the source path); ``name`` is the document's name
    in exports (the source path without its suffix); ``score`` is the content score, if any.
    """

    key: str
    name: str
    source: str
    target: str
    score: float | None = None


@dataclass(frozen=True)
class Unpaired:
    """A document left without a partner, and why."""

    side: str
    path: str
    reason: str


@dataclass(frozen=True)
class Pairing:
    """The pairs, in the order of their keys, and the documents left over."""

    pairs: tuple[Pair, ...]
    unpaired: tuple[Unpaired, ...]


def collect(directory: str | os.PathLike[str]) -> list[str]:
    """The input files below ``directory``, relative and sorted; HTML wins over text of the same name."""
    root = Path(directory)
    if not root.is_dir():
        raise AlignerError(f"{root}: no such directory")
    chosen: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in INPUT_SUFFIXES or not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        stem = _without_suffix(relative)
        current = chosen.get(stem)
        if current is None or INPUT_SUFFIXES.index(suffix) < INPUT_SUFFIXES.index(PurePosixPath(current).suffix.lower()):
            chosen[stem] = relative
    return sorted(chosen.values())


def _without_suffix(relative: str) -> str:
    path = PurePosixPath(relative)
    return str(path.with_suffix("")) if path.suffix else relative


def _pair(source: str, target: str, score: float | None = None) -> Pair:
    return Pair(key=source, name=_without_suffix(source), source=source, target=target, score=score)


def _finish(pairs: Iterable[Pair], unpaired: Iterable[Unpaired]) -> Pairing:
    return Pairing(
        tuple(sorted(pairs, key=lambda pair: pair.key)),
        tuple(sorted(unpaired, key=lambda item: (item.side, item.path))),
    )


def pair_by_name(sources: Sequence[str], targets: Sequence[str]) -> Pairing:
    """Files with the same relative path once the suffix is dropped (``aligner run``'s rule)."""
    by_stem = {_without_suffix(path): path for path in targets}
    source_stems = {_without_suffix(path) for path in sources}
    pairs = [_pair(path, by_stem[_without_suffix(path)]) for path in sources if _without_suffix(path) in by_stem]
    unpaired = [Unpaired("source", p, "no target file of the same name") for p in sources
                if _without_suffix(p) not in by_stem]
    unpaired += [Unpaired("target", p, "no source file of the same name") for p in targets
                 if _without_suffix(p) not in source_stems]
    return _finish(pairs, unpaired)


_FIELD = re.compile(r"\{(\w+)\}|\*")


def compile_pattern(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A path pattern such as ``news/{id}-*.html`` as a regular expression, and its field names.

    ``{name}`` matches a non-empty part of one path segment, ``*`` any part of one segment.
    """
    parts, fields, position = [], [], 0
    for match in _FIELD.finditer(pattern):
        parts.append(re.escape(pattern[position : match.start()]))
        field = match.group(1)
        if field is None:
            parts.append("[^/]*")
        elif field in fields:
            raise AlignerError(f"pattern {pattern!r} names {{{field}}} twice")
        else:
            fields.append(field)
            parts.append(f"(?P<{field}>[^/]+?)")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    if not fields:
        raise AlignerError(f"pattern {pattern!r} has no field; write the part both names share as {{id}}")
    return re.compile("".join(parts)), tuple(fields)


def pair_by_pattern(sources: Sequence[str], targets: Sequence[str], source_pattern: str, target_pattern: str) -> Pairing:
    """Files whose paths match the two patterns with equal values of the fields both patterns name."""
    source_regex, source_fields = compile_pattern(source_pattern)
    target_regex, target_fields = compile_pattern(target_pattern)
    shared = [field for field in source_fields if field in target_fields]
    if not shared:
        raise AlignerError(
            f"the patterns {source_pattern!r} and {target_pattern!r} share no field; "
            "name the common part alike, such as en/{id}.html and ru/{id}.html"
        )
    unpaired: list[Unpaired] = []

    def keyed(paths: Sequence[str], compiled: re.Pattern[str], side: str, pattern: str) -> dict[tuple[str, ...], str]:
        found: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for path in paths:
            match = compiled.fullmatch(path)
            if match is None:
                unpaired.append(Unpaired(side, path, f"does not match {pattern!r}"))
            else:
                found[tuple(match.group(field) for field in shared)].append(path)
        chosen = {}
        for key, matched in found.items():
            if len(matched) == 1:
                chosen[key] = matched[0]
            else:
                unpaired.extend(Unpaired(side, path, f"{len(matched)} files share {_fields(shared, key)}") for path in matched)
        return chosen

    source_keys = keyed(sources, source_regex, "source", source_pattern)
    target_keys = keyed(targets, target_regex, "target", target_pattern)
    pairs = [_pair(path, target_keys[key]) for key, path in source_keys.items() if key in target_keys]
    unpaired += [Unpaired("source", path, f"no target file with {_fields(shared, key)}")
                 for key, path in source_keys.items() if key not in target_keys]
    unpaired += [Unpaired("target", path, f"no source file with {_fields(shared, key)}")
                 for key, path in target_keys.items() if key not in source_keys]
    return _finish(pairs, unpaired)


def _fields(names: Sequence[str], values: Sequence[str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in zip(names, values))


# ---------------------------------------------------------------------------------------------
# Pairing by content


@dataclass(frozen=True)
class FingerprintTask:
    """Read one document of a collection for pairing by content (plain data, for any worker)."""

    side: str
    path: str
    relative: str
    language: Language
    presegmented: bool
    srx: Path | None


@dataclass(frozen=True)
class Fingerprint:
    """What pairing by content compares; ``error`` is set (and the rest empty) for an unreadable file."""

    side: str
    path: str
    date: str | None
    keys: tuple[str, ...]
    turns: int
    characters: int
    error: str | None = None


_TOKEN = regex.compile(r"\d+|\p{Lu}[\p{L}\p{M}'’]*")
_MIN_NAME_LETTERS = 4
_SKELETON_CHARS = 4


def fingerprint(task: FingerprintTask) -> Fingerprint:
    """The date, keys, speaker turns and length of one document; never raises."""
    try:
        document = load_document(task.path, task.language, presegmented=task.presegmented, srx=task.srx)
    except AlignerError as error:
        return Fingerprint(task.side, task.relative, None, (), 0, 0, str(error))
    except Exception as error:  # noqa: BLE001 - one unreadable file must not stop the pairing
        return Fingerprint(task.side, task.relative, None, (), 0, 0, f"internal error: {type(error).__name__}: {error}")
    keys: set[str] = set()
    for paragraph in document.paragraphs:
        for token in _TOKEN.findall(paragraph.text):
            key = _content_key(token)
            if key:
                keys.add(key)
    return Fingerprint(
        side=task.side,
        path=task.relative,
        date=document.date[:10] if document.date else None,
        keys=tuple(sorted(keys)),
        turns=sum(1 for p in document.paragraphs if p.speaker),
        characters=sum(len(p.text) for p in document.paragraphs),
    )


def _content_key(token: str) -> str | None:
    """Numbers as their value, acronyms and capitalised words (names) as Latin consonant skeletons."""
    if token[0].isdigit():
        return "#" + (token.lstrip("0") or "0")
    if len(token) >= 2 and token.isupper():
        return "A:" + transliterate(token)
    if len(token) < _MIN_NAME_LETTERS:
        return None
    return "W:" + skeleton(transliterate(token).replace("'", "").replace("’", ""))[:_SKELETON_CHARS]


# How much each piece of evidence adds to the score, chosen on the development collections of
# benchmarks/corpus.py (development figures, not held-out ones).
DATE_SAME = 0.25
DATE_NEAR = 0.10
DATE_CONFLICT = -0.25
LENGTH_PENALTY = 0.3
TURN_PENALTY = 0.1
MIN_SCORE = 0.3
"""A pair scoring less is no better than chance: both documents stay unpaired."""
CANDIDATE_KEYS = 24
"""The rarest keys of a document that look up candidates in the inverted index."""
CANDIDATES = 12
"""The candidates per source document that are scored in full."""
MAX_POSTINGS = 100
"""A key found in more target documents than this is too common to look candidates up by."""


def pair_by_content(fingerprints: Iterable[Fingerprint]) -> Pairing:
    """One-to-one pairs of source and target documents by their fingerprints, best score first."""
    sources: list[Fingerprint] = []
    targets: list[Fingerprint] = []
    unpaired: list[Unpaired] = []
    for item in fingerprints:
        if item.error is not None:
            unpaired.append(Unpaired(item.side, item.path, item.error))
        else:
            interned = Fingerprint(item.side, item.path, item.date, tuple(sys.intern(k) for k in item.keys),
                                   item.turns, item.characters)
            (sources if item.side == "source" else targets).append(interned)
    sources.sort(key=lambda f: f.path)
    targets.sort(key=lambda f: f.path)
    weight = _weights(sources, targets)
    ratio = (sum(t.characters for t in targets) or 1) / (sum(s.characters for s in sources) or 1)
    postings: dict[str, list[int]] = defaultdict(list)
    by_date: dict[str, list[int]] = defaultdict(list)
    for number, target in enumerate(targets):
        for key in target.keys:
            if key in weight:
                postings[key].append(number)
        if target.date:
            by_date[target.date].append(number)
    target_mass = [sum(weight.get(k, 0.0) for k in t.keys) for t in targets]
    edges: list[tuple[float, int, int]] = []
    for s_number, source in enumerate(sources):
        source_keys = [k for k in source.keys if k in weight]
        mass = sum(weight[k] for k in source_keys)
        rarest = sorted((k for k in source_keys if len(postings[k]) <= MAX_POSTINGS),
                        key=lambda k: (-weight[k], k))[:CANDIDATE_KEYS]
        votes: dict[int, float] = defaultdict(float)
        for key in rarest:
            for t_number in postings[key]:
                votes[t_number] += weight[key]
        candidates = set(sorted(votes, key=lambda t: (-votes[t], t))[:CANDIDATES])
        for day in _near_days(source.date):
            candidates.update(by_date.get(day, ())[:CANDIDATES])
        key_set = set(source_keys)
        for t_number in candidates:
            target = targets[t_number]
            shared = sum(weight[k] for k in target.keys if k in key_set)
            score = 2 * shared / (mass + target_mass[t_number]) if mass + target_mass[t_number] else 0.0
            score += _date_term(source.date, target.date)
            score -= LENGTH_PENALTY * abs(math.log(((target.characters or 1) / (source.characters or 1)) / ratio))
            most = max(source.turns, target.turns)
            score -= TURN_PENALTY * abs(source.turns - target.turns) / most if most else 0.0
            if score >= MIN_SCORE:
                edges.append((score, s_number, t_number))
    edges.sort(key=lambda edge: (-edge[0], edge[1], edge[2]))
    taken_sources: set[int] = set()
    taken_targets: set[int] = set()
    pairs = []
    for score, s_number, t_number in edges:
        if s_number in taken_sources or t_number in taken_targets:
            continue
        taken_sources.add(s_number)
        taken_targets.add(t_number)
        pairs.append(_pair(sources[s_number].path, targets[t_number].path, round(score, 4)))
    unpaired += [Unpaired("source", s.path, "no target document matches its content")
                 for number, s in enumerate(sources) if number not in taken_sources]
    unpaired += [Unpaired("target", t.path, "no source document matches its content")
                 for number, t in enumerate(targets) if number not in taken_targets]
    return _finish(pairs, unpaired)


def _weights(sources: Sequence[Fingerprint], targets: Sequence[Fingerprint]) -> dict[str, float]:
    """Inverse document frequency of every key found in both collections (the others say nothing)."""
    source_df: dict[str, int] = defaultdict(int)
    target_df: dict[str, int] = defaultdict(int)
    for item in sources:
        for key in item.keys:
            source_df[key] += 1
    for item in targets:
        for key in item.keys:
            target_df[key] += 1
    total = len(sources) + len(targets)
    return {key: math.log(total / (source_df[key] + target_df[key])) for key in source_df.keys() & target_df.keys()}


def _near_days(iso: str | None) -> list[str]:
    day = _day(iso)
    if day is None:
        return []
    return [(day + timedelta(days=delta)).isoformat() for delta in (0, -1, 1)]


def _day(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _date_term(first: str | None, second: str | None) -> float:
    one, other = _day(first), _day(second)
    if one is None or other is None:
        return 0.0
    distance = abs((one - other).days)
    return DATE_SAME if distance == 0 else DATE_NEAR if distance == 1 else DATE_CONFLICT


__all__ = [
    "CONTENT",
    "NAME",
    "PAIRINGS",
    "PATTERN",
    "Fingerprint",
    "FingerprintTask",
    "Pair",
    "Pairing",
    "Unpaired",
    "collect",
    "compile_pattern",
    "fingerprint",
    "pair_by_content",
    "pair_by_name",
    "pair_by_pattern",
]
