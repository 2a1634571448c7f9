"""Parsing: chrome is dropped, metadata and speaker turns are kept, on text and HTML alike."""

from dataclasses import replace
from pathlib import Path

import pytest

from aligner.errors import AlignerError
from aligner.languages import resolve_language
from aligner.parse import parse_file, parse_html, parse_text

ROOT = Path(__file__).resolve().parent.parent
STEM = "lavrov-tass-2020-12-30"
CHROME = ("Advanced settings", "Расширенные настройки", "en-GB1", "ru-RU1", "202010:15")


@pytest.mark.parametrize("suffix", ["txt", "html"])
@pytest.mark.parametrize(
    "lang, title_start, question, answerer",
    [
        ("en", "Foreign Minister Sergey Lavrov’s interview", "Question", "Sergey Lavrov"),
        ("ru", "Интервью Министра иностранных дел", "Вопрос", "С.В.Лавров"),
    ],
)
def test_bundled_page_metadata_and_turns(suffix, lang, title_start, question, answerer):
    document = parse_file(ROOT / "sources" / lang / f"{STEM}.{suffix}", resolve_language(lang))
    assert document.language.code == lang
    assert document.title.startswith(title_start)
    assert document.date == "2020-12-30T10:15"
    assert document.paragraphs[0].is_heading and document.paragraphs[0].text == document.title
    speakers = [p.speaker for p in document.paragraphs if p.speaker]
    assert speakers[:2] == [question, answerer]
    assert speakers.count(question) == 4
    for paragraph in document.paragraphs:
        assert not any(chrome in paragraph.text for chrome in CHROME), paragraph.text
        if paragraph.speaker:
            assert paragraph.text.startswith(paragraph.speaker + ":")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_text_and_html_give_the_same_paragraphs(lang):
    text = parse_file(ROOT / "sources" / lang / f"{STEM}.txt", resolve_language(lang))
    html = parse_file(ROOT / "sources" / lang / f"{STEM}.html", resolve_language(lang))
    assert [p.text for p in text.paragraphs] == [p.text for p in html.paragraphs]
    assert [p.speaker for p in text.paragraphs] == [p.speaker for p in html.paragraphs]
    assert html.url and html.url.startswith("https://") and text.url is None


UNSEEN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Statement | Some Ministry</title>
<link rel="canonical" href="https://example.org/statements/42">
<script>var menu = "Open the menu. Close the menu.";</script></head>
<body>
<div id="top"><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a></div>
<div class="wrap">
  <div class="col-left">
    <h3>Latest</h3>
    <div><a href="/1">Minister meets his counterpart from a neighbouring country for talks on trade</a></div>
    <div><a href="/2">Spokeswoman answers questions from the media at the weekly briefing today</a></div>
  </div>
  <div class="col-main">
    <h1>Statement on the Anniversary of the Treaty</h1>
    <span class="when">12 March 2021</span>
    <div class="txt">
      <div>Twenty years ago, the treaty opened a new chapter in our relations. It remains in force today.</div>
      <div>We call on all parties to respect its provisions <b>in full</b>, and to refrain from unilateral steps.</div>
      <div>Q&amp;A: Speakers will take questions from the press after the ceremony in the main hall.</div>
    </div>
    <div class="share">Share <a href="#">Twitter</a> <a href="#">Facebook</a></div>
  </div>
