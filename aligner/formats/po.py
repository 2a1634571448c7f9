"""Gettext PO: msgid is the source text, msgstr its translation.

A source text without a translation (a 1-0 unit) is an untranslated entry, as in any PO
file; a target text without a source (0-1) cannot be an entry (an empty msgid is the header)
and is left out. A source text that occurs twice gets a msgctxt, since duplicate msgids are
fatal to msgfmt. The header carries the settings signature as ``X-Aligner-Signature``. Each
entry carries its metadata where gettext tools keep it::

    #. unit 12, bead 1-1, confidence 0.9876
    #. speaker: Sergey Lavrov
    #: lavrov-tass-2020-12-30:3:17
    #, fuzzy                          (below LOW_CONFIDENCE)
    msgctxt "lavrov-tass-2020-12-30-12"   (only for a repeated source text)

Other tools' PO files keep what they hold through a conversion to PO: a msgctxt of their own,
plural forms (msgid_plural, msgstr[n]) and obsolete entries (``#~``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import IO, Any

import polib
import regex

from aligner.dates import creation_time, format_utc
from aligner.errors import AlignerError
from aligner.formats.base import (
    CONTEXT,
    OBSOLETE,
    PLURALS,
    ExportOptions,
    Format,
    InputFile,
    decode_utf8,
    format_confidence,
    kept,
    only_file,
    report_losses,
    stated_language,
    stem_of,
    whole_number,
)
from aligner.model import LOW_CONFIDENCE, Corpus, Record
from aligner.version import __version__
from aligner.xmltext import clean, xml_safe

_DATE_FORMAT = "%Y-%m-%d %H:%M%z"
_WHITESPACE = regex.compile(r"\s")
# ASCII digits only: \d would take "²" or "٣", which int() reads or chokes on.
_UNIT = regex.compile(r"unit ([0-9]+)")
_BEAD = regex.compile(r"bead ([0-9]+-[0-9]+)")
_CONFIDENCE = regex.compile(r"confidence ([0-9]+(?:\.[0-9]+)?)")
_SPEAKER = "speaker: "
_ANY_LINE_BREAK = regex.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_REFERENCE = regex.compile(r"(.+?)(?::([0-9]+))?(?::([0-9]+))?")
SIGNATURE_FIELD = "X-Aligner-Signature"
_WRAP = 78


class Po(Format):
    name = "po"
    summary = "gettext PO catalogue (msgid = source, msgstr = target)"
    suffixes = (".po",)
    keeps = frozenset({CONTEXT, PLURALS, OBSOLETE})

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """The corpus as a PO file, UTF-8 without BOM, one entry at a time."""
        (stream,) = streams
        name = clean(corpus.name, "the corpus name")
        created = format_utc(corpus.created, _DATE_FORMAT) if corpus.created else ""
        catalog = polib.POFile(wrapwidth=_WRAP)
        catalog.header = (
            f"Sentence pairs of {name} ({options.source.tag} → {options.target.tag}), aligned by aligner."
        )
        catalog.metadata = {
            "Project-Id-Version": name,
            "Report-Msgid-Bugs-To": "",
            "POT-Creation-Date": created,
            "PO-Revision-Date": created,
            "Last-Translator": "",
            "Language-Team": "",
            "Language": options.target.tag.replace("-", "_"),
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "X-Generator": f"aligner {__version__}",
            "X-Source-Language": options.source.tag,
        }
        if options.target.plural_forms:
            catalog.metadata["Plural-Forms"] = options.target.plural_forms
        if corpus.signature:
            catalog.metadata[SIGNATURE_FIELD] = corpus.signature
        # The header alone, as polib renders it; then each entry after a blank line, as polib would.
        stream.write(str(catalog).encode("utf-8"))
        # A repeated source text needs a msgctxt (duplicate msgids are fatal to msgfmt): count first.
        repeats = Counter(
            clean(record.source, f"{record.uid} source")
            for record in corpus.records
            if xml_safe(record.source) and not record.context
        )
        losses: Counter[str] = Counter()
        for record in kept(corpus.records, self, losses):
            # A source of only characters PO cannot carry would be a second header (msgid "").
            if xml_safe(record.source):
                stream.write(("\n" + _entry(record, repeats).__unicode__(_WRAP)).encode("utf-8"))
        for record in corpus.obsolete:
            entry = _entry(record, Counter())
            entry.obsolete = True
            stream.write(("\n" + entry.__unicode__(_WRAP)).encode("utf-8"))
        stream.write(b"\n")
        report_losses(corpus, self, losses)

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The entries of a PO file (the header and obsolete entries left out), with their metadata."""
        file = only_file(files, self.name)
        # polib takes a string without a line break for a file name: never let it open one.
        text = decode_utf8(file.data, file.name) + "\n"
        try:
            catalog = polib.pofile(_LineFeedLines(text))
        except (OSError, ValueError) as error:
            raise AlignerError(f"{file.name}: not a readable PO file ({error})") from None
        corpus_name = catalog.metadata.get("Project-Id-Version") or stem_of(file.name)
        records = [
            _record(entry, position, corpus_name, file.name)
            for position, entry in enumerate((e for e in catalog if not e.obsolete), start=1)
        ]
        obsolete = [
            _record(entry, position, corpus_name, file.name)
            for position, entry in enumerate((e for e in catalog if e.obsolete), start=1)
        ]
        return Corpus(
            name=corpus_name,
            records=tuple(records),
            source_language=stated_language(catalog.metadata.get("X-Source-Language"), file.name),
            target_language=stated_language(catalog.metadata.get("Language"), file.name),
            created=_parse_date(catalog.metadata.get("POT-Creation-Date")) or creation_time([]),
            signature=catalog.metadata.get(SIGNATURE_FIELD) or None,
            obsolete=tuple(obsolete),
        )


