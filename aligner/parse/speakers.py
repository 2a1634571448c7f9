"""Speaker turns: the label that opens a paragraph of a transcript ("Question:", "С.В.Лавров:")."""

from __future__ import annotations

from collections import Counter

import regex

from aligner.languages import Language

LABEL = regex.compile(r"^(\p{Lu}[\p{L}. -]{0,40}?)\s?:\s+(?=\S)")
_INITIALS_NAME = regex.compile(r"(?:\p{Lu}\.\s?){1,3}\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?")
_FULL_NAME = regex.compile(r"\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2}")
_ONE_WORD = regex.compile(r"\p{Lu}\p{Ll}+")


def speaker_labels(texts: list[str], language: Language) -> list[str | None]:
    """The speaker label opening each paragraph, or None.

    Accepted: the language's question labels ("Question", "Вопрос"), names with initials
    ("С.В.Лавров", "S. Lavrov"), two- or three-word capitalised names ("Sergey Lavrov"), and a
    single capitalised word when it opens at least two paragraphs ("Lavrov").
    """
    candidates = []
    for text in texts:
        match = LABEL.match(text)
        candidates.append(match.group(1).strip() if match else None)
    recurring = Counter(c for c in candidates if c)
    return [label if label and _is_speaker(label, language, recurring[label]) else None for label in candidates]


def _is_speaker(label: str, language: Language, occurrences: int) -> bool:
    if label in language.question_labels:
        return True
    if _INITIALS_NAME.fullmatch(label):
        return True
    words = label.replace("-", " ").split()
    if any(w.casefold() in language.common_words for w in words):
        return False
    if _FULL_NAME.fullmatch(label):
        return True
    return occurrences >= 2 and bool(_ONE_WORD.fullmatch(label))
