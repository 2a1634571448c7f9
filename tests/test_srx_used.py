"""The SRX file written with the outputs: the rules used, with the learned layer's decisions as rules,
so that our engine and OmegaT make the same segments from it."""

import shutil

import pytest
from conftest import SOURCES, STEM, invoke
from test_srx import OMEGAT_JAR, omegat_segments

from aligner.errors import AlignerError
from aligner.languages import resolve_language
from aligner.model import Document, Paragraph, Sentence
from aligner.parse import parse_file
from aligner.segment import default_srx_path, segment_documents, used_srx
from aligner.segment.srx import parse_srx

# Paragraphs where the learned layer decides: an abbreviation before a term, an initial before
# a sentence starter, a hesitation.
LEARNED = {
    "en": [
        "The talks were held in the U.S. Capitol. Senators met the delegation near the Capitol on Monday.",
        "The samples were sent to laboratory B. The results came back in a week. The team of laboratory B thanked "
        "the staff.",
        "'Who are you?' 'I... I don't know,' he said. Then he left.",
    ],
    "ru": [
        "Стороны подтвердили приверженность Меморандуму.",
        "Во исполнение подписанного 3 июня 2019 г. Меморандума о сотрудничестве обе Стороны провели консультации. "
        "Положения Меморандума применяются с 2020 г. в полном объеме.",
    ],
}


def batch(language: str) -> list[Document]:
    """The bundled interview and the paragraphs above, parsed, in one language."""
    resolved = resolve_language(language)
    interview = parse_file(SOURCES / language / f"{STEM}.txt", resolved)
    extra = Document(language=resolved, paragraphs=tuple(Paragraph(text) for text in LEARNED[language]), source="extra")
    return [interview, extra]


def sentences(documents: list[Document]) -> list[list[str]]:
    return [[s.text for s in p.sentences] for d in documents for p in d.paragraphs]


@pytest.mark.parametrize("version", ["2.0", "1.0"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_our_engine_reads_the_written_srx_back_into_the_same_segments(tmp_path, language, version):
    parsed = batch(language)
    learned = [item.document for item in segment_documents(parsed)]
    rules_only = [item.document for item in segment_documents(parsed, learned=False)]
    assert sentences(learned) != sentences(rules_only)  # the layer decides something here
    srx = tmp_path / "used.srx"
    srx.write_bytes(used_srx(learned, version=version))
    document = parse_srx(srx.read_bytes(), str(srx))
    assert document.version == version
    assert any("learned from the text" in name for name, _ in document.language_rules)
    again = [item.document for item in segment_documents(parsed, srx, learned=False)]
    assert sentences(again) == sentences(learned)


def test_without_decisions_the_written_srx_is_the_rules_file_itself():
    (document,) = [item.document for item in segment_documents(batch("en")[:1])]
    assert used_srx([document]) == default_srx_path().read_bytes()


def test_a_split_that_no_rules_made_cannot_be_written_as_srx():
    text = "One sentence here. Another one."
    odd = Document(language=resolve_language("en"), source="odd.txt", paragraphs=(
        Paragraph(text, sentences=(Sentence("One sen", 0, 7), Sentence("tence here. Another one.", 7, len(text)))),))
    with pytest.raises(AlignerError, match="odd.txt: paragraph 1 is not split as the rules of .* split it"):
        used_srx([odd])


def test_run_writes_the_srx_it_used_and_it_gives_the_same_segments(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", "--sources", SOURCES, "-o", out, "--formats", "tmx")
    assert result.exit_code == 0, result.output
    written = out / f"{STEM}.srx"
    assert str(written) in result.stdout
    for language in ("en", "ru"):
        resolved = resolve_language(language)
        source = SOURCES / language / f"{STEM}.html"  # what `run` aligns: HTML wins over text
        ours = segment_documents([parse_file(source, resolved)])
        again = segment_documents([parse_file(source, resolved)], written, learned=False)
        assert sentences([ours[0].document]) == sentences([again[0].document])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_omegat_segments_like_us_with_the_written_srx(tmp_path, language):
    if shutil.which("java") is None or not OMEGAT_JAR.is_file():
        pytest.skip(f"OmegaT 3.6 needs java and {OMEGAT_JAR} (apt-get install omegat; .ci/run installs it)")
    learned = [item.document for item in segment_documents(batch(language))]
    paragraphs = [p.text for d in learned for p in d.paragraphs]
    omegat = omegat_segments(paragraphs, language, tmp_path, rules=used_srx(learned))
    assert omegat == {sentence for paragraph in sentences(learned) for sentence in paragraph}


def test_cli_segment_writes_the_srx_of_its_segments_in_either_version(tmp_path):
    text = tmp_path / "talks.txt"
    text.write_text("\n\n".join(LEARNED["en"]) + "\n", encoding="utf-8")
    for version in ("2.0", "1.0"):
        srx = tmp_path / f"used-{version}.srx"
        result = invoke("segment", text, "--lang", "en", "--write-srx", srx, "--srx-version", version)
        assert result.exit_code == 0, result.output
        assert parse_srx(srx.read_bytes(), str(srx)).version == version
        again = invoke("segment", text, "--lang", "en", "--srx", srx, "--no-learned")
        assert again.stdout == result.stdout
    assert "The talks were held in the U.S. Capitol." in result.stdout.splitlines()


def test_pre_segmented_input_gets_no_srx(tmp_path):
    for language in ("en", "ru"):
        (tmp_path / f"{language}.txt").write_text("One line.\nTwo lines.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("align", tmp_path / "en.txt", tmp_path / "ru.txt", "-o", out, "--presegmented", "--formats", "tmx",
                    "--tgt-lang", "en")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["en.tmx"]
