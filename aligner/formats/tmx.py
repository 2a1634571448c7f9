"""TMX 1.4b: one translation unit per aligned pair, for CAT tools (OmegaT, Trados, memoQ).

Written by hand rather than by a serializer so that nothing is ever indented inside ``<seg>``
(white space there is part of the segment for CAT tools). Units with an empty side are left
out unless asked for: a CAT tool cannot use them. The header carries the settings signature
as ``<prop type="x-aligner-signature">``.

Reading is defensive, since a TMX may come from anywhere: no DTD or network resource is
loaded, and a file that declares or uses entities is refused rather than expanded (external
entities would leak local files; nested ones are "billion laughs"). It streams unit by unit
(iterparse), so a TMX of any size that the toolkit writes can be read back.

Inline codes of other tools (``<bpt> <ept> <ph> <it> <hi>``) are kept as the segment's markup
and written back exactly; the record's text is the segment without the codes' native content.
A gettext msgctxt is a ``<prop type="x-context">``; a unit a reviewer confirmed or edited
(``aligner review``) has ``<prop type="x-status">confirmed</prop>`` (or ``edited``).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import lxml.etree

from aligner.dates import creation_time, format_utc
from aligner.errors import AlignerError, warn
from aligner.formats.base import (
    CONTEXT,
    INLINE_CODES,
    LONG_SEGMENT,
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
    refuse_entity_declarations,
    report_losses,
    selected,
    stated_language,
    stem_of,
    whole_number,
)
from aligner.languages import normalize_tag, same_language
from aligner.model import LOW_CONFIDENCE, REVIEWED, Corpus, Record
from aligner.version import __version__
from aligner.xmltext import clean

# An XML parser reads a raw CR as LF: written as a character reference, it reads back as CR.
_KEEP_CR = {"\r": "&#13;"}

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SIGNATURE_PROP = "x-aligner-signature"
CONTEXT_PROP = "x-context"
STATUS_PROP = "x-status"
"""A unit a reviewer confirmed (``confirmed``) or made (``edited``) in ``aligner review``."""
# Inline codes of other tools' TMX (<bpt>, <ph>, …) hold native markup, not text; <hi> holds text.
_TEXT_MARKUP = frozenset({"hi"})


class Tmx(Format):
    name = "tmx"
    summary = "TMX 1.4b translation memory, for CAT tools (OmegaT, Trados, memoQ)"
    suffixes = (".tmx",)
    merged = True
    keeps = frozenset({INLINE_CODES, CONTEXT, REVIEW_STATUS})

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """The corpus as a TMX 1.4b document, UTF-8 without BOM."""
        (stream,) = streams
        header = {
            "creationtool": "aligner",
            "creationtoolversion": __version__,
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en-US",
            "srclang": options.source.tag,
            "o-tmf": "aligner",
        }
        if corpus.created is not None:
            header["creationdate"] = format_utc(corpus.created, _DATE_FORMAT)
        attributes = " ".join(f"{k}={quoteattr(v)}" for k, v in header.items())
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE tmx SYSTEM "tmx14.dtd">', '<tmx version="1.4">']
        if corpus.signature:
            lines += [
                f"  <header {attributes}>",
                f"    <prop type={quoteattr(SIGNATURE_PROP)}>{escape(corpus.signature)}</prop>",
                "  </header>",
            ]
        else:
            lines.append(f"  <header {attributes}/>")
        lines.append("  <body>")
        _emit(stream, lines)
        losses: Counter[str] = Counter()
        for record in kept(selected(corpus.records, options), self, losses):
            _emit(stream, _unit(record, options))
        stream.write(b"  </body>\n</tmx>\n")
        report_losses(corpus, self, losses)

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The units of a TMX: the ``srclang`` variant is the source, the first other one the target.

        A unit without a variant in the source language, or with fewer than two variants, is
        left out and counted in a warning. What the defensive reading refuses, and anything
        that is not TMX, is an AlignerError.
        """
        file = only_file(files, self.name)
        name = file.name
        refuse_entity_declarations(file.data, name)
        corpus_name = stem_of(name)
        parser_options = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
        events = lxml.etree.iterparse(io.BytesIO(file.data), events=("start", "end"), **parser_options)
        header: lxml.etree._Element | None = None
        source_tag = ""
        target_tag = None
        records = []
        skipped: Counter[str] = Counter()
        position = 0
        try:
            for event, element in events:
                if event == "start":
                    if element.getparent() is None and element.tag != "tmx":
                        raise AlignerError(f"{name}: not a TMX file (no <tmx> root with a <header>)")
                    continue
                if element.tag == "header" and header is None:
                    header = element
                    source_tag = header.get("srclang") or ""
                    continue
                if element.tag != "tu":
                    continue
                if header is None:
                    raise AlignerError(f"{name}: not a TMX file (no <tmx> root with a <header>)")
                position += 1
                _refuse_entities(element, name)
                record = _tu_record(element, source_tag, corpus_name, position, name, skipped)
                if record is not None:
                    records.append(record[0])
                    target_tag = target_tag or record[1]
                # Streaming: a unit read is a unit forgotten.
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
        except lxml.etree.XMLSyntaxError as error:
            raise AlignerError(f"{name}: not well-formed XML ({error})") from None
        if header is None:
            raise AlignerError(f"{name}: not a TMX file (no <tmx> root with a <header>)")
        if skipped["language"]:
            warn(f"{name}: {skipped['language']} unit(s) have no variant in the source language {source_tag} "
                 "of the header, and were left out")
        if skipped["single"]:
            warn(f"{name}: {skipped['single']} unit(s) have fewer than two language variants, and were left out")
        signatures = [prop.text or "" for prop in header.findall("prop") if prop.get("type") == SIGNATURE_PROP]
        return Corpus(
            name=corpus_name,
            records=tuple(records),
            source_language=stated_language(source_tag if source_tag != "*all*" else None, name),
            target_language=stated_language(target_tag, name),
            created=parse_utc(header.get("creationdate"), _DATE_FORMAT) or creation_time(()),
            signature=signatures[0] if signatures else None,
        )


