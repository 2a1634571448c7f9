"""Alignment of the bundled pair against the gold, and properties of the aligner itself."""

import sys
from dataclasses import replace

import pytest
from conftest import EN, GOLD, REPO, RU, SETTINGS, STEM, document_of

from aligner.align import AlignSettings, align_documents, dp
from aligner.evaluate import beads_of, read_beads, score
from aligner.model import corpus_of
from aligner.parse import parse_file
from aligner.pipeline import align_files

ROOT = REPO


@pytest.fixture(scope="module", params=["txt", "html"])
def bundled(request):
    suffix = request.param
    return align_files(ROOT / "sources/en" / f"{STEM}.{suffix}", ROOT / "sources/ru" / f"{STEM}.{suffix}", SETTINGS)


def test_strict_f1_against_gold(bundled):
    gold = read_beads(GOLD / f"{STEM}.en-ru.beads")
    result = score([gold], [beads_of(bundled)])
    assert result.f1_strict >= 0.95
    assert result.f1_lax >= 0.98


def test_sentences_match_gold_and_beads_cover_each_once(bundled):
    gold_en = parse_file(GOLD / f"{STEM}.en.txt", EN, presegmented=True).sentences()
    gold_ru = parse_file(GOLD / f"{STEM}.ru.txt", RU, presegmented=True).sentences()
    assert [s.text for s in bundled.source.sentences()] == [s.text for s in gold_en]
    assert [s.text for s in bundled.target.sentences()] == [s.text for s in gold_ru]
    source = [i for bead in bundled.beads for i in bead.source]
    target = [j for bead in bundled.beads for j in bead.target]
    assert source == list(range(len(gold_en)))
    assert target == list(range(len(gold_ru)))
    assert all(0.0 <= bead.confidence <= 1.0 for bead in bundled.beads)


def test_txt_and_html_give_the_same_pairs():
    pairs = []
    for suffix in ("txt", "html"):
        alignment = align_files(ROOT / "sources/en" / f"{STEM}.{suffix}", ROOT / "sources/ru" / f"{STEM}.{suffix}", SETTINGS)
        pairs.append([(r.source, r.target) for r in corpus_of(alignment).records])
    assert pairs[0] == pairs[1]


def test_a_sentence_missing_in_translation_becomes_a_1_0_bead():
    gold_en = [s.text for s in parse_file(GOLD / f"{STEM}.en.txt", EN, presegmented=True).sentences()]
    gold_ru = [s.text for s in parse_file(GOLD / f"{STEM}.ru.txt", RU, presegmented=True).sentences()]
    gold = read_beads(GOLD / f"{STEM}.en-ru.beads")
    # Drop the Russian side of a 1-1 bead between two 1-1 beads: its English sentence has no
    # partner. (A very short sentence next to a merge can be absorbed into a 2-2 bead instead.)
    def one_to_one(bead):
        return len(bead[0]) == 1 and len(bead[1]) == 1

    victim = next(
        gold[k]
        for k in range(30, len(gold) - 1)
        if one_to_one(gold[k - 1]) and one_to_one(gold[k]) and one_to_one(gold[k + 1])
        and len(gold_en[gold[k][0][0]]) > 80
    )
    removed = victim[1][0]
    damaged_ru = [s for k, s in enumerate(gold_ru) if k != removed]
    alignment = align_documents(document_of("en", gold_en), document_of("ru", damaged_ru))
    beads = beads_of(alignment)
    assert (victim[0], ()) in beads


def test_banded_search_finds_the_same_path_as_the_full_search():
    en = [s.text for s in parse_file(GOLD / f"{STEM}.en.txt", EN, presegmented=True).sentences()]
    ru = [s.text for s in parse_file(GOLD / f"{STEM}.ru.txt", RU, presegmented=True).sentences()]
    source, target = document_of("en", en * 3), document_of("ru", ru * 3)
    full = align_documents(source, target, AlignSettings(full_search_cells=10**9))
    banded = align_documents(source, target, AlignSettings(full_search_cells=500))
    assert beads_of(banded) == beads_of(full)


