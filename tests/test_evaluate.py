"""Strict and lax precision / recall / F1 as Vecalign's scorer defines them."""

from pathlib import Path

import pytest

from aligner.errors import AlignerError
from aligner.evaluate import format_beads, read_beads, score

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
