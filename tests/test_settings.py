"""Settings: one object for every option that changes output, and the signature outputs carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EN_TXT, RU_TXT, SOURCES, STEM, invoke, settings_for

import aligner
from aligner.align import AlignSettings, CostModel
from aligner.errors import AlignerError
from aligner.settings import parse_signature, with_changes
from aligner.version import __version__

SIGNED = ("tmx", "po", "jsonl", "xliff")
SUFFIX = {"tmx": ".tmx", "po": ".po", "jsonl": ".jsonl", "xliff": ".xlf"}


def run(tmp_path: Path, name: str, *options: str) -> Path:
    out = tmp_path / name
    result = invoke("run", "--sources", SOURCES, "-o", out, "--formats", ",".join(SIGNED), *options)
    assert result.exit_code == 0, result.output
    return out


def signatures(out: Path) -> dict[str, str | None]:
    return {name: aligner.read(out / f"{STEM}{SUFFIX[name]}").signature for name in SIGNED}


def test_every_output_with_room_for_it_carries_the_run_signature(tmp_path: Path) -> None:
    out = run(tmp_path, "out")
    found = signatures(out)
    expected = settings_for().signature
    assert set(found.values()) == {expected}
    fields = parse_signature(expected)
    assert fields["aligner"] == __version__
    assert fields["srx"].startswith("aligner.srx@") and len(fields["srx"]) == len("aligner.srx@") + 8
    assert (fields["dict"], fields["mt"], fields["learn"], fields["align"]) == ("none", "none", "yes", "default")
    # Where it is written: a TMX header prop, a PO header field, a JSONL key on every line.
    assert '<prop type="x-aligner-signature">' in (out / f"{STEM}.tmx").read_text(encoding="utf-8")
    assert f'"X-Aligner-Signature: {expected}' in (out / f"{STEM}.po").read_text(encoding="utf-8")
    lines = (out / f"{STEM}.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["signature"] for line in lines} == {expected}


def test_same_options_give_the_same_signature_and_others_another(tmp_path: Path) -> None:
    dictionary = tmp_path / "en-ru.dic"
    dictionary.write_text("мяч @ ball\n", encoding="utf-8")
    runs = {
        "default": run(tmp_path, "a"),
        "default again": run(tmp_path, "b"),
        "band": run(tmp_path, "c", "--set", "band_margin=24"),
        "variance": run(tmp_path, "d", "--set", "variance=7.5"),
        "learn": run(tmp_path, "e", "--no-learn"),
        "dictionary": run(tmp_path, "f", "--dictionary", str(dictionary)),
    }
    found = {label: signatures(out)["tmx"] for label, out in runs.items()}
    assert found["default"] == found["default again"]
    assert len(set(found.values())) == len(found) - 1
    assert "band_margin=24" in found["band"] and "variance=7.5" in found["variance"]
    assert parse_signature(found["learn"])["learn"] == "no"
    assert parse_signature(found["dictionary"])["dict"] != "none"


def test_changed_rules_change_the_signature(tmp_path: Path) -> None:
    from aligner.segment import default_srx_path

    rules = tmp_path / "rules.srx"
    rules.write_bytes(default_srx_path().read_bytes())
    first = settings_for(srx=rules).signature
    rules.write_bytes(default_srx_path().read_bytes().replace(b"Mr|Mrs", b"Mrs|Mr"))
    assert settings_for(srx=rules).signature != first
    assert parse_signature(first)["srx"].startswith("rules.srx@")


@pytest.mark.parametrize("chain", [("tmx", "po", "jsonl", "xliff", "tmx"), ("jsonl", "xliff", "po")])
def test_convert_keeps_the_signature(tmp_path: Path, chain: tuple[str, ...]) -> None:
    out = run(tmp_path, "out")
    expected = settings_for().signature
    current = out / f"{STEM}{SUFFIX[chain[0]]}"
    for step, name in enumerate(chain[1:]):
        following = tmp_path / f"step{step}{SUFFIX[name]}"
        result = invoke("convert", current, following)
        assert result.exit_code == 0, result.output
        assert aligner.read(following).signature == expected, (current, following)
        current = following


def test_a_format_without_room_for_it_drops_it_and_nothing_invents_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("align", EN_TXT, RU_TXT, "-o", out, "--formats", "csv").exit_code == 0
    assert aligner.read(out / f"{STEM}.csv").signature is None
    converted = tmp_path / "from-csv.tmx"
    assert invoke("convert", out / f"{STEM}.csv", converted, "--src-lang-code", "en", "--tgt-lang-code", "ru").exit_code == 0
    assert "x-aligner-signature" not in converted.read_text(encoding="utf-8")


def test_alignment_settings_are_set_by_name_with_their_types() -> None:
    changed = with_changes(AlignSettings(), {"band_margin": "24", "variance": "7.5", "learn": "no"})
    assert (changed.band_margin, changed.model.variance, changed.learn) == (24, 7.5, False)
    assert changed.model == CostModel(variance=7.5)
    with pytest.raises(AlignerError, match="'bandwidth' is not an alignment setting; the settings are .*band_margin"):
        with_changes(AlignSettings(), {"bandwidth": "3"})
    with pytest.raises(AlignerError, match="band_margin takes a whole number, such as 4"):
        with_changes(AlignSettings(), {"band_margin": "wide"})
    with pytest.raises(AlignerError, match="cannot be negative"):
        with_changes(AlignSettings(), {"variance": "-1"})


def test_a_bad_setting_on_the_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from conftest import assert_one_line_error, run_command

    result = run_command("align", EN_TXT, RU_TXT, "-o", tmp_path / "out", "--set", "bandwidth=3", cwd=tmp_path)
    assert "not an alignment setting" in assert_one_line_error(result)
    result = run_command("align", EN_TXT, RU_TXT, "-o", tmp_path / "out", "--set", "band_margin", cwd=tmp_path)
    assert "NAME=VALUE" in assert_one_line_error(result)
    assert not (tmp_path / "out").exists()


def test_parse_signature_refuses_what_is_no_signature() -> None:
    with pytest.raises(AlignerError, match="not an aligner signature"):
        parse_signature("hello world")


def test_the_settings_page_is_generated_from_the_settings_themselves() -> None:
    from conftest import REPO

    from aligner.settings import settings_reference

    page = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == settings_reference(), "docs/settings.md is stale: regenerate it as its first lines say"
    for name in ("band_margin", "learning_rounds", "variance", "temperature"):
        assert f"`{name}`" in page


def test_the_api_example_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import REPO

    result = subprocess.run([sys.executable, str(REPO / "examples" / "api.py"), str(tmp_path)],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "66 beads" in result.stdout and "quality gate: passed" in result.stdout
    assert aligner.read(tmp_path / f"{STEM}.po").records
