"""The ``aligner`` command as a new user meets it: help, run, align, segment, bad input.

Happy paths run in-process with click's CliRunner (fast); error paths run the real command
(``python -m aligner``) in a subprocess, to see the exact exit code and stderr a user sees.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    EN_HTML,
    EN_TXT,
    RU_HTML,
    RU_TXT,
    SOURCES,
    STEM,
    assert_one_line_error,
    csv_pairs,
    csv_rows,
    invoke,
    run_command,
    snapshot,
)

from aligner.cli import main

SENTENCE_END = re.compile(r"[.?!…][\"»”)]*(?:\s|$)")
SUMMARY = re.compile(r"(\d+) beads \(([^)]*)\); low confidence: (\d+)")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def txt_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`aligner align` of the bundled .txt pair, done once."""
    out = tmp_path_factory.mktemp("txt") / "out"
    result = invoke("align", EN_TXT, RU_TXT, "-o", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def html_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "out"
    result = invoke("align", EN_HTML, RU_HTML, "-o", out, "--formats", "csv")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture()
def sources_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES, copy)
    return copy


# --------------------------------------------------------------------------- help


def test_top_level_help_lists_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("run", "align", "segment"):
        assert re.search(rf"^\s+{command}\b", result.output, re.MULTILINE), command
    assert "TMX" in result.output and "PO" in result.output and "CSV" in result.output


@pytest.mark.parametrize(
    "command, options",
    [
        ("run", ["--sources", "--output", "--formats", "--src-lang", "--tgt-lang"]),
        ("align", ["SOURCE", "TARGET", "--output", "--formats", "--presegmented", "--src-lang", "--tgt-lang"]),
        ("segment", ["FILE", "--lang"]),
    ],
)
def test_command_help_explains_options(command: str, options: list[str]) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Usage:")
    for option in options:
        assert option in result.output, f"{command} --help does not mention {option}"
    if command != "segment":
        assert "tmx,po,csv" in result.output  # the default formats are shown


def test_version() -> None:
    from aligner import __version__

    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


# --------------------------------------------------------------------------- run