FORMAT = Tmx()


def _emit(stream: IO[bytes], lines: list[str]) -> None:
    stream.write("".join(line + "\n" for line in lines).encode("utf-8"))


def _tu_record(
    tu: lxml.etree._Element, source_tag: str, corpus_name: str, position: int, name: str, skipped: Counter[str]
) -> tuple[Record, str] | None:
    """The record of one ``<tu>`` and its target's language tag; None (counted) when it has no pair."""
    variants = [(tuv.get(_XML_LANG) or tuv.get("lang") or "", tuv.find("seg")) for tuv in tu.findall("tuv")]
    if len(variants) < 2:
        skipped["single"] += 1
        return None
    # srclang="*all*" means any variant may be the source: take the first.
    index = 0 if source_tag == "*all*" else _find_language([tag for tag, _ in variants], source_tag)
    if index is None:
        skipped["language"] += 1
        return None
    target_tag, target = next(variant for i, variant in enumerate(variants) if i != index)
    return _record(tu, variants[index][1], target, corpus_name, position, name), target_tag


def _refuse_entities(element: lxml.etree._Element, name: str) -> None:
    used = [str(getattr(node, "name", "")) for node in element.iter(lxml.etree.Entity)]
    if used:
        raise AlignerError(
            f"{name}: the file uses XML entities ({', '.join(dict.fromkeys(used))}); "
            "they are never expanded, so it is refused"
        )


