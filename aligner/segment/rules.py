"""A rule-based sentence splitter on the `regex` module.

A sentence may end at terminal punctuation (with any closing quotes or brackets) that is
followed by white space and something that can start a sentence. A full stop is then
checked against the language's abbreviation lists and the initials rule.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import regex

from aligner.languages import primary_subtag
from aligner.model import Sentence

_CANDIDATE = regex.compile(
    r"""(?P<punct>\.{2,}|…|[.!?]+)[\"'»”’)\]]*"""
    r"""(?=\s+(?:[«"“„(\[]\s?|[—–]\s)?[\p{Lu}\p{Lt}\p{N}])"""
)
_WORD_BEFORE = regex.compile(r"(?:^|(?<=[\s(\[«\"“„]))(\S+)$")
_INITIAL = regex.compile(r"\p{Lu}\.")
_LETTER_CHAIN = regex.compile(r"(?:\p{L}\.)+")
_NEXT_IS_WORD = regex.compile(r"\s+(?:[«\"“„(\[]\s?)?[\p{Lu}\p{Lt}]")


class RuleSegmenter:
    """Splits paragraphs into sentences for one language."""

    def __init__(self, language: str, no_break: frozenset[str], may_end: frozenset[str]):
        self.language = language
        self.no_break = no_break
        self.may_end = may_end

    def split(self, text: str) -> list[Sentence]:
        """The sentences of ``text`` with their ``[start, end)`` offsets, white space trimmed."""
        sentences: list[Sentence] = []
        start = 0
        for match in _CANDIDATE.finditer(text):
            if self._ends_sentence(text, match):
                _append(sentences, text, start, match.end())
                start = match.end()
        _append(sentences, text, start, len(text))
        return sentences

    def _ends_sentence(self, text: str, match: regex.Match[str]) -> bool:
        if match.group("punct") != ".":
            return True
        word = _WORD_BEFORE.search(text, 0, match.start("punct") + 1)
        if word is None:
            return True
        token = word.group(1).lstrip("\"'«“„(")
        if self._is_listed(token, self.no_break):
            return False
        if self._is_listed(token, self.may_end):
            return bool(_NEXT_IS_WORD.match(text, match.end()))
        if _INITIAL.fullmatch(token) or _LETTER_CHAIN.fullmatch(token) and len(token) > 2:
            return False
        return True

    @staticmethod
    def _is_listed(token: str, listed: frozenset[str]) -> bool:
        return token in listed or token[:1].lower() + token[1:] in listed


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    offset = start + (len(chunk) - len(chunk.lstrip()))
    sentences.append(Sentence(stripped, offset, offset + len(stripped)))


@lru_cache(maxsize=None)
def segmenter_for(language: str) -> RuleSegmenter:
    """The segmenter for ``language``; a language without a data file gets the generic rules."""
    code = primary_subtag(language)
    data = resources.files("aligner.segment").joinpath("data", f"{code}.txt")
    sections: dict[str, set[str]] = {"no-break": set(), "may-end": set()}
    if data.is_file():
        current = None
        for line in data.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], set())
            elif current is not None:
                current.add(line)
    return RuleSegmenter(code, frozenset(sections["no-break"]), frozenset(sections["may-end"]))
