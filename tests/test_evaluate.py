"""Strict and lax precision / recall / F1 as Vecalign's scorer defines them."""

from pathlib import Path

import pytest

from aligner.align import AlignSettings
from aligner.errors import AlignerError
from aligner.evaluate import format_beads, read_beads, score
from aligner.languages import resolve_language

GOLD = Path(__file__).resolve().parent / "data" / "gold" / "lavrov-tass-2020-12-30.en-ru.beads"


def test_gold_against_itself_is_perfect():
    gold = read_beads(GOLD)
    result = score([gold], [gold])
    assert (result.f1_strict, result.f1_lax, result.precision_strict, result.recall_strict) == (1, 1, 1, 1)


def test_hand_computed_case():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (4,))]
    # Precision over the 5 test beads: strict hits [0]:[0] and []:[2] -> 2/5.
    # Lax: [1]:[1] overlaps gold [1,2]:[1]; [2]:[] and [3]:[4] overlap nothing -> 3/5.
    # Recall over gold beads with both sides (3): strict hits only [0]:[0] -> 1/3;
    # lax: [1,2]:[1] overlaps test [1]:[1], [3]:[3] overlaps nothing -> 2/3.
    result = score([gold], [test])
    assert result.precision_strict == pytest.approx(2 / 5)
    assert result.precision_lax == pytest.approx(3 / 5)
    assert result.recall_strict == pytest.approx(1 / 3)
    assert result.recall_lax == pytest.approx(2 / 3)
    assert result.f1_strict == pytest.approx(2 * (2 / 5) * (1 / 3) / (2 / 5 + 1 / 3))


def test_bead_files_round_trip(tmp_path):
    beads = read_beads(GOLD)
    copy = tmp_path / "copy.beads"
    copy.write_text(format_beads(beads), encoding="utf-8")
    assert read_beads(copy) == beads
    assert copy.read_text(encoding="utf-8") == GOLD.read_text(encoding="utf-8")


def test_malformed_bead_line_is_named(tmp_path):
    bad = tmp_path / "bad.beads"
    bad.write_text("[0]:[0]\n[1]-[1]\n", encoding="utf-8")
    with pytest.raises(AlignerError, match=r"bad.beads:2"):
        read_beads(bad)


BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "textberg"


def test_evaluate_command_scores_a_written_alignment(tmp_path):
    """`align --formats beads,csv` then `evaluate`: table and JSON agree with the library."""
    import json

    from click.testing import CliRunner

    from aligner.cli import main

    root = Path(__file__).resolve().parent.parent
    en = root / "sources/en/lavrov-tass-2020-12-30.html"
    ru = root / "sources/ru/lavrov-tass-2020-12-30.html"
    runner = CliRunner()
    written = runner.invoke(main, ["align", str(en), str(ru), "-o", str(tmp_path), "--formats", "beads,csv"])
    assert written.exit_code == 0, written.output
    beads_file = tmp_path / "lavrov-tass-2020-12-30.beads"
    csv_file = tmp_path / "lavrov-tass-2020-12-30.csv"
    assert read_beads(beads_file) == read_beads(csv_file)
    result = runner.invoke(main, ["evaluate", "-g", str(GOLD), "-t", str(beads_file), "--json"])
    assert result.exit_code == 0, result.output
    reported = json.loads(result.output)
    expected = score([read_beads(GOLD)], [read_beads(beads_file)])
    assert reported["f1_strict"] == pytest.approx(expected.f1_strict)
    assert reported["documents"] == 1
    table = runner.invoke(main, ["evaluate", "-g", str(GOLD), "-t", str(csv_file)])
    assert f"{expected.f1_strict:6.3f}" in table.output


def test_evaluate_command_needs_one_test_per_gold(tmp_path):
    from click.testing import CliRunner

    from aligner.cli import main

    result = CliRunner().invoke(main, ["evaluate", "-g", str(GOLD), "-g", str(GOLD), "-t", str(GOLD)])
    assert result.exit_code == 2


@pytest.mark.skipif(not (BENCH / "dev.defr").exists(), reason="../shared/bench/textberg is not present")
def test_text_berg_dev_set_quality():
    """German–French, no MT, no dictionary: the benchmark figure the README reports."""
    from aligner.align import align_documents
    from aligner.evaluate import beads_of
    from aligner.parse import parse_file

    de = parse_file(BENCH / "dev.de", resolve_language("de"), presegmented=True)
    fr = parse_file(BENCH / "dev.fr", resolve_language("fr"), presegmented=True)
    result = score([read_beads(BENCH / "dev.defr")], [beads_of(align_documents(de, fr))])
    assert result.f1_strict >= 0.85
    assert result.f1_lax >= 0.95


@pytest.mark.skipif(not (BENCH / "dev.google.fr").exists(), reason="../shared/bench/textberg is not present")
def test_text_berg_dev_set_with_machine_translation():
    """Bleualign's setting: an MT of the German side helps (Bleualign itself scores 0.780)."""
    from aligner.align import align_documents
    from aligner.evaluate import beads_of
    from aligner.parse import parse_file

    de = parse_file(BENCH / "dev.de", resolve_language("de"), presegmented=True)
    fr = parse_file(BENCH / "dev.fr", resolve_language("fr"), presegmented=True)
    mt = (BENCH / "dev.google.fr").read_text(encoding="utf-8").splitlines()
    gold = [read_beads(BENCH / "dev.defr")]
    with_mt = score(gold, [beads_of(align_documents(de, fr, translation=mt))])
    without = score(gold, [beads_of(align_documents(de, fr))])
    assert with_mt.f1_strict >= 0.88
    assert with_mt.f1_strict > without.f1_strict


@pytest.mark.skipif(not (BENCH / "dev.defr").exists(), reason="../shared/bench/textberg is not present")
def test_confidence_of_09_means_at_least_95_percent_right_on_the_dev_set():
    from aligner.align import align_documents
    from aligner.parse import parse_file

    de = parse_file(BENCH / "dev.de", resolve_language("de"), presegmented=True)
    fr = parse_file(BENCH / "dev.fr", resolve_language("fr"), presegmented=True)
    gold = set(read_beads(BENCH / "dev.defr"))
    confident = [b for b in align_documents(de, fr).beads if b.confidence >= 0.9]
    right = sum((b.source, b.target) in gold for b in confident)
    assert len(confident) >= 100
    assert right / len(confident) >= 0.95


@pytest.mark.skipif(not (BENCH / "dev.defr").exists(), reason="../shared/bench/textberg is not present")
def test_learning_from_the_text_helps_on_the_dev_set():
    from aligner.align import align_documents
    from aligner.evaluate import beads_of
    from aligner.parse import parse_file

    de = parse_file(BENCH / "dev.de", resolve_language("de"), presegmented=True)
    fr = parse_file(BENCH / "dev.fr", resolve_language("fr"), presegmented=True)
    gold = [read_beads(BENCH / "dev.defr")]
    plain = score(gold, [beads_of(align_documents(de, fr, AlignSettings(learn=False)))])
    learned = score(gold, [beads_of(align_documents(de, fr, AlignSettings(learn_min_beads=0)))])
    assert learned.f1_strict >= plain.f1_strict
