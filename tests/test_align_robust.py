"""The search that widens its band, evidence across scripts, and determinism (synthetic data)."""

from conftest import GOLD, STEM, document_of

from aligner.align import AlignSettings, align_documents
from aligner.align.features import KeySpace, text_keys, word_keys
from aligner.align.numerals import cjk_numbers, word_numbers
from aligner.evaluate import beads_of
from aligner.languages import resolve_language
from aligner.parse import parse_file


def _gold_sentences(language: str) -> list[str]:
    document = parse_file(GOLD / f"{STEM}.{language}.txt", resolve_language(language), presegmented=True)
    return [s.text for s in document.sentences()]


def test_a_band_of_one_unit_widens_until_it_finds_the_full_search_path():
    en, ru = _gold_sentences("en") * 3, _gold_sentences("ru") * 3
    # Drop a stretch of Russian sentences: the coarse path cannot know where, so the fine
    # path presses on the narrow band there.
    del ru[60:66]
    source, target = document_of("en", en), document_of("ru", ru)
    full = align_documents(source, target, AlignSettings(full_search_cells=10**9))
    narrow = align_documents(source, target, AlignSettings(full_search_cells=500, band_margin=1))
    assert beads_of(narrow) == beads_of(full)


def test_same_input_gives_identical_beads_and_confidences():
    source, target = document_of("en", _gold_sentences("en") * 2), document_of("ru", _gold_sentences("ru") * 2)
    settings = AlignSettings(full_search_cells=500)
    first = align_documents(source, target, settings=settings)
    second = align_documents(source, target, settings=settings)
    assert first.beads == second.beads


def test_chinese_numerals_and_number_words_are_values():
    assert cjk_numbers("我二十一岁时，在十四队，一百零五天，一九四九年，一天") == [21, 14, 105, 1949]
    assert word_numbers("At twenty-one, on the fourteenth team, two hundred and five") == [21, 14, 205]
    assert word_numbers("двадцать один день") == [21]
    assert text_keys("二十一")["#21"] == 1 and text_keys("twenty-one")["#21"] == 1


def _weighted_names(source: list[str], target: list[str]) -> tuple[list[set[str]], list[set[str]]]:
    """The keys that weigh something in each text, by name."""
    space = KeySpace.of([text_keys(t) for t in source], [text_keys(t) for t in target])
    names = {k: name for name, k in space.vocabulary.items()}
    sides = space.weighted()[:2]
    return tuple(  # type: ignore[return-value]
        [{names[int(k)] for k in keys.ids[keys.start[u] : keys.start[u + 1]]} for u in range(len(keys))]
        for keys in sides
    )


def test_han_names_meet_their_pinyin_spelling_across_scripts_only():
    source, target = _weighted_names(["王琦瑶走了。", "他来了。"], ["Wang Qiyao left.", "He came."])
    assert "N:qiyao" in source[0] and "N:qiyao" in target[0]
    # Between two alphabetic texts, capitalised words are not name keys of their own.
    latin, french = _weighted_names(["Wang Qiyao left."], ["Wang Qiyao est parti."])
    assert not any(k.startswith(("N:", "P:", "H:")) for k in latin[0] | french[0])


def test_whether_a_text_has_han_names_is_what_its_keys_say():
    from aligner.align.features import text_evidence

    texts = ["王琦瑶走了。", "他来了。", "一", "Wang Qiyao left.", "Он ушёл.", "他说：“Moscow”", "㈠ 二十一", ""]
    for text in texts:
        keys, han_names = text_evidence(text)
        assert keys == text_keys(text) and han_names == any(key.startswith("H:") for key in keys), text
    source, target = [text_keys(t) for t in texts[:3]], [text_keys(t) for t in texts[3:5]]
    told, found = KeySpace.of(source, target, (True, False)), KeySpace.of(source, target)
    assert told.vocabulary == found.vocabulary and "N:qiyao" in told.vocabulary
    assert [a.tolist() for a in told.source + told.target] == [a.tolist() for a in found.source + found.target]
    assert "N:qiyao" not in KeySpace.of(source, target, (False, False)).vocabulary


def test_segmented_and_unsegmented_chinese_share_character_bigrams():
    segmented, unsegmented = word_keys("起初 ， 上帝 创造 了 天地 。"), word_keys("起初神创造天地。")
    assert {"M:起初", "M:创造", "M:天地"} <= segmented.keys() & unsegmented.keys()


def test_translated_names_and_numbers_align_short_chinese_dialogue():
    """Chinese dialogue lines whose lengths say little: names and numbers place them."""
    zh = ["陈清扬说：“你好。”", "我二十一岁。", "王琦瑶走了。", "十四队在山下。", "“走吧！”"]
    en = ['"Hello," said Chen Qingyang.', "I was twenty-one.", "Wang Qiyao left.",
          "Team fourteen was down the mountain.", '"Let\'s go!"']
    alignment = align_documents(document_of("zh", zh), document_of("en", en))
    assert beads_of(alignment) == [((k,), (k,)) for k in range(5)]


