"""TMX 1.4b: one translation unit per aligned pair, for CAT tools (OmegaT, Trados, memoQ).

Written by hand rather than by a serializer so that nothing is ever indented inside ``<seg>``
(white space there is part of the segment for CAT tools). Units with an empty side are left
out unless asked for: a CAT tool cannot use them.

Reading is defensive, since a TMX may come from anywhere: the size is capped, no DTD or
network resource is loaded, and a file that declares or uses entities is refused rather than
expanded (external entities would leak local files; nested ones are "billion laughs").
"""

from __future__ import annotations

from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

import lxml.etree

from aligner import __version__
from aligner.errors import AlignerError
from aligner.export.common import (
    LONG_SEGMENT,
    LOW_CONFIDENCE,
    Corpus,
    ExportOptions,
    Record,
    check_size,
    clean,
    creation_time,
    format_confidence,
    selected,
    stem_of,
    warn,
)

SUFFIX = ".tmx"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
# Inline codes of other tools' TMX (<bpt>, <ph>, …) hold native markup, not text; <hi> holds text.
_TEXT_MARKUP = "hi"


def write(corpus: Corpus, options: ExportOptions) -> bytes:
    """The corpus as a TMX 1.4b document, UTF-8 without BOM."""
    header = {
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en-US",
        "srclang": options.source_code,
        "o-tmf": "aligner",
    }
    if corpus.created is not None:
        header["creationdate"] = corpus.created.astimezone(timezone.utc).strftime(_DATE_FORMAT)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        '<tmx version="1.4">',
        "  <header " + " ".join(f"{k}={quoteattr(v)}" for k, v in header.items()) + "/>",
        "  <body>",
    ]
    for record in selected(corpus.records, options):
        tuid = clean(record.uid, f"{record.uid} tuid")
        lines.append(f"    <tu tuid={quoteattr(tuid)}>")
        if record.confidence is not None and record.confidence < LOW_CONFIDENCE:
            lines.append(f"      <note>low alignment confidence: {record.confidence:.2f}</note>")
        for name, value in _props(record):
            value = clean(value, f"{record.uid} {name}")
            lines.append(f"      <prop type={quoteattr(name)}>{escape(value)}</prop>")
        for side, code, text in (
            ("source", options.source_code, record.source),
            ("target", options.target_code, record.target),
        ):
            segment = clean(text, f"{record.uid} {side}")
            if len(segment) > LONG_SEGMENT:
                warn(
                    f"{record.uid} {side}: the segment has {len(segment):,} characters; "
                    f"Trados accepts at most {LONG_SEGMENT:,}"
                )
            lines.append(f"      <tuv xml:lang={quoteattr(code)}><seg>{escape(segment)}</seg></tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")


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


def read(data: bytes, name: str = "TMX") -> Corpus:
    """The units of a TMX: the ``srclang`` variant is the source, the first other one the target.

    A unit without a variant in each language is skipped. Refused with an AlignerError: a file
    over the size limit, a text node over 10 MB, any entity declaration or reference, and
    anything that is not well-formed TMX.
    """
    check_size(data, name)
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        raise AlignerError(f"{name}: not well-formed XML ({error})") from None
    _refuse_entities(root, name)
    header = root.find("header")
    if root.tag != "tmx" or header is None:
        raise AlignerError(f"{name}: not a TMX file (no <tmx> root with a <header>)")
    source_code = header.get("srclang") or ""
    corpus_name = stem_of(name)
    target_code = None
    records = []
    for position, tu in enumerate(root.iter("tu"), start=1):
        variants = [(tuv.get(_XML_LANG) or tuv.get("lang") or "", _segment_text(tuv)) for tuv in tu.findall("tuv")]
        if len(variants) < 2:
            continue
        # srclang="*all*" means any variant may be the source: take the first.
        index = 0 if source_code == "*all*" else _find_language(variants, source_code)
        if index is None:
            continue
        target = next(variant for i, variant in enumerate(variants) if i != index)
        target_code = target_code or target[0]
        records.append(_record(tu, variants[index][1], target[1], corpus_name, position))
    return Corpus(
        name=corpus_name,
        records=tuple(records),
        source_code=source_code if source_code and source_code != "*all*" else None,
        target_code=target_code,
        created=_parse_date(header.get("creationdate")) or creation_time(()),
    )


def _refuse_entities(root: lxml.etree._Element, name: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    used = [node.name for node in root.iter(lxml.etree.Entity)]
    if declared or used:
        names = ", ".join(dict.fromkeys(declared + used))
        raise AlignerError(
            f"{name}: the file declares or uses XML entities ({names}); they are never expanded, so it is refused"
        )


def _find_language(variants: list[tuple[str, str]], code: str) -> int | None:
    """The variant in language ``code``: the same tag, else the same primary language."""
    wanted = code.replace("_", "-").lower()
    tags = [tag.replace("_", "-").lower() for tag, _ in variants]
    if wanted in tags:
        return tags.index(wanted)
    primaries = [tag.split("-")[0] for tag in tags]
    primary = wanted.split("-")[0]
    return primaries.index(primary) if primary and primary in primaries else None


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
    return _text_of(seg) if seg is not None else ""


def _text_of(element: lxml.etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == _TEXT_MARKUP:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, _DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
