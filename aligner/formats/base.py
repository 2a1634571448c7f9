"""What every file format shares: the Format interface, write options and reading helpers.

A format turns a :class:`~aligner.model.Corpus` into the bytes of its files and back. Most
formats are one file per corpus; Moses is two (one per language), and a bead file carries
sentence indices but no texts. The interface covers all of them, so that nothing outside
``aligner.formats`` needs to know which format is which.
"""

from __future__ import annotations

import io
import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePath
from typing import IO, Any, ClassVar

import lxml.etree
import regex

from aligner.errors import AlignerError, warn
from aligner.languages import Language, resolve_language
from aligner.model import Corpus, Record
from aligner.xmltext import xml_safe

LONG_SEGMENT = 2000
"""Trados refuses longer segments, so a TMX unit with a longer side gets a warning."""
MAX_DIGITS = 9
"""Unit, sentence and paragraph numbers have at most this many digits: a billion units is no file."""
INLINE_CODES = "inline codes"
CONTEXT = "msgctxt"
PLURALS = "plural forms"
OBSOLETE = "obsolete entries"
REVIEW_STATUS = "review status"
_LOSSES = {
    REVIEW_STATUS: "{count} unit(s) were confirmed or edited by a reviewer; {format} has no place for that, "
                   "so it was left out (TMX, XLIFF and JSON Lines keep it)",
    INLINE_CODES: "{count} unit(s) had inline codes (<bpt>, <ph>, …); {format} has no inline markup, "
                  "so their text was written without the codes",
    CONTEXT: "{count} unit(s) have a msgctxt; {format} has no place for it, so it was left out",
    PLURALS: "{count} unit(s) have plural forms; {format} keeps the first form only",
    OBSOLETE: "{count} obsolete entr(ies) left out; {format} has no place for them",
}


@dataclass(frozen=True)
class InputFile:
    """The bytes of one file to read, and its name (for messages, and for names inside the corpus)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ExportOptions:
    """How to write: the languages (their tags label the files) and what a CAT user chooses.

    ``keep_unaligned`` and ``min_confidence`` select the units of the formats whose readers
    reuse translations (TMX, XLIFF, Moses); ``excel`` puts a BOM before a CSV.
    """

    source: Language
    target: Language
    keep_unaligned: bool = False
    min_confidence: float = 0.0
    excel: bool = False


class Format(ABC):
    """One file format: its name, the files it needs, and how it writes and reads a corpus."""

    name: ClassVar[str]
    """The name users give in ``--formats``."""
    summary: ClassVar[str]
    """One line for help texts."""
    suffixes: ClassVar[tuple[str, ...]] = ()
    """File suffixes that name a file of this format (the first is the one written)."""
    carries_text: ClassVar[bool] = True
    """False for a format of sentence indices only, which cannot be converted from."""
    carries_languages: ClassVar[bool] = True
    """False when the files do not say their languages, so converting from them needs tags."""
    merged: ClassVar[bool] = False
    """True for the format in which ``aligner run`` also writes one file of the whole batch."""
    keeps: ClassVar[frozenset[str]] = frozenset()
    """What of other tools' files the format carries: INLINE_CODES, CONTEXT, PLURALS, OBSOLETE, REVIEW_STATUS."""

    def output_suffixes(self, options: ExportOptions) -> tuple[str, ...]:
        """The suffixes of the files written for one stem, in the order :meth:`write` returns them."""
        return self.suffixes[:1]

    def output_stem(self, path: Path) -> Path:
        """The stem that an output name given by the user stands for."""
        return path.with_suffix("")

    def matches(self, path: PurePath) -> bool:
        """True when the name of ``path`` alone says it is a file of this format."""
        return path.suffix.lower() in self.suffixes

    def input_files(self, path: Path, target_tag: str | None, taken_suffixes: frozenset[str]) -> tuple[Path, ...]:
        """The files to read for ``path``; ``taken_suffixes`` are those that name other formats."""
        del target_tag, taken_suffixes  # one file is the whole corpus
        return (path,)

    def write(self, corpus: Corpus, options: ExportOptions) -> tuple[bytes, ...]:
        """The bytes of each file, in the order of :meth:`output_suffixes`."""
        buffers = [io.BytesIO() for _ in self.output_suffixes(options)]
        self.write_to(corpus, options, buffers)
        return tuple(buffer.getvalue() for buffer in buffers)

    @abstractmethod
    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """Write the files into ``streams`` (in the order of :meth:`output_suffixes`), record by record.

        ``corpus.records`` may be any sequence, a lazy one included: writers iterate over it
        (some twice) and never hold the whole output, so a corpus larger than memory streams.
        """

    @abstractmethod
    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The corpus in ``files`` (as :meth:`input_files` lists them); bad content is an AlignerError."""


def selected(records: Iterable[Record], options: ExportOptions) -> Iterator[Record]:
    """The records a CAT-tool format gets: pairs only unless asked, none below the minimum.

    A record without a confidence (read from a format that has none) is kept: nothing says
    it is weak.
    """
    # A side that is only characters XML forbids is empty once written: judged as written.
    return (
        record
        for record in records
        if (options.keep_unaligned or (xml_safe(record.source) and xml_safe(record.target)))
        and (record.confidence is None or record.confidence >= options.min_confidence)
    )


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text, a BOM dropped; anything else is an AlignerError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AlignerError(f"{name}: not UTF-8 text (byte {error.start}); convert the file to UTF-8") from None


def only_file(files: Sequence[InputFile], format_name: str) -> InputFile:
    """The one file a single-file format reads."""
    if len(files) != 1:
        raise AlignerError(f"a {format_name} corpus is one file, not {len(files)}")
    return files[0]


def stem_of(name: str) -> str:
    """The file name of ``name`` without directories and suffix: the default corpus name."""
    return PurePath(name).stem or name


def format_confidence(confidence: float | None) -> str:
    """Confidence as every format writes it: four decimals, empty when unknown."""
    return "" if confidence is None else f"{confidence:.4f}"


def stated_language(tag: str | None, name: str) -> Language | None:
    """The language a file states by ``tag``, or None when it states none."""
    if not tag or not tag.strip():
        return None
    try:
        return resolve_language(tag, tag)
    except AlignerError:
        raise AlignerError(f"{name}: the file's language tag {tag!r} is not a BCP 47 tag") from None


def read_xml(data: bytes, name: str) -> lxml.etree._Element:
    """The root of an XML file from anywhere, read defensively.

    No DTD or network resource is loaded, and a file that declares or
    uses entities is refused rather than expanded (external entities would leak local files;
    nested ones are "billion laughs"); libxml2 refuses a text node over 10 MB.
    """
    refuse_entity_declarations(data, name)
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        raise AlignerError(f"{name}: not well-formed XML ({error})") from None
    dtd: Any = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    used = [str(getattr(node, "name", "")) for node in root.iter(lxml.etree.Entity)]
    if declared or used:
        names = ", ".join(dict.fromkeys(declared + used))
        raise AlignerError(
            f"{name}: the file declares or uses XML entities ({names}); they are never expanded, so it is refused"
        )
    return root


def inline_text(element: lxml.etree._Element, text_tags: frozenset[str]) -> str:
    """The text of a segment element: text inside ``text_tags`` kept, other inline codes dropped."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in text_tags:
            parts.append(inline_text(child, text_tags))
        parts.append(child.tail or "")
    return "".join(parts)