def test_a_key_space_numbers_only_the_keys_both_sides_have():
    source = [text_keys(t) for t in ["王琦瑶走了。二十一", "他说：“Moscow”"]]
    target = [text_keys(t) for t in ["Wang Qiyao left. Twenty-one", "He said: “Moscow!”"]]

    def named(side: list, keep: str) -> set[str]:
        # Name keys of the kind this side keeps become N:, the other kind is dropped.
        return {("N:" + key[2:] if key.startswith(keep) else None) if key.startswith(("H:", "P:")) else key
                for keys in side for key in keys} - {None}

    for first, second, rules in ((source, target, ("H:", "P:")), (target, source, ("P:", "H:"))):
        space = KeySpace.of(first, second)
        assert set(space.vocabulary) == named(first, rules[0]) & named(second, rules[1])
        assert {"N:qiyao", "#21", "speech"} <= set(space.vocabulary)
        assert not {"N:moscow", "P:moscow", "H:wangqi"} & set(space.vocabulary)


def test_the_banded_passes_sum_and_choose_what_every_path_of_the_band_gives():
    """Forward, backward, Viterbi and posteriors against enumerating every path of a small band."""
    import math
    import random
    import sys

    import numpy as np

    from aligner.align.dp import Band

    kernel = sys.modules["aligner.align.kernel"]
    rng = random.Random(5)
    types_a = np.array([1, 1, 0, 2, 1, 2], dtype=np.int64)
    types_b = np.array([1, 0, 1, 1, 2, 2], dtype=np.int64)
    n, m = 7, 8
    band = Band.of(np.array([0, 0, 1, 2, 3, 4, 5, 6]), np.array([2, 3, 4, 5, 6, 7, 8, 8]))
    table = np.full((band.size, len(types_a)), np.inf, dtype=np.float32)
    inside = {(r, c) for r in range(n + 1) for c in range(band.low[r], band.high[r] + 1)}
    cell = {rc: int(band.offset[rc[0]] + rc[1] - band.low[rc[0]]) for rc in inside}
    for (r, c), k in cell.items():
        for t, (a, b) in enumerate(zip(types_a.tolist(), types_b.tolist())):
            if (r - a, c - b) in inside and (a, b) != (0, 0):
                table[k, t] = rng.uniform(-2.0, 4.0)

    paths: list[tuple[float, list[tuple[int, int, int, int]]]] = []

    def walk(r: int, c: int, cost: float, beads: list[tuple[int, int, int, int]]) -> None:
        if (r, c) == (n, m):
            paths.append((cost, beads))
            return
        for t, (a, b) in enumerate(zip(types_a.tolist(), types_b.tolist())):
            end = (r + a, c + b)
            if end in inside and np.isfinite(table[cell[end], t]):
                walk(*end, cost + float(table[cell[end], t]), [*beads, (r, a, c, b)])

    walk(0, 0, 0.0, [])
    log_total = math.log(sum(math.exp(-cost) for cost, _ in paths))
    choice, forward = kernel.forward_pass(table, types_a, types_b, band.low, band.high, band.offset)
    backward = kernel.backward_pass(table, types_a, types_b, band.low, band.high, band.offset)
    assert math.isclose(forward[-1], log_total, rel_tol=1e-9)
    assert math.isclose(backward[0], log_total, rel_tol=1e-9)
    traced = kernel.trace(table, types_a, types_b, band.low, band.high, band.offset, choice, forward, backward)[::-1]
    best_cost, best_beads = min(paths)
    assert [tuple(int(x) for x in row[:4]) for row in traced] == best_beads
    for i, a, j, b, posterior in traced.tolist():
        if a and b:
            expected = sum(math.exp(-cost - log_total) for cost, beads in paths if (i, a, j, b) in beads)
        else:  # a unit without partner: every path that leaves it out
            unit = int(i) if a else int(j)
            expected = sum(
                math.exp(-cost - log_total) for cost, beads in paths
                if any((bi == unit and ba and not bb) if a else (bj == unit and bb and not ba) for bi, ba, bj, bb in beads)
            )
        assert math.isclose(posterior, expected, rel_tol=1e-7)
    viterbi_choice, best = kernel.viterbi_pass(table, types_a, types_b, band.low, band.high, band.offset)
    assert math.isclose(best[-1], best_cost, rel_tol=1e-6)
    assert (viterbi_choice == choice).all()


def test_direct_speech_in_single_quotes_is_speech_and_an_apostrophe_is_not():
    """British English quotes dialogue with single quotes; Chinese with “”: both are speech."""
    assert "speech" in text_keys("'Dad,' Father said, 'shall I mix some soil into it?'")
    assert "speech" in text_keys("He said: ‘no’.")
    assert "speech" in text_keys("海老公问道：“鳌拜家有两部？”")
    assert "speech" not in text_keys("I don't know what the soldiers' horses ate.")
