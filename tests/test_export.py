"""Export formats (TMX, PO, CSV, TSV, JSONL, Moses): well-formed files that independent readers
accept, readers that recover what the writers wrote, and conversions that keep every pair.

Expectations come from the inputs (the documents' sentences and the beads), never from a
stored copy of an earlier output. External checkers (xmllint, msgfmt, translate-toolkit, the
TMX DTD that OmegaT ships, polib, Python's csv, json and gettext modules) stand in for the
tools users feed these files to.
"""

from __future__ import annotations

import codecs
import csv as stdlib_csv
import dataclasses
import gettext
import io
import itertools
import json
import logging
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import lxml.etree
import polib
import pytest
from conftest import OPTIONS, SETTINGS, SOURCES, STEM, read_one, write_one

from aligner.align import align_documents
from aligner.convert import convert, load
from aligner.errors import AlignerError
from aligner.formats import ExportOptions, InputFile, get_format
from aligner.formats.table import TABLE_COLUMNS
from aligner.languages import resolve_language
from aligner.model import Alignment, Bead, Corpus, Document, Paragraph, Record, Sentence, corpus_of, merge
from aligner.pipeline import align_files

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

needs_xmllint = pytest.mark.skipif(
    shutil.which("xmllint") is None, reason="xmllint not installed (apt-get install libxml2-utils)"
)
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt not installed (apt-get install gettext)")
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
needs_omegat_dtd = pytest.mark.skipif(
    not OMEGAT_JAR.is_file(), reason=f"{OMEGAT_JAR} missing: the TMX 1.4 DTD is read from it (apt-get install omegat)"
)


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
    return Document(language=resolve_language(language), paragraphs=tuple(built), **fields)


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


def tags(source: str, target: str) -> ExportOptions:
    """Options that label the files with these two tags."""
    return ExportOptions(resolve_language(source, source), resolve_language(target, target))


def render(name: str, corpus: Corpus, options: ExportOptions) -> dict[str, bytes]:
    """The files of one format for ``corpus``: suffix → bytes."""
    fmt = get_format(name)
    return dict(zip(fmt.output_suffixes(options), fmt.write(corpus, options)))


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def alignment() -> Alignment:
    return align_files(SOURCES / "en" / f"{STEM}.txt", SOURCES / "ru" / f"{STEM}.txt", SETTINGS)


@pytest.fixture(scope="module")
def gapped(alignment: Alignment) -> tuple[Alignment, Bead, Bead]:
    return with_gaps(alignment)