def parse_utc(text: str | None, pattern: str) -> datetime | None:
    """A UTC time written as ``pattern`` (strptime), or None when absent or unreadable."""
    if not text:
        return None
    try:
        return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def refuse_entity_declarations(data: bytes, name: str) -> None:
    """Refuse an XML file whose prolog (its DOCTYPE) declares entities, before any parsing."""
    root = regex.search(rb"<[A-Za-z_]", data)
    if b"<!ENTITY" in data[: root.start() if root else len(data)]:
        raise AlignerError(f"{name}: the file declares XML entities; they are never expanded, so it is refused")


def whole_number(text: str, where: str, what: str = "number") -> int:
    """``text`` as a whole number of ASCII digits (at most MAX_DIGITS); anything else is an AlignerError."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        raise AlignerError(f"{where}: the {what} {digits[:20]!r} is not a whole number")
    if len(digits) > MAX_DIGITS:
        raise AlignerError(f"{where}: the {what} {digits[:12]}… has {len(digits):,} digits; at most {MAX_DIGITS} are read")
    return int(digits)


def is_whole_number(text: str) -> bool:
    """True for a non-empty run of ASCII digits ("²".isdigit() is True, but it is no number here)."""
    return text.isascii() and text.isdigit()


def finite(value: float, where: str, what: str = "confidence") -> float:
    """``value`` when it is a finite number; NaN and infinities are an AlignerError."""
    if not math.isfinite(value):
        raise AlignerError(f"{where}: the {what} is {value}, not a number between 0 and 1")
    return value


def kept(records: Iterable[Record], fmt: Format, losses: Counter[str]) -> Iterator[Record]:
    """``records``, counting in ``losses`` what each has that ``fmt`` cannot carry."""
    for record in records:
        if (record.source_markup or record.target_markup) and INLINE_CODES not in fmt.keeps:
            losses[INLINE_CODES] += 1
        if record.context and CONTEXT not in fmt.keeps:
            losses[CONTEXT] += 1
        if (record.source_plural or len(record.target_plurals) > 1) and PLURALS not in fmt.keeps:
            losses[PLURALS] += 1
        if record.status and REVIEW_STATUS not in fmt.keeps:
            losses[REVIEW_STATUS] += 1
        yield record


def report_losses(corpus: Corpus, fmt: Format, losses: Counter[str]) -> None:
    """One warning for each kind of thing ``fmt`` could not carry (with the obsolete entries left out)."""
    if corpus.obsolete and OBSOLETE not in fmt.keeps:
        losses[OBSOLETE] = len(corpus.obsolete)
    for kind, count in sorted(losses.items()):
        if count:
            warn(f"{corpus.name}: " + _LOSSES[kind].format(count=count, format=fmt.name.upper()))
