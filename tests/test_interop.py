"""OmegaT, the CAT tool, pre-translates the bundled English text from our TMX.

A throw-away OmegaT project gets the English source text in ``source/`` and our TMX in
``tm/auto/``; ``--mode=console-translate`` must then write the Russian of every 1-1 unit
whose English is exactly one OmegaT segment into ``target/``. OmegaT's own segmentation comes
from a second run, ``--mode=console-createpseudotranslatetmx``, on the same text. OmegaT
exits with 0 even when it cannot load a TMX, so the tests read its log and its target file.

Units that are not single OmegaT segments are listed (``pytest -rP``) but do not fail the
test: where sentences end is the segmenter's business, not the exporter's.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import pytest
from conftest import EN_TXT, OPTIONS, RU_TXT, SETTINGS, read_one, write_one

from aligner.model import Record, corpus_of
from aligner.pipeline import align_files

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
TIMEOUT = 300

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or not OMEGAT_JAR.is_file(),
    reason=f"OmegaT or Java missing ({OMEGAT_JAR}, java): apt-get install --no-install-recommends omegat",
)

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{source}</source_lang>
        <target_lang>{target}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneRussianTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


@dataclass(frozen=True)
class OmegaTRun:
    records: tuple[Record, ...]
    segments: frozenset[str]
    target_text: str
    log: str


def make_project(directory: Path, tmx: bytes | None) -> Path:
    """An OmegaT project with the bundled English text as its one source file (OmegaT picks its
    filter by suffix, so it is a .txt) and, if given, ``tmx`` as an automatic translation memory."""
    for sub in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (directory / sub).mkdir(parents=True)
    (directory / "omegat.project").write_text(
        PROJECT.format(source=OPTIONS.source.tag, target=OPTIONS.target.tag), encoding="utf-8"
    )
    shutil.copyfile(EN_TXT, directory / "source" / "source.txt")
    if tmx is not None:
        (directory / "tm" / "auto" / "aligner.tmx").write_bytes(tmx)
    return directory


def run_omegat(project: Path, work: Path, *mode: str) -> str:
    """Run OmegaT headless with its home and configuration inside ``work``; its log (stdout + stderr)."""
    command = [
        "java", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", f"-Duser.home={work / 'home'}",
        "-jar", str(OMEGAT_JAR), str(project), *mode,
        f"--config-dir={work / 'config'}", "--no-team", "--disable-project-locking",
    ]
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                            timeout=TIMEOUT, cwd=work)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-2000:]
    return log


def omegat_segments(work: Path) -> frozenset[str]:
    """OmegaT's own segments of the source text (unique, unordered), from a pseudo-translated TMX."""
    project = make_project(work / "segments", None)
    pseudo = work / "segments.tmx"
    run_omegat(project, work, "--mode=console-createpseudotranslatetmx", f"--pseudotranslatetmx={pseudo}",
               "--pseudotranslatetype=equal")
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = lxml.etree.parse(str(pseudo), parser).getroot()
    return frozenset("".join(tu.find("tuv/seg").itertext()) for tu in root.iter("tu"))


@pytest.fixture(scope="module")
def omegat(tmp_path_factory: pytest.TempPathFactory) -> OmegaTRun:
    work = tmp_path_factory.mktemp("omegat")
    tmx = write_one("tmx", corpus_of(align_files(EN_TXT, RU_TXT, SETTINGS)), OPTIONS)
    project = make_project(work / "project", tmx)
    log = run_omegat(project, work, "--mode=console-translate")
    target = project / "target" / "source.txt"
    return OmegaTRun(
        records=read_one("tmx", tmx, "aligner.tmx").records,
        segments=omegat_segments(work),
        target_text=target.read_text(encoding="utf-8") if target.is_file() else "",
        log=log,
    )


def test_omegat_loads_our_tmx(omegat: OmegaTRun) -> None:
    assert "TF_TM_LOAD_ERROR" not in omegat.log, omegat.log[-3000:]
    assert omegat.target_text, "OmegaT wrote no target/source.txt"


def test_omegat_applies_every_one_to_one_unit_that_is_one_omegat_segment(omegat: OmegaTRun) -> None:
    one_to_one = [r for r in omegat.records if r.bead == "1-1"]
    single = [r for r in one_to_one if r.source in omegat.segments]
    missing = [r.uid for r in single if r.target not in omegat.target_text]
    assert not missing, f"OmegaT left these units untranslated: {missing}"
    # The English of an applied unit is gone from the target file: OmegaT replaced it, not appended to it.
    assert all(r.source not in omegat.target_text for r in single)
    assert len(single) >= 20, f"only {len(single)} of {len(one_to_one)} 1-1 units are single OmegaT segments"
    others = [r for r in one_to_one if r not in single]
    print(f"\nOmegaT applied {len(single)} of {len(one_to_one)} 1-1 units; "
          f"{len(others)} are not one OmegaT segment:")
    for record in others:
        parts = sorted((s for s in omegat.segments if s and s in record.source), key=record.source.find)
        print(f"  {record.uid}: {record.source!r} -> OmegaT segments {parts!r}")


def test_omegat_reports_a_tmx_it_cannot_load(tmp_path: Path) -> None:
    """The log check above can fail: a truncated TMX makes OmegaT log TF_TM_LOAD_ERROR (and exit 0)."""
    tmx = write_one("tmx", corpus_of(align_files(EN_TXT, RU_TXT, SETTINGS)), OPTIONS)
    project = make_project(tmp_path / "project", tmx[: len(tmx) // 2])
    log = run_omegat(project, tmp_path, "--mode=console-translate")
    assert "TF_TM_LOAD_ERROR" in log
    target = (project / "target" / "source.txt").read_text(encoding="utf-8")
    assert "Интервью" not in target