@pytest.fixture(scope="module")
def tmx_file(alignment: Alignment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmx") / f"{STEM}.tmx"
    path.write_bytes(write_one("tmx", corpus_of(alignment), OPTIONS))
    return path


@pytest.fixture(scope="module")
def po_file(alignment: Alignment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("po") / f"{STEM}.po"
    path.write_bytes(write_one("po", corpus_of(alignment), OPTIONS))
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
    assert header.get("srclang") == OPTIONS.source.tag
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
        assert variants[1].get(XML_LANG) == OPTIONS.target.tag
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
    data = write_one("tmx", corpus_of(alignment), OPTIONS)
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
    root = parse_xml(write_one("tmx", corpus_of(weak), OPTIONS))
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
    data = write_one("tmx", corpus_of(alignment), OPTIONS)
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
    path.write_bytes(write_one("po", corpus_of(alignment), OPTIONS))
    result = run_tool("msgfmt", "--check", "-o", str(tmp_path / "illegal.mo"), str(path))
    assert result.returncode == 0, result.stderr
    ids = [e.msgid for e in polib.pofile(str(path)) if e.msgid]
    assert any("Alpha" in m and "gamma" in m for m in ids)


@pytest.mark.parametrize("char", ILLEGAL.values(), ids=ILLEGAL.keys())
def test_illegal_character_csv_reads_back(char: str) -> None:
    alignment = illegal_alignment(char)
    data = write_one("csv", corpus_of(alignment), OPTIONS)
    rows = csv_rows(data)
    units = corpus_of(alignment).records
    assert len(rows) == len(units)
    for row, unit in zip(rows, units):
        # Only characters no file can carry may be dropped (vertical tab and form feed, which
        # are line breaks, become spaces); everything else survives.
        def expected(text: str) -> str:
            return _ILLEGAL_SET.sub("", text.replace("\x0b", " ").replace("\x0c", " "))

        assert row["source"] == expected(unit.source)
        assert row["target"] == expected(unit.target)
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
    path.write_bytes(write_one("po", corpus_of(alignment), OPTIONS))
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
    catalog = polib.pofile(write_one("po", corpus_of(weak), OPTIONS).decode("utf-8"))
    source, _ = expected_texts(weak, beads[index])
    flagged = [e for e in catalog if "fuzzy" in e.flags]
    assert [e.msgid for e in flagged] == [source]


def test_po_repeated_source_gets_distinct_contexts(duplicate_alignment: Alignment, tmp_path: Path) -> None:
    assert [b.kind for b in duplicate_alignment.beads] == ["1-1"] * 4
    path = tmp_path / "thanks.po"
    path.write_bytes(write_one("po", corpus_of(duplicate_alignment), OPTIONS))
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
    path.write_bytes(write_one("po", corpus_of(duplicate_alignment), OPTIONS))
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
    data = write_one("csv", corpus_of(alignment), OPTIONS)
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert [(r["source"], r["target"]) for r in rows] == [expected_texts(alignment, b) for b in alignment.beads]
    assert [r["bead"] for r in rows] == [b.kind for b in alignment.beads]


def test_csv_keeps_beads_with_an_empty_side(gapped: tuple[Alignment, Bead, Bead]) -> None:
    alignment, deletion, insertion = gapped
    rows = csv_rows(write_one("csv", corpus_of(alignment), OPTIONS))
    pairs = [(r["source"], r["target"]) for r in rows]
    assert pairs == [(r.source, r.target) for r in corpus_of(alignment).records]
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
    rows = csv_rows(write_one("csv", corpus_of(alignment), OPTIONS))
    assert [(r["source"], r["target"]) for r in rows] == [expected_texts(alignment, b) for b in alignment.beads]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["tmx", "po", "csv"])
def test_read_of_write_gives_the_pairs_written(name: str, gapped: tuple[Alignment, Bead, Bead]) -> None:
    alignment, _, _ = gapped
    keep = {
        "tmx": lambda b: b.is_pair,  # CAT tools cannot use one-sided units
        "po": lambda b: bool(b.source),  # an empty msgid would be the header
        "csv": lambda b: True,  # everything, omissions included
    }[name]
    expected = [expected_texts(alignment, b) for b in alignment.beads if keep(b)]
    pairs = read_one(name, write_one(name, corpus_of(alignment), OPTIONS)).records
    assert [(p.source, p.target) for p in pairs] == expected


# --------------------------------------------------------------------------- determinism and dates


@pytest.mark.parametrize("name", ["tmx", "po", "csv"])
def test_writing_twice_is_byte_identical(name: str, alignment: Alignment) -> None:
    assert write_one(name, corpus_of(alignment), OPTIONS) == write_one(name, corpus_of(alignment), OPTIONS)


@pytest.mark.parametrize("name", ["tmx", "po", "csv"])
def test_writing_without_any_date_is_byte_identical(
    name: str, alignment: Alignment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    undated = without_dates(alignment)
    assert write_one(name, corpus_of(undated), OPTIONS) == write_one(name, corpus_of(undated), OPTIONS)


def test_source_date_epoch_sets_creation_dates(alignment: Alignment, monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = 1_600_000_000 + 7  # a time with non-zero seconds
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    undated = without_dates(alignment)

    header = parse_xml(write_one("tmx", corpus_of(undated), OPTIONS)).find("header")
    assert header.get("creationdate") == moment.strftime("%Y%m%dT%H%M%SZ")
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))

    catalog = polib.pofile(write_one("po", corpus_of(undated), OPTIONS).decode("utf-8"))
    pot_date = catalog.metadata["POT-Creation-Date"]
    assert pot_date.startswith(moment.strftime("%Y-%m-%d %H:%M"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}", pot_date)


def test_source_date_epoch_changes_the_output(alignment: Alignment, monkeypatch: pytest.MonkeyPatch) -> None:
    undated = without_dates(alignment)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    first = write_one("tmx", corpus_of(undated), OPTIONS), write_one("po", corpus_of(undated), OPTIONS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second = write_one("tmx", corpus_of(undated), OPTIONS), write_one("po", corpus_of(undated), OPTIONS)
    assert first[0] != second[0] and first[1] != second[1]


def test_document_date_wins(alignment: Alignment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    dated = dataclasses.replace(
        alignment,
        source=dataclasses.replace(alignment.source, date="2020-12-30T10:15"),
        target=dataclasses.replace(alignment.target, date=None),
    )
    header = parse_xml(write_one("tmx", corpus_of(dated), OPTIONS)).find("header")
    assert header.get("creationdate") == "20201230T101500Z"
    catalog = polib.pofile(write_one("po", corpus_of(dated), OPTIONS).decode("utf-8"))
    assert catalog.metadata["POT-Creation-Date"].startswith("2020-12-30 10:15")


def test_bundled_document_date_reaches_the_tmx(tmx_file: Path, alignment: Alignment) -> None:
    """The .txt opens with "30 December 2020 10:15"; the TMX is dated from it."""
    first_line = (SOURCES / "en" / f"{STEM}.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("30 December 2020")
    header = parse_xml(tmx_file.read_bytes()).find("header")
    assert header.get("creationdate", "").startswith("20201230T")


# =========================================================================== every format
# Writers take records, readers give them back; these tests hold every format to that.

TEXT_FORMATS = ["tmx", "po", "csv", "tsv", "jsonl", "xliff", "moses"]
SUFFIXES = {"tmx": ".tmx", "po": ".po", "csv": ".csv", "tsv": ".tsv", "jsonl": ".jsonl", "xliff": ".xlf", "moses": ".en"}
VARIANTS = {
    "default": OPTIONS,
    "keep-unaligned-excel": dataclasses.replace(OPTIONS, keep_unaligned=True, excel=True),
    "min-confidence": dataclasses.replace(OPTIONS, min_confidence=0.5),
}


def read_back(name: str, files: dict[str, bytes]) -> Corpus:
    """The corpus a reader makes of the files ``render`` wrote."""
    if name == "moses":
        assert sorted(files) == [".en", ".ru"]
        return get_format("moses").read([InputFile("x.en", files[".en"]), InputFile("x.ru", files[".ru"])])
    ((suffix, data),) = files.items()
    return read_one(name, data, f"x{suffix}")


def weakened(alignment: Alignment) -> Alignment:
    """The alignment with its first pair bead at confidence 0.1."""
    beads = list(alignment.beads)
    index = next(i for i, b in enumerate(beads) if b.is_pair)
    beads[index] = dataclasses.replace(beads[index], confidence=0.1)
    return dataclasses.replace(alignment, beads=tuple(beads))


@pytest.fixture(scope="module")
def cases(gapped: tuple[Alignment, Bead, Bead], duplicate_alignment: Alignment) -> dict[str, Alignment]:
    """Alignments that exercise every branch of the writers."""
    return {
        # 1-0 and 0-1 beads, a low-confidence one (TMX note, PO fuzzy), speakers, 2-1 beads
        "bundled": weakened(gapped[0]),
        # the same source text twice (PO msgctxt)
        "repeated": duplicate_alignment,
        # a character that is removed on the way out
        "vertical-tab": illegal_alignment("\x0b"),
    }


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("case", ["bundled", "repeated", "vertical-tab"])
@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_export_import_export_is_byte_identical(name: str, case: str, variant: str, cases: dict[str, Alignment]) -> None:
    options = VARIANTS[variant]
    first = render(name, corpus_of(cases[case]), options)
    corpus = read_back(name, first)
    assert corpus.records, "nothing was read back"
    assert render(name, corpus, options) == first


# What each format carries, beyond the two texts; the reader must give back all of it.
CARRIED = {
    "tmx": ("document", "unit", "bead", "confidence", "source_paragraph", "speaker"),
    "po": ("document", "unit", "bead", "confidence", "source_sentences", "source_paragraph", "speaker"),
    "csv": ("document", "unit", "bead", "confidence", "source_sentences", "target_sentences", "source_paragraph",
            "target_paragraph", "speaker"),
    # Speaker turns are known only to an alignment made on the fly (the quality gate's concern).
    "jsonl": tuple(field.name for field in dataclasses.fields(Record) if not field.name.endswith("_turn")),
    "xliff": ("document", "unit", "bead", "confidence", "source_sentences", "target_sentences", "source_paragraph",
              "target_paragraph", "speaker"),
    "moses": (),
}
CARRIED["tsv"] = CARRIED["csv"]


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_readers_recover_the_metadata_their_format_carries(name: str, cases: dict[str, Alignment]) -> None:
    corpus = corpus_of(cases["bundled"])
    options = VARIANTS["keep-unaligned-excel"]
    kept = {"po": [r for r in corpus.records if r.source]}.get(name, list(corpus.records))
    read = read_back(name, render(name, corpus, options)).records
    assert len(read) == len(kept)
    for original, copy in zip(kept, read):
        assert (copy.source, copy.target) == (original.source, original.target)
        for field in CARRIED[name]:
            expected = getattr(original, field)
            if field == "confidence":
                expected = round(expected, 4)  # every format writes four decimals
            assert getattr(copy, field) == expected, (name, field, original.uid)


def pairs_of(alignment: Alignment) -> list[tuple[str, str]]:
    return [expected_texts(alignment, b) for b in alignment.beads if b.is_pair]


@pytest.mark.parametrize("source_format, target_format", list(itertools.permutations(TEXT_FORMATS, 2)))
def test_converting_between_any_two_formats_keeps_every_pair_in_order(
    source_format: str, target_format: str, cases: dict[str, Alignment], tmp_path: Path
) -> None:
    alignment = cases["bundled"]
    for suffix, data in render(source_format, corpus_of(alignment), OPTIONS).items():
        (tmp_path / f"in{suffix}").write_bytes(data)
    output = tmp_path / "out" / f"converted{SUFFIXES[target_format]}"
    written = convert(tmp_path / f"in{SUFFIXES[source_format]}", output, source_tag="en-GB", target_tag="ru-RU")
    assert all(path.is_file() for path in written) and len(written) == (2 if target_format == "moses" else 1)
    converted = load(output)
    assert [(r.source, r.target) for r in converted.records if r.is_pair] == pairs_of(alignment)


def test_convert_takes_language_tags_from_the_file_and_lets_options_win(alignment: Alignment, tmp_path: Path) -> None:
    source = tmp_path / "in.tmx"
    source.write_bytes(write_one("tmx", corpus_of(alignment), tags("en-US", "ru-RU")))
    convert(source, tmp_path / "same.tmx")
    convert(source, tmp_path / "other.tmx", target_tag="ru-UA")
    same, other = (parse_xml((tmp_path / name).read_bytes()) for name in ("same.tmx", "other.tmx"))
    assert same.find("header").get("srclang") == "en-US"
    assert {tuv.get(XML_LANG) for tuv in same.iter("tuv")} == {"en-US", "ru-RU"}
    assert {tuv.get(XML_LANG) for tuv in other.iter("tuv")} == {"en-US", "ru-UA"}


def test_convert_from_csv_needs_language_tags_for_tmx_but_not_for_tsv(alignment: Alignment, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(write_one("csv", corpus_of(alignment), OPTIONS))
    with pytest.raises(AlignerError, match="--src-lang-code"):
        convert(source, tmp_path / "out.tmx")
    assert not (tmp_path / "out.tmx").exists()
    convert(source, tmp_path / "out.tsv")
    assert [(r.source, r.target) for r in load(tmp_path / "out.tsv").records] == [
        expected_texts(alignment, b) for b in alignment.beads
    ]


def test_beads_are_written_from_records_with_indices_and_refused_without(alignment: Alignment, tmp_path: Path) -> None:
    from aligner.evaluate import beads_of, read_beads

    source = tmp_path / "in.jsonl"
    source.write_bytes(render("jsonl", corpus_of(alignment), OPTIONS)[".jsonl"])
    convert(source, tmp_path / "out.beads")
    assert read_beads(tmp_path / "out.beads") == beads_of(alignment)
    tmx = tmp_path / "in.tmx"
    tmx.write_bytes(write_one("tmx", corpus_of(alignment), OPTIONS))
    with pytest.raises(AlignerError, match="no sentence indices"):
        convert(tmx, tmp_path / "from-tmx.beads")
    with pytest.raises(AlignerError, match="cannot be converted"):
        convert(tmp_path / "out.beads", tmp_path / "back.csv")


# --------------------------------------------------------------------------- TMX options


def test_tmx_keep_unaligned_writes_one_sided_units(gapped: tuple[Alignment, Bead, Bead]) -> None:
    alignment, deletion, insertion = gapped
    options = dataclasses.replace(OPTIONS, keep_unaligned=True)
    pairs = tmx_pairs(write_one("tmx", corpus_of(alignment), options))
    assert pairs == [expected_texts(alignment, b) for b in alignment.beads]
    assert (expected_texts(alignment, deletion)[0], "") in pairs
    assert ("", expected_texts(alignment, insertion)[1]) in pairs


def test_tmx_min_confidence_leaves_out_weaker_units(alignment: Alignment) -> None:
    confidences = sorted(b.confidence for b in alignment.beads if b.is_pair)
    threshold = confidences[len(confidences) // 2]
    options = dataclasses.replace(OPTIONS, min_confidence=threshold)
    pairs = tmx_pairs(write_one("tmx", corpus_of(alignment), options))
    expected = [expected_texts(alignment, b) for b in alignment.beads if b.is_pair and b.confidence >= threshold]
    assert pairs == expected
    assert 0 < len(pairs) < len(confidences)


def test_tmx_language_tags_are_options(alignment: Alignment) -> None:
    root = parse_xml(write_one("tmx", corpus_of(alignment), tags("en-US", "ru-UA")))
    assert root.find("header").get("srclang") == "en-US"
    assert [tuv.get(XML_LANG) for tuv in next(root.iter("tu")).findall("tuv")] == ["en-US", "ru-UA"]


def test_tmx_tuids_are_document_and_unit(alignment: Alignment) -> None:
    root = parse_xml(write_one("tmx", corpus_of(alignment), OPTIONS))
    numbers = [n for n, b in enumerate(alignment.beads, start=1) if b.is_pair]
    assert [tu.get("tuid") for tu in root.iter("tu")] == [f"{STEM}-{n}" for n in numbers]
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in root.iter("tu")]
    assert all(p["x-document"] == STEM and p["x-bead"] and p["x-confidence"] and "x-paragraph" in p for p in props)


def test_tmx_segments_are_not_indented(alignment: Alignment) -> None:
    """White space inside <seg> is part of the segment: the writer must put none there."""
    text = write_one("tmx", corpus_of(alignment), OPTIONS).decode("utf-8")
    segments = re.findall(r"<seg>(.*?)</seg>", text, flags=re.DOTALL)
    assert len(segments) == 2 * sum(b.is_pair for b in alignment.beads)
    assert all(s == s.strip() and "\n" not in s for s in segments)


def long_record(length: int) -> Corpus:
    record = Record(source="a" * (length - 1) + ".", target="Б.", document="long", unit=1, bead="1-1", confidence=0.9)
    return Corpus(name="long", records=(record,))


def test_tmx_warns_about_segments_longer_than_trados_accepts(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="aligner"):
        write_one("tmx", long_record(2000), OPTIONS)
        assert caplog.messages == []
        data = write_one("tmx", long_record(2001), OPTIONS)
    assert len(caplog.messages) == 1
    assert "long-1 source" in caplog.messages[0] and "2,001" in caplog.messages[0] and "Trados" in caplog.messages[0]
    assert tmx_pairs(data)[0][0] == "a" * 2000 + "."  # warned, not cut


def test_merged_corpus_keeps_every_document_in_order(alignment: Alignment, duplicate_alignment: Alignment) -> None:
    corpora = [corpus_of(alignment), corpus_of(duplicate_alignment)]
    merged = merge(corpora, "all")
    root = parse_xml(write_one("tmx", merged, OPTIONS))
    tuids = [tu.get("tuid") for tu in root.iter("tu")]
    assert len(tuids) == len(set(tuids)) == sum(b.is_pair for a in (alignment, duplicate_alignment) for b in a.beads)
    assert tmx_pairs(write_one("tmx", merged, OPTIONS)) == pairs_of(alignment) + pairs_of(duplicate_alignment)
    assert merged.created == corpora[0].created  # the newest date: the second has none


# --------------------------------------------------------------------------- TMX reading is safe

TMX_BODY = (
    '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>{source}</seg></tuv>'
    '<tuv xml:lang="ru"><seg>Текст</seg></tuv></tu></body></tmx>'
)


def hostile_tmx(kind: str) -> bytes:
    """TMX files that try to make an XML parser read a local file or expand entities without end."""
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if kind == "external-entity":
        return (prolog + '<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                + TMX_BODY.format(source="Leak: &xxe;")).encode()
    if kind == "parameter-entity":
        return (prolog + '<!DOCTYPE tmx [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>\n'
                + TMX_BODY.format(source="Text")).encode()
    if kind == "billion-laughs":
        entities = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
        ]
        return (prolog + "<!DOCTYPE tmx [" + "".join(entities) + "]>\n" + TMX_BODY.format(source="&lol9;")).encode()
    if kind == "few-laughs":  # small enough that libxml2's own amplification guard lets it through
        return (prolog + '<!DOCTYPE tmx [<!ENTITY a "ha"><!ENTITY b "&a;&a;">]>\n' + TMX_BODY.format(source="&b;")).encode()
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["external-entity", "parameter-entity", "billion-laughs", "few-laughs"])
def test_tmx_with_entities_is_refused_in_one_line_never_expanded(kind: str) -> None:
    started = time.monotonic()
    with pytest.raises(AlignerError) as caught:
        read_one("tmx", hostile_tmx(kind), "evil.tmx")
    message = str(caught.value)
    assert time.monotonic() - started < 5
    assert message.startswith("evil.tmx:") and "\n" not in message
    assert "root:" not in message and "lollol" not in message and "haha" not in message


def test_tmx_with_a_50_mb_segment_is_refused() -> None:
    """libxml2's limit on one text node (10 MB without huge_tree) stops it before it is built."""
    data = TMX_BODY.format(source="a" * (50 * 2**20)).encode()
    assert len(data) > 50 * 2**20
    with pytest.raises(AlignerError, match="not well-formed XML") as caught:
        read_one("tmx", data, "big.tmx")
    assert "\n" not in str(caught.value)


def test_tmx_reader_takes_text_but_not_inline_codes_of_other_tools() -> None:
    data = TMX_BODY.format(source='Press <bpt i="1">&lt;b&gt;</bpt><hi>Save</hi><ept i="1">&lt;/b&gt;</ept> now.').encode()
    (record,) = read_one("tmx", data, "cat.tmx").records
    assert (record.source, record.target) == ("Press Save now.", "Текст")


# --------------------------------------------------------------------------- characters, every format


@pytest.mark.parametrize("char", ILLEGAL.values(), ids=ILLEGAL.keys())
@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_illegal_character_every_format_reads_back_without_it(
    name: str, char: str, caplog: pytest.LogCaptureFixture
) -> None:
    alignment = illegal_alignment(char)
    with caplog.at_level(logging.WARNING, logger="aligner"):
        files = render(name, corpus_of(alignment), OPTIONS)
    for data in files.values():
        data.decode("utf-8")  # strict: a lone surrogate could not have been encoded
    records = read_back(name, files).records
    texts = " ".join(r.source + " " + r.target for r in records)
    assert char not in texts
    for word in ("Alpha", "gamma", "Альфа", "дельта", "second"):
        assert word in texts
    if char == "\x0b":
        assert "Alpha beta" in texts  # a vertical tab is a line break: it becomes a space
    warned = [m for m in caplog.messages if f"U+{ord(char):04X}" in m]
    assert warned and all("XML 1.0" in m for m in warned)


def test_bidi_marks_are_kept_without_warning(caplog: pytest.LogCaptureFixture) -> None:
    marks = "\u200f\u202b\u2067"
    record = Record(source=f"Shalom {marks}שלום\u202c.", target=f"Шалом {marks}שלום\u202c.", document="bidi", unit=1)
    corpus = Corpus(name="bidi", records=(record,))
    with caplog.at_level(logging.WARNING, logger="aligner"):
        for name in TEXT_FORMATS:
            assert [(r.source, r.target) for r in read_back(name, render(name, corpus, OPTIONS)).records] == [
                (record.source, record.target)
            ]
    assert caplog.messages == []


# --------------------------------------------------------------------------- CSV, TSV, JSONL, Moses


def test_csv_excel_adds_a_bom_that_the_reader_drops(alignment: Alignment) -> None:
    plain = write_one("csv", corpus_of(alignment), OPTIONS)
    excel = write_one("csv", corpus_of(alignment), dataclasses.replace(OPTIONS, excel=True))
    assert excel == codecs.BOM_UTF8 + plain
    assert excel.count(b"\r\n") == len(alignment.beads) + 1
    assert read_one("csv", excel, "x.csv").records == read_one("csv", plain, "x.csv").records


@pytest.mark.parametrize("excel", [False, True], ids=["plain", "excel"])
def test_csv_translate_toolkit_loads_every_row(alignment: Alignment, excel: bool) -> None:
    from translate.storage import csvl10n

    data = write_one("csv", corpus_of(alignment), dataclasses.replace(OPTIONS, excel=excel))
    units = [u for u in csvl10n.csvfile(io.BytesIO(data)).units if not u.isheader()]
    assert [(u.source, u.target) for u in units] == [expected_texts(alignment, b) for b in alignment.beads]


def test_tsv_escapes_tabs_line_breaks_and_backslashes() -> None:

    awkward = ["tab\there", "line\nbreak", "cr\r\nlf", "back\\slash \\n not a newline", "trailing\\"]
    records = tuple(
        Record(source=text, target=f"«{text}»", document="tsv", unit=n) for n, text in enumerate(awkward, start=1)
    )
    data = write_one("tsv", Corpus(name="tsv", records=records), OPTIONS)
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == len(records) + 2  # header, one line per record, final LF
    assert all(len(line.split("\t")) == len(TABLE_COLUMNS) for line in lines[:-1])
    assert [(r.source, r.target) for r in read_one("tsv", data, "x.tsv").records] == [
        (r.source, r.target) for r in records
    ]


def test_tsv_rejects_a_row_with_the_wrong_number_of_cells() -> None:

    with pytest.raises(AlignerError, match=r"x\.tsv:3: 2 cells"):
        read_one("tsv", b"source\ttarget\tunit\na\tb\t1\nc\td\n", "x.tsv")


def test_jsonl_has_every_key_sorted_on_every_line(alignment: Alignment) -> None:
    data = write_one("jsonl", corpus_of(alignment), OPTIONS)
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == len(alignment.beads) + 1
    keys = {
        "document", "title", "date", "url", "unit", "source", "target", "source_lang", "target_lang", "bead",
        "confidence", "source_sentences", "target_sentences", "source_paragraph", "target_paragraph", "speaker",
        "signature", "context", "status",
    }
    for line, bead in zip(lines, alignment.beads):
        value = json.loads(line)
        assert list(value) == sorted(keys)
        assert (value["source"], value["target"]) == expected_texts(alignment, bead)
        assert (value["source_sentences"], value["target_sentences"]) == (list(bead.source), list(bead.target))
        assert value["bead"] == bead.kind and value["confidence"] == round(bead.confidence, 4)
        assert value["date"] == "2020-12-30T10:15" and value["document"] == STEM
        assert (value["source_lang"], value["target_lang"]) == ("en-GB", "ru-RU")
    assert "Интервью" in lines[0]  # not \\u-escaped


def test_jsonl_reader_names_a_bad_line() -> None:
    with pytest.raises(AlignerError, match=r"x\.jsonl:2: 'unit' has the wrong type"):
        read_one("jsonl", b'{"source": "a", "target": "b"}\n{"source": "a", "target": "b", "unit": "one"}\n', "x.jsonl")


def test_moses_writes_two_line_aligned_files(gapped: tuple[Alignment, Bead, Bead]) -> None:
    alignment, _, _ = gapped
    record = Record(source="Two\nlines\u2028here", target="Две\r\nстроки", document="m", unit=99)
    corpus = dataclasses.replace(corpus_of(alignment), records=corpus_of(alignment).records + (record,))
    files = render("moses", corpus, OPTIONS)
    assert sorted(files) == [".en", ".ru"]
    source, target = (files[s].decode("utf-8").split("\n") for s in (".en", ".ru"))
    assert len(source) == len(target) == sum(b.is_pair for b in alignment.beads) + 2  # + record, + final ""
    assert (source[-2], target[-2]) == ("Two lines here", "Две строки")
    assert list(zip(source, target))[:-2] == pairs_of(alignment)


def test_moses_reader_refuses_files_of_different_lengths() -> None:
    with pytest.raises(AlignerError, match="2 lines"):
        get_format("moses").read([InputFile("corpus.en", b"a\nb\n"), InputFile("corpus.ru", b"x\n")])


# --------------------------------------------------------------------------- PO metadata


def test_po_references_and_comments(alignment: Alignment) -> None:
    catalog = polib.pofile(write_one("po", corpus_of(weakened(alignment)), OPTIONS).decode("utf-8"))
    sources = [b for b in alignment.beads if b.source]
    assert len(catalog) == len(sources)
    units = [n for n, b in enumerate(alignment.beads, start=1) if b.source]
    all_sentences = alignment.source.sentences()
    for entry, bead, number in zip(catalog, sources, units):
        paragraph = all_sentences[bead.source[0]].paragraph
        assert entry.occurrences == [(f"{STEM}:{paragraph}", str(i)) for i in bead.source]
        facts = entry.comment.splitlines()[0]
        confidence = 0.1 if entry is catalog[0] else bead.confidence
        assert facts == f"unit {number}, bead {bead.kind}, confidence {confidence:.4f}"
    assert catalog.metadata["X-Source-Language"] == "en-GB"


# --------------------------------------------------------------------------- external readers


def tmx_dtd() -> lxml.etree.DTD:
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        return lxml.etree.DTD(io.BytesIO(jar.read("schemas/tmx14.dtd")))


def dtd_cases(alignment: Alignment, gapped: Alignment, duplicate: Alignment) -> dict[str, bytes]:
    keep = dataclasses.replace(OPTIONS, keep_unaligned=True)
    from_csv = read_one("csv", write_one("csv", corpus_of(alignment), OPTIONS), "x.csv")
    cases = {
        "bundled": write_one("tmx", corpus_of(alignment), OPTIONS),
        "low-confidence-with-note": write_one("tmx", corpus_of(weakened(alignment)), OPTIONS),
        "keep-unaligned": write_one("tmx", corpus_of(gapped), keep),
        "merged": write_one("tmx", merge([corpus_of(alignment), corpus_of(duplicate)], "all"), OPTIONS),
        "converted-from-csv": write_one("tmx", from_csv, OPTIONS),
        "long-segment": write_one("tmx", long_record(2500), OPTIONS),
    }
    for name, char in ILLEGAL.items():
        cases[f"illegal-{name}"] = write_one("tmx", corpus_of(illegal_alignment(char)), OPTIONS)
    return cases


@needs_omegat_dtd
def test_every_tmx_we_write_validates_against_the_tmx14_dtd_omegat_ships(
    alignment: Alignment, gapped: tuple[Alignment, Bead, Bead], duplicate_alignment: Alignment
) -> None:
    dtd = tmx_dtd()
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for case, data in dtd_cases(alignment, gapped[0], duplicate_alignment).items():
        tree = lxml.etree.fromstring(data, parser).getroottree()
        assert dtd.validate(tree), (case, dtd.error_log.filter_from_errors())
    # and the check can fail: a unit without variants breaks the DTD's content model
    broken = lxml.etree.fromstring(dtd_cases(alignment, gapped[0], duplicate_alignment)["bundled"], parser)
    for tuv in next(broken.iter("tu")).findall("tuv"):
        tuv.getparent().remove(tuv)
    assert not dtd.validate(broken.getroottree())


def test_po_translate_toolkit_loads_every_entry(alignment: Alignment) -> None:
    from translate.storage import po as tt_po

    data = write_one("po", corpus_of(weakened(alignment)), OPTIONS)
    units = [u for u in tt_po.pofile(io.BytesIO(data)).units if not u.isheader()]
    sources = [b for b in alignment.beads if b.source]
    assert [(u.source, u.target) for u in units] == [expected_texts(alignment, b) for b in sources]
    assert [u.isfuzzy() for u in units] == [i == 0 for i in range(len(units))]


@needs_msgfmt
@pytest.mark.parametrize("source_format", ["tmx", "csv", "tsv", "jsonl", "moses"])
def test_po_converted_from_every_format_passes_msgfmt(
    source_format: str, cases: dict[str, Alignment], tmp_path: Path
) -> None:
    for suffix, data in render(source_format, corpus_of(cases["bundled"]), OPTIONS).items():
        (tmp_path / f"in{suffix}").write_bytes(data)
    output = tmp_path / "out.po"
    convert(tmp_path / f"in{SUFFIXES[source_format]}", output, source_tag="en-GB", target_tag="ru-RU")
    result = run_tool("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(output))
    assert result.returncode == 0, result.stderr
    counts = re.match(r"(\d+) translated messages?(?:, (\d+) fuzzy)?", result.stderr)
    assert counts, result.stderr
    assert int(counts.group(1)) + int(counts.group(2) or 0) == sum(b.is_pair for b in cases["bundled"].beads)


def test_language_tags_get_hyphens_and_anything_else_is_refused(alignment: Alignment) -> None:
    """OmegaT ignores a variant tagged en_GB: the tag must be written en-GB."""
    root = parse_xml(write_one("tmx", corpus_of(alignment), tags("en_GB", "ru_RU")))
    assert root.find("header").get("srclang") == "en-GB"
    assert {tuv.get(XML_LANG) for tuv in root.iter("tuv")} == {"en-GB", "ru-RU"}
    with pytest.raises(AlignerError, match="BCP 47"):
        tags("English", "ru-RU")


class LazyRecords(Sequence[Record]):
    """Records handed out one at a time, as a corpus store gives them: nothing asks for all at once."""

    def __init__(self, records: tuple[Record, ...]) -> None:
        self._records = records
        self.passes = 0

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self._records[index]

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.passes += 1
        yield from self._records


@pytest.mark.parametrize("name", [*TEXT_FORMATS, "beads"])
def test_writers_stream_a_lazy_sequence_of_records(name: str, gapped: tuple[Alignment, Bead, Bead]) -> None:
    corpus = corpus_of(gapped[0])
    lazy = LazyRecords(corpus.records)
    options = dataclasses.replace(OPTIONS, keep_unaligned=True)
    assert render(name, dataclasses.replace(corpus, records=lazy), options) == render(name, corpus, options)
    assert 1 <= lazy.passes <= 2  # PO counts repeated sources first; the others read once
