"""Sentence segmentation against the hand-checked gold and on the genre's hard cases."""

from pathlib import Path

import pytest

from aligner.languages import resolve_language
from aligner.parse import parse_file
from aligner.pipeline import load_document
from aligner.segment import segmenter_for

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold"
STEM = "lavrov-tass-2020-12-30"


def boundaries(sentences: list[str]) -> set[int]:
    """Sentence ends as offsets in the text with white space removed."""
    ends, offset = set(), 0
    for sentence in sentences:
        offset += len("".join(sentence.split()))
        ends.add(offset)
    return ends


def boundary_f1(gold: list[str], test: list[str]) -> float:
    gold_ends, test_ends = boundaries(gold), boundaries(test)
    assert max(gold_ends) == max(test_ends), "the two splits are not of the same text"
    hits = len(gold_ends & test_ends)
    precision, recall = hits / len(test_ends), hits / len(gold_ends)
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize("suffix", ["txt", "html"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_boundary_f1_against_gold(lang, suffix):
    gold = parse_file(GOLD / f"{STEM}.{lang}.txt", resolve_language(lang), presegmented=True)
    test = load_document(ROOT / "sources" / lang / f"{STEM}.{suffix}", resolve_language(lang))
    gold_sentences = [s.text for s in gold.sentences()]
    test_sentences = [s.text for s in test.sentences()]
    assert boundary_f1(gold_sentences, test_sentences) >= 0.98
    assert len(test.paragraphs) == len(gold.paragraphs)


def test_boundary_f1_detects_a_wrong_split():
    gold = ["One. Two.", "Three."]
    assert boundary_f1(gold, ["One.", "Two.", "Three."]) == pytest.approx(0.8)


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("ru", "С.В.Лавров: Мы готовы. Решение за НАТО.", ["С.В.Лавров: Мы готовы.", "Решение за НАТО."]),
        ("ru", "Об этом сказал В.В.Путин. Он добавил, что т.е. всё ясно.",
         ["Об этом сказал В.В.Путин.", "Он добавил, что т.е. всё ясно."]),
        ("ru", "Встреча прошла в 2020 г. в Москве. Затем мы продолжили.",
         ["Встреча прошла в 2020 г. в Москве.", "Затем мы продолжили."]),
        ("ru", "Договор подписан 9 ноября 2020 г. Стороны его выполняют.",
         ["Договор подписан 9 ноября 2020 г.", "Стороны его выполняют."]),
        ("ru", "Письмо подписал А. Б. Петров. Ответ пришёл.", ["Письмо подписал А. Б. Петров.", "Ответ пришёл."]),
        ("ru", "Рост составил 1,5 млрд. руб. и т.д. Далее – итоги.", ["Рост составил 1,5 млрд. руб. и т.д.", "Далее – итоги."]),
        ("ru", "Он спросил: «Где вы были?» — и ушёл. Мы остались.", ["Он спросил: «Где вы были?» — и ушёл.", "Мы остались."]),
        ("ru", "— Вы готовы? — Да, готовы.", ["— Вы готовы?", "— Да, готовы."]),
        ("ru", "Это сказано в ст. 5 Устава. См. п. 3.", ["Это сказано в ст. 5 Устава.", "См. п. 3."]),
        ("en", "Mr. Smith met the U.S. delegation. They talked.", ["Mr. Smith met the U.S. delegation.", "They talked."]),
        ("en", "See No. 5 on Jan. 10 in St. Petersburg. Then leave.",
         ["See No. 5 on Jan. 10 in St. Petersburg.", "Then leave."]),
        ("en", "Growth was 1.5 percent. Prices rose.", ["Growth was 1.5 percent.", "Prices rose."]),
        ("en", "We waited... Nothing came. Wait! Why?", ["We waited...", "Nothing came.", "Wait!", "Why?"]),
        ("en", "He said: “Is it over?” she asked. No.", ["He said: “Is it over?” she asked.", "No."]),
        ("en", "It was signed by S. Lavrov. The text follows.", ["It was signed by S. Lavrov.", "The text follows."]),
        ("en", "(This is an aside.) The main text goes on.", ["(This is an aside.)", "The main text goes on."]),
        ("en", "Apples, pears, etc. They all grow here.", ["Apples, pears, etc.", "They all grow here."]),
    ],
)
def test_hard_cases(lang, text, expected):
    sentences = segmenter_for(resolve_language(lang)).split(text)
    assert [s.text for s in sentences] == expected
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_unknown_language_still_splits():
    assert [s.text for s in segmenter_for(resolve_language("fi")).split("Un. Deux? Trois!")] == ["Un.", "Deux?", "Trois!"]