def test_band_is_narrow_for_long_inputs(monkeypatch):
    """The banded search visits O(n) cells, not n × m."""
    visited = []
    original = dp.search

    def counting(problem, band, guard=0, posteriors=True):
        visited.append(band.size)
        return original(problem, band, guard, posteriors)

    monkeypatch.setattr(dp, "search", counting)
    en = [s.text for s in parse_file(GOLD / f"{STEM}.en.txt", EN, presegmented=True).sentences()] * 4
    ru = [s.text for s in parse_file(GOLD / f"{STEM}.ru.txt", RU, presegmented=True).sentences()] * 4
    align_documents(document_of("en", en), document_of("ru", ru), AlignSettings(full_search_cells=500))
    finest = visited[-1]
    assert finest < 0.25 * (len(en) + 1) * (len(ru) + 1)


def test_speaker_turns_anchor_paragraphs(bundled):
    en_paragraphs = bundled.source.paragraphs
    ru_paragraphs = bundled.target.paragraphs
    src_refs, tgt_refs = bundled.source.sentences(), bundled.target.sentences()
    for bead in bundled.beads:
        if bead.is_pair:
            en_speaker = en_paragraphs[src_refs[bead.source[0]].paragraph].speaker
            ru_speaker = ru_paragraphs[tgt_refs[bead.target[0]].paragraph].speaker
            assert (en_speaker is None) == (ru_speaker is None)


def test_empty_side_gives_null_beads():
    source = document_of("en", ["One sentence here.", "Another one."])
    target = replace(document_of("ru", ["x"]), paragraphs=())
    alignment = align_documents(source, target)
    assert [b.kind for b in alignment.beads] == ["1-0", "1-0"]


def test_dictionary_entries_raise_the_confidence_of_the_pairs_they_link():
    from aligner.align.features import read_dictionary

    en = [s.text for s in parse_file(GOLD / f"{STEM}.en.txt", EN, presegmented=True).sentences()]
    ru = [s.text for s in parse_file(GOLD / f"{STEM}.ru.txt", RU, presegmented=True).sentences()]
    source, target = document_of("en", en), document_of("ru", ru)
    # "The ball is now in NATO's court." / "Мяч теперь на стороне НАТО."
    bead = ((35,), (35,))
    entries = read_dictionary("мяч @ ball\nтеперь @ now\n", "nato.dic")

    def confidence(alignment):
        return next(b.confidence for b in alignment.beads if (b.source, b.target) == bead)

    plain = align_documents(source, target)
    helped = align_documents(source, target, dictionary=entries)
    assert beads_of(helped) == beads_of(plain)
    assert confidence(helped) > confidence(plain)


def test_malformed_dictionary_line_is_named():
    from aligner.align.features import read_dictionary
    from aligner.errors import AlignerError

    with pytest.raises(AlignerError, match="fruit.dic:2"):
        read_dictionary("груши @ pears\nno separator here\n", "fruit.dic")


def test_translation_must_have_one_line_per_source_sentence():
    from aligner.errors import AlignerError

    source = document_of("en", ["One.", "Two."])
    target = document_of("ru", ["Один.", "Два."])
    with pytest.raises(AlignerError, match="1 lines but the source has 2"):
        align_documents(source, target, translation=["Один."])


def test_dictionary_option_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from aligner.cli import main

    en, ru = ROOT / "sources/en" / f"{STEM}.html", ROOT / "sources/ru" / f"{STEM}.html"
    good = tmp_path / "good.dic"
    good.write_text("мяч @ ball\nтеперь @ now\n", encoding="utf-8")
    bad = tmp_path / "bad.dic"
    bad.write_text("no separator\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["align", str(en), str(ru), "-o", str(tmp_path / "out"), "--formats", "csv",
                                  "--dictionary", str(good)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / f"{STEM}.csv").exists()
    failed = runner.invoke(main, ["align", str(en), str(ru), "-o", str(tmp_path / "out2"), "--dictionary", str(bad)])
    assert failed.exit_code == 2
    assert not (tmp_path / "out2").exists()


