"""Text that every output format can carry: the characters XML 1.0 forbids removed.

Every format is cleaned the same way, so that converting between formats keeps the texts equal.
"""

from __future__ import annotations

import regex

from aligner.errors import warn

_XML_ILLEGAL = regex.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PAGE_BREAKS = regex.compile(r"[\x0b\x0c]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control characters, lone surrogates).

    Vertical tab and form feed become spaces: word processors use them as line breaks, and
    deleting them would glue two words together. Bidi marks are legal and stay.
    """
    return _XML_ILLEGAL.sub("", _PAGE_BREAKS.sub(" ", text))


def clean(text: str, where: str) -> str:
    """:func:`xml_safe`, with a warning naming ``where`` when something had to go."""
    safe = xml_safe(text)
    if safe != text:
        changes = []
        for verb, pattern in (("replaced", _PAGE_BREAKS), ("removed", _XML_ILLEGAL)):
            codes = sorted({ord(c) for c in pattern.findall(text)})
            if codes:
                by_space = " by a space" if verb == "replaced" else ""
                changes.append(f"{verb} {', '.join(f'U+{code:04X}' for code in codes)}{by_space}")
        warn(f"{where}: {'; '.join(changes)} (characters XML 1.0 forbids)")
    return safe
