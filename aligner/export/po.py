"""Gettext PO: msgid is the source sentence, msgstr its translation.

A source sentence without a translation (a 1-0 bead) is an untranslated entry, as in any PO
file; a target sentence without a source (0-1) cannot be an entry (an empty msgid is the
header) and is left out. A source text that occurs twice gets a msgctxt, since duplicate
msgids are fatal to msgfmt.
"""

from __future__ import annotations

from collections import Counter

import polib

from aligner import __version__
from aligner.errors import AlignerError
from aligner.export.common import LOW_CONFIDENCE, ExportOptions, TextPair, creation_time, xml_safe
from aligner.languages import get_language
from aligner.model import Alignment

SUFFIX = ".po"


def write(alignment: Alignment, options: ExportOptions) -> bytes:
    """The alignment as a PO file, UTF-8 without BOM."""
    document = alignment.source.name
    created = creation_time(alignment)
    catalog = polib.POFile(wrapwidth=78)
    catalog.header = f"Sentence pairs of {document} ({options.source_code} → {options.target_code}), aligned by aligner."
    catalog.metadata = {
        "Project-Id-Version": document,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created.strftime("%Y-%m-%d %H:%M+0000") if created else "",
        "PO-Revision-Date": created.strftime("%Y-%m-%d %H:%M+0000") if created else "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": options.target_code.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"aligner {__version__}",
    }
    plural_forms = get_language(options.target_code).plural_forms
    if plural_forms:
        catalog.metadata["Plural-Forms"] = plural_forms
    units = [u for u in alignment.units() if u.source_text]
    repeats = Counter(xml_safe(u.source_text) for u in units)
    for unit in units:
        source = xml_safe(unit.source_text)
        entry = polib.POEntry(
            msgid=source,
            msgstr=xml_safe(unit.target_text),
            msgctxt=f"{document}-{unit.number}" if repeats[source] > 1 else None,
            occurrences=[(document, str(unit.number))],
            comment=f"bead {unit.bead.kind}, confidence {unit.bead.confidence:.4f}",
        )
        if unit.target_text and unit.bead.confidence < LOW_CONFIDENCE:
            entry.flags.append("fuzzy")
        catalog.append(entry)
    return str(catalog).encode("utf-8") + b"\n"


def read(data: bytes, name: str = "PO") -> list[TextPair]:
    """The (msgid, msgstr) pairs of every entry but the header."""
    try:
        catalog = polib.pofile(data.decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise AlignerError(f"{name}: not a readable PO file ({error})") from None
    return [TextPair(entry.msgid, entry.msgstr) for entry in catalog if not entry.obsolete]
