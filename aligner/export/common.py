"""What every format shares: the records it writes and reads, options, dates and text clean-up.

Every writer takes a :class:`Corpus` (a sequence of :class:`Record` plus what a file header
says) and every reader returns one, so that converting is reading one format and writing
another, and reading a file back recovers everything its writer put in it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePath

import regex

from aligner.errors import AlignerError
from aligner.model import Alignment
from aligner.textio import MAX_INPUT_BYTES

_XML_ILLEGAL = regex.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PAGE_BREAKS = regex.compile(r"[\x0b\x0c]")
_LANGUAGE_TAG = regex.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_LOG = logging.getLogger("aligner")

LOW_CONFIDENCE = 0.5
"""Beads below this confidence get a note (TMX), a fuzzy flag (PO)."""
LONG_SEGMENT = 2000
"""Trados refuses longer segments, so a TMX unit with a longer side gets a warning."""
MAX_READ_BYTES = MAX_INPUT_BYTES
"""Readers refuse larger files, as the toolkit refuses larger inputs."""


@dataclass(frozen=True)
class Record:
    """One aligned unit as files carry it: both texts and where they come from.

    ``unit`` numbers the beads of a document from 1; sentence indices are 0-based and global
    in their document, paragraph indices 0-based (the title is paragraph 0). A field that a
    format does not carry is ``None`` (or empty) once read from that format.
    """

    source: str
    target: str
    document: str
    unit: int
    bead: str | None = None
    confidence: float | None = None
    source_sentences: tuple[int, ...] = ()
    target_sentences: tuple[int, ...] = ()
    source_paragraph: int | None = None
    target_paragraph: int | None = None
    speaker: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None

    @property
    def is_pair(self) -> bool:
        """True when both sides have text."""
        return bool(self.source) and bool(self.target)

    @property
    def uid(self) -> str:
        """A stable identifier: document and unit number (the TMX ``tuid``)."""
        return f"{self.document}-{self.unit}"


@dataclass(frozen=True)
class Corpus:
    """Records in order, with what a file says about all of them.

    ``name`` names the collection (a document, or the merged documents of a batch);
    ``source_code``/``target_code`` are the language tags a file states, if any;
    ``created`` is the creation time written into TMX and PO headers.
    """

    name: str
    records: tuple[Record, ...]
    source_code: str | None = None
    target_code: str | None = None
    created: datetime | None = None


@dataclass(frozen=True)
class ExportOptions:
    """How to write: language tags (BCP 47, such as en-GB) and what a CAT user chooses.

    ``keep_unaligned`` and ``min_confidence`` select the units of TMX and Moses files (the
    formats whose readers reuse translations); ``excel`` puts a BOM before a CSV.
    """

    source_code: str
    target_code: str
    keep_unaligned: bool = False
    min_confidence: float = 0.0
    excel: bool = False

    def __post_init__(self) -> None:
        # OmegaT ignores a variant tagged en_GB, so tags are checked and given hyphens once, here.
        object.__setattr__(self, "source_code", language_tag(self.source_code))
        object.__setattr__(self, "target_code", language_tag(self.target_code))


def language_tag(code: str) -> str:
    """A BCP 47 tag as TMX and PO files need it, with hyphens (``en_GB`` → ``en-GB``)."""
    tag = code.strip().replace("_", "-")
    if not _LANGUAGE_TAG.fullmatch(tag):
        raise AlignerError(f"'{code}' is not a language tag; use BCP 47, such as en-GB or ru-RU")
    return tag


def corpus_of(alignment: Alignment) -> Corpus:
    """The records of an alignment, one per bead, with the documents' metadata."""
    source, target = alignment.source, alignment.target
    date = source.date or target.date
    records = tuple(
        Record(
            source=unit.source_text,
            target=unit.target_text,
            document=source.name,
            unit=unit.number,
            bead=unit.bead.kind,
            confidence=unit.bead.confidence,
            source_sentences=unit.bead.source,
            target_sentences=unit.bead.target,
            source_paragraph=unit.source_paragraph,
            target_paragraph=unit.target_paragraph,
            speaker=unit.speaker,
            title=source.title or target.title,
            date=date,
            url=source.url or target.url,
        )
        for unit in alignment.units()
    )
    return Corpus(
        name=source.name,
        records=records,
        source_code=source.language,
        target_code=target.language,
        created=creation_time([source.date, target.date]),
    )


def merge(corpora: Sequence[Corpus], name: str) -> Corpus:
    """One corpus with the records of all, in order; dated by the newest of them."""
    dates = [corpus.created for corpus in corpora if corpus.created is not None]
    first = corpora[0] if corpora else None
    return Corpus(
        name=name,
        records=tuple(record for corpus in corpora for record in corpus.records),
        source_code=first.source_code if first else None,
        target_code=first.target_code if first else None,
        created=max(dates) if dates else None,
    )