def test_a_lexicon_pairs_the_words_that_keep_meeting_in_sure_beads():
    from aligner.align.lexicon import Tokens, learn_lexicon

    beads = [
        ("Gipfel erreicht", "sommet atteint"),
        ("Gipfel im Nebel", "sommet dans le brouillard"),
        ("dichter Nebel", "brouillard épais"),
        ("Hütte erreicht", "cabane atteinte"),
        ("The LORD said", "耶和华说"),
        ("the LORD saw", "耶和华看见"),
    ] + [(f"Füller{k}", f"remplissage{k}") for k in range(40)]
    source = Tokens.of([s for s, _ in beads] + ["Der Gipfel"])
    target = Tokens.of([t for _, t in beads] + ["au sommet"])
    pairs = [(source.sentence(k), target.sentence(k)) for k in range(len(beads))]
    lexicon = learn_lexicon(pairs, source, target, min_count=2, min_dice=0.5, max_share=0.1)
    assert lexicon.translations["gipfel"] == {"sommet"}
    assert lexicon.translations["nebel"] == {"brouillard"}
    assert "hütte" not in lexicon.translations  # seen once: no evidence yet
    # Characters and character pairs of a script without spaces are tokens too.
    assert {"耶和", "和华", "耶", "华"} <= lexicon.translations["lord"]
    learned = lexicon.keys(source, target)
    source_keys, target_keys = (
        [[learned.names[w] for w in ids[starts[k] : starts[k + 1]]] for k in range(len(starts) - 1)]
        for starts, ids in (learned.source, learned.target)
    )
    assert source_keys[-1] == ["L:gipfel"] and target_keys[-1] == ["L:gipfel"]
    assert source_keys[1] == ["L:gipfel", "L:nebel"] and target_keys[1] == ["L:gipfel", "L:nebel"]
    assert source_keys[3] == target_keys[3] == []  # "erreicht" met two spellings: neither is sure


def test_token_pairs_are_counted_the_same_in_chunks_as_at_once(monkeypatch):
    """A long text's pairs are counted a chunk of beads at a time: the counts must not change."""
    import random
    from collections import Counter

    import numpy as np

    lexicon_module = sys.modules["aligner.align.lexicon"]
    rng = random.Random(3)
    beads = [(sorted(rng.sample(range(30), rng.randint(0, 5))), sorted(rng.sample(range(20), rng.randint(0, 4))))
             for _ in range(200)]
    expected = Counter(s * 20 + t for source, target in beads for s in source for t in target)
    arrays = [
        np.array([k for k, (source, _) in enumerate(beads) for _ in source]), np.array([s for source, _ in beads for s in source]),
        np.array([k for k, (_, target) in enumerate(beads) for _ in target]), np.array([t for _, target in beads for t in target]),
    ]
    for chunk in (1, 7, 1 << 20):
        monkeypatch.setattr(lexicon_module, "PAIRS_PER_CHUNK", chunk)
        codes, counts = lexicon_module._pair_counts(*arrays, len(beads), 20)
        assert list(codes) == sorted(expected)
        assert dict(zip(codes.tolist(), counts.tolist())) == expected


def test_a_text_that_teaches_a_lexicon_is_aligned_better_with_it():
    """Lengths say little here (each translation carries noise of its own); the words say it all."""
    import random

    rng = random.Random(5)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
    vocabulary = [("".join(rng.choice("bdgklmnprst") + rng.choice("aeiou") for _ in range(3)), "".join(rng.sample(han, 2)))
                  for _ in range(80)]
    english, chinese, gold = [], [], []
    for k in range(240):
        words = rng.sample(vocabulary, rng.randint(3, 8))
        english.append(" ".join(w for w, _ in words) + ".")
        noise = ["".join(rng.sample(han, rng.randint(0, 6))) for _ in words]
        pieces = [t + n for (_, t), n in zip(words, noise)]
        if k % 7 == 3:  # split in two in the translation
            cut = rng.randint(1, len(pieces) - 1)
            chinese += ["".join(pieces[:cut]) + "。", "".join(pieces[cut:]) + "。"]
            gold.append(((k,), (len(chinese) - 2, len(chinese) - 1)))
        else:
            chinese.append("".join(pieces) + "。")
            gold.append(((k,), (len(chinese) - 1,)))
    source, target = document_of("en", english), document_of("zh", chinese)
    plain = score([gold], [beads_of(align_documents(source, target, AlignSettings(learn=False)))]).f1_strict
    learned = score([gold], [beads_of(align_documents(source, target, AlignSettings(learn_min_beads=0)))]).f1_strict
    assert learned > plain + 0.05
    assert learned >= 0.9