def test_run_writes_three_files_and_a_summary(sources_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", "--sources", sources_copy, "--output", out)
    assert result.exit_code == 0, result.output
    # The fourth file is the segmentation rules used, for CAT tools (tests/test_srx_used.py).
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{STEM}{s}" for s in (".csv", ".po", ".srx", ".tmx"))

    match = SUMMARY.search(result.stdout)
    assert match, result.stdout
    beads, kinds, low = int(match.group(1)), match.group(2), int(match.group(3))
    rows = csv_rows(out / f"{STEM}.csv")
    assert beads == len(rows)
    reported = {k: int(v) for k, v in (part.split(": ") for part in kinds.split(", "))}
    assert reported == dict(Counter(row["bead"] for row in rows))
    assert low == sum(float(row["confidence"]) < 0.5 for row in rows)
    assert "1 document pair(s)" in result.stdout


def test_run_twice_is_byte_identical(sources_copy: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert invoke("run", "--sources", sources_copy, "--output", first).exit_code == 0
    assert invoke("run", "--sources", sources_copy, "--output", second).exit_code == 0
    assert snapshot(first) == snapshot(second)
    assert len(snapshot(first)) == 4
    # and again into the same folder: files replaced by identical ones, nothing added
    assert invoke("run", "--sources", sources_copy, "--output", first).exit_code == 0
    assert snapshot(first) == snapshot(second)


# --------------------------------------------------------------------------- align


def test_align_writes_named_after_source(txt_output: Path) -> None:
    assert sorted(p.name for p in txt_output.iterdir()) == sorted(f"{STEM}{s}" for s in (".csv", ".po", ".srx", ".tmx"))


def test_align_formats_tmx_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("align", EN_TXT, RU_TXT, "-o", out, "--formats", "tmx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.srx", f"{STEM}.tmx"]
    assert (out / f"{STEM}.tmx").read_bytes().startswith(b"<?xml")
    assert SUMMARY.search(result.stdout)


def test_txt_and_html_give_the_same_pairs(txt_output: Path, html_output: Path) -> None:
    txt_pairs = csv_pairs(txt_output / f"{STEM}.csv")
    html_pairs = csv_pairs(html_output / f"{STEM}.csv")
    assert len(txt_pairs) > 20
    assert html_pairs == txt_pairs


def test_cp1251_input_gives_the_same_pairs(tmp_path: Path, txt_output: Path) -> None:
    text = RU_TXT.read_text(encoding="utf-8")
    data = text.encode("cp1251")  # every character of the bundled text exists in cp1251
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # so the command really has to fall back to cp1251
    legacy = tmp_path / "ru" / f"{STEM}.txt"
    legacy.parent.mkdir()
    legacy.write_bytes(data)
    out = tmp_path / "out"
    result = invoke("align", EN_TXT, legacy, "-o", out, "--formats", "csv")
    assert result.exit_code == 0, result.output
    assert csv_pairs(out / f"{STEM}.csv") == csv_pairs(txt_output / f"{STEM}.csv")


# --------------------------------------------------------------------------- segment


def test_segment_prints_sentences_by_paragraph() -> None:
    result = invoke("segment", RU_TXT, "--lang", "ru")
    assert result.exit_code == 0
    output = result.stdout
    for chrome in ("Расширенные настройки", "ru-RU1", "en-GB1"):
        assert chrome not in output
    blocks = output.rstrip("\n").split("\n\n")
    assert all(block.strip() and "\n\n" not in block for block in blocks)
    assert not any(line != line.strip() for line in output.splitlines())

    # The paragraphs are those of the input, minus the date line and page chrome; splitting
    # into sentences only cuts at white space and loses nothing.
    input_text = RU_TXT.read_text(encoding="utf-8")
    chunks = [" ".join(line.strip() for line in chunk.splitlines() if line.strip())
              for chunk in re.split(r"\n\s*\n", input_text)]
    chunks = [c for c in chunks if c]
    chrome = {c for c in chunks if c == "Расширенные настройки" or "ru-RU1" in c
              or re.fullmatch(r"\d{1,2} декабря \d{4}\s*\d\d:\d\d", c)}
    assert len(chrome) == 3
    assert [" ".join(block.split("\n")) for block in blocks] == [c for c in chunks if c not in chrome]

    # Each line is one sentence: no sentence end followed by a new sentence inside a line,
    # and paragraphs of several sentences are really split.
    lines = [line for block in blocks[1:] for line in block.split("\n")]
    for line in lines:
        assert not re.search(r"[.?!]\s+[«А-ЯЁA-Z]", line), line
        assert re.search(r"[.?!…»\")]$", line), line
    assert len(lines) > len(blocks) + 10
    question = next(block for block in blocks if block.startswith("Вопрос:"))
    assert len(question.split("\n")) == len(SENTENCE_END.findall(question.replace("\n", " "))) == 4


def test_segment_english_one_line_per_sentence() -> None:
    """The English text has no abbreviations with a period: every sentence end starts a line."""
    result = invoke("segment", EN_TXT, "--lang", "en")
    assert result.exit_code == 0
    blocks = result.stdout.rstrip("\n").split("\n\n")
    assert "Advanced settings" not in result.stdout and "en-GB1" not in result.stdout
    for block in blocks[1:]:  # the first block is the title, which has no final period
        assert len(block.split("\n")) == len(SENTENCE_END.findall(block.replace("\n", " "))), block


@pytest.fixture(scope="module")
def segmented_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """`segment` of both bundled .txt files, then `align --presegmented` of what it printed."""
    base = tmp_path_factory.mktemp("segmented")
    printed, files = {}, {}
    for lang, path in (("en", EN_TXT), ("ru", RU_TXT)):
        result = invoke("segment", path, "--lang", lang)
        assert result.exit_code == 0
        printed[lang] = result.stdout
        files[lang] = base / lang / f"{STEM}.txt"
        files[lang].parent.mkdir()
        files[lang].write_text(result.stdout, encoding="utf-8")
    out = base / "out"
    result = invoke("align", files["en"], files["ru"], "-o", out, "--formats", "csv", "--presegmented")
    assert result.exit_code == 0, result.output
    return printed, out / f"{STEM}.csv"


def test_segment_output_is_read_back_by_presegmented_align(
    segmented_output: tuple[dict[str, str], Path]
) -> None:
    """`align --presegmented` keeps every line `segment` printed as one sentence, in order."""
    printed, csv_path = segmented_output
    rows = csv_rows(csv_path)
    for column, lang in (("source", "en"), ("target", "ru")):
        sentences = [line for line in printed[lang].splitlines() if line.strip()]
        joined = " ".join(row[column] for row in rows if row[column])
        assert joined == " ".join(sentences)
        counted = sum(len(row[f"{column}_sentences"].split()) for row in rows)
        assert counted == len(sentences)


def test_segment_then_presegmented_align_matches_direct_align(
    segmented_output: tuple[dict[str, str], Path], txt_output: Path
) -> None:
    """Same sentences, same paragraphs: the round trip through `segment` should not change the pairs."""
    _, csv_path = segmented_output
    assert csv_pairs(csv_path) == csv_pairs(txt_output / f"{STEM}.csv")


# --------------------------------------------------------------------------- bad input


def _bad_target(tmp_path: Path, kind: str) -> Path:
    if kind == "missing":
        return tmp_path / "inputs" / "nowhere.txt"
    if kind == "directory":
        return tmp_path / "inputs"
    path = tmp_path / "inputs" / {"empty": "empty.txt", "blank": "blank.txt", "binary": "binary.txt",
                                  "png": "picture.html"}[kind]
    path.write_bytes(
        {
            "empty": b"",
            "blank": b"  \n\n\t\n",
            "binary": bytes(range(256)) * 10,
            "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(300),
        }[kind]
    )
    return path


@pytest.mark.parametrize("kind", ["missing", "empty", "blank", "binary", "png", "directory"])
def test_bad_target_file_fails_cleanly(kind: str, tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    target = _bad_target(tmp_path, kind)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_bytes(b"already here")
    before = snapshot(out)
    result = run_command("align", EN_TXT, target, "-o", out, cwd=tmp_path)
    message = assert_one_line_error(result)
    assert target.name in message or str(target) in message
    assert snapshot(out) == before
    assert result.stdout == ""


def test_bad_input_does_not_create_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_command("align", EN_TXT, tmp_path / "nowhere.txt", "-o", out, cwd=tmp_path)
    assert_one_line_error(result)
    assert not out.exists()


def test_swapped_languages_fail_with_a_script_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_command("align", RU_TXT, EN_TXT, "-o", out, "--src-lang", "en", "--tgt-lang", "ru", cwd=tmp_path)
    message = assert_one_line_error(result)
    assert "script" in message.lower() or "language" in message.lower()
    assert "--src-lang" in message or "lang" in message
    assert snapshot(out) == {}


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_command("align", EN_TXT, RU_TXT, "-o", out, "--formats", "xyz", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert all(name in result.stderr for name in ("tmx", "po", "csv"))
    assert snapshot(out) == {}
    message = assert_one_line_error(result)  # the CLI promises one line per error
    assert "xyz" in message or "--formats" in message


def test_output_path_that_is_a_file_is_bad_input(tmp_path: Path) -> None:
    occupied = tmp_path / "out"
    occupied.write_bytes(b"not a folder")
    result = run_command("align", EN_TXT, RU_TXT, "-o", occupied, "--formats", "csv", cwd=tmp_path)
    message = assert_one_line_error(result, expected_code=2)
    assert "out" in message
    assert occupied.read_bytes() == b"not a folder"


def test_run_with_a_binary_file_fails_in_one_line(sources_copy: Path, tmp_path: Path) -> None:
    (sources_copy / "ru" / f"{STEM}.html").write_bytes(bytes(range(256)) * 10)
    out = tmp_path / "out"
    result = run_command("run", "--sources", sources_copy, "--output", out, cwd=tmp_path)
    message = assert_one_line_error(result)
    assert f"{STEM}.html" in message
    assert snapshot(out) == {}


def test_run_without_matching_files_fails_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "src" / "en").mkdir(parents=True)
    (tmp_path / "src" / "ru").mkdir()
    (tmp_path / "src" / "en" / "a.txt").write_text("Some English text here.", encoding="utf-8")
    (tmp_path / "src" / "ru" / "b.txt").write_text("Какой-то русский текст.", encoding="utf-8")
    result = run_command("run", "--sources", tmp_path / "src", "--output", tmp_path / "out", cwd=tmp_path)
    assert_one_line_error(result)
    assert not (tmp_path / "out").exists()


def test_failed_run_keeps_the_earlier_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = invoke("align", EN_TXT, RU_TXT, "-o", out)
    assert good.exit_code == 0, good.output
    before = snapshot(out)
    assert f"{STEM}.tmx" in before and len(before[f"{STEM}.tmx"]) > 1000

    broken = tmp_path / "broken" / f"{STEM}.txt"
    broken.parent.mkdir()
    broken.write_bytes(bytes(range(256)) * 10)
    result = run_command("align", EN_TXT, broken, "-o", out, cwd=tmp_path)
    assert_one_line_error(result)
    assert snapshot(out) == before  # same names (no hidden temporary file) and same bytes


def test_source_date_epoch_dates_an_undated_input(tmp_path: Path) -> None:
    """Pre-segmented files carry no date: SOURCE_DATE_EPOCH is what the TMX and PO get."""
    (tmp_path / "en.txt").write_text(
        "The talks lasted three hours.\nBoth sides signed the agreement.\n\nThe next round is in May.\n",
        encoding="utf-8",
    )
    (tmp_path / "ru.txt").write_text(
        "Переговоры длились три часа.\nОбе стороны подписали соглашение.\n\nСледующий раунд пройдёт в мае.\n",
        encoding="utf-8",
    )
    outputs = []
    for epoch in ("1234567890", "1234567890", "1300000000"):
        out = tmp_path / f"out-{len(outputs)}"
        result = CliRunner(env={"SOURCE_DATE_EPOCH": epoch}).invoke(
            main, ["align", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), "-o", str(out),
                   "--presegmented", "--formats", "tmx,po"],
        )
        assert result.exit_code == 0, result.output
        outputs.append(snapshot(out))
    moment = datetime.fromtimestamp(1234567890, tz=timezone.utc)
    assert f'creationdate="{moment:%Y%m%dT%H%M%SZ}"'.encode() in outputs[0]["en.tmx"]
    assert f'"POT-Creation-Date: {moment:%Y-%m-%d %H:%M}'.encode() in outputs[0]["en.po"]
    assert outputs[0] == outputs[1]
    assert outputs[0]["en.tmx"] != outputs[2]["en.tmx"]


# --------------------------------------------------------------------------- formats, batches, convert


def test_align_writes_tsv_jsonl_and_a_moses_bitext(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("align", EN_TXT, RU_TXT, "-o", out, "--formats", "csv,tsv,jsonl,moses")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{STEM}{s}" for s in (".csv", ".tsv", ".jsonl", ".en", ".ru", ".srx"))
    pairs = [(s, t) for s, t in csv_pairs(out / f"{STEM}.csv") if s and t]
    english = (out / f"{STEM}.en").read_text(encoding="utf-8").splitlines()
    russian = (out / f"{STEM}.ru").read_text(encoding="utf-8").splitlines()
    assert list(zip(english, russian)) == pairs
    tsv_lines = (out / f"{STEM}.tsv").read_text(encoding="utf-8").splitlines()
    jsonl_lines = (out / f"{STEM}.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(tsv_lines) - 1 == len(jsonl_lines) == len(csv_rows(out / f"{STEM}.csv"))


def test_min_confidence_keep_unaligned_and_excel_reach_the_files(tmp_path: Path, txt_output: Path) -> None:
    rows = csv_rows(txt_output / f"{STEM}.csv")
    confidences = sorted(float(r["confidence"]) for r in rows if r["source"] and r["target"])
    threshold = confidences[len(confidences) // 2]
    out = tmp_path / "out"
    result = invoke("align", EN_TXT, RU_TXT, "-o", out, "--formats", "tmx,csv", "--min-confidence", threshold,
                    "--keep-unaligned", "--excel")
    assert result.exit_code == 0, result.output
    tmx = (out / f"{STEM}.tmx").read_text(encoding="utf-8")
    assert tmx.count("<tu ") == sum(c >= threshold for c in confidences) < len(confidences)
    assert (out / f"{STEM}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(csv_rows(out / f"{STEM}.csv")) == len(rows)  # the CSV keeps everything


def test_min_confidence_outside_zero_to_one_is_a_usage_error(tmp_path: Path) -> None:
    result = run_command("align", EN_TXT, RU_TXT, "-o", tmp_path / "out", "--min-confidence", "1.5", cwd=tmp_path)
    assert "--min-confidence" in assert_one_line_error(result)


def test_run_with_two_pairs_also_writes_a_merged_tmx(sources_copy: Path, tmp_path: Path) -> None:
    for language in ("en", "ru"):
        shutil.copyfile(sources_copy / language / f"{STEM}.txt", sources_copy / language / "second.txt")
    out = tmp_path / "out"
    result = invoke("run", "--sources", sources_copy, "--output", out, "--formats", "tmx")
    assert result.exit_code == 0, result.output
    merged = out / "merged" / "all.tmx"
    assert f"merged TMX of all pairs: {merged}" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{STEM}.srx", f"{STEM}.tmx", "second.srx", "second.tmx", "merged"])
    assert sorted(p.name for p in (out / "merged").iterdir()) == ["all.srx", "all.tmx"]
    units = {name: re.findall(r'<tu tuid="([^"]+)"', (out / f"{name}.tmx").read_text(encoding="utf-8"))
             for name in (STEM, "second")}
    merged_units = re.findall(r'<tu tuid="([^"]+)"', merged.read_text(encoding="utf-8"))
    assert merged_units == units[STEM] + units["second"]  # pairs in name order, units in document order
    assert len(set(merged_units)) == len(merged_units) > 40


def test_convert_tmx_to_po_and_back_to_tmx(txt_output: Path, tmp_path: Path) -> None:
    po = tmp_path / "converted.po"
    result = invoke("convert", txt_output / f"{STEM}.tmx", po)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {po}"
    back = tmp_path / f"{STEM}.tmx"
    assert invoke("convert", po, back).exit_code == 0
    assert back.read_bytes() == (txt_output / f"{STEM}.tmx").read_bytes()


def test_convert_moses_in_and_out(txt_output: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.en"
    result = invoke("convert", txt_output / f"{STEM}.tmx", corpus)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.en", "corpus.ru"]
    csv_out = tmp_path / "back.csv"
    assert invoke("convert", corpus, csv_out).exit_code == 0
    pairs = [(s, t) for s, t in csv_pairs(txt_output / f"{STEM}.csv") if s and t]
    assert csv_pairs(csv_out) == pairs


def test_convert_from_csv_with_language_tags(txt_output: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = invoke("convert", txt_output / f"{STEM}.csv", out, "--src-lang-code", "en-US", "--tgt-lang-code", "ru-RU")
    assert result.exit_code == 0, result.output
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert '"source_lang": "en-US"' in first and '"target_lang": "ru-RU"' in first


def test_convert_prints_each_warning_once_on_one_line(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('source,target\r\n"Vertical\x0btab and \x01 start",Текст\r\n', encoding="utf-8")
    out = tmp_path / "out.tmx"
    result = run_command("convert", source, out, "--src-lang-code", "en", "--tgt-lang-code", "ru", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "aligner: warning: in-1 source: replaced U+000B by a space; removed U+0001 (characters XML 1.0 forbids)"
    ]
    assert "<seg>Vertical tab and  start</seg>" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("gold.beads", "[0]:[0]\n", "cannot be converted"),
        ("table.xlsx", "source,target\n", "suffix"),
        ("table.csv", "source,target\r\nHello.,Привет.\r\n", "--src-lang-code"),
        ("broken.po", "this is not gettext\n", "not a readable PO file"),
        ("rows.tsv", "source\ttarget\nonly one cell\n", "cells"),
    ],
)
def test_convert_bad_input_fails_in_one_line(name: str, content: str, expected: str, tmp_path: Path) -> None:
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run_command("convert", source, out / "converted.tmx", cwd=tmp_path)
    assert expected in assert_one_line_error(result)
    assert not out.exists()


def test_convert_refuses_to_overwrite_its_input(txt_output: Path, tmp_path: Path) -> None:
    copy = tmp_path / "in.tmx"
    shutil.copyfile(txt_output / f"{STEM}.tmx", copy)
    before = copy.read_bytes()
    result = run_command("convert", copy, copy, cwd=tmp_path)
    assert "itself" in assert_one_line_error(result)
    assert copy.read_bytes() == before


def _hostile(kind: str) -> bytes:
    body = ('<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
            'adminlang="en" srclang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>{}</seg></tuv>'
            '<tuv xml:lang="ru"><seg>Текст</seg></tuv></tu></body></tmx>')
    if kind == "external-entity":
        return ('<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body.format("&xxe;")).encode()
    if kind == "billion-laughs":
        entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
        return (f"<!DOCTYPE tmx [{entities}]>" + body.format("&l9;")).encode()
    return body.format("x" * (50 * 2**20)).encode()  # 50 MB in one segment


@pytest.mark.parametrize("kind", ["external-entity", "billion-laughs", "50-mb-segment"])
def test_convert_refuses_hostile_tmx_in_one_line(kind: str, tmp_path: Path) -> None:
    source = tmp_path / "evil.tmx"
    source.write_bytes(_hostile(kind))
    out = tmp_path / "out"
    result = run_command("convert", source, out / "evil.csv", cwd=tmp_path)
    message = assert_one_line_error(result)
    assert "evil.tmx" in message
    assert "root:" not in result.stdout + result.stderr and "lollol" not in result.stderr
    assert not out.exists()


def test_warning_printers_do_not_pile_up_across_invocations() -> None:
    import logging

    before = list(logging.getLogger("aligner").handlers)
    for _ in range(3):
        assert invoke("--version").exit_code == 0
        assert invoke("segment", EN_TXT, "--lang", "en").exit_code == 0
    assert logging.getLogger("aligner").handlers == before
