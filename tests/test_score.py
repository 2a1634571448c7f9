"""``aligner score``: the same numbers and signatures as sacrebleu's own command line on the same
files, per-segment scores, the other direction, and line counts that do not match.

The reference is the interview aligned by the toolkit; the "MT output" is made here from the
Russian side by a fixed rule (words dropped and swapped), so the scores are far from 0 and 100.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aligner.cli import main

REPO = Path(__file__).resolve().parents[1]
STEM = "lavrov-tass-2020-12-30"
EN_TXT = REPO / "sources" / "en" / f"{STEM}.txt"
RU_TXT = REPO / "sources" / "ru" / f"{STEM}.txt"


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def sacrebleu(*args: object) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SACREBLEU")}
    result = subprocess.run(
        [sys.executable, "-m", "sacrebleu", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=True,
    )
    return result.stdout


def damaged(text: str, number: int) -> str:
    """A poor translation: every other segment loses its last two words, every third has words swapped."""
    words = text.split()
    if number % 2 == 0 and len(words) > 3:
        words = words[:-2]
    if number % 3 == 0 and len(words) > 5:
        words[1], words[4] = words[4], words[1]
    return " ".join(words)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The aligned interview (TMX and CSV), its two sides as plain files, and MT outputs of each side."""
    folder = tmp_path_factory.mktemp("score")
    result = invoke("align", EN_TXT, RU_TXT, "-o", folder, "--formats", "tmx,csv")
    assert result.exit_code == 0, result.output
    with open(folder / f"{STEM}.csv", encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if row["source"] and row["target"]]
    files = {"tmx": folder / f"{STEM}.tmx", "csv": folder / f"{STEM}.csv"}
    for side in ("source", "target"):
        files[f"ref.{side}"] = folder / f"ref.{side}.txt"
        files[f"ref.{side}"].write_text("".join(row[side] + "\n" for row in rows), encoding="utf-8")
        files[f"hyp.{side}"] = folder / f"hyp.{side}.txt"
        files[f"hyp.{side}"].write_text(
            "".join(damaged(row[side], n) + "\n" for n, row in enumerate(rows, 1)), encoding="utf-8"
        )
    return files


def our_scores(*args: object) -> dict:
    result = invoke("score", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def their_scores(reference: Path, hypothesis: Path) -> dict[str, dict]:
    output = sacrebleu(reference, "-i", hypothesis, "-m", "bleu", "chrf", "ter", "-f", "json", "-w", "6")
    return {entry["name"]: entry for entry in json.loads(output)}


@pytest.mark.parametrize("reference", ["tmx", "csv", "ref.target"])
def test_corpus_scores_and_signatures_equal_sacrebleus_command_line(corpus: dict[str, Path], reference: str) -> None:
    ours = our_scores("--hyp", corpus["hyp.target"], "--ref", corpus[reference])
    theirs = their_scores(corpus["ref.target"], corpus["hyp.target"])
    assert ours["segments"] == 66
    assert [score["name"] for score in ours["scores"]] == ["BLEU", "chrF2", "TER"]
    for score in ours["scores"]:
        assert round(score["score"], 6) == theirs[score["name"]]["score"], score["name"]
        assert score["signature"] == f"{score['name']}|{theirs[score['name']]['signature']}"
    assert 20 < ours["scores"][0]["score"] < 90  # a real, imperfect translation


def test_the_text_output_shows_scores_and_signatures(corpus: dict[str, Path]) -> None:
    result = invoke("score", "--hyp", corpus["hyp.target"], "--ref", corpus["tmx"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    theirs = their_scores(corpus["ref.target"], corpus["hyp.target"])
    assert lines[0].startswith(f"BLEU = {theirs['BLEU']['score']:.2f} ")
    assert lines[1] == f"chrF2 = {theirs['chrF2']['score']:.2f}"
    assert lines[2] == f"TER = {theirs['TER']['score']:.2f}"
    assert f"66 segments of {corpus['hyp.target']} against the target side of {corpus['tmx']} (66 pairs)" in lines
    for name in ("BLEU", "chrF2", "TER"):
        assert f"{name}|{theirs[name]['signature']}" in lines


def test_sentence_scores_equal_sacrebleus_sentence_level(corpus: dict[str, Path]) -> None:
    ours = our_scores("--hyp", corpus["hyp.target"], "--ref", corpus["tmx"], "--sentence")
    assert len(ours["sentences"]) == 66
    for metric, key in (("bleu", "bleu"), ("chrf", "chrf"), ("ter", "ter")):
        output = sacrebleu(corpus["ref.target"], "-i", corpus["hyp.target"], "-m", metric, "-sl", "-w", "6", "-b")
        theirs = [float(line) for line in output.splitlines()]
        assert [round(segment[key], 6) for segment in ours["sentences"]] == theirs, metric
    # Sentence BLEU uses effective order, as sacrebleu's --sentence-level does.
    assert "eff:yes" in ours["sentence_signatures"][0]
    assert len({round(s["bleu"], 6) for s in ours["sentences"]}) > 10  # segments really differ


def test_src_side_scores_the_other_direction(corpus: dict[str, Path]) -> None:
    ours = our_scores("--hyp", corpus["hyp.source"], "--ref", corpus["tmx"], "--src-side")
    theirs = their_scores(corpus["ref.source"], corpus["hyp.source"])
    assert {s["name"]: round(s["score"], 6) for s in ours["scores"]} == {n: e["score"] for n, e in theirs.items()}
    assert ours["reference"].startswith("the source side of")
    # English MT against the Russian side would score near zero: the side really changed.
    wrong_side = our_scores("--hyp", corpus["hyp.source"], "--ref", corpus["tmx"])
    assert wrong_side["scores"][0]["score"] < 5


def test_line_counts_that_differ_are_an_error_naming_both_files(corpus: dict[str, Path], tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("".join(corpus["hyp.target"].read_text(encoding="utf-8").splitlines(True)[:-1]), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "aligner", "score", "--hyp", str(short), "--ref", str(corpus["tmx"])],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"aligner: error: {short} has 65 lines but {corpus['tmx']} has 66 reference segments "
        f"(the target side of {corpus['tmx']} (66 pairs)); give one hypothesis line per reference segment"
    )


def test_src_side_needs_an_aligned_reference(corpus: dict[str, Path]) -> None:
    result = invoke("score", "--hyp", corpus["hyp.source"], "--ref", corpus["ref.source"], "--src-side")
    assert result.exit_code == 2