def test_compiled_key_mass_and_postings_equal_their_numpy_definitions():
    import numpy as np

    from aligner.align.keys import Keys

    rng = np.random.default_rng(7)
    for _ in range(200):
        units = [
            {int(k): float(rng.random() * 3) for k in rng.choice(40, rng.integers(0, 8), replace=False)}
            for _ in range(rng.integers(0, 12))
        ]
        keys = Keys.of(units)
        owner = np.repeat(np.arange(len(keys), dtype=np.int64), np.diff(keys.start))
        per_unit = np.bincount(owner, weights=keys.weights, minlength=len(keys))
        assert keys.mass().tolist() == np.concatenate(([0.0], np.cumsum(per_unit))).tolist()
        order = np.lexsort((owner, keys.ids))
        start = np.searchsorted(keys.ids[order], np.arange(41))
        postings = keys.postings(40)
        assert [part.tolist() for part in postings] == [start.tolist(), owner[order].tolist(), keys.weights[order].tolist()]
    with pytest.raises(ValueError):
        Keys.of([{5: 1.0}]).postings(3)


def test_aligning_pauses_the_cycle_collector_and_restores_it():
    import gc

    from aligner.align import align_batch

    source, target = document_of("en", ["One sentence here."] * 3), document_of("ru", ["Одно предложение здесь."] * 3)
    seen = []
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            align_batch([(source, target)], progress=lambda: seen.append(gc.isenabled()))
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert seen == [False, False]


def test_the_weight_of_a_translation_is_what_it_tells_apart_in_this_text(monkeypatch):
    """A translation whose words meet their own target weighs more than one shuffled out of place."""
    import random

    import numpy as np

    from aligner.align.estimate import translation_weight
    from aligner.languages import resolve_language
    from aligner.parse import parse_file

    batch = sys.modules["aligner.align.batch"]
    sentences = {
        language: [s.text for s in parse_file(GOLD / f"{STEM}.{language}.txt", resolve_language(language),
                                              presegmented=True).sentences()]
        for language in ("en", "ru")
    }
    gold = read_beads(GOLD / f"{STEM}.en-ru.beads")
    machine = [""] * len(sentences["en"])
    for source, target in gold:
        for i in source:
            machine[i] = " ".join(sentences["ru"][j] for j in target)
    shuffled = machine[:]
    random.Random(1).shuffle(shuffled)
    fitted = []
    original = batch._fitted_translation

    def spy(*args, **kwargs):
        model = original(*args, **kwargs)
        fitted.append(model.translation_weight)
        return model

    monkeypatch.setattr(batch, "_fitted_translation", spy)
    source, target = document_of("en", sentences["en"] * 2), document_of("ru", sentences["ru"] * 2)
    weights = []
    for translation in (machine, shuffled):
        fitted.clear()
        alignment = align_documents(source, target, translation=translation * 2)
        assert score([gold], [beads_of(alignment)[: len(gold)]]).f1_strict == 1.0
        # Refitted until it settles: the last fit gives the weight of the pass before it.
        assert 1 <= len(fitted) <= AlignSettings().translation_rounds
        weights.append(fitted[-1])
    assert weights[0] > 4 * weights[1] > 0
    # The estimate itself: two normal laws one spread apart give a slope of 1 / spread.
    rng = random.Random(2)
    translations = [rng.gauss(3.0, 1.0) for _ in range(4000)]
    others = [rng.gauss(1.0, 1.0) for _ in range(4000)]
    assert abs(translation_weight(np.array(translations), np.array(others)) - 2.0) < 0.1
    assert translation_weight(np.array(translations[:5]), np.array(others[:5])) is None


def test_mutual_best_matches_near_a_path_are_the_pairs_that_share_most():
    """What the translation's weight is fitted on when a pass was sure of too few beads."""
    from aligner.align.keys import Keys
    from aligner.model import Alignment, Bead

    batch = sys.modules["aligner.align.batch"]
    n = 30
    # Source i's translation shares key i with target i + 1 (target 0 is an added sentence),
    # and a weaker key with its neighbour, which must not win.
    source = Keys.of([{i: 2.0, 100 + i: 0.5} for i in range(n)])
    target = Keys.of([{}] + [{j: 2.0, 100 + j + 1: 0.5} for j in range(n)])
    documents = document_of("en", [f"S {i}." for i in range(n)]), document_of("ru", [f"T {j}." for j in range(n + 1)])
    # A path that is off by one everywhere still puts each partner within the window.
    path = Alignment(*documents, tuple(Bead((i,), (i,), 0.5) for i in range(n)) + (Bead((), (n,), 0.5),))
    assert batch._mutual_best(source, target, 200, path) == [(i, i + 1) for i in range(n)]
