"""Exporters (TMX, PO, CSV): well-formed files that independent readers accept.

Expectations come from the inputs (the documents' sentences and the beads), never from a
stored copy of an earlier output. External checkers (xmllint, msgfmt, translate-toolkit,
polib, Python's csv and gettext modules) stand in for the tools users feed these files to.
"""

from __future__ import annotations

import csv as stdlib_csv
import dataclasses
import gettext
import io
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import lxml.etree
import polib
import pytest

from aligner.align import align_documents
from aligner.export import FORMATS, ExportOptions
from aligner.export import csv as csv_export
from aligner.export import po as po_export
from aligner.export import tmx as tmx_export
from aligner.model import Alignment, Bead, Document, Paragraph, Sentence
from aligner.pipeline import align_files

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "sources"
STEM = "lavrov-tass-2020-12-30"
OPTIONS = ExportOptions(source_code="en-GB", target_code="ru-RU")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

needs_xmllint = pytest.mark.skipif(
    shutil.which("xmllint") is None, reason="xmllint not installed (apt-get install libxml2-utils)"
)
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt not installed (apt-get install gettext)")


# --------------------------------------------------------------------------- helpers


def expected_texts(alignment: Alignment, bead: Bead) -> tuple[str, str]:
    """The joined sentence texts of one bead, computed from the documents, not from units()."""
    source = [s.text for p in alignment.source.paragraphs for s in p.sentences]
    target = [s.text for p in alignment.target.paragraphs for s in p.sentences]
    return " ".join(source[i] for i in bead.source), " ".join(target[i] for i in bead.target)


def hand_document(language: str, paragraphs: list[list[str]], **fields) -> Document:
    """A segmented Document built by hand from lists of sentences."""
    built = []
    for sentences in paragraphs:
        refs, offset = [], 0
        for text in sentences:
            refs.append(Sentence(text, offset, offset + len(text)))
            offset += len(text) + 1
        built.append(Paragraph(text=" ".join(sentences), sentences=tuple(refs)))
    return Document(language=language, paragraphs=tuple(built), **fields)


def with_gaps(alignment: Alignment) -> tuple[Alignment, Bead, Bead]:
    """The alignment with its first 1-1 bead split into a 1-0 and a 0-1 bead."""
    beads = list(alignment.beads)
    index = next(i for i, b in enumerate(beads) if b.kind == "1-1")
    one_one = beads[index]
    deletion = Bead(one_one.source, (), one_one.confidence)
    insertion = Bead((), one_one.target, one_one.confidence)
    beads[index : index + 1] = [deletion, insertion]
    return dataclasses.replace(alignment, beads=tuple(beads)), deletion, insertion


def without_dates(alignment: Alignment) -> Alignment:
    return dataclasses.replace(
        alignment,
        source=dataclasses.replace(alignment.source, date=None),
        target=dataclasses.replace(alignment.target, date=None),
    )


def parse_xml(data: bytes) -> lxml.etree._Element:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return lxml.etree.fromstring(data, parser)


