"""Per-language resources, read from one JSON file per language.

A language without a file still works everywhere: it simply has no month names, labels or
plural rule, and the stages fall back to what needs no resources (lengths, numbers, names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from aligner.errors import AlignerError

_CODE = regex.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Language:
    """What the toolkit knows about one language."""

    code: str
    name: str
    script: str | None
    months: tuple[tuple[str, ...], ...]
    question_labels: tuple[str, ...]
    chrome_lines: frozenset[str]
    plural_forms: str | None
    common_words: frozenset[str]
    # How numbers are written, for comparing them across a translation (aligner.check).
    decimal_separator: str = "."
    digit_group_separators: str = ""
    number_multipliers: tuple[tuple[str, int], ...] = ()
    number_words: tuple[tuple[str, int], ...] = ()
    page_words: frozenset[str] = frozenset()


def primary_subtag(code: str) -> str:
    """``"ru-RU"`` → ``"ru"``; raises AlignerError for something that is no language code."""
    primary = code.replace("_", "-").split("-")[0].lower()
    if not _CODE.fullmatch(primary):
        raise AlignerError(f"'{code}' is not a language code; use an ISO 639 code such as en, ru, de")
    return primary


@lru_cache(maxsize=None)
def get_language(code: str) -> Language:
    """The resources for ``code`` (``"ru"``, ``"ru-RU"``, ``"ru_RU"`` all give Russian)."""
    primary = primary_subtag(code)
    resource = resources.files(__package__).joinpath(f"{primary}.json")
    data = json.loads(resource.read_text(encoding="utf-8")) if resource.is_file() else {}
    return Language(
        code=primary,
        name=data.get("name", primary),
        script=data.get("script"),
        months=tuple(tuple(forms) for forms in data.get("months", ())),
        question_labels=tuple(data.get("question_labels", ())),
        chrome_lines=frozenset(data.get("chrome_lines", ())),
        plural_forms=data.get("plural_forms"),
        common_words=frozenset(data.get("common_words", ())),
        decimal_separator=data.get("decimal_separator", "."),
        digit_group_separators="".join(data.get("digit_group_separators", ())),
        number_multipliers=tuple(sorted(data.get("number_multipliers", {}).items())),
        number_words=tuple(sorted(data.get("number_words", {}).items())),
        page_words=frozenset(data.get("page_words", ())),
    )
