"""Letter and script counts: the table look-up for long texts counts what the patterns count."""

from __future__ import annotations

import random

import pytest
import regex

from aligner.scripts import dominant_script, letter_count, letter_counts, script_letter_count, script_share

# Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Thai, Georgian, Hangul jamo,
# punctuation and digits, CJK, the last BMP code points, and letters and symbols beyond the BMP
# (mathematical letters, Deseret, Han extension B, an emoji).
_POOL = [chr(c) for c in [*range(0x20, 0x2000), *range(0x3000, 0x3100), *range(0x4E00, 0x4E80)]] + [
    "\ufffd", "\uffff", "\U0001d400", "\U00010400", "\U00020000", "\U0001f600",
]


def _texts(seed: int, lengths: list[int], bmp_only: bool) -> list[str]:
    rng = random.Random(seed)
    pool = [c for c in _POOL if ord(c) < 0x10000] if bmp_only else _POOL
    return ["".join(rng.choice(pool) for _ in range(length)) for length in lengths]


@pytest.mark.parametrize("bmp_only", [True, False])
def test_counts_agree_with_the_patterns_at_every_length(bmp_only: bool) -> None:
    for text in _texts(5, [0, 1, 17, 255, 256, 257, 3000], bmp_only):
        assert letter_count(text) == len(regex.findall(r"\p{L}", text))
        for script in ("Latn", "Cyrl", "Grek", "Hani", "Dsrt"):
            assert script_letter_count(text, script) == len(regex.findall(rf"\p{{Script={script}}}", text))


def test_letter_counts_of_many_texts_at_once() -> None:
    texts = _texts(9, [random.Random(k).randint(0, 40) for k in range(300)], bmp_only=False)
    assert letter_counts(texts).tolist() == [len(regex.findall(r"\p{L}", text)) for text in texts]
    assert letter_counts([]).tolist() == []


def test_shares_and_dominant_script_of_long_texts() -> None:
    russian = "Министр иностранных дел ответил на вопросы. " * 40
    assert script_share(russian + "Lavrov", "Cyrl") > 0.99
    assert dominant_script(russian) == "Cyrl"
    assert dominant_script("王琦瑶是上海弄堂的女儿。" * 40) == "Hani"
    assert dominant_script("1234 — 5678! " * 40) is None


def test_letter_counts_are_the_same_a_chunk_of_texts_at_a_time(monkeypatch) -> None:
    import sys

    texts = ["", "Жж 中文, a.", "𝐀𝐁 b", "", "1234", "ǅemal", "", "ab"] * 40
    expected = [len(regex.findall(r"\p{L}", text)) for text in texts]
    for chunk in (1, 5, 64, 1 << 20):
        monkeypatch.setattr(sys.modules["aligner.scripts"], "_CHUNK_CHARACTERS", chunk)
        assert letter_counts(texts).tolist() == expected
