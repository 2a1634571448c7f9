"""XLIFF 1.2: bilingual ``<trans-unit>``s for CAT tools and reviewers.

One ``<file>`` per document (its name in ``original``), one ``<trans-unit>`` per selected bead
(pairs only unless asked, as for TMX). A unit whose confidence is below LOW_CONFIDENCE has
``state="needs-review-translation"``, any other ``state="translated"``; a unit a reviewer
confirmed or edited (``aligner review``) is ``approved="yes"`` with ``state="final"`` (XLIFF
1.2's values for a finished, signed-off translation), and its note says which of the two. Each unit says its bead
and confidence in a ``<note from="aligner">`` and where its sentences sit in a
``<context-group>``, so that reading the file back recovers every field it was written from.
The settings signature is a ``<note from="aligner-signature">`` in each file's header.

Reading is as defensive as for TMX (no DTD, no network, no entities). Text inside a ``<g>`` or
``<mrk>`` of another tool's file is kept; other inline codes are native markup and dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain, groupby
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import lxml.etree
import regex

from aligner.dates import creation_time, format_utc
from aligner.errors import AlignerError
from aligner.formats.base import (
    CONTEXT,
    REVIEW_STATUS,
    ExportOptions,
    Format,
    InputFile,
    format_confidence,
    inline_text,
    is_whole_number,
    kept,
    only_file,
    parse_utc,
    read_xml,
    report_losses,
    selected,
    stated_language,
    stem_of,
    whole_number,
)
from aligner.model import LOW_CONFIDENCE, REVIEWED, Corpus, Record
from aligner.version import __version__
from aligner.xmltext import clean

# An XML parser reads a raw CR as LF: written as a character reference, it reads back as CR.
_KEEP_CR = {"\r": "&#13;"}

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
_NS = f"{{{NAMESPACE}}}"
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_SIGNATURE_NOTE = "aligner-signature"
_FACTS_NOTE = "aligner"
_TEXT_MARKUP = frozenset({f"{_NS}g", f"{_NS}mrk"})
_BEAD = regex.compile(r"bead ([0-9]+-[0-9]+)")
_CONFIDENCE = regex.compile(r"confidence ([0-9]+(?:\.[0-9]+)?)")
_STATUS = regex.compile(r"\b(confirmed|edited)\b")
# Where a unit's sentences sit: context types of our own (XLIFF allows x- names).
_CONTEXTS = ("x-source-sentences", "x-target-sentences", "x-source-paragraph", "x-target-paragraph", "x-speaker")


class Xliff(Format):
    name = "xliff"
    summary = "XLIFF 1.2 bilingual file, for CAT tools and review (low confidence: needs-review)"
    suffixes = (".xlf", ".xliff")
    keeps = frozenset({CONTEXT, REVIEW_STATUS})

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """The corpus as an XLIFF 1.2 document, UTF-8 without BOM."""
        (stream,) = streams
        _emit(stream, ['<?xml version="1.0" encoding="UTF-8"?>', f'<xliff version="1.2" xmlns="{NAMESPACE}">'])
        date = f" date={quoteattr(format_utc(corpus.created, _DATE_FORMAT))}" if corpus.created else ""
        losses: Counter[str] = Counter()
        groups = groupby(kept(selected(corpus.records, options), self, losses), key=lambda record: record.document)
        # XLIFF needs at least one <file>: an empty corpus is one empty file of its own name.
        first = next(groups, None)
        for document, group in chain([first] if first else [(corpus.name, iter(()))], groups):
            original = clean(document, "the document name")
            lines = [
                f"  <file original={quoteattr(original)} source-language={quoteattr(options.source.tag)} "
                f'target-language={quoteattr(options.target.tag)} datatype="plaintext"{date}>',
                "    <header>",
                f'      <tool tool-id="aligner" tool-name="aligner" tool-version="{__version__}"/>',
            ]
            if corpus.signature:
                lines.append(f'      <note from="{_SIGNATURE_NOTE}">{escape(corpus.signature)}</note>')
            _emit(stream, [*lines, "    </header>", "    <body>"])
            for record in group:
                _emit(stream, _unit(record))
            _emit(stream, ["    </body>", "  </file>"])
        _emit(stream, ["</xliff>"])
        report_losses(corpus, self, losses)

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The units of an XLIFF 1.2 file, every ``<file>`` in order."""
        file = only_file(files, self.name)
        name = file.name
        root = read_xml(file.data, name)
        if root.tag != f"{_NS}xliff" or root.get("version") != "1.2":
            raise AlignerError(f"{name}: not an XLIFF 1.2 file (no <xliff version=\"1.2\"> root in its namespace)")
        corpus_name = stem_of(name)
        records: list[Record] = []
        source_tag = target_tag = signature = created = None
        for element in root.iter(f"{_NS}file"):
            document = element.get("original") or corpus_name
            source_tag = source_tag or element.get("source-language")
            target_tag = target_tag or element.get("target-language")
            created = created or parse_utc(element.get("date"), _DATE_FORMAT)
            for note in element.iterfind(f"{_NS}header/{_NS}note"):
                if note.get("from") == _SIGNATURE_NOTE and signature is None:
                    signature = note.text or ""
            for unit in element.iter(f"{_NS}trans-unit"):
                records.append(_record(unit, document, len(records) + 1, name))
        return Corpus(
            name=corpus_name,
            records=tuple(records),
            source_language=stated_language(source_tag, name),
            target_language=stated_language(target_tag, name),
            created=created or creation_time(()),
            signature=signature,
        )


