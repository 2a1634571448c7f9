"""The learned layer: evidence from the text decides where the SRX rules are unsure, and says why."""

from pathlib import Path

import pytest
from conftest import invoke

from aligner.languages import resolve_language
from aligner.model import Document, Paragraph
from aligner.segment import segment_documents, segmenter_for
from aligner.segment.learned import split_paragraphs
from aligner.segment.score import boundary_scores, paragraph_texts, read_gold, sentence_separator

ROOT = Path(__file__).resolve().parent.parent
MAC = ROOT.parent / "shared" / "bench" / "mac"

MEMORANDUM = [
    "Стороны подтвердили приверженность Меморандуму.",
    "Во исполнение подписанного 3 июня 2019 г. Меморандума о сотрудничестве обе Стороны провели консультации. "
    "Положения Меморандума применяются с 2020 г. в полном объеме. Делегации встретились в 2021 г. "
    "Затем последовал обмен нотами.",
]


def split(language: str, texts: list[str], learned: bool = True):
    return split_paragraphs(segmenter_for(resolve_language(language)), texts, learned=learned)


def sentences(language: str, texts: list[str], learned: bool = True) -> list[list[str]]:
    return [[s.text for s in paragraph.sentences] for paragraph in split(language, texts, learned)]


def test_an_abbreviation_before_a_term_of_the_text_keeps_the_sentence_together():
    rules_only = sentences("ru", MEMORANDUM, learned=False)[1]
    assert "Во исполнение подписанного 3 июня 2019 г." in rules_only
    learned = split("ru", MEMORANDUM)[1]
    assert [s.text for s in learned.sentences] == [
        "Во исполнение подписанного 3 июня 2019 г. Меморандума о сотрудничестве обе Стороны провели консультации.",
        "Положения Меморандума применяются с 2020 г. в полном объеме.",
        # "Затем" is never seen in mid-sentence: the rules' break stands.
        "Делегации встретились в 2021 г.",
        "Затем последовал обмен нотами.",
    ]
    (decision,) = learned.decisions
    assert not decision.breaks
    assert "«г.» is an abbreviation here: followed by lower case, a digit or a comma once" in decision.reason
    assert "«Меморандума» is capitalised in mid-sentence once" in decision.reason
    line = decision.describe(MEMORANDUM[1])
    assert line.startswith("no break at “…") and "2019 г. | Меморандума" in line


def test_a_word_seen_opening_a_sentence_is_left_to_the_rules():
    texts = [
        "Меморандум подписан в 2020 г. в Москве. Обе Стороны его выполняют.",
        "Соглашение вступило в силу в 2021 г. Стороны обменялись нотами. Стороны довольны.",
    ]
    assert sentences("ru", texts) == sentences("ru", texts, learned=False)
    assert "Соглашение вступило в силу в 2021 г." in sentences("ru", texts)[1]


def test_a_title_after_an_abbreviation_is_no_evidence_of_a_name():
    # "Dr" is capitalised in mid-sentence and never seen opening a sentence, as a name would be;
    # but a title opens sentences as readily: the rules' break after "etc." stands.
    texts = [
        "The speakers included Dr. Smirnova and Dr. Lee, the authors of several books, etc. "
        "Dr. Smirnova noted that the archives were open.",
        "They discussed trade, energy, etc. and agreed to meet again.",
    ]
    assert sentences("en", texts)[:1] == [[
        "The speakers included Dr. Smirnova and Dr. Lee, the authors of several books, etc.",
        "Dr. Smirnova noted that the archives were open.",
    ]]


def test_an_initial_before_a_word_that_opens_sentences_ends_the_sentence():
    texts = ["The samples were sent to laboratory B. The results came back in a week. "
             "The team of laboratory B thanked the staff."]
    assert sentences("en", texts, learned=False)[0][0] == "The samples were sent to laboratory B. The results came back in a week."
    (paragraph,) = split("en", texts)
    assert [s.text for s in paragraph.sentences] == [
        "The samples were sent to laboratory B.", "The results came back in a week.",
        "The team of laboratory B thanked the staff.",
    ]
    (decision,) = paragraph.decisions
    assert decision.breaks and "«The» is written in lower case once" in decision.reason


