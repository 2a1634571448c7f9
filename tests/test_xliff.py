"""XLIFF 1.2, the format added as one module: what it writes, and what other tools make of it."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import lxml.etree
import pytest
from conftest import EN_TXT, OPTIONS, RU_TXT, SETTINGS, read_one, write_one
from translate.storage import xliff as tt_xliff

from aligner.errors import AlignerError
from aligner.formats import FORMATS, format_of, get_format
from aligner.model import Alignment, corpus_of
from aligner.pipeline import align_files

NS = "{urn:oasis:names:tc:xliff:document:1.2}"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


@pytest.fixture(scope="module")
def alignment() -> Alignment:
    return align_files(EN_TXT, RU_TXT, SETTINGS)


def test_registered_under_its_name_and_suffixes() -> None:
    assert FORMATS["xliff"] is get_format("xliff")
    assert format_of(Path("a.xlf")) is format_of(Path("a.xliff")) is get_format("xliff")


def test_every_pair_is_a_trans_unit_with_state_notes_and_languages(alignment: Alignment) -> None:
    root = lxml.etree.fromstring(write_one("xliff", corpus_of(alignment)))
    (file,) = root.iter(f"{NS}file")
    assert (file.get("source-language"), file.get("target-language")) == ("en-GB", "ru-RU")
    units = list(root.iter(f"{NS}trans-unit"))
    pairs = [b for b in alignment.beads if b.is_pair]
    assert len(units) == len(pairs)
    for unit, bead in zip(units, pairs):
        note = unit.find(f"{NS}note").text
        assert note == f"bead {bead.kind}, confidence {bead.confidence:.4f}"
        assert unit.find(f"{NS}target").get("state") == "translated"


def test_low_confidence_units_need_review(alignment: Alignment) -> None:
    beads = list(alignment.beads)
    weak = next(i for i, b in enumerate(beads) if b.is_pair)
    beads[weak] = dataclasses.replace(beads[weak], confidence=0.2)
    root = lxml.etree.fromstring(write_one("xliff", corpus_of(dataclasses.replace(alignment, beads=tuple(beads)))))
    states = [unit.find(f"{NS}target").get("state") for unit in root.iter(f"{NS}trans-unit")]
    assert states[0] == "needs-review-translation"
    assert set(states[1:]) == {"translated"}


def test_translate_toolkit_reads_every_unit(alignment: Alignment) -> None:
    data = write_one("xliff", corpus_of(alignment))
    store = tt_xliff.xlifffile.parsestring(data)
    units = [unit for unit in store.units if not unit.isheader()]
    expected = [(r.source, r.target) for r in corpus_of(alignment).records if r.is_pair]
    assert [(unit.source, unit.target) for unit in units] == expected
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en-GB", "ru-RU")
    assert all(unit.getnotes().startswith("bead ") for unit in units)


def test_one_sided_units_are_kept_only_when_asked(alignment: Alignment) -> None:
    beads = list(alignment.beads)
    index = next(i for i, b in enumerate(beads) if b.kind == "1-1")
    beads[index : index + 1] = [dataclasses.replace(beads[index], target=()), dataclasses.replace(beads[index], source=())]
    gapped = corpus_of(dataclasses.replace(alignment, beads=tuple(beads)))
    default = read_one("xliff", write_one("xliff", gapped))
    kept = read_one("xliff", write_one("xliff", gapped, dataclasses.replace(OPTIONS, keep_unaligned=True)))
    assert all(r.is_pair for r in default.records)
    assert [(r.source, r.target) for r in kept.records] == [(r.source, r.target) for r in gapped.records]


def test_an_empty_corpus_is_still_a_valid_file(alignment: Alignment) -> None:
    empty = dataclasses.replace(corpus_of(alignment), records=())
    root = lxml.etree.fromstring(write_one("xliff", empty))
    assert [file.get("original") for file in root.iter(f"{NS}file")] == [empty.name]
    assert read_one("xliff", write_one("xliff", empty)).records == ()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'/>", "not an XLIFF 1.2 file"),
        (b"<xliff", "not well-formed"),
        (b'<!DOCTYPE x [<!ENTITY e "boom">]><xliff version="1.2">&e;</xliff>', "entities"),
    ],
)
def test_bad_files_are_refused_with_one_message(data: bytes, message: str) -> None:
    with pytest.raises(AlignerError, match=message):
        read_one("xliff", data, "bad.xlf")


def test_text_inside_another_tools_inline_markup_is_kept() -> None:
    data = (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="doc" '
        'source-language="en" target-language="ru" datatype="plaintext"><body><trans-unit id="1">'
        '<source>A <g id="1">bold</g> word<x id="2"/>.</source><target>Слово <mrk mtype="x">жирно</mrk>.</target>'
        "</trans-unit></body></file></xliff>"
    ).encode()
    (record,) = read_one("xliff", data, "other.xlf").records
    assert (record.source, record.target, record.document) == ("A bold word.", "Слово жирно.", "doc")


@pytest.mark.skipif(
    shutil.which("java") is None or not OMEGAT_JAR.is_file(),
    reason=f"OmegaT or Java missing ({OMEGAT_JAR}, java): apt-get install --no-install-recommends omegat",
)
def test_omegat_loads_the_file_in_console_mode(alignment: Alignment, tmp_path: Path) -> None:
    """OmegaT 3.6's own XLIFF filter reads the file and finds its segments in it.

    That filter offers the text of <target> for translation (it expects a copy of the source
    there), so its segments are our target sentences, cut by OmegaT's own rules (which split
    a few at "т.е." and "г."): every 1-1 unit's target is made of OmegaT segments, in order.
    """
    from test_interop import PROJECT

    project = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT.format(source="en-GB", target="ru-RU"), encoding="utf-8")
    corpus = corpus_of(alignment)
    (project / "source" / "interview.xlf").write_bytes(write_one("xliff", corpus))
    pseudo = tmp_path / "pseudo.tmx"
    command = [
        "java", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", f"-Duser.home={tmp_path / 'home'}",
        "-jar", str(OMEGAT_JAR), str(project), "--mode=console-createpseudotranslatetmx",
        f"--pseudotranslatetmx={pseudo}", "--pseudotranslatetype=equal",
        f"--config-dir={tmp_path / 'config'}", "--no-team", "--disable-project-locking",
    ]
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
    segments = {"".join(seg.itertext()) for seg in lxml.etree.parse(str(pseudo)).getroot().iter("seg")}
    one_to_one = [r.target for r in corpus.records if r.bead == "1-1"]

    def made_of_segments(text: str) -> bool:
        rest = text
        while rest:
            piece = max((seg for seg in segments if rest.startswith(seg)), key=len, default=None)
            if piece is None:
                return False
            rest = rest[len(piece):].lstrip()
        return True

    assert len(one_to_one) > 50 and all(made_of_segments(target) for target in one_to_one)
    assert sum(target in segments for target in one_to_one) > 0.9 * len(one_to_one)
