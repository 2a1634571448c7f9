"""TMX 1.4b: one translation unit per aligned pair, for CAT tools (OmegaT, Trados, memoQ).

Written by hand rather than by a serializer so that nothing is ever indented inside ``<seg>``
(white space there is part of the segment for CAT tools). Units with an empty side are left
out unless asked for: a CAT tool cannot use them. The header carries the settings signature
as ``<prop type="x-aligner-signature">``.

Reading is defensive, since a TMX may come from anywhere: the size is capped, no DTD or
network resource is loaded, and a file that declares or uses entities is refused rather than
expanded (external entities would leak local files; nested ones are "billion laughs").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timezone
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import lxml.etree

from aligner.dates import creation_time
from aligner.errors import AlignerError, warn
from aligner.formats.base import (
    LONG_SEGMENT,
    ExportOptions,
    Format,
    InputFile,
    format_confidence,
    inline_text,
    only_file,
    parse_utc,
    read_xml,
    selected,
    stated_language,
    stem_of,
)
from aligner.languages import normalize_tag, same_language
from aligner.model import LOW_CONFIDENCE, Corpus, Record
from aligner.version import __version__
from aligner.xmltext import clean

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SIGNATURE_PROP = "x-aligner-signature"
# Inline codes of other tools' TMX (<bpt>, <ph>, …) hold native markup, not text; <hi> holds text.
_TEXT_MARKUP = frozenset({"hi"})


class Tmx(Format):
    name = "tmx"
    summary = "TMX 1.4b translation memory, for CAT tools (OmegaT, Trados, memoQ)"
    suffixes = (".tmx",)
    merged = True

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
            header["creationdate"] = corpus.created.astimezone(timezone.utc).strftime(_DATE_FORMAT)
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
        for record in selected(corpus.records, options):
            _emit(stream, _unit(record, options))
        stream.write(b"  </body>\n</tmx>\n")

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The units of a TMX: the ``srclang`` variant is the source, the first other one the target.

        A unit without a variant in each language is skipped. What :func:`read_xml` refuses,
        and anything that is not TMX, is an AlignerError.
        """
        file = only_file(files, self.name)
        name = file.name
        root = read_xml(file.data, name)
        header = root.find("header")
        if root.tag != "tmx" or header is None:
            raise AlignerError(f"{name}: not a TMX file (no <tmx> root with a <header>)")
        source_tag = header.get("srclang") or ""
        corpus_name = stem_of(name)
        target_tag = None
        records = []
        for position, tu in enumerate(root.iter("tu"), start=1):
            variants = [(tuv.get(_XML_LANG) or tuv.get("lang") or "", _segment_text(tuv)) for tuv in tu.findall("tuv")]
            if len(variants) < 2:
                continue
            # srclang="*all*" means any variant may be the source: take the first.
            index = 0 if source_tag == "*all*" else _find_language(variants, source_tag)
            if index is None:
                continue
            target = next(variant for i, variant in enumerate(variants) if i != index)
            target_tag = target_tag or target[0]
            records.append(_record(tu, variants[index][1], target[1], corpus_name, position))
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


def _unit(record: Record, options: ExportOptions) -> list[str]:
    tuid = clean(record.uid, f"{record.uid} tuid")
    lines = [f"    <tu tuid={quoteattr(tuid)}>"]
    if record.confidence is not None and record.confidence < LOW_CONFIDENCE:
        lines.append(f"      <note>low alignment confidence: {record.confidence:.2f}</note>")
    for name, value in _props(record):
        value = clean(value, f"{record.uid} {name}")
        lines.append(f"      <prop type={quoteattr(name)}>{escape(value)}</prop>")
    for side, tag, text in (
        ("source", options.source.tag, record.source),
        ("target", options.target.tag, record.target),
    ):
        segment = clean(text, f"{record.uid} {side}")
        if len(segment) > LONG_SEGMENT:
            warn(f"{record.uid} {side}: the segment has {len(segment):,} characters; Trados accepts at most {LONG_SEGMENT:,}")
        lines.append(f"      <tuv xml:lang={quoteattr(tag)}><seg>{escape(segment)}</seg></tuv>")
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
    return props


def _find_language(variants: list[tuple[str, str]], tag: str) -> int | None:
    """The variant in language ``tag``: the same tag, else the same primary language."""
    def normal(text: str) -> str:
        try:
            return normalize_tag(text).lower()
        except AlignerError:
            return text.lower()

    wanted = normal(tag)
    tags = [normal(variant_tag) for variant_tag, _ in variants]
    if wanted in tags:
        return tags.index(wanted)
    return next((k for k, variant_tag in enumerate(tags) if same_language(variant_tag, wanted)), None)


def _record(tu: lxml.etree._Element, source: str, target: str, corpus_name: str, position: int) -> Record:
    props = {prop.get("type"): prop.text or "" for prop in tu.findall("prop")}
    document = props.get("x-document") or corpus_name
    tuid = tu.get("tuid") or ""
    number = tuid[len(document) + 1 :] if tuid.startswith(f"{document}-") else ""
    # Another tool's prop of the same name may hold something else: then it is not ours, and ignored.
    paragraph = props.get("x-paragraph") or ""
    return Record(
        source=source,
        target=target,
        document=document,
        unit=int(number) if number.isdigit() else position,
        bead=props.get("x-bead") or None,
        confidence=_float(props.get("x-confidence")),
        source_paragraph=int(paragraph) if paragraph.isdigit() else None,
        speaker=props.get("x-speaker") or None,
    )


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _segment_text(tuv: lxml.etree._Element) -> str:
    seg = tuv.find("seg")
    return inline_text(seg, _TEXT_MARKUP) if seg is not None else ""