</div>
<div class="bottom">© 2021 Some Ministry. All rights reserved. <a href="/privacy">Privacy policy</a></div>
</body></html>"""


def test_unseen_html_layout_finds_the_article():
    document = parse_html(UNSEEN_PAGE.encode("utf-8"), resolve_language("en"), source="statement.html")
    texts = [p.text for p in document.paragraphs]
    assert document.title == "Statement on the Anniversary of the Treaty"
    assert document.date == "2021-03-12"
    assert document.url == "https://example.org/statements/42"
    assert texts[1:] == [
        "Twenty years ago, the treaty opened a new chapter in our relations. It remains in force today.",
        "We call on all parties to respect its provisions in full, and to refrain from unilateral steps.",
        "Q&A: Speakers will take questions from the press after the ceremony in the main hall.",
    ]


def test_malformed_html_is_recovered():
    broken = b"<html><body><div><h1>Title here<p>First paragraph is long enough to count as prose here.<p>Second one, also long enough to be prose text.</div>"
    document = parse_html(broken, resolve_language("en"))
    assert [p.text for p in document.paragraphs][-2:] == [
        "First paragraph is long enough to count as prose here.",
        "Second one, also long enough to be prose text.",
    ]


def test_plain_text_joins_wrapped_lines_and_finds_russian_date():
    text = "30 декабря 202010:15\n\nЗаголовок новости\n\nПервая строка абзаца\nи его продолжение.\n\n  • en-GB1 ru-RU1\n"
    document = parse_text(text, resolve_language("ru"))
    assert document.date == "2020-12-30T10:15"
    assert [p.text for p in document.paragraphs] == ["Заголовок новости", "Первая строка абзаца и его продолжение."]


def test_cp1251_file_is_decoded(tmp_path):
    source = (ROOT / "sources" / "ru" / f"{STEM}.txt").read_text(encoding="utf-8")
    legacy = tmp_path / "ru.txt"
    legacy.write_bytes(source.encode("cp1251"))
    original = parse_file(ROOT / "sources" / "ru" / f"{STEM}.txt", resolve_language("ru"))
    assert parse_file(legacy, resolve_language("ru")) == replace(original, source=str(legacy))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(AlignerError, match=message):
        parse_file(path, resolve_language("en"))


def test_missing_file_and_wrong_language(tmp_path):
    with pytest.raises(AlignerError, match="no such file"):
        parse_file(tmp_path / "nope.txt", resolve_language("en"))
    with pytest.raises(AlignerError, match="script"):
        parse_file(ROOT / "sources" / "ru" / f"{STEM}.txt", resolve_language("en"))


GERMAN_PARAGRAPH = (
    "Der Minister hat am Montag in Berlin mit seinem Amtskollegen über die Lage in der Region gesprochen. "
    "Beide Seiten betonten, dass die Zusammenarbeit zwischen den Ländern weiter ausgebaut werden soll. "
    "Die Gespräche dauerten mehrere Stunden und wurden in einer freundlichen Atmosphäre geführt. "
    "Im Anschluss beantworteten die Minister die Fragen der Journalisten."
)
ENGLISH_PARAGRAPH = (
    "The minister met his counterpart in Berlin on Monday to discuss the situation in the region. "
    "Both sides stressed that cooperation between the two countries should be expanded further. "
    "The talks lasted several hours and were held in a friendly atmosphere. "
    "Afterwards the ministers answered questions from journalists."
)


@pytest.mark.parametrize("paragraphs", [3, 60])
def test_a_document_in_another_language_of_the_same_script_is_warned_about(tmp_path, caplog, paragraphs):
    # 60 paragraphs are past the three windows the language identifier reads of a long text.
    german, english = tmp_path / "de.txt", tmp_path / "en.txt"
    german.write_text("\n\n".join([GERMAN_PARAGRAPH] * paragraphs), encoding="utf-8")
    english.write_text("\n\n".join([ENGLISH_PARAGRAPH] * paragraphs), encoding="utf-8")
    with caplog.at_level("WARNING"):
        parse_file(english, resolve_language("en"))
    assert not [r for r in caplog.records if "reads as" in r.getMessage()]
    with caplog.at_level("WARNING"):
        parse_file(german, resolve_language("en"))
    assert any("reads as German (de), not English" in r.getMessage() for r in caplog.records)


def test_a_date_line_is_found_whatever_its_filler_and_a_long_line_is_none():
    import sys

    from aligner.languages import languages_with_resources

    dates = sys.modules["aligner.parse.dates"]
    for language in languages_with_resources():
        # The longest date the patterns can match fits in the characters the quick refusal counts.
        month = max((len(form) for forms in language.months for form in forms), default=0)
        suffix = max((len(s) for s in language.year_suffixes), default=0)
        assert len("30.") + month + len(".2020") + suffix + len(", 10:15") < dates._DATE_CHARACTERS
    ru = resolve_language("ru")
    padded = "—— 30\u00a0декабря   2020 года,   10:15 " + " - " * 40 + "|"
    assert len(padded) > dates._DATE_CHARACTERS
    assert dates.is_date_line(padded, ru) == "2020-12-30T10:15"
    prose = "Встреча состоится 30 декабря 2020 года в Москве, и стороны обсудят вопросы сотрудничества."
    assert dates.is_date_line(prose, ru) is None
    assert dates.find_date(prose, ru) is not None
