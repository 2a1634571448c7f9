"""Property-based fuzzing of every reader and parser, and of the aligner on short inputs.

Two properties: whatever the bytes, a reader either returns or raises AlignerError (which the
command line turns into one line and exit code 2) — never another exception; and for every
writer, write → read → write gives the same bytes (so read → write → read is stable).

Hypothesis runs derandomized with a fixed number of examples per test and no example
database, so the suite is deterministic and its time bounded.
"""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest
from conftest import EN, OPTIONS, RU, document_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.align import align_documents
from aligner.encoding import decode
from aligner.errors import AlignerError
from aligner.formats import FORMATS, InputFile, get_format, text_formats
from aligner.model import Corpus, Record
from aligner.parse import parse_html, parse_presegmented, parse_text
from aligner.segment import segment_document
from aligner.segment.srx import parse_srx

FUZZ = settings(
    derandomize=True, max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

# Text with what breaks parsers: markup, quotes, separators, controls, surrogates, digits of other scripts.
TRICKY = "<>&\"';,\t\n\r\\[]{}:#~=%/ \x00\x08\x1b\x7f\x85\u2028\ufeff\ufffe\ud800²٣é漢ж"
text = st.text(alphabet=st.sampled_from(list(TRICKY) + list(string.ascii_letters + string.digits) + list("абвгд")),
               max_size=60)
blobs = st.one_of(st.binary(max_size=300), text.map(lambda t: t.encode("utf-8", "surrogatepass")))


def structured(fragments: list[str]) -> st.SearchStrategy[bytes]:
    """Byte strings made of a format's own syntax and random text, which reach deeper than noise."""
    piece = st.one_of(st.sampled_from(fragments), text)
    return st.lists(piece, max_size=25).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


SYNTAX = {
    "tmx": ['<?xml version="1.0"?>', '<tmx version="1.4">', '<header srclang="en" creationdate="00010101T000000Z">',
            "</header>", "<body>", "</body>", "</tmx>", '<tu tuid="x-1">', "</tu>", '<tuv xml:lang="en">',
            '<tuv xml:lang="ru">', "</tuv>", "<seg>", "</seg>", '<bpt i="1">', "</bpt>", "<ph>", "</ph>", "<hi>",
            "</hi>", '<prop type="x-paragraph">', '<prop type="x-confidence">', "</prop>", "&amp;", "&lt;",
            "<!DOCTYPE tmx [<!ENTITY a 'b'>]>", "&a;", "99999999999"],
    "po": ['msgid ""\n', 'msgstr ""\n', '"Language: ru\\n"\n', 'msgid "a"\n', 'msgstr "б"\n', 'msgctxt "c"\n',
           'msgid_plural "as"\n', 'msgstr[0] "x"\n', 'msgstr[1] "y"\n', "#~ ", "#. unit 12, bead 1-1, confidence 0.5\n",
           "#: doc:1:2\n", "#, fuzzy\n", '"POT-Creation-Date: 0001-01-01 00:00+0100\\n"\n', "\n", "#. unit 99999999999\n"],
    "csv": ["unit,source,target,bead,confidence\r\n", "source,target\r\n", '"', ",", "\r\n", "\n", "1", "nan", "1e999",
            "12345678901", "²"],
    "tsv": ["unit\tsource\ttarget\tconfidence\n", "source\ttarget\n", "\t", "\n", "\\t", "\\q", "1", "inf", "²"],
    "jsonl": ['{"source": "a", "target": "b"', ', "unit": 1', ', "confidence": NaN', ', "confidence": 1e999',
              ', "date": "9999-12-31T23:00:00-05:00"', ', "source_sentences": [1, 2]', ', "unit": 99999999999',
              "}", "\n", "[[[[[[[[[[", "]]]]]]]]]]", "null", "true"],
    "xliff": ['<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">', "</xliff>",
              '<file original="d" source-language="en" target-language="ru" date="0001-01-01T00:00:00Z">', "</file>",
              "<body>", "</body>", '<trans-unit id="d-1">', '<trans-unit id="d-²">', "</trans-unit>", "<source>",
              "</source>", "<target>", "</target>", '<context-group><context context-type="x-source-sentences">',
              "</context></context-group>", "99999999999"],
    "beads": ["[", "]", ":", ",", " ", "0", "1", "\n", "99999999999", "²", "٣"],
}


def read(name: str, files: list[InputFile]) -> None:
    try:
        get_format(name).read(files)
    except AlignerError:
        pass


@pytest.mark.parametrize("name", sorted(SYNTAX))
def test_single_file_readers_raise_nothing_but_aligner_errors(name: str) -> None:
    @FUZZ
    @given(data=st.one_of(structured(SYNTAX[name]), blobs))
    def check(data: bytes) -> None:
        read(name, [InputFile(f"fuzz.{name}", data)])

    check()


def test_moses_reader_raises_nothing_but_aligner_errors() -> None:
    @FUZZ
    @given(source=blobs, target=blobs)
    def check(source: bytes, target: bytes) -> None:
        read("moses", [InputFile("fuzz.en", source), InputFile("fuzz.ru", target)])

    check()


def parse_or_refuse(parse: Callable[[], object]) -> None:
    try:
        parse()
    except AlignerError:
        pass


HTML = ["<html>", "<head>", "<title>", "</title>", '<meta charset="undefined">', '<meta charset="koi8-r">',
        '<meta name="date" content="0001-01-01T00:00:00+05:00">', "<body>", "<p>", "</p>", "<div>" * 40, "</div>",
        "<font>", "<b>", "<a href='/'>", "</a>", "<nav>", "</nav>", "<script>", "</script>", "<br>", "<h1>", "</h1>",
        "<!--", "-->", "<li>", "<ul>", "<table><tr><td>", "Sergey Lavrov: ", "30 December 2020"]


def test_html_parser_raises_nothing_but_aligner_errors() -> None:
    @FUZZ
    @given(data=st.one_of(structured(HTML), blobs))
    def check(data: bytes) -> None:
        parse_or_refuse(lambda: segment_document(parse_html(data, EN, "fuzz.html")))

    check()


@pytest.mark.parametrize("parse", [parse_text, parse_presegmented], ids=["text", "presegmented"])
def test_text_parsers_raise_nothing_but_aligner_errors(parse: Callable[..., object]) -> None:
    @FUZZ
    @given(data=st.one_of(structured(["\n", "\n\n", "Question: ", "С.В.Лавров: ", "30 декабря 2020 года", "• en-GB1"]),
                          blobs))
    def check(data: bytes) -> None:
        parse_or_refuse(lambda: parse(decode(data, "fuzz.txt", "Cyrl"), RU, "fuzz.txt"))

    check()


SRX = ['<?xml version="1.0"?>', '<srx version="2.0" xmlns="http://www.lisa.org/srx20">', "</srx>",
       '<header segmentsubflows="yes" cascade="yes"/>', "<body>", "</body>", "<languagerules>", "</languagerules>",
       '<languagerule languagerulename="x">', "</languagerule>", '<rule break="yes">', '<rule break="no">', "</rule>",
       "<beforebreak>", "</beforebreak>", "<afterbreak>", "</afterbreak>", "\\.", "\\s", "[", "(", ")", "\\x{41}",
       "\\Q", "\\E", "\\p{Lu}", "\\G", "(?d)", "\\1", "maprules", "<maprules>", "</maprules>",
       '<languagemap languagepattern=".*" languagerulename="x"/>']


def test_srx_loader_raises_nothing_but_aligner_errors() -> None:
    @FUZZ
    @given(data=st.one_of(structured(SRX), blobs))
    def check(data: bytes) -> None:
        parse_or_refuse(lambda: parse_srx(data, "fuzz.srx"))

    check()


words = st.lists(st.sampled_from(["Lavrov", "2020", "vaccine", "Minsk", "peace", "?", "!", "A.", "12,5", "OSCE"]),
                 min_size=1, max_size=6).map(" ".join)
russian = st.lists(st.sampled_from(["Лавров", "2020", "вакцина", "Минск", "мир", "?", "!", "А.", "12,5", "ОБСЕ"]),
                   min_size=1, max_size=6).map(" ".join)


def test_align_takes_any_short_input() -> None:
    @FUZZ
    @given(source=st.lists(words, min_size=1, max_size=8), target=st.lists(russian, min_size=1, max_size=8))
    def check(source: list[str], target: list[str]) -> None:
        alignment = align_documents(document_of("en", source), document_of("ru", target))
        covered_source = sorted(i for bead in alignment.beads for i in bead.source)
        covered_target = sorted(j for bead in alignment.beads for j in bead.target)
        assert covered_source == list(range(len(source))) and covered_target == list(range(len(target)))
        assert all(0 <= bead.confidence <= 1 for bead in alignment.beads)

    check()


def record_strategy() -> st.SearchStrategy[Record]:
    number = st.integers(min_value=0, max_value=999)
    return st.builds(
        Record,
        source=text,
        target=text,
        document=st.sampled_from(["doc", "other doc"]),
        unit=st.integers(min_value=1, max_value=10**9 - 1),
        bead=st.sampled_from([None, "1-1", "2-1", "0-1"]),
        confidence=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
        source_sentences=st.lists(number, max_size=3).map(tuple),
        target_sentences=st.lists(number, max_size=3).map(tuple),
        source_paragraph=st.one_of(st.none(), number),
        target_paragraph=st.one_of(st.none(), number),
        speaker=st.one_of(st.none(), text),
        context=st.one_of(st.none(), text),
    )


@pytest.mark.parametrize("name", [fmt.name for fmt in text_formats()])
def test_every_writer_is_stable_through_its_reader(name: str) -> None:
    fmt = FORMATS[name]

    @FUZZ
    @given(records=st.lists(record_strategy(), max_size=6))
    def check(records: list[Record]) -> None:
        corpus = Corpus("fuzz", tuple(records), EN, RU)
        first = fmt.write(corpus, OPTIONS)
        again = fmt.read([InputFile(f"fuzz{suffix}", data) for suffix, data in zip(fmt.output_suffixes(OPTIONS), first)])
        again = Corpus(again.name, again.records, EN, RU, again.created, again.signature, again.obsolete)
        second = fmt.write(again, OPTIONS)
        assert second == first
        third = fmt.read([InputFile(f"fuzz{suffix}", data) for suffix, data in zip(fmt.output_suffixes(OPTIONS), second)])
        assert third.records == again.records

    check()