def test_initials_before_a_name_stay_with_it():
    texts = ["Письмо подписал А. Б. Петров. Ответ направил В. Петров, а затем Петров уехал."]
    assert sentences("ru", texts) == [["Письмо подписал А. Б. Петров.", "Ответ направил В. Петров, а затем Петров уехал."]]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("'Who are you?' 'I... I don't know,' he said.", ["'Who are you?'", "'I... I don't know,' he said."]),
        ("'I'm . . . I'm going out.' Then he left.", ["'I'm . . . I'm going out.'", "Then he left."]),
        ("But… But why? We waited... Nothing came.", ["But… But why?", "We waited...", "Nothing came."]),
    ],
)
def test_a_word_repeated_after_an_ellipsis_is_a_hesitation(text, expected):
    (paragraph,) = split("en", [text])
    assert [s.text for s in paragraph.sentences] == expected
    assert all("a hesitation" in d.reason for d in paragraph.decisions) and paragraph.decisions


def test_evidence_spans_a_batch_of_documents():
    # The term is used in mid-sentence only in the first document; the second learns from it.
    first = Document(language=resolve_language("ru"), paragraphs=(
        Paragraph("Стороны уточнили положения Протокола и условия Протокола, а также сроки 2024 г. и 2025 г."),), source="a")
    second = Document(language=resolve_language("ru"), paragraphs=(
        Paragraph("Во исполнение принятого 17 апреля 2009 г. Протокола делегации встретились."),), source="b")
    alone = segment_documents([second])[0].document
    together = segment_documents([first, second])[1]
    assert len(alone.paragraphs[0].sentences) == 2
    assert [s.text for s in together.document.paragraphs[0].sentences] == [
        "Во исполнение принятого 17 апреля 2009 г. Протокола делегации встретились."
    ]
    assert together.decisions[0] and not together.decisions[0][0].breaks


def test_offsets_point_at_the_sentences_and_decisions_are_deterministic():
    first, second = split("ru", MEMORANDUM), split("ru", MEMORANDUM)
    assert first == second
    for text, paragraph in zip(MEMORANDUM, first):
        for sentence in paragraph.sentences:
            assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize("data", ["segmentation/{language}.txt", "gold/lavrov-tass-2020-12-30.{language}.txt"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_development_sets_stay_perfect_with_the_layer_on(data, language):
    gold = read_gold(ROOT / "tests" / "data" / data.format(language=language), resolve_language(language))
    found = sentences(language, paragraph_texts(gold))
    assert boundary_scores(gold, found).f1 == 1.0


@pytest.mark.parametrize("language, least", [("zh", 0.98), ("en", 0.99)])
def test_mac_chapters_joined_into_paragraphs(language, least):
    if not MAC.is_dir():
        pytest.skip(f"{MAC} not found: the mac/ chapters are shared benchmark data outside the repository")
    gold = [
        [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in sorted(MAC.glob(f"[0-9][0-9][0-9].{language}"))
    ]
    texts = paragraph_texts(gold, sentence_separator(resolve_language(language)))
    assert boundary_scores(gold, sentences(language, texts)).f1 >= least


def test_cli_explains_the_decisions_on_stderr(tmp_path):
    text = tmp_path / "memorandum.txt"
    text.write_text("\n\n".join(MEMORANDUM) + "\n", encoding="utf-8")
    explained = invoke("segment", text, "--lang", "ru", "--explain")
    assert explained.exit_code == 0
    assert explained.stdout.splitlines()[2].startswith("Во исполнение подписанного 3 июня 2019 г. Меморандума")
    (line,) = explained.stderr.splitlines()
    assert line.startswith(f"{text}, paragraph 2: no break at “…") and "a name or a term" in line
    rules_only = invoke("segment", text, "--lang", "ru", "--no-learned", "--explain")
    assert "Во исполнение подписанного 3 июня 2019 г." in rules_only.stdout.splitlines()
    assert rules_only.stderr == ""
