"""Languages: resolved once, at the edge, from the code or tag a user or a file gives.

A :class:`Language` carries its BCP 47 tag (what files are labelled with, such as ``en-GB``)
and the toolkit's resources for it, read from one JSON file per language in this folder. A
language without a file still works everywhere: it simply has no month names, labels or
plural rule, and the stages fall back to what needs no resources (lengths, numbers, names).

Tags are parsed, validated and normalised by langcodes (``en_GB`` → ``en-GB``, ``iw`` → ``he``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import langcodes

from aligner.errors import AlignerError


@dataclass(frozen=True, eq=False)
class Language:
    """What the toolkit knows about one language, and the tag its files are labelled with.

    ``code`` is the primary language subtag (``ru``), which selects the resources; ``tag`` is
    the full BCP 47 tag (``ru-RU``). Two languages are equal when their tags are.
    """

    code: str
    tag: str
    name: str
    script: str | None
    months: tuple[tuple[str, ...], ...] = ()
    question_labels: tuple[str, ...] = ()
    chrome_lines: frozenset[str] = frozenset()
    plural_forms: str | None = None
    common_words: frozenset[str] = frozenset()
    year_suffixes: tuple[str, ...] = ()
    # How numbers are written, for comparing them across a translation (aligner.check).
    decimal_separator: str = "."
    digit_group_separators: str = ""
    number_multipliers: tuple[tuple[str, int], ...] = ()
    number_words: tuple[tuple[str, int], ...] = ()
    page_words: frozenset[str] = frozenset()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Language) and other.tag == self.tag

    def __hash__(self) -> int:
        return hash(self.tag)

    def __str__(self) -> str:
        return self.tag

    def with_tag(self, tag: str) -> Language:
        """The same language labelled ``tag``, which must be a tag of this language."""
        normal = normalize_tag(tag)
        if primary_subtag(normal) != self.code:
            raise AlignerError(f"'{tag}' is not a tag of {self.name} ({self.code}); give a tag such as {self.tag}")
        return replace(self, tag=normal)


@dataclass(frozen=True)
class LanguagePair:
    """The source and the target language of an alignment."""

    source: Language
    target: Language


UNDETERMINED = Language(code="und", tag="und", name="an undetermined language", script=None)
"""BCP 47 "undetermined": what stands in for the languages of a file that states none."""


def normalize_tag(tag: str) -> str:
    """A valid BCP 47 tag in its normal form (``en_GB`` → ``en-GB``); anything else is an AlignerError."""
    text = tag.strip()
    try:
        parsed = langcodes.Language.get(text)
    except (langcodes.LanguageTagError, ValueError):
        parsed = None
    if parsed is None or not parsed.language or not parsed.is_valid():
        raise AlignerError(f"'{tag}' is not a language tag; use an ISO 639 code or a BCP 47 tag, such as en, ru or en-GB")
    return langcodes.standardize_tag(text)


def primary_subtag(tag: str) -> str:
    """``"ru-RU"`` → ``"ru"``, for a normalised tag."""
    return tag.split("-")[0].lower()


def same_language(first: str, second: str) -> bool:
    """True when two tags name the same language (``en-GB`` and ``en-US`` do)."""
    try:
        return primary_subtag(normalize_tag(first)) == primary_subtag(normalize_tag(second))
    except AlignerError:
        return False


def resolve_language(code: str, tag: str | None = None) -> Language:
    """The language of ``code`` (``ru``, ``ru-RU``, ``ru_RU``), labelled ``tag`` if given.

    Without ``tag``, a code with a region or script is its own tag; a bare code gets the
    language's default tag from its resource file (``en`` → ``en-GB``), else stays bare.
    """
    normal = normalize_tag(code)
    base = _resources(primary_subtag(normal))
    if tag is not None:
        return base.with_tag(tag)
    return base if normal == base.code else base.with_tag(normal)


def resolve_pair(source: str, target: str, source_tag: str | None = None, target_tag: str | None = None) -> LanguagePair:
    """Both languages of an alignment, resolved by :func:`resolve_language`."""
    return LanguagePair(resolve_language(source, source_tag), resolve_language(target, target_tag))


@cache
def _resources(code: str) -> Language:
    resource = resources.files(__package__).joinpath(f"{code}.json")
    data = json.loads(resource.read_text(encoding="utf-8")) if resource.is_file() else {}
    return Language(
        code=code,
        tag=data.get("tag", code),
        name=data.get("name", code),
        script=data.get("script"),
        months=tuple(tuple(forms) for forms in data.get("months", ())),
        question_labels=tuple(data.get("question_labels", ())),
        chrome_lines=frozenset(data.get("chrome_lines", ())),
        plural_forms=data.get("plural_forms"),
        common_words=frozenset(data.get("common_words", ())),
        year_suffixes=tuple(data.get("year_suffixes", ())),
        decimal_separator=data.get("decimal_separator", "."),
        digit_group_separators="".join(data.get("digit_group_separators", ())),
        number_multipliers=tuple(sorted(data.get("number_multipliers", {}).items())),
        number_words=tuple(sorted(data.get("number_words", {}).items())),
        page_words=frozenset(data.get("page_words", ())),
    )


@cache
def languages_with_resources() -> tuple[Language, ...]:
    """Every language that has a resource file, by code."""
    codes = sorted(entry.name[:-5] for entry in resources.files(__package__).iterdir() if entry.name.endswith(".json"))
    return tuple(_resources(code) for code in codes)


__all__ = [
    "UNDETERMINED",
    "Language",
    "LanguagePair",
    "languages_with_resources",
    "normalize_tag",
    "primary_subtag",
    "resolve_language",
    "resolve_pair",
    "same_language",
]