def selected(records: Iterable[Record], options: ExportOptions) -> list[Record]:
    """The records a TMX or Moses file gets: pairs only unless asked, none below the minimum.

    A record without a confidence (read from a format that has none) is kept: nothing says
    it is weak.
    """
    return [
        record
        for record in records
        if (record.is_pair or options.keep_unaligned)
        and (record.confidence is None or record.confidence >= options.min_confidence)
    ]


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control characters, lone surrogates).

    Vertical tab and form feed become spaces: word processors use them as line breaks, and
    deleting them would glue two words together. Every format is cleaned the same way, so that
    converting between formats keeps the texts equal. Bidi marks are legal and stay.
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


def warn(message: str) -> None:
    """Report a problem that does not stop the export; the command line prints it once, on one line."""
    _LOG.warning(message)


def creation_time(dates: Iterable[str | None]) -> datetime | None:
    """When the document was made: the first readable date, else ``SOURCE_DATE_EPOCH``, else unknown.

    A date without a time zone is taken as UTC: a page gives no zone.
    """
    for date in dates:
        if date:
            try:
                moment = datetime.fromisoformat(date)
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


def check_size(data: bytes, name: str) -> None:
    """Refuse input larger than :data:`MAX_READ_BYTES` before any parsing starts."""
    if len(data) > MAX_READ_BYTES:
        raise AlignerError(
            f"{name}: {len(data) / 2**20:.0f} MB is larger than the {MAX_READ_BYTES // 2**20} MB limit; "
            "split the file into parts"
        )


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text, a BOM dropped; anything else is an AlignerError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AlignerError(f"{name}: not UTF-8 text (byte {error.start}); convert the file to UTF-8") from None


def stem_of(name: str) -> str:
    """The file name of ``name`` without directories and suffix: the default corpus name."""
    return PurePath(name).stem or name


def language_suffix(source_code: str, target_code: str) -> tuple[str, str]:
    """The file suffixes of a Moses bitext: primary language subtags, full tags if those are equal."""
    source, target = source_code.lower(), target_code.lower()
    primary = source.split("-")[0], target.split("-")[0]
    if primary[0] != primary[1]:
        return f".{primary[0]}", f".{primary[1]}"
    if source == target:
        raise AlignerError(f"source and target language are both '{source_code}'; give different tags")
    return f".{source}", f".{target}"


# --------------------------------------------------------------------------- tables
# CSV and TSV share their columns, so that a spreadsheet user meets the same layout in both.

TABLE_COLUMNS = (
    "unit",
    "source",
    "target",
    "bead",
    "confidence",
    "source_sentences",
    "target_sentences",
    "source_paragraph",
    "target_paragraph",
    "speaker",
    "document",
)


def table_row(record: Record) -> list[str]:
    """The cells of one record, in :data:`TABLE_COLUMNS` order (texts cleaned)."""
    return [
        str(record.unit),
        clean(record.source, f"{record.uid} source"),
        clean(record.target, f"{record.uid} target"),
        record.bead or "",
        format_confidence(record.confidence),
        " ".join(map(str, record.source_sentences)),
        " ".join(map(str, record.target_sentences)),
        _cell(record.source_paragraph),
        _cell(record.target_paragraph),
        clean(record.speaker or "", f"{record.uid} speaker"),
        clean(record.document, f"{record.uid} document"),
    ]


def table_record(row: dict[str, str], number: int, default_document: str, where: str) -> Record:
    """The record of one table row; only ``source`` and ``target`` are required columns."""
    def text(column: str) -> str:
        return row.get(column) or ""

    try:
        return Record(
            source=text("source"),
            target=text("target"),
            document=text("document") or default_document,
            unit=int(text("unit")) if text("unit") else number,
            bead=text("bead") or None,
            confidence=float(text("confidence")) if text("confidence") else None,
            source_sentences=tuple(int(x) for x in text("source_sentences").split()),
            target_sentences=tuple(int(x) for x in text("target_sentences").split()),
            source_paragraph=int(text("source_paragraph")) if text("source_paragraph") else None,
            target_paragraph=int(text("target_paragraph")) if text("target_paragraph") else None,
            speaker=text("speaker") or None,
        )
    except ValueError as error:
        raise AlignerError(f"{where}: a number column holds something else ({error})") from None


def require_columns(fieldnames: Sequence[str] | None, name: str) -> None:
    """A table must at least have ``source`` and ``target`` columns."""
    if not fieldnames or not {"source", "target"} <= set(fieldnames):
        raise AlignerError(f"{name}: the header row needs 'source' and 'target' columns")


def format_confidence(confidence: float | None) -> str:
    """Confidence as every format writes it: four decimals, empty when unknown."""
    return "" if confidence is None else f"{confidence:.4f}"


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)
