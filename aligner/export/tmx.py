"""TMX 1.4b: one translation unit per bead with text on both sides.

Written by hand rather than by a serializer so that nothing is ever indented inside ``<seg>``
(white space there is part of the segment for CAT tools). Beads with an empty side are left
out: a CAT tool cannot use them.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import lxml.etree

from aligner import __version__
from aligner.errors import AlignerError
from aligner.export.common import LOW_CONFIDENCE, ExportOptions, TextPair, creation_time, xml_safe
from aligner.model import Alignment

SUFFIX = ".tmx"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def write(alignment: Alignment, options: ExportOptions) -> bytes:
    """The alignment as a TMX 1.4b document, UTF-8 without BOM."""
    created = creation_time(alignment)
    header = {
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en-US",
        "srclang": options.source_code,
        "o-tmf": "aligner",
    }
    if created is not None:
        header["creationdate"] = created.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        '<tmx version="1.4">',
        "  <header " + " ".join(f"{k}={quoteattr(v)}" for k, v in header.items()) + "/>",
        "  <body>",
    ]
    document = alignment.source.name
    for unit in alignment.units():
        if not unit.bead.is_pair:
            continue
        lines.append(f"    <tu tuid={quoteattr(f'{document}-{unit.number}')}>")
        if unit.bead.confidence < LOW_CONFIDENCE:
            lines.append(f"      <note>low alignment confidence: {unit.bead.confidence:.2f}</note>")
        props = {
            "x-document": document,
            "x-paragraph": str(unit.source_paragraph),
            "x-bead": unit.bead.kind,
            "x-confidence": f"{unit.bead.confidence:.4f}",
        }
        if unit.speaker:
            props["x-speaker"] = unit.speaker
        for name, value in props.items():
            lines.append(f"      <prop type={quoteattr(name)}>{escape(xml_safe(value))}</prop>")
        for code, text in ((options.source_code, unit.source_text), (options.target_code, unit.target_text)):
            lines.append(f"      <tuv xml:lang={quoteattr(code)}><seg>{escape(xml_safe(text))}</seg></tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")


def read(data: bytes, name: str = "TMX") -> list[TextPair]:
    """The (source, target) texts of every unit; entities are never expanded, nothing is fetched."""
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        raise AlignerError(f"{name}: not well-formed XML ({error})") from None
    header = root.find("header")
    if root.tag != "tmx" or header is None:
        raise AlignerError(f"{name}: not a TMX file (no <tmx> root with a <header>)")
    source_code = (header.get("srclang") or "").lower()
    pairs = []
    for tu in root.iter("tu"):
        texts = {
            (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower(): _segment_text(tuv)
            for tuv in tu.findall("tuv")
        }
        if source_code not in texts or len(texts) < 2:
            continue
        target = next(text for code, text in texts.items() if code != source_code)
        pairs.append(TextPair(texts[source_code], target))
    return pairs


def _segment_text(tuv: lxml.etree._Element) -> str:
    seg = tuv.find("seg")
    return "".join(seg.itertext()) if seg is not None else ""