def tmx_pairs(data: bytes) -> list[tuple[str, str]]:
    root = parse_xml(data)
    return [
        tuple("".join(tuv.find("seg").itertext()) for tuv in tu.findall("tuv"))  # type: ignore[misc]
        for tu in root.iter("tu")
    ]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(stdlib_csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def alignment() -> Alignment:
    return align_files(
        SOURCES / "en" / f"{STEM}.txt", SOURCES / "ru" / f"{STEM}.txt", "en", "ru"
    )


@pytest.fixture(scope="module")
def gapped(alignment: Alignment) -> tuple[Alignment, Bead, Bead]:
    return with_gaps(alignment)


@pytest.fixture(scope="module")
def tmx_file(alignment: Alignment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmx") / f"{STEM}.tmx"
    path.write_bytes(tmx_export.write(alignment, OPTIONS))
    return path


@pytest.fixture(scope="module")
def po_file(alignment: Alignment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("po") / f"{STEM}.po"
    path.write_bytes(po_export.write(alignment, OPTIONS))
    return path


@pytest.fixture(scope="module")
def duplicate_alignment() -> Alignment:
    """The same English sentence twice, translated differently each time."""
    source = hand_document(
        "en",
        [
            ["Thank you.", "We discussed the economy of the region in great detail."],
            ["Thank you.", "The meeting ended at noon on Tuesday."],
        ],
        source="thanks.txt",
    )
    target = hand_document(
        "ru",
        [
            ["Спасибо.", "Мы очень подробно обсудили экономику региона."],
            ["Благодарю вас.", "Встреча закончилась во вторник в полдень."],
        ],
    )
    return align_documents(source, target)


def test_bundled_alignment_has_pairs(alignment: Alignment) -> None:
    """Guard for the tests below: they are only meaningful with many pair beads."""
    assert sum(b.is_pair for b in alignment.beads) >= 20


# --------------------------------------------------------------------------- TMX


def test_tmx_root_and_header(tmx_file: Path) -> None:
    root = parse_xml(tmx_file.read_bytes())
    assert root.tag == "tmx"
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    for attribute in (
        "creationtool",
        "creationtoolversion",
        "datatype",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
    ):
        assert header.get(attribute), f"header lacks {attribute}"
    assert header.get("segtype") == "sentence"
    assert header.get("srclang") == OPTIONS.source_code
    assert root.find("body") is not None


def test_tmx_units_have_two_variants_and_srclang_first(tmx_file: Path) -> None:
    root = parse_xml(tmx_file.read_bytes())
    srclang = root.find("header").get("srclang")
    units = list(root.iter("tu"))
    assert units
    for tu in units:
        variants = tu.findall("tuv")
        assert len(variants) == 2
        assert variants[0].get(XML_LANG) == srclang
        assert variants[1].get(XML_LANG) == OPTIONS.target_code
        for tuv in variants:
            assert tuv.find("seg") is not None


def test_tmx_encoding_and_no_bom(tmx_file: Path) -> None:
    data = tmx_file.read_bytes()
    assert data.startswith(b"<?xml")
    data.decode("utf-8")  # strict: every byte is UTF-8
    tree = lxml.etree.parse(str(tmx_file), lxml.etree.XMLParser(no_network=True, load_dtd=False))
    assert tree.docinfo.encoding.upper() == "UTF-8"


@needs_xmllint
def test_tmx_xmllint_accepts(tmx_file: Path) -> None:
    result = run_tool("xmllint", "--noout", str(tmx_file))
    assert result.returncode == 0, result.stderr


def test_tmx_translate_toolkit_loads_every_pair(tmx_file: Path, alignment: Alignment) -> None:
    from translate.storage import tmx as tt_tmx

    with open(tmx_file, "rb") as stream:
        store = tt_tmx.tmxfile(stream)
    units = [u for u in store.units if not u.isheader()]
    pair_beads = [b for b in alignment.beads if b.is_pair]
    assert len(units) == len(pair_beads)
    for unit, bead in zip(units, pair_beads):
        assert unit.source.strip() and unit.target.strip()
        assert (unit.source, unit.target) == expected_texts(alignment, bead)


def test_tmx_texts_are_the_joined_sentences(tmx_file: Path, alignment: Alignment) -> None:
    expected = [expected_texts(alignment, b) for b in alignment.beads if b.is_pair]
    assert tmx_pairs(tmx_file.read_bytes()) == expected


def test_tmx_leaves_out_beads_with_an_empty_side(gapped: tuple[Alignment, Bead, Bead]) -> None:
    alignment, deletion, insertion = gapped
    data = tmx_export.write(alignment, OPTIONS)
    pairs = tmx_pairs(data)
    deleted_source, _ = expected_texts(alignment, deletion)
    _, inserted_target = expected_texts(alignment, insertion)
    assert len(pairs) == sum(b.is_pair for b in alignment.beads) == len(alignment.beads) - 2
    assert all(source and target for source, target in pairs)
    assert deleted_source not in [s for s, _ in pairs]
    assert inserted_target not in [t for _, t in pairs]


def test_tmx_marks_low_confidence(alignment: Alignment) -> None:
    beads = list(alignment.beads)
    index = next(i for i, b in enumerate(beads) if b.is_pair)
    beads[index] = dataclasses.replace(beads[index], confidence=0.1)
    weak = dataclasses.replace(alignment, beads=tuple(beads))
    root = parse_xml(tmx_export.write(weak, OPTIONS))
    notes = [tu.find("note") for tu in root.iter("tu")]
    assert notes[0] is not None and notes[0].text
    assert sum(n is not None for n in notes) == sum(b.is_pair and b.confidence < 0.5 for b in beads)


# --------------------------------------------------------------------------- XML-illegal characters

ILLEGAL = {"vertical-tab": "\x0b", "nul": "\x00", "lone-surrogate": "\ud800"}
_ILLEGAL_SET = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def illegal_alignment(char: str) -> Alignment:
    source = hand_document(
        "en",
        [[f"Alpha{char}beta gamma delta.", "The second sentence is plain."]],
        source="illegal.txt",
    )
    target = hand_document("ru", [[f"Альфа{char}бета гамма дельта.", "Второе предложение простое."]])
    return align_documents(source, target)


@pytest.mark.parametrize("char", ILLEGAL.values(), ids=ILLEGAL.keys())
def test_illegal_character_tmx_is_well_formed(char: str, tmp_path: Path) -> None:
    alignment = illegal_alignment(char)
    data = tmx_export.write(alignment, OPTIONS)
    pairs = tmx_pairs(data)  # lxml raises on anything XML 1.0 forbids
    assert len(pairs) == sum(b.is_pair for b in alignment.beads)
    texts = " ".join(s + " " + t for s, t in pairs)
    for word in ("Alpha", "beta", "gamma", "Альфа", "бета", "second"):
        assert word in texts
    if shutil.which("xmllint"):
        path = tmp_path / "illegal.tmx"
        path.write_bytes(data)
        assert run_tool("xmllint", "--noout", str(path)).returncode == 0


@needs_msgfmt
@pytest.mark.parametrize("char", ILLEGAL.values(), ids=ILLEGAL.keys())
def test_illegal_character_po_passes_msgfmt(char: str, tmp_path: Path) -> None:
    alignment = illegal_alignment(char)
    path = tmp_path / "illegal.po"
    path.write_bytes(po_export.write(alignment, OPTIONS))
    result = run_tool("msgfmt", "--check", "-o", str(tmp_path / "illegal.mo"), str(path))
    assert result.returncode == 0, result.stderr
    ids = [e.msgid for e in polib.pofile(str(path)) if e.msgid]
    assert any("Alpha" in m and "gamma" in m for m in ids)


@pytest.mark.parametrize("char", ILLEGAL.values(), ids=ILLEGAL.keys())
def test_illegal_character_csv_reads_back(char: str) -> None:
    alignment = illegal_alignment(char)
    data = csv_export.write(alignment, OPTIONS)
    rows = csv_rows(data)
    units = alignment.units()
    assert len(rows) == len(units)
    for row, unit in zip(rows, units):
        # Only characters no file can carry may be dropped (vertical tab and form feed, which
        # are line breaks, become spaces); everything else survives.
        def expected(text: str) -> str:
            return _ILLEGAL_SET.sub("", text.replace("\x0b", " ").replace("\x0c", " "))

        assert row["source"] == expected(unit.source_text)
        assert row["target"] == expected(unit.target_text)
        assert "\x00" not in row["source"] + row["target"]


# --------------------------------------------------------------------------- PO


@needs_msgfmt
def test_po_msgfmt_check(po_file: Path) -> None:
    result = run_tool("msgfmt", "--check", "-o", "/dev/null", str(po_file))
    assert result.returncode == 0, result.stderr


def test_po_header(po_file: Path) -> None:
    data = po_file.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")
    catalog = polib.pofile(str(po_file))
    assert catalog.metadata["Language"] == "ru_RU"
    plural = catalog.metadata["Plural-Forms"]
    assert re.search(r"nplurals\s*=\s*3\s*;", plural)
    assert re.search(r"charset=UTF-8", catalog.metadata["Content-Type"], re.IGNORECASE)


def test_po_plural_rule_is_russian(po_file: Path) -> None:
    """The Plural-Forms expression gives Russian's three forms: 1, 2-4, 5+ (and 11-14 → many)."""
    plural = polib.pofile(str(po_file)).metadata["Plural-Forms"]
    rule = gettext.c2py(re.search(r"plural\s*=\s*(.+?);?\s*$", plural).group(1))
    assert [rule(n) for n in (1, 2, 4, 5, 11, 12, 21, 22, 25, 111)] == [0, 1, 1, 2, 2, 2, 0, 1, 2, 2]


def test_po_entries_are_the_source_sentences(po_file: Path, alignment: Alignment) -> None:
    catalog = polib.pofile(str(po_file))
    entries = [(e.msgid, e.msgstr) for e in catalog if not e.obsolete]
    expected = [expected_texts(alignment, b) for b in alignment.beads if b.source]
    assert entries == expected


def test_po_keeps_untranslated_source_and_drops_target_only(gapped: tuple[Alignment, Bead, Bead], tmp_path: Path) -> None:
    alignment, deletion, insertion = gapped
    path = tmp_path / "gapped.po"
    path.write_bytes(po_export.write(alignment, OPTIONS))
    catalog = polib.pofile(str(path))
    deleted_source, _ = expected_texts(alignment, deletion)
    _, inserted_target = expected_texts(alignment, insertion)
    untranslated = [e for e in catalog if e.msgid == deleted_source]
    assert len(untranslated) == 1 and untranslated[0].msgstr == ""
    assert inserted_target not in [e.msgstr for e in catalog]
    assert len(catalog) == sum(1 for b in alignment.beads if b.source)
    if shutil.which("msgfmt"):
        assert run_tool("msgfmt", "--check", "-o", "/dev/null", str(path)).returncode == 0


def test_po_low_confidence_is_fuzzy(alignment: Alignment) -> None:
    beads = list(alignment.beads)
    index = next(i for i, b in enumerate(beads) if b.is_pair)
    beads[index] = dataclasses.replace(beads[index], confidence=0.1)
    weak = dataclasses.replace(alignment, beads=tuple(beads))
    catalog = polib.pofile(po_export.write(weak, OPTIONS).decode("utf-8"))
    source, _ = expected_texts(weak, beads[index])
    flagged = [e for e in catalog if "fuzzy" in e.flags]
    assert [e.msgid for e in flagged] == [source]


def test_po_repeated_source_gets_distinct_contexts(duplicate_alignment: Alignment, tmp_path: Path) -> None:
    assert [b.kind for b in duplicate_alignment.beads] == ["1-1"] * 4
    path = tmp_path / "thanks.po"
    path.write_bytes(po_export.write(duplicate_alignment, OPTIONS))
    catalog = polib.pofile(str(path))
    repeated = [e for e in catalog if e.msgid == "Thank you."]
    assert sorted(e.msgstr for e in repeated) == sorted(["Спасибо.", "Благодарю вас."])
    assert all(e.msgctxt for e in repeated)
    assert repeated[0].msgctxt != repeated[1].msgctxt


@needs_msgfmt
def test_po_repeated_source_compiles_and_both_translations_resolve(
    duplicate_alignment: Alignment, tmp_path: Path
) -> None:
    path = tmp_path / "thanks.po"
    path.write_bytes(po_export.write(duplicate_alignment, OPTIONS))
    mo = tmp_path / "thanks.mo"
    result = run_tool("msgfmt", "--check", "-o", str(mo), str(path))
    assert result.returncode == 0, result.stderr
    with open(mo, "rb") as stream:
        translations = gettext.GNUTranslations(stream)
    contexts = {e.msgstr: e.msgctxt for e in polib.pofile(str(path)) if e.msgid == "Thank you."}
    for translation, context in contexts.items():
        assert translations.pgettext(context, "Thank you.") == translation
    assert translations.gettext("The meeting ended at noon on Tuesday.") == "Встреча закончилась во вторник в полдень."


# --------------------------------------------------------------------------- CSV


def test_csv_rows_are_the_units_in_order(alignment: Alignment) -> None:
    data = csv_export.write(alignment, OPTIONS)
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert [(r["source"], r["target"]) for r in rows] == [expected_texts(alignment, b) for b in alignment.beads]
    assert [r["bead"] for r in rows] == [b.kind for b in alignment.beads]


def test_csv_keeps_beads_with_an_empty_side(gapped: tuple[Alignment, Bead, Bead]) -> None:
    alignment, deletion, insertion = gapped
    rows = csv_rows(csv_export.write(alignment, OPTIONS))
    pairs = [(r["source"], r["target"]) for r in rows]
    assert pairs == [(u.source_text, u.target_text) for u in alignment.units()]
    deleted_source, _ = expected_texts(alignment, deletion)
    _, inserted_target = expected_texts(alignment, insertion)
    assert (deleted_source, "") in pairs
    assert ("", inserted_target) in pairs
    assert pairs.index((deleted_source, "")) + 1 == pairs.index(("", inserted_target))


def test_csv_quotes_awkward_text() -> None:
    source = hand_document(
        "en", [['He said "yes, no\r\nmaybe"; then left.', "Second, with a comma."]], source="quotes.txt"
    )
    target = hand_document("ru", [["Он сказал «да, нет», потом ушёл.", "Второе, с запятой."]])
    alignment = align_documents(source, target)
    rows = csv_rows(csv_export.write(alignment, OPTIONS))
    assert [(r["source"], r["target"]) for r in rows] == [expected_texts(alignment, b) for b in alignment.beads]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["tmx", "po", "csv"])
def test_read_of_write_gives_the_pairs_written(name: str, gapped: tuple[Alignment, Bead, Bead]) -> None:
    alignment, _, _ = gapped
    module = FORMATS[name]
    keep = {
        "tmx": lambda b: b.is_pair,  # CAT tools cannot use one-sided units
        "po": lambda b: bool(b.source),  # an empty msgid would be the header
        "csv": lambda b: True,  # everything, omissions included
    }[name]
    expected = [expected_texts(alignment, b) for b in alignment.beads if keep(b)]
    pairs = module.read(module.write(alignment, OPTIONS))
    assert [(p.source, p.target) for p in pairs] == expected


# --------------------------------------------------------------------------- determinism and dates


@pytest.mark.parametrize("name", ["tmx", "po", "csv"])
def test_writing_twice_is_byte_identical(name: str, alignment: Alignment) -> None:
    module = FORMATS[name]
    assert module.write(alignment, OPTIONS) == module.write(alignment, OPTIONS)


@pytest.mark.parametrize("name", ["tmx", "po", "csv"])
def test_writing_without_any_date_is_byte_identical(
    name: str, alignment: Alignment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    module = FORMATS[name]
    undated = without_dates(alignment)
    assert module.write(undated, OPTIONS) == module.write(undated, OPTIONS)


def test_source_date_epoch_sets_creation_dates(alignment: Alignment, monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = 1_600_000_000 + 7  # a time with non-zero seconds
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    undated = without_dates(alignment)

    header = parse_xml(tmx_export.write(undated, OPTIONS)).find("header")
    assert header.get("creationdate") == moment.strftime("%Y%m%dT%H%M%SZ")
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))

    catalog = polib.pofile(po_export.write(undated, OPTIONS).decode("utf-8"))
    pot_date = catalog.metadata["POT-Creation-Date"]
    assert pot_date.startswith(moment.strftime("%Y-%m-%d %H:%M"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}", pot_date)


def test_source_date_epoch_changes_the_output(alignment: Alignment, monkeypatch: pytest.MonkeyPatch) -> None:
    undated = without_dates(alignment)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    first = tmx_export.write(undated, OPTIONS), po_export.write(undated, OPTIONS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second = tmx_export.write(undated, OPTIONS), po_export.write(undated, OPTIONS)
    assert first[0] != second[0] and first[1] != second[1]


def test_document_date_wins(alignment: Alignment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    dated = dataclasses.replace(
        alignment,
        source=dataclasses.replace(alignment.source, date="2020-12-30T10:15"),
        target=dataclasses.replace(alignment.target, date=None),
    )
    header = parse_xml(tmx_export.write(dated, OPTIONS)).find("header")
    assert header.get("creationdate") == "20201230T101500Z"
    catalog = polib.pofile(po_export.write(dated, OPTIONS).decode("utf-8"))
    assert catalog.metadata["POT-Creation-Date"].startswith("2020-12-30 10:15")


def test_bundled_document_date_reaches_the_tmx(tmx_file: Path, alignment: Alignment) -> None:
    """The .txt opens with "30 December 2020 10:15"; the TMX is dated from it."""
    first_line = (SOURCES / "en" / f"{STEM}.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("30 December 2020")
    header = parse_xml(tmx_file.read_bytes()).find("header")
    assert header.get("creationdate", "").startswith("20201230T")
