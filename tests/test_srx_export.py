"""SRX files written by aligner: SRX 1.0 read and written, added rules, the shipped 1.0 export."""

import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from aligner.errors import AlignerError
from aligner.languages import resolve_language
from aligner.segment import default_srx_path, load_srx
from aligner.segment.export import SRX10_FILE, Addition, render_srx, toolkit_srx10
from aligner.segment.score import paragraph_texts, read_gold
from aligner.segment.srx import Rule, SrxSegmenter, parse_srx

ROOT = Path(__file__).resolve().parent.parent
SEGMENTATION = ROOT / "tests" / "data" / "segmentation"
OMEGAT_JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
TAGS = ["en-GB", "ru-RU", "de", "fr", "zh", "ja", "yue", "el", "hy", "fi", "und"]


def rule_texts(rules):
    return [(rule.breaks, rule.before, rule.after) for rule in rules]


def segments(document, tag, text):
    return [s.text for s in SrxSegmenter(document.rules_for(tag)).split(text)]


SRX10 = b"""<?xml version="1.0" encoding="UTF-8"?>
<srx version="1.0">
  <header segmentsubflows="yes"><formathandle type="start" include="no"/></header>
  <body>
    <languagerules>
      <languagerule languagerulename="English">
        <rule break="no"><beforebreak>Dr\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Naive">
        <rule><beforebreak>r</beforebreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <maprule maprulename="Standard">
        <languagemap languagepattern="EN.*" languagerulename="English"/>
        <languagemap languagepattern=".*" languagerulename="Default"/>
      </maprule>
      <maprule maprulename="Other">
        <languagemap languagepattern=".*" languagerulename="Naive"/>
      </maprule>
    </maprules>
  </body>
</srx>
"""


def test_srx10_uses_the_first_map_rule_and_the_first_matching_map_alone():
    document = parse_srx(SRX10, "memoq.srx")
    assert document.version == "1.0" and not document.cascade
    # SRX 1.0 does not cascade: English gets its exception and not the Default break.
    assert segments(document, "en-GB", "Dr. Who came. Then he left.") == ["Dr. Who came. Then he left."]
    assert segments(document, "fr", "Dr. Who came. Then he left.") == ["Dr.", "Who came.", "Then he left."]


def test_the_toolkit_rules_survive_a_round_trip_through_srx10():
    ours = load_srx(default_srx_path())
    flat = parse_srx(render_srx(ours, "1.0"), "flat.srx")
    assert flat.version == "1.0"
    for tag in TAGS:
        assert rule_texts(flat.rules_for(tag)) == rule_texts(ours.rules_for(tag)), tag
    back = parse_srx(render_srx(flat, "2.0"), "back.srx")
    assert not back.cascade
    for language in ("en", "ru"):
        tag = resolve_language(language).tag
        for text in paragraph_texts(read_gold(SEGMENTATION / f"{language}.txt", resolve_language(language))):
            assert segments(back, tag, text) == segments(ours, tag, text)


def test_the_shipped_srx10_file_is_the_export_of_the_toolkit_rules():
    shipped = default_srx_path().with_name(SRX10_FILE)
    assert shipped.read_bytes() == toolkit_srx10(), (
        "aligner-1.0.srx is out of date; regenerate it as aligner.segment.export.toolkit_srx10 says"
    )


def test_added_rules_come_first_for_their_language_only():
    ours = load_srx(default_srx_path())
    keep = Rule("learned", False, r"(?<![\p{L}.])г\.", r"\s+Меморандума(?![\p{L}])")
    text = "Во исполнение подписанного 3 июня 2019 г. Меморандума Стороны действуют. Итоги подведены."
    assert len(segments(ours, "ru-RU", text)) == 3
    for version in ("2.0", "1.0"):
        written = parse_srx(render_srx(ours, version, [Addition("ru", "ru-RU", "Russian (learned)", (keep,))]), "x")
        assert segments(written, "ru-RU", text) == [
            "Во исполнение подписанного 3 июня 2019 г. Меморандума Стороны действуют.", "Итоги подведены."
        ]
        assert rule_texts(written.rules_for("ru-RU")) == rule_texts((keep, *ours.rules_for("ru-RU")))
        assert rule_texts(written.rules_for("en-GB")) == rule_texts(ours.rules_for("en-GB"))


def test_an_addition_to_rules_that_do_not_cascade_keeps_the_languages_rules():
    memoq = parse_srx(SRX10, "memoq.srx")
    keep = Rule("learned", False, r"Who\.", r"\s")
    written = parse_srx(render_srx(memoq, "1.0", [Addition("en", "en-GB", "English (learned)", (keep,))]), "x")
    assert rule_texts(written.rules_for("en-GB")) == rule_texts((keep, *memoq.rules_for("en-GB")))


def test_a_cascade_that_srx10_cannot_express_is_refused():
    document = parse_srx(
        b"<srx version='2.0'><header cascade='yes'/><body><languagerules>"
        b"<languagerule languagerulename='A'><rule><beforebreak>x</beforebreak></rule></languagerule>"
        b"</languagerules><maprules><languagemap languagepattern='(EN|DE).*' languagerulename='A'/>"
        b"</maprules></body></srx>",
        "odd.srx",
    )
    with pytest.raises(AlignerError, match="'\\(EN\\|DE\\)\\.\\*' cannot be written as SRX 1.0"):
        render_srx(document, "1.0")


def test_written_srx20_validates_against_the_schema():
    if not OMEGAT_JAR.is_file():
        pytest.skip(f"{OMEGAT_JAR} not found: the SRX 2.0 schema is read from OmegaT's jar (apt-get install omegat)")
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        xsd = etree.fromstring(jar.read("schemas/srx20.xsd"), etree.XMLParser(no_network=True, resolve_entities=False))
    for imported in xsd.findall("{http://www.w3.org/2001/XMLSchema}import"):
        xsd.remove(imported)
    schema = etree.XMLSchema(xsd)
    keep = Rule("learned", False, r"г\.", r"\s+Меморандума")
    data = render_srx(load_srx(default_srx_path()), "2.0", [Addition("ru", "ru-RU", "Russian (learned)", (keep,))])
    assert schema.validate(etree.fromstring(data)), schema.error_log
