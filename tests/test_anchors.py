"""Alignment around fixed beads: ``align_documents(anchors=)`` and ``aligner align --anchors``."""

import pytest
from conftest import BENCH, EN, GOLD, RU, STEM, assert_one_line_error, invoke, run_command

from aligner.align import align_documents
from aligner.errors import AlignerError
from aligner.evaluate import read_beads, score
from aligner.languages import resolve_language
from aligner.model import Alignment, Bead
from aligner.parse import parse_file

GOLD_EN = GOLD / f"{STEM}.en.txt"
GOLD_RU = GOLD / f"{STEM}.ru.txt"


@pytest.fixture(scope="module")
def interview():
    source = parse_file(GOLD_EN, EN, presegmented=True)
    target = parse_file(GOLD_RU, RU, presegmented=True)
    return source, target, read_beads(GOLD / f"{STEM}.en-ru.beads")


def pairs(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.source, b.target) for b in alignment.beads]


def assert_covers_each_once_in_order(alignment: Alignment) -> None:
    source = [i for b in alignment.beads for i in b.source]
    target = [j for b in alignment.beads for j in b.target]
    assert source == list(range(len(alignment.source.sentences())))
    assert target == list(range(len(alignment.target.sentences())))


def test_a_wrong_anchor_is_kept_and_the_rest_is_aligned_around_it(interview):
    source, target, gold = interview
    k = next(k for k in range(20, len(gold) - 1) if len(gold[k][0]) == len(gold[k][1]) == 1 == len(gold[k + 1][0]))
    # Pair source sentence k's with the *next* target sentence: a reviewer's mistake, but binding.
    wrong = Bead(gold[k][0], gold[k + 1][1], 1.0)
    alignment = align_documents(source, target, anchors=[wrong])
    assert wrong in alignment.beads
    assert_covers_each_once_in_order(alignment)
    found = pairs(alignment)
    before = [b for b in gold if b[0] and b[0][-1] < gold[k][0][0] - 2]
    after = [b for b in gold if b[0] and b[0][0] > gold[k + 1][0][-1] + 2]
    assert all(b in found for b in before[:-1])
    assert sum(b in found for b in after) >= 0.95 * len(after)


def test_gold_anchors_give_the_gold_and_confidence_one(interview):
    source, target, gold = interview
    anchors = [Bead(s, t, 1.0) for s, t in gold[::7]]
    alignment = align_documents(source, target, anchors=anchors)
    assert score([gold], [pairs(alignment)]).f1_strict >= 0.99
    assert all(b.confidence == 1.0 for b in alignment.beads if b in anchors)


def test_a_one_sided_anchor_pins_a_sentence_as_unaligned(interview):
    source, target, gold = interview
    k = next(k for k in range(10, len(gold)) if len(gold[k][0]) == 1 and len(gold[k][1]) == 1)
    pinned = Bead(gold[k][0], (), 1.0)
    alignment = align_documents(source, target, anchors=[pinned])
    assert pinned in alignment.beads
    assert all(gold[k][0][0] not in b.source for b in alignment.beads if b != pinned)
    assert_covers_each_once_in_order(alignment)


def test_anchors_at_both_ends_and_side_by_side(interview):
    source, target, gold = interview
    anchors = [Bead(s, t, 1.0) for s, t in (*gold[:3], gold[-1])]
    alignment = align_documents(source, target, anchors=anchors)
    assert all(a in alignment.beads for a in anchors)
    assert_covers_each_once_in_order(alignment)


@pytest.mark.parametrize(
    "anchors, message",
    [
        ([Bead((3,), (3,), 1.0), Bead((5,), (2,), 1.0)], "anchors cross"),
        ([Bead((3,), (3,), 1.0), Bead((3,), (), 1.0)], "two anchors share a source sentence"),
        ([Bead((10_000,), (3,), 1.0)], "the document does not have"),
        ([Bead((3, 5), (3,), 1.0)], "must follow each other"),
        ([Bead((), (), 1.0)], "no sentence on either side"),
    ],
)
def test_impossible_anchors_are_refused(interview, anchors, message):
    source, target, _ = interview
    with pytest.raises(AlignerError, match=message):
        align_documents(source, target, anchors=anchors)


def test_cli_anchors_file(tmp_path, interview):
    _, _, gold = interview
    anchors = tmp_path / "fixed.beads"
    k = 30
    wrong = f"{list(gold[k][0])}:{list(gold[k + 1][1])}"
    anchors.write_text(wrong + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("align", GOLD_EN, GOLD_RU, "--presegmented", "--anchors", anchors, "-o", out,
                    "--formats", "beads,jsonl")
    assert result.exit_code == 0, result.output
    assert wrong in (out / f"{STEM}.en.beads").read_text(encoding="utf-8").splitlines()
    assert "|anchors:" in (out / f"{STEM}.en.jsonl").read_text(encoding="utf-8")


def test_cli_crossing_anchors_are_a_one_line_error(tmp_path):
    anchors = tmp_path / "fixed.beads"
    anchors.write_text("[3]:[3]\n[5]:[2]\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_command("align", GOLD_EN, GOLD_RU, "--presegmented", "--anchors", anchors, "-o", out, cwd=tmp_path)
    assert "anchors cross" in assert_one_line_error(result)
    assert not out.exists()


@pytest.mark.skipif(not (BENCH / "mac").exists(), reason="../shared/bench/mac is absent")
def test_confirming_the_first_wrong_bead_of_a_mac_chapter_can_repair_more_than_that_bead():
    # mac/015 (152 gold beads): one fix re-aligns the rest better. Not every chapter gains from
    # one fix (on mac/007 it costs 0.036 strict F1 now; benchmarks/anchors.py prints them all).
    base = BENCH / "mac"
    source = parse_file(base / "015.zh", resolve_language("zh"), presegmented=True)
    target = parse_file(base / "015.en", resolve_language("en"), presegmented=True)
    gold = read_beads(base / "015.gold")
    before = align_documents(source, target)
    found = pairs(before)
    first_wrong = next(b for b in found if b not in set(gold))
    fix = next(b for b in gold if (first_wrong[0] and first_wrong[0][0] in b[0])
               or (not first_wrong[0] and first_wrong[1][0] in b[1]))
    after = align_documents(source, target, anchors=[Bead(*fix, 1.0)])
    f1_before = score([gold], [found]).f1_strict
    f1_after = score([gold], [pairs(after)]).f1_strict
    # One bead of 152 is worth about 1/152 of F1: a gain of two beads' worth or more must come
    # from re-aligning around the confirmed one.
    assert f1_after >= f1_before + 2 / len(gold), (f1_before, f1_after)