FORMAT = Xliff()


def _emit(stream: IO[bytes], lines: list[str]) -> None:
    stream.write("".join(line + "\n" for line in lines).encode("utf-8"))


def _unit(record: Record) -> list[str]:
    weak = record.confidence is not None and record.confidence < LOW_CONFIDENCE
    state = "final" if record.status else "needs-review-translation" if weak else "translated"
    resname = f" resname={quoteattr(clean(record.context, f'{record.uid} msgctxt'))}" if record.context else ""
    approved = ' approved="yes"' if record.status else ""
    identifier = quoteattr(clean(record.uid, f"{record.uid} id"))
    lines = [f'      <trans-unit id={identifier}{resname}{approved} xml:space="preserve">']
    lines.append(f"        <source>{escape(clean(record.source, f'{record.uid} source'), _KEEP_CR)}</source>")
    if record.target:
        target = escape(clean(record.target, f"{record.uid} target"), _KEEP_CR)
        lines.append(f'        <target state="{state}">{target}</target>')
    facts = []
    if record.bead:
        facts.append(f"bead {record.bead}")
    if record.confidence is not None:
        facts.append(f"confidence {format_confidence(record.confidence)}")
    if record.status:
        facts.append(record.status)
    if facts:
        lines.append(f'        <note from="{_FACTS_NOTE}">{", ".join(facts)}</note>')
    contexts = [
        (kind, value)
        for kind, value in zip(
            _CONTEXTS,
            (
                " ".join(map(str, record.source_sentences)),
                " ".join(map(str, record.target_sentences)),
                "" if record.source_paragraph is None else str(record.source_paragraph),
                "" if record.target_paragraph is None else str(record.target_paragraph),
                clean(record.speaker or "", f"{record.uid} speaker"),
            ),
        )
        if value
    ]
    if contexts:
        lines.append('        <context-group purpose="location">')
        lines += [f'          <context context-type="{kind}">{escape(value, _KEEP_CR)}</context>' for kind, value in contexts]
        lines.append("        </context-group>")
    lines.append("      </trans-unit>")
    return lines


def _status(unit: lxml.etree._Element, noted: str | None) -> str | None:
    """Our note's review status; else another tool's ``approved="yes"`` reads as confirmed."""
    if noted in REVIEWED:
        return noted
    return REVIEWED[0] if unit.get("approved") == "yes" else None


def _record(unit: lxml.etree._Element, document: str, position: int, name: str) -> Record:
    source = unit.find(f"{_NS}source")
    target = unit.find(f"{_NS}target")
    facts = " ".join(note.text or "" for note in unit.iterfind(f"{_NS}note") if note.get("from") == _FACTS_NOTE)
    bead, confidence, status = _BEAD.search(facts), _CONFIDENCE.search(facts), _STATUS.search(facts)
    context = {
        element.get("context-type"): element.text or ""
        for element in unit.iterfind(f"{_NS}context-group/{_NS}context")
    }
    identifier = unit.get("id") or ""
    number = identifier[len(document) + 1 :] if identifier.startswith(f"{document}-") else ""
    where = f"{name}: unit {identifier or position}"

    def indices(kind: str) -> tuple[int, ...]:
        values = context.get(kind, "").split()
        if not all(is_whole_number(value) for value in values):
            return ()  # another tool's context of the same name
        return tuple(whole_number(value, where, kind) for value in values)

    def paragraph(kind: str) -> int | None:
        value = context.get(kind, "")
        return whole_number(value, where, kind) if is_whole_number(value) else None

    return Record(
        source=inline_text(source, _TEXT_MARKUP) if source is not None else "",
        target=inline_text(target, _TEXT_MARKUP) if target is not None else "",
        document=document,
        unit=whole_number(number, where, "unit number") if is_whole_number(number) else position,
        bead=bead.group(1) if bead else None,
        confidence=float(confidence.group(1)) if confidence else None,
        source_sentences=indices("x-source-sentences"),
        target_sentences=indices("x-target-sentences"),
        source_paragraph=paragraph("x-source-paragraph"),
        target_paragraph=paragraph("x-target-paragraph"),
        speaker=context.get("x-speaker") or None,
        context=unit.get("resname") or None,
        status=_status(unit, status.group(1) if status else None),
    )