def _unit(record: Record, options: ExportOptions) -> list[str]:
    tuid = clean(record.uid, f"{record.uid} tuid")
    lines = [f"    <tu tuid={quoteattr(tuid)}>"]
    if record.confidence is not None and record.confidence < LOW_CONFIDENCE:
        lines.append(f"      <note>low alignment confidence: {record.confidence:.2f}</note>")
    for name, value in _props(record):
        value = clean(value, f"{record.uid} {name}")
        if not value:
            continue  # an empty prop reads back as no prop
        lines.append(f"      <prop type={quoteattr(name)}>{escape(value, _KEEP_CR)}</prop>")
    for side, tag, text, markup in (
        ("source", options.source.tag, record.source, record.source_markup),
        ("target", options.target.tag, record.target, record.target_markup),
    ):
        segment = clean(text, f"{record.uid} {side}")
        if len(segment) > LONG_SEGMENT:
            warn(f"{record.uid} {side}: the segment has {len(segment):,} characters; Trados accepts at most {LONG_SEGMENT:,}")
        # Markup read from a TMX is well-formed XML already: written back as it came.
        content = markup if markup is not None else escape(segment, _KEEP_CR)
        lines.append(f"      <tuv xml:lang={quoteattr(tag)}><seg>{content}</seg></tuv>")
    lines.append("    </tu>")
    return lines


def _props(record: Record) -> list[tuple[str, str]]:
    props = [("x-document", record.document)]
    if record.source_paragraph is not None:
        props.append(("x-paragraph", str(record.source_paragraph)))
    if record.bead:
        props.append(("x-bead", record.bead))
    if record.confidence is not None:
        props.append(("x-confidence", format_confidence(record.confidence)))
    if record.speaker:
        props.append(("x-speaker", record.speaker))
    if record.status:
        props.append((STATUS_PROP, record.status))
    if record.context:
        props.append((CONTEXT_PROP, record.context))
    return props


def _find_language(variant_tags: list[str], tag: str) -> int | None:
    """The variant in language ``tag``: the same tag, else the same primary language."""
    def normal(text: str) -> str:
        try:
            return normalize_tag(text).lower()
        except AlignerError:
            return text.lower()

    wanted = normal(tag)
    tags = [normal(variant_tag) for variant_tag in variant_tags]
    if wanted in tags:
        return tags.index(wanted)
    return next((k for k, variant_tag in enumerate(tags) if same_language(variant_tag, wanted)), None)


def _record(
    tu: lxml.etree._Element,
    source: lxml.etree._Element | None,
    target: lxml.etree._Element | None,
    corpus_name: str,
    position: int,
    name: str,
) -> Record:
    props = {prop.get("type"): prop.text or "" for prop in tu.findall("prop")}
    document = props.get("x-document") or corpus_name
    tuid = tu.get("tuid") or ""
    where = f"{name}: unit {position}"
    number = tuid[len(document) + 1 :] if tuid.startswith(f"{document}-") else ""
    # Another tool's prop of the same name may hold something else: then it is not ours, and ignored.
    paragraph = props.get("x-paragraph") or ""
    source_text, source_markup = _segment(source)
    target_text, target_markup = _segment(target)
    return Record(
        source=source_text,
        target=target_text,
        document=document,
        unit=whole_number(number, where, "tuid number") if is_whole_number(number) else position,
        bead=props.get("x-bead") or None,
        confidence=_float(props.get("x-confidence")),
        source_paragraph=whole_number(paragraph, where, "x-paragraph") if is_whole_number(paragraph) else None,
        speaker=props.get("x-speaker") or None,
        source_markup=source_markup,
        target_markup=target_markup,
        context=props.get(CONTEXT_PROP) or None,
        status=props.get(STATUS_PROP) if props.get(STATUS_PROP) in REVIEWED else None,
    )


def _float(text: str | None) -> float | None:
    """A confidence of ours, or None: another tool's prop may hold anything (NaN included)."""
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 1 else None


def _segment(seg: lxml.etree._Element | None) -> tuple[str, str | None]:
    """The text of a ``<seg>`` and, when it has inline codes, its inner XML as it was."""
    if seg is None:
        return "", None
    text = inline_text(seg, _TEXT_MARKUP)
    if len(seg) == 0:
        return text, None
    markup = escape(seg.text or "") + "".join(
        lxml.etree.tostring(child, encoding="unicode", with_tail=True) for child in seg
    )
    return text, markup
