"""What every exporter shares: options, dates and text clean-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

import regex

from aligner.errors import AlignerError
from aligner.model import Alignment

_XML_ILLEGAL = regex.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PAGE_BREAKS = regex.compile(r"[\x0b\x0c]")
LOW_CONFIDENCE = 0.5
"""Beads below this confidence get a note (TMX), a fuzzy flag (PO)."""


@dataclass(frozen=True)
class ExportOptions:
    """Language tags written into the files (BCP 47, such as en-GB and ru-RU)."""

    source_code: str
    target_code: str


@dataclass(frozen=True)
class TextPair:
    """A source text and its target text, as read back from an exported file."""

    source: str
    target: str


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control characters, lone surrogates).

    Vertical tab and form feed become spaces: word processors use them as line breaks, and
    deleting them would glue two words together. Every format is cleaned the same way, so that
    converting between formats keeps the texts equal.
    """
    return _XML_ILLEGAL.sub("", _PAGE_BREAKS.sub(" ", text))


def creation_time(alignment: Alignment) -> datetime | None:
    """When the document was made: its own date, else ``SOURCE_DATE_EPOCH``, else unknown.

    A document date without a time zone is taken as UTC: the page gives no zone.
    """
    for document in (alignment.source, alignment.target):
        if document.date:
            try:
                moment = datetime.fromisoformat(document.date)
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError):
            raise AlignerError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    return None