FORMAT = Po()


def _entry(record: Record, repeats: Counter[str]) -> polib.POEntry:
    source = clean(record.source, f"{record.uid} source")
    target = clean(record.target, f"{record.uid} target")
    # References are whitespace-separated in PO files, so the document name loses its spaces there.
    document = _WHITESPACE.sub("_", clean(record.document, f"{record.uid} document"))
    if record.context:
        context: str | None = clean(record.context, f"{record.uid} msgctxt")
    else:
        context = f"{document}-{record.unit}" if repeats[source] > 1 else None
    plural: dict[str, Any] = {}
    if record.source_plural:
        forms = record.target_plurals or (record.target,)
        plural = {
            "msgid_plural": clean(record.source_plural, f"{record.uid} msgid_plural"),
            "msgstr_plural": {index: clean(form, f"{record.uid} msgstr[{index}]") for index, form in enumerate(forms)},
        }
    entry = polib.POEntry(
        msgid=source,
        msgstr="" if plural else target,
        msgctxt=context,
        occurrences=_references(record, document),
        comment=_comment(record),
        **plural,
    )
    if target and record.confidence is not None and record.confidence < LOW_CONFIDENCE:
        entry.flags.append("fuzzy")
    return entry


class _LineFeedLines(str):
    """PO text that polib splits at line feeds only.

    polib splits text it is given with ``str.splitlines``, which also breaks at U+2028, U+0085
    and other characters that are plain text inside a PO string (msgfmt reads them so).
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = self.split("\n")
        return [line + "\n" for line in lines] if keepends else lines


def _references(record: Record, document: str) -> list[tuple[str, str]]:
    """``document:paragraph:sentence`` for each source sentence, or as much of it as is known."""
    if record.source_paragraph is None:
        return [(document, "")]
    if not record.source_sentences:
        return [(document, str(record.source_paragraph))]
    return [(f"{document}:{record.source_paragraph}", str(index)) for index in record.source_sentences]


def _comment(record: Record) -> str:
    facts = [f"unit {record.unit}"]
    if record.bead:
        facts.append(f"bead {record.bead}")
    if record.confidence is not None:
        facts.append(f"confidence {format_confidence(record.confidence)}")
    lines = [", ".join(facts)]
    # A comment is one line (a line break in the label would end it and break the file), and
    # gettext tools strip the white space around it.
    speaker = _ANY_LINE_BREAK.sub(" ", clean(record.speaker or "", f"{record.uid} speaker")).strip()
    if speaker:
        lines.append(_SPEAKER + speaker)
    return "\n".join(lines)


def _record(entry: polib.POEntry, position: int, corpus_name: str, name: str) -> Record:
    where = f"{name}: entry {entry.msgid[:30]!r}"
    lines = (entry.comment or "").splitlines()
    facts = lines[0] if lines else ""
    unit, bead, confidence = (pattern.search(facts) for pattern in (_UNIT, _BEAD, _CONFIDENCE))
    speaker = next((line[len(_SPEAKER):] for line in lines[1:] if line.startswith(_SPEAKER)), None)
    references = [_REFERENCE.fullmatch(f"{path}:{line}" if line else path) for path, line in entry.occurrences]
    found = [match for match in references if match]
    forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)) if entry.msgid_plural else ()
    # A plural entry's first form stands for the translation.
    target = entry.msgstr or (forms[0] if forms else "")
    document = found[0].group(1) if found else corpus_name
    number = whole_number(unit.group(1), where, "unit number") if unit else position
    # Our own msgctxt (document and unit, for a repeated source) is no context of the text.
    context = entry.msgctxt if entry.msgctxt and entry.msgctxt != f"{document}-{number}" else None
    return Record(
        source=entry.msgid,
        target=target,
        document=document,
        unit=number,
        bead=bead.group(1) if bead else None,
        confidence=float(confidence.group(1)) if confidence else None,
        source_sentences=tuple(whole_number(match.group(3), where, "sentence number") for match in found if match.group(3)),
        source_paragraph=whole_number(found[0].group(2), where, "paragraph number") if found and found[0].group(2) else None,
        speaker=speaker,
        context=context,
        source_plural=entry.msgid_plural or None,
        target_plurals=forms,
    )


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, _DATE_FORMAT).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None  # unreadable, or year 1 / 9999 in a time zone that puts it out of range
