"""Every hostile or broken input a user can give, as one table: the command, its exit code, a
fragment of its message, and what must (not) have happened to the output folder.

Each row runs the real command (``python -m aligner``) in a subprocess, as a user would, so
that exit codes, stderr and files on disk are exactly what a user meets. A failing row (exit
code other than 0 or 1) must print one line and leave the output folder as it was; a row that
succeeds is checked for the right output, not only for a zero exit code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import EN_HTML, EN_TXT, REPO, RU_HTML, RU_TXT, STEM, csv_pairs, run_command, snapshot

Check = Callable[[subprocess.CompletedProcess[str], Path], None]

EN_TEXT = EN_TXT.read_text(encoding="utf-8")
RU_TEXT = RU_TXT.read_text(encoding="utf-8")
# Russian text every Cyrillic code page can carry (KOI8-R and ISO-8859-5 have no «», dashes or №).
RU_PLAIN = RU_TEXT.translate({ord("«"): '"', ord("»"): '"', ord("–"): "-", ord("—"): "-", ord("№"): "N", ord("…"): "...", ord("•"): "*"})
UNRELATED_RU = (REPO / "tests" / "data" / "segmentation" / "ru.txt").read_text(encoding="utf-8")
RU_WORDS = ("Пандемия изменила в этом году жизнь людей", "С.В.Лавров")
EN_WORDS = ("Sergey Lavrov", "vaccine")
DEAD_PID = 4_194_304 + 17  # above Linux's largest pid: never a live process


@dataclass(frozen=True)
class Case:
    """One row: files to create under the row's folder, the command, and what must come of it.

    ``{dir}`` in an argument is the row's folder, ``{out}`` its output folder (which holds one
    file of a user's, ``keep.txt``, before the command runs). ``message`` must occur in stderr
    (for a failure: in its one line) or, when the command succeeds, in stdout + stderr.
    """

    id: str
    args: tuple[str, ...]
    code: int
    message: str
    files: dict[str, bytes] = field(default_factory=dict)
    check: Check | None = None
    env: dict[str, str] = field(default_factory=dict)
    read_only_output: bool = False


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def html_page(body: str, head: str = "<title>A page</title>", charset: str = "utf-8") -> bytes:
    return utf8(f"<!DOCTYPE html><html><head><meta charset=\"{charset}\">{head}</head><body>{body}</body></html>")


def numbered(count: int) -> list[str]:
    return [f"This is paragraph number {n}, and it says enough to be taken for running prose." for n in range(1, count + 1)]


def segmented_paragraphs(expected: list[str]) -> Check:
    """`aligner segment` printed exactly these paragraphs, in order."""
    def check(result: subprocess.CompletedProcess[str], out: Path) -> None:
        paragraphs = [" ".join(block.split("\n")) for block in result.stdout.strip().split("\n\n")]
        found = [p for p in paragraphs if p.startswith("This is paragraph number")]
        assert found == expected, (len(found), len(expected))
    return check


def csv_has(*fragments: str, side: str = "both") -> Check:
    """The CSV written into {out} contains each fragment (and no U+FFFD where they are)."""
    def check(result: subprocess.CompletedProcess[str], out: Path) -> None:
        (path,) = [p for p in out.iterdir() if p.suffix == ".csv"]
        pairs = csv_pairs(path)
        text = " ".join(s + " " + t for s, t in pairs)
        for fragment in fragments:
            assert fragment in text, fragment
        assert len(pairs) > 30
    return check


def po_has_one_header(result: subprocess.CompletedProcess[str], out: Path) -> None:
    (path,) = [p for p in out.iterdir() if p.suffix == ".po"]
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(r'^msgid ""\nmsgstr', text, re.MULTILINE)) == 1
    if shutil.which("msgfmt"):
        checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def file_contains(name: str, *fragments: str, absent: tuple[str, ...] = ()) -> Check:
    def check(result: subprocess.CompletedProcess[str], out: Path) -> None:
        text = (out / name).read_text(encoding="utf-8")
        for fragment in fragments:
            assert fragment in text, (fragment, text[:2000])
        for fragment in absent:
            assert fragment not in text, fragment
    return check


def unchanged_inputs(*names: str) -> Check:
    def check(result: subprocess.CompletedProcess[str], out: Path) -> None:
        for name in names:
            assert (out / name).read_bytes() == ORIGINALS[name]
    return check


def no_leftovers(result: subprocess.CompletedProcess[str], out: Path) -> None:
    assert not [p for p in out.iterdir() if "aligner-" in p.name]
    assert (out / "en.csv").is_file()


def jsonl_line(**changes: object) -> str:
    record = {"source": "Hello.", "target": "Привет.", "unit": 1, "source_lang": "en-GB", "target_lang": "ru-RU"}
    record.update(changes)
    return json.dumps(record, ensure_ascii=False)


def tmx(units: str, srclang: str = "en-GB", header: str = "") -> bytes:
    return utf8(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
        f'segtype="sentence" o-tmf="t" adminlang="en" srclang="{srclang}" datatype="plaintext"{header}/>'
        f"<body>{units}</body></tmx>\n"
    )


def tu(source: str, target: str, tuid: str = "", props: str = "", languages: tuple[str, str] = ("en-GB", "ru-RU")) -> str:
    attribute = f' tuid="{tuid}"' if tuid else ""
    return (f'<tu{attribute}>{props}<tuv xml:lang="{languages[0]}"><seg>{source}</seg></tuv>'
            f'<tuv xml:lang="{languages[1]}"><seg>{target}</seg></tuv></tu>')


INLINE_SOURCE = ('Press <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> now<ph x="2">&lt;br/&gt;</ph> '
                 '<hi type="x-em">here</hi><it pos="begin">&lt;i&gt;</it>.')
INLINE_TARGET = 'Нажмите <bpt i="1">&lt;b&gt;</bpt>Сохранить<ept i="1">&lt;/b&gt;</ept>.'
PO_HEADER = ('msgid ""\nmsgstr ""\n"Language: ru_RU\\n"\n"X-Source-Language: en-GB\\n"\n'
             '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n'
             '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
PO_RICH = PO_HEADER + (
    'msgctxt "menu"\nmsgid "Open"\nmsgstr "Открыть"\n\n'
    'msgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "%d файл"\nmsgstr[1] "%d файла"\nmsgstr[2] "%d файлов"\n\n'
    '#~ msgid "Old text"\n#~ msgstr "Старый текст"\n'
)
DEEP = 300
BILLION_LAUGHS = ('<!DOCTYPE tmx [<!ENTITY l0 "lol">'
                  + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)) + "]>")
BIG_TMX_UNITS = 45_000


def big_tmx() -> bytes:
    """A TMX over 64 MB (the reading cap that the toolkit had, while it could write larger ones)."""
    unit = tu("This is a sentence of a long book, number {n}, with some words. " * 8,
              "Это предложение длинной книги, номер {n}, с несколькими словами. " * 8, tuid="book-{n}")
    data = tmx("".join(unit.replace("{n}", str(n)) for n in range(1, BIG_TMX_UNITS + 1)))
    assert len(data) > 64 * 2**20
    return data


def koi8_score(result: subprocess.CompletedProcess[str], out: Path) -> None:
    assert re.search(r"^BLEU = 100\.00", result.stdout, re.MULTILINE), result.stdout


ORIGINALS = {"corpus.en": utf8("One sentence.\nTwo sentences.\n"), "corpus.ru": utf8("Одно предложение.\nДва предложения.\n")}

CASES = [
    # ---------------------------------------------------------------- decoding (issue items 1, 2)
    Case("utf8-stray-ff-byte", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0,
         "invalid UTF-8", {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT[:500]) + b"\xff" + utf8(RU_TEXT[500:])},
         csv_has(*RU_WORDS)),
    Case("utf8-encoded-surrogate", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0,
         "line", {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT[:800]) + b"\xed\xa0\x80" + utf8(RU_TEXT[800:])},
         csv_has(*RU_WORDS)),
    Case("koi8-r", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": utf8(EN_TEXT), "ru.txt": RU_PLAIN.encode("koi8-r")}, csv_has(*RU_WORDS)),
    Case("cp1251", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": utf8(EN_TEXT), "ru.txt": RU_PLAIN.encode("cp1251")}, csv_has(*RU_WORDS)),
    Case("iso-8859-5", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": utf8(EN_TEXT), "ru.txt": RU_PLAIN.encode("iso-8859-5")}, csv_has(*RU_WORDS)),
    Case("mac-cyrillic", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": utf8(EN_TEXT), "ru.txt": RU_PLAIN.encode("mac-cyrillic")}, csv_has(*RU_WORDS)),
    Case("koi8-r-score", ("score", "--hyp", "{dir}/hyp.txt", "--ref", "{dir}/ref.txt"), 0, "",
         {"hyp.txt": RU_PLAIN.encode("koi8-r"), "ref.txt": utf8(RU_PLAIN)}, koi8_score),
    Case("utf16-bom", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": EN_TEXT.encode("utf-16"), "ru.txt": utf8(RU_TEXT)}, csv_has(*EN_WORDS)),
    Case("utf16-le-without-bom", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": EN_TEXT.encode("utf-16-le"), "ru.txt": RU_TEXT.encode("utf-16-le")}, csv_has(*EN_WORDS, *RU_WORDS)),
    Case("utf16-be-without-bom", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": EN_TEXT.encode("utf-16-be"), "ru.txt": utf8(RU_TEXT)}, csv_has(*EN_WORDS)),
    Case("utf8-bom", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.txt": b"\xef\xbb\xbf" + utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}, csv_has(*EN_WORDS)),
    Case("html-utf8-declared-latin1", ("align", "{dir}/en.html", "{dir}/ru.html", "-o", "{out}", "--formats", "csv"), 0,
         "iso-8859-1", {"en.html": EN_HTML.read_bytes(),
                        "ru.html": RU_HTML.read_bytes().replace(b'<meta charset="utf-8">', b'<meta charset="iso-8859-1">')},
         csv_has(*RU_WORDS)),
    Case("html-cp1251-declared", ("align", "{dir}/en.html", "{dir}/ru.html", "-o", "{out}", "--formats", "csv"), 0, "",
         {"en.html": EN_HTML.read_bytes(),
          "ru.html": RU_HTML.read_text(encoding="utf-8").replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
          .encode("cp1251", errors="replace")},
         csv_has(*RU_WORDS)),
    Case("html-meta-charset-undefined", ("align", "{dir}/en.html", "{dir}/ru.html", "-o", "{out}", "--formats", "csv"), 0,
         "undefined", {"en.html": EN_HTML.read_bytes(),
                       "ru.html": RU_HTML.read_bytes().replace(b'<meta charset="utf-8">', b'<meta charset="undefined">')},
         csv_has(*RU_WORDS)),
    Case("html-meta-charset-not-a-text-codec", ("segment", "{dir}/a.html", "--lang", "en"), 0, "base64",
         {"a.html": html_page("<p>" + numbered(1)[0] + "</p>", charset="base64")},
         segmented_paragraphs(numbered(1))),
    Case("swapped-languages", ("align", "{dir}/ru.txt", "{dir}/en.txt", "-o", "{out}"), 2, "script",
         {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}),
    Case("wrong-language-same-script", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--src-lang", "de",
                                        "--formats", "csv"), 0, "English",
         {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}),
    # ---------------------------------------------------------------- HTML (item 3, 9)
    Case("html-300-deep-div", ("segment", "{dir}/a.html", "--lang", "en"), 0, "",
         {"a.html": html_page("<article>" + "".join(f"<p>{p}</p>" for p in numbered(5)) + "<div>" * DEEP + "deep"
                              + "</div>" * DEEP + "".join(f"<p>{p}</p>" for p in numbered(10)[5:]) + "</article>")},
         segmented_paragraphs(numbered(10))),
    Case("html-deep-throughout", ("segment", "{dir}/a.html", "--lang", "en"), 0, "",
         {"a.html": html_page("<div>" * 5000 + "".join(f"<p>{p}</p>" for p in numbered(6)) + "</div>" * 5000)},
         segmented_paragraphs(numbered(6))),
    Case("html-400-unclosed-font", ("segment", "{dir}/a.html", "--lang", "en"), 0, "",
         {"a.html": html_page("<div>" + "".join(f"<p><font color=red>{p}</p>" for p in numbered(400)) + "</div>")},
         segmented_paragraphs(numbered(400))),
    Case("html-unclosed-b-and-span", ("segment", "{dir}/a.html", "--lang", "en"), 0, "",
         {"a.html": html_page('<div><ul class="menu"><li><a href="/">Home</a><li><a href="/n">News</a></ul><div>'
                              + "".join(f"<p><b><span>{p}</p>" for p in numbered(40)) + "</div></div>")},
         segmented_paragraphs(numbered(40))),
    Case("html-navigation-only", ("align", "{dir}/en.html", "{dir}/ru.html", "-o", "{out}"), 2, "no article text",
         {"en.html": html_page('<ul><li><a href="/a">World news</a></li><li><a href="/b">Sport and more sport</a></li>'
                               '<li><a href="/c">Culture</a></li></ul>', head="<title>News of the day</title>"),
          "ru.html": RU_HTML.read_bytes()}),
    Case("html-control-characters", ("segment", "{dir}/a.html", "--lang", "en"), 0, "control character",
         {"a.html": html_page(f"<p>{numbered(1)[0][:-1]}\x08<script>x()</script>\x1b, again.</p><p>{numbered(2)[1]}</p>")},
         segmented_paragraphs([numbered(1)[0][:-1] + ", again.", numbered(2)[1]])),
    Case("html-empty-page", ("segment", "{dir}/a.html", "--lang", "en"), 2, "no text", {"a.html": html_page("")}),
    Case("html-png-named-html", ("segment", "{dir}/a.html", "--lang", "en"), 2, "binary",
         {"a.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(300)}),
    Case("html-year-one-meta-date", ("align", "{dir}/en.html", "{dir}/ru.html", "-o", "{out}", "--formats", "tmx"), 0, "",
         {"en.html": html_page("".join(f"<p>{p}</p>" for p in numbered(3)),
                               head='<meta name="date" content="0001-01-01T00:00:00+05:00">'),
          "ru.html": html_page("<p>Это первый абзац, в нём достаточно слов для прозы.</p><p>Второй абзац.</p><p>Третий.</p>")},
         file_contains("en.tmx", "<tu ", absent=("creationdate",))),
    # ---------------------------------------------------------------- alignment and control characters (4, 5)
    Case("unrelated-texts", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 0,
         "without a partner", {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(UNRELATED_RU)}),
    Case("control-character-paragraph", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "po"), 0,
         "control character", {"en.txt": utf8(EN_TEXT.replace("\n\n", "\n\n\x01\x02\x03\n\n", 3)), "ru.txt": utf8(RU_TEXT)},
         po_has_one_header),
    # ---------------------------------------------------------------- files on disk (7, 8)
    Case("moses-output-over-its-inputs", ("align", "{out}/corpus.en", "{out}/corpus.ru", "--presegmented", "-o", "{out}",
                                          "--formats", "moses"), 2, "reads this file itself",
         {"out/corpus.en": ORIGINALS["corpus.en"], "out/corpus.ru": ORIGINALS["corpus.ru"]}),
    Case("convert-onto-its-input", ("convert", "{out}/in.tmx", "{out}/in.tmx"), 2, "reads this file itself",
         {"out/in.tmx": tmx(tu("Hello.", "Привет."))}),
    Case("blocked-merged-folder", ("run", "--sources", "{dir}/sources", "-o", "{out}"), 2, "folder",
         {"sources/en/a.txt": utf8(EN_TEXT), "sources/ru/a.txt": utf8(RU_TEXT), "sources/en/b.txt": utf8(EN_TEXT),
          "sources/ru/b.txt": utf8(RU_TEXT), "out/merged": b"a file where the merged folder goes"}),
    Case("stale-temporary-of-a-killed-run", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"),
         0, "interrupted run", {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT),
                                f"out/.{STEM}.csv.{DEAD_PID}.0a1b2c3d.aligner-tmp": b"unit,source\r\n1,Trunc"},
         no_leftovers),
    Case("read-only-output-folder", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}"), 2, "cannot write",
         {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}, read_only_output=True),
    Case("output-is-a-file", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}/keep.txt"), 2, "keep.txt",
         {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}),
    Case("output-name-is-a-folder", ("align", "{dir}/a.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "csv"), 2,
         "folder", {"a.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT), "out/a.csv/x": b"x"}),
    # ---------------------------------------------------------------- convert (6)
    Case("tmx-inline-codes-to-tmx", ("convert", "{dir}/in.tmx", "{out}/out.tmx"), 0, "",
         {"in.tmx": tmx(tu(INLINE_SOURCE, INLINE_TARGET))},
         file_contains("out.tmx", f"<seg>{INLINE_SOURCE}</seg>", f"<seg>{INLINE_TARGET}</seg>")),
    Case("tmx-inline-codes-to-po", ("convert", "{dir}/in.tmx", "{out}/out.po"), 0, "1 unit(s) had inline codes",
         {"in.tmx": tmx(tu(INLINE_SOURCE, INLINE_TARGET))},
         file_contains("out.po", 'msgid "Press Save now here."', 'msgstr "Нажмите Сохранить."')),
    Case("tmx-unit-without-header-language", ("convert", "{dir}/in.tmx", "{out}/out.csv"), 0,
         "1 unit(s) have no variant in the source language",
         {"in.tmx": tmx(tu("Hello.", "Привет.") + tu("Bonjour.", "Привет.", languages=("fr-FR", "ru-RU")))},
         file_contains("out.csv", "Hello.", absent=("Bonjour",))),
    Case("tmx-tuid-superscript-digit", ("convert", "{dir}/in.tmx", "{out}/out.csv"), 0, "",
         {"in.tmx": tmx(tu("Hello.", "Привет.", tuid="x-²", props='<prop type="x-paragraph">²</prop>'))},
         file_contains("out.csv", "Hello.")),
    Case("tmx-tuid-4300-digits", ("convert", "{dir}/in.tmx", "{out}/out.csv"), 2, "digits",
         {"in.tmx": tmx(tu("Hello.", "Привет.", tuid="x-" + "9" * 4400, props='<prop type="x-document">x</prop>'))}),
    Case("tmx-creationdate-year-one", ("convert", "{dir}/in.tmx", "{out}/out.po"), 0, "",
         {"in.tmx": tmx(tu("Hello.", "Привет."), header=' creationdate="00010101T000000Z"')},
         file_contains("out.po", "POT-Creation-Date: 0001-01-01 00:00+0000")),
    Case("tmx-date-before-year-1000-roundtrip", ("convert", "{dir}/in.jsonl", "{out}/out.tmx"), 0, "",
         {"in.jsonl": utf8(jsonl_line(date="0999-05-01T12:00:00+00:00") + "\n")},
         file_contains("out.tmx", 'creationdate="09990501T120000Z"')),
    Case("tmx-external-entity", ("convert", "{dir}/evil.tmx", "{out}/out.csv"), 2, "entities",
         {"evil.tmx": b'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + tmx(tu("&xxe;", "x"))[39:]}),
    Case("tmx-billion-laughs", ("convert", "{dir}/evil.tmx", "{out}/out.csv"), 2, "entities",
         {"evil.tmx": utf8(BILLION_LAUGHS) + tmx(tu("&l9;", "x"))[39:]}),
    Case("tmx-not-xml", ("convert", "{dir}/in.tmx", "{out}/out.csv"), 2, "not well-formed XML",
         {"in.tmx": b"<tmx><header></tmx>"}),
    Case("tmx-over-64-mb-reads", ("convert", "{dir}/in.tmx", "{out}/out.en"), 0, "",
         {"in.tmx": big_tmx()},
         lambda result, out: _line_count(out / "out.en", BIG_TMX_UNITS)),
    Case("po-plurals-context-obsolete-to-po", ("convert", "{dir}/in.po", "{out}/out.po"), 0, "",
         {"in.po": utf8(PO_RICH)},
         file_contains("out.po", 'msgctxt "menu"', 'msgid_plural "%d files"', 'msgstr[2] "%d файлов"',
                       '#~ msgid "Old text"')),
    Case("po-plurals-context-obsolete-to-tmx", ("convert", "{dir}/in.po", "{out}/out.tmx"), 0, "plural",
         {"in.po": utf8(PO_RICH)},
         file_contains("out.tmx", '<prop type="x-context">menu</prop>', absent=("Old text",))),
    Case("po-to-csv-reports-what-it-drops", ("convert", "{dir}/in.po", "{out}/out.csv"), 0, "msgctxt",
         {"in.po": utf8(PO_RICH)}),
    Case("po-unit-4300-digits", ("convert", "{dir}/in.po", "{out}/out.csv"), 2, "digits",
         {"in.po": utf8(PO_HEADER + f'#. unit {"7" * 4400}\nmsgid "a"\nmsgstr "б"\n')}),
    Case("po-header-year-one-with-zone", ("convert", "{dir}/in.po", "{out}/out.tmx"), 0, "",
         {"in.po": utf8(PO_HEADER.replace('"Language', '"POT-Creation-Date: 0001-01-01 00:00+0100\\n"\n"Language')
                        + 'msgid "a"\nmsgstr "б"\n')},
         file_contains("out.tmx", "<seg>a</seg>")),
    Case("po-not-gettext", ("convert", "{dir}/in.po", "{out}/out.tmx"), 2, "not a readable PO file",
         {"in.po": b"this is not gettext\n"}),
    Case("csv-unterminated-quote", ("convert", "{dir}/in.csv", "{out}/out.tmx", "--src-lang-code", "en",
                                    "--tgt-lang-code", "ru"), 2, "in.csv:2",
         {"in.csv": utf8('source,target\r\n"Hello, world.,Привет.\r\n')}),
    Case("csv-short-row", ("convert", "{dir}/in.csv", "{out}/out.tmx", "--src-lang-code", "en", "--tgt-lang-code", "ru"),
         2, "in.csv:3", {"in.csv": utf8("source,target\r\nHello.,Привет.\r\nOnly a source\r\n")}),
    Case("csv-long-row", ("convert", "{dir}/in.csv", "{out}/out.tmx", "--src-lang-code", "en", "--tgt-lang-code", "ru"),
         2, "in.csv:2", {"in.csv": utf8("source,target\r\nHello.,Привет.,extra\r\n")}),
    Case("csv-cell-over-131072-characters", ("convert", "{dir}/in.csv", "{out}/out.tsv"), 0, "",
         {"in.csv": utf8("source,target\r\n" + "a" * 200_000 + ",б\r\n")},
         file_contains("out.tsv", "a" * 200_000)),
    Case("csv-10-digit-unit", ("convert", "{dir}/in.csv", "{out}/out.tsv"), 2, "digits",
         {"in.csv": utf8("unit,source,target\r\n12345678901,a,б\r\n")}),
    Case("csv-without-languages-to-tmx", ("convert", "{dir}/in.csv", "{out}/out.tmx"), 2, "--src-lang-code",
         {"in.csv": utf8("source,target\r\nHello.,Привет.\r\n")}),
    Case("tsv-short-row", ("convert", "{dir}/in.tsv", "{out}/out.csv"), 2, "cells",
         {"in.tsv": utf8("source\ttarget\nonly one cell\n")}),
    Case("tsv-unknown-escape", ("convert", "{dir}/in.tsv", "{out}/out.csv"), 2, "unknown escape",
         {"in.tsv": utf8("source\ttarget\na\\qb\tc\n")}),
    Case("jsonl-nan-confidence", ("convert", "{dir}/in.jsonl", "{out}/out.tmx"), 2, "in.jsonl:2",
         {"in.jsonl": utf8(jsonl_line() + "\n" + jsonl_line(unit=2).replace('"unit": 2', '"unit": 2, "confidence": NaN') + "\n")}),
    Case("jsonl-infinity", ("convert", "{dir}/in.jsonl", "{out}/out.tmx"), 2, "in.jsonl:1",
         {"in.jsonl": utf8(jsonl_line().replace('"unit": 1', '"unit": 1, "confidence": -Infinity') + "\n")}),
    Case("jsonl-huge-exponent", ("convert", "{dir}/in.jsonl", "{out}/out.tmx"), 2, "in.jsonl:1",
         {"in.jsonl": utf8(jsonl_line().replace('"unit": 1', '"unit": 1, "confidence": 1e999') + "\n")}),
    Case("jsonl-4300-digit-integer", ("convert", "{dir}/in.jsonl", "{out}/out.tmx"), 2, "digits",
         {"in.jsonl": utf8(jsonl_line().replace('"unit": 1', '"unit": ' + "9" * 4400) + "\n")}),
    Case("jsonl-deeply-nested", ("convert", "{dir}/in.jsonl", "{out}/out.tmx"), 2, "nested",
         {"in.jsonl": b"[" * 100_000 + b"]" * 100_000 + b"\n"}),
    Case("jsonl-date-year-9999-with-zone", ("convert", "{dir}/in.jsonl", "{out}/out.po"), 0, "",
         {"in.jsonl": utf8(jsonl_line(date="9999-12-31T23:00:00-05:00") + "\n")},
         file_contains("out.po", 'msgid "Hello."')),
    Case("jsonl-not-an-object", ("convert", "{dir}/in.jsonl", "{out}/out.tmx"), 2, "not a JSON object",
         {"in.jsonl": b"[1, 2]\n"}),
    Case("moses-unequal-sides", ("convert", "{dir}/c.en", "{out}/out.csv"), 2, "lines",
         {"c.en": b"One.\nTwo.\n", "c.ru": "Один.\n".encode()}),
    Case("beads-cannot-be-converted", ("convert", "{dir}/gold.beads", "{out}/out.tmx"), 2, "cannot be converted",
         {"gold.beads": b"[0]:[0]\n"}),
    Case("unknown-suffix", ("convert", "{dir}/table.xlsx", "{out}/out.tmx"), 2, "suffix", {"table.xlsx": b"PK\x03\x04"}),
    Case("xliff-wrong-root", ("convert", "{dir}/in.xlf", "{out}/out.tmx"), 2, "not an XLIFF 1.2 file",
         {"in.xlf": b'<?xml version="1.0"?><xliff version="2.0"/>'}),
    # ---------------------------------------------------------------- digits and memory (9, 10)
    Case("beads-4300-digits", ("evaluate", "--gold", "{dir}/gold.beads", "--test", "{dir}/test.beads"), 2, "digits",
         {"gold.beads": b"[0]:[0]\n", "test.beads": b"[" + b"9" * 4400 + b"]:[0]\n"}),
    Case("beads-10-digit-index", ("evaluate", "--gold", "{dir}/gold.beads", "--test", "{dir}/test.beads"), 2, "digits",
         {"gold.beads": b"[0]:[0]\n", "test.beads": b"[12345678901]:[0]\n"}),
    Case("beads-superscript-digit", ("evaluate", "--gold", "{dir}/gold.beads", "--test", "{dir}/test.beads"), 2,
         "test.beads:1", {"gold.beads": b"[0]:[0]\n", "test.beads": utf8("[²]:[0]\n")}),
    Case("check-unit-near-a-billion", ("check", "{dir}/in.jsonl"), 1, "units 2-999999998 are not in the file",
         {"in.jsonl": utf8(jsonl_line() + "\n" + jsonl_line(unit=999_999_999) + "\n")}),
    Case("check-unit-ten-billion", ("check", "{dir}/in.jsonl"), 2, "digits",
         {"in.jsonl": utf8(jsonl_line() + "\n" + jsonl_line(unit=10_000_000_000) + "\n")}),
    # ---------------------------------------------------------------- what already worked
    Case("missing-file", ("align", "{dir}/en.txt", "{dir}/nowhere.txt", "-o", "{out}"), 2, "no such file",
         {"en.txt": utf8(EN_TEXT)}),
    Case("empty-file", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}"), 2, "empty",
         {"en.txt": utf8(EN_TEXT), "ru.txt": b""}),
    Case("blank-file", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}"), 2, "empty",
         {"en.txt": utf8(EN_TEXT), "ru.txt": b" \n\n\t\n"}),
    Case("binary-file", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}"), 2, "binary",
         {"en.txt": utf8(EN_TEXT), "ru.txt": bytes(range(256)) * 10}),
    Case("directory-as-input", ("align", "{dir}/en.txt", "{dir}/sub", "-o", "{out}"), 2, "not a regular file",
         {"en.txt": utf8(EN_TEXT), "sub/x.txt": b"x"}),
    Case("unknown-format", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--formats", "xyz"), 2, "xyz",
         {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}),
    Case("min-confidence-out-of-range", ("align", "{dir}/en.txt", "{dir}/ru.txt", "--min-confidence", "2"), 2,
         "--min-confidence", {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}),
    Case("unknown-language", ("align", "{dir}/en.txt", "{dir}/ru.txt", "-o", "{out}", "--src-lang", "en-!!"), 2, "en-!!",
         {"en.txt": utf8(EN_TEXT), "ru.txt": utf8(RU_TEXT)}),
    Case("bad-source-date-epoch", ("align", "{dir}/corpus.en", "{dir}/corpus.ru", "--presegmented", "-o", "{out}"), 2,
         "SOURCE_DATE_EPOCH", {"corpus.en": ORIGINALS["corpus.en"], "corpus.ru": ORIGINALS["corpus.ru"]},
         env={"SOURCE_DATE_EPOCH": "soon"}),
    Case("run-without-pairs", ("run", "--sources", "{dir}/sources", "-o", "{out}"), 2, "same name",
         {"sources/en/a.txt": utf8(EN_TEXT), "sources/ru/b.txt": utf8(RU_TEXT)}),
    Case("srx-missing", ("segment", "{dir}/en.txt", "--lang", "en", "--srx", "{dir}/rules.srx"), 2, "rules.srx",
         {"en.txt": utf8(EN_TEXT)}),
    Case("segment-without-lang", ("segment", "{dir}/en.txt"), 2, "--lang", {"en.txt": utf8(EN_TEXT)}),
    Case("no-arguments-shows-help", (), 0, "Usage:"),
    Case("unknown-command", ("frobnicate",), 2, "frobnicate"),
    Case("presegmented-pair", ("align", "{dir}/corpus.en", "{dir}/corpus.ru", "--presegmented", "-o", "{out}",
                               "--formats", "moses"), 0, "",
         {"corpus.en": ORIGINALS["corpus.en"], "corpus.ru": ORIGINALS["corpus.ru"]},
         file_contains("corpus.ru", "Одно предложение.\nДва предложения.\n")),
]


def _line_count(path: Path, expected: int) -> None:
    with open(path, encoding="utf-8") as stream:
        assert sum(1 for _ in stream) == expected


def test_the_table_has_a_row_for_every_case() -> None:
    assert len(CASES) >= 60
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_bytes(b"a file of the user's")
    for name, data in case.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    before = snapshot(out)
    target = out
    if case.read_only_output:
        out.chmod(0o555)
        # Permission bits do not stop root: sysfs refuses new entries even to root.
        target = Path("/sys/aligner-output") if os.geteuid() == 0 else out
    args = [arg.replace("{dir}", str(tmp_path)).replace("{out}", str(target)) for arg in case.args]
    try:
        result = run_command(*args, cwd=tmp_path, env=case.env)
    finally:
        out.chmod(0o755)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.returncode == case.code, (result.returncode, result.stderr[-2000:])
    if case.code not in (0, 1):
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("aligner: error: "), lines[0]
        assert case.message in lines[0], lines[0]
        assert snapshot(out) == before, "a failed command changed the output folder"
    else:
        assert case.message in result.stdout + result.stderr, result.stdout[-2000:] + result.stderr[-2000:]
        assert "aligner: error" not in result.stderr
        assert (out / "keep.txt").read_bytes() == b"a file of the user's"
    if case.check is not None:
        case.check(result, out)
