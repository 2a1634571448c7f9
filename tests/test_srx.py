"""The SRX 2.0 engine, the shipped rules, the segmentation gold set and OmegaT's own segments."""

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import regex
from click.testing import CliRunner
from conftest import assert_one_line_error, run_command
from lxml import etree

from aligner.cli import main
from aligner.errors import AlignerError
from aligner.languages import resolve_language
from aligner.parse import parse_file
from aligner.pipeline import load_document
from aligner.segment import default_srx_path, load_srx, segmenter_for
from aligner.segment.icu import UnsupportedRegex, last_characters, required_characters, translate
from aligner.segment.score import boundary_scores, paragraph_texts, read_gold
from aligner.segment.srx import SrxSegmenter, parse_srx

ROOT = Path(__file__).resolve().parent.parent
SEGMENTATION = ROOT / "tests" / "data" / "segmentation"
OMEGAT_JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
OMEGAT_RULES = "org/omegat/core/segmentation/defaultRules.srx"
OMEGAT_TAGS = {"en": "en-GB", "ru": "ru-RU"}
OMEGAT_TOKENIZERS = {"en": "LuceneEnglishTokenizer", "ru": "LuceneRussianTokenizer"}


def write_srx(directory: Path, rules: dict, maps: list, cascade: str = "yes", name: str = "rules.srx") -> Path:
    """An SRX file from ``{rule name: [(break, before, after), ...]}`` and ``[(pattern, rule name)]``."""
    parts = []
    for rule_name, rule_list in rules.items():
        items = []
        for breaks, before, after in rule_list:
            inner = ""
            if before is not None:
                inner += f"<beforebreak>{escape(before)}</beforebreak>"
            if after is not None:
                inner += f"<afterbreak>{escape(after)}</afterbreak>"
            items.append(f'<rule break="{breaks}">{inner}</rule>')
        parts.append(f'<languagerule languagerulename="{rule_name}">{"".join(items)}</languagerule>')
    mapping = "".join(f'<languagemap languagepattern="{p}" languagerulename="{n}"/>' for p, n in maps)
    path = directory / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<srx xmlns="http://www.lisa.org/srx20" version="2.0">'
        f'<header segmentsubflows="yes" cascade="{cascade}"/><body><languagerules>{"".join(parts)}'
        f"</languagerules><maprules>{mapping}</maprules></body></srx>",
        encoding="utf-8",
    )
    return path


def texts(text: str, language: str, srx: Path | None = None) -> list[str]:
    return [s.text for s in segmenter_for(resolve_language(language), srx).split(text)]


# --- the gold set ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_gold_set_boundary_f1(language):
    gold = read_gold(SEGMENTATION / f"{language}.txt", resolve_language(language))
    assert sum(len(paragraph) for paragraph in gold) >= 300
    segmenter = segmenter_for(resolve_language(language))
    test = [[s.text for s in segmenter.split(text)] for text in paragraph_texts(gold)]
    wrong = [(g, t) for g, t in zip(gold, test) if g != t]
    assert boundary_scores(gold, test).f1 >= 0.99, wrong[:5]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_numbered_points_of_the_ministry_style_set_keep_their_numbers(language):
    # The second development set runs points of memoranda into paragraphs ("… Article. 2. The
    # Parties …"): a number is left alone only after a word too short to tell from an
    # abbreviation ("в силу. 3.", "it. 3."; "п. 5." may end a sentence).
    gold = read_gold(SEGMENTATION.parent / "segmentation-official" / f"{language}.txt", resolve_language(language))
    segmenter = segmenter_for(resolve_language(language))
    points = [line for paragraph in gold for line in paragraph if regex.match(r"\d{1,3}\. ", line)]
    assert len(points) >= 10
    alone = 0
    for text in paragraph_texts(gold):
        found = [s.text for s in segmenter.split(text)]
        for before, segment in zip(found, found[1:]):
            if regex.fullmatch(r"\d{1,3}\.", segment):
                alone += 1
                assert len(regex.findall(r"\p{L}+", before)[-1]) < 5, (before, segment)
    assert alone < len(points) / 5


@pytest.mark.parametrize("language", ["en", "ru"])
def test_offsets_point_at_the_sentences(language):
    segmenter = segmenter_for(resolve_language(language))
    for text in paragraph_texts(read_gold(SEGMENTATION / f"{language}.txt", resolve_language(language))):
        for sentence in segmenter.split(text):
            assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_bundled_interview_still_splits_perfectly(language):
    stem = "lavrov-tass-2020-12-30"
    gold = parse_file(ROOT / "tests" / "data" / "gold" / f"{stem}.{language}.txt", resolve_language(language), presegmented=True)
    test = load_document(ROOT / "sources" / language / f"{stem}.txt", resolve_language(language))
    sentences = [[s.text for s in p.sentences] for p in gold.paragraphs]
    found = [[s.text for s in p.sentences] for p in test.paragraphs]
    assert boundary_scores(sentences, found).f1 == 1.0


def test_boundary_scores_count_only_boundaries_inside_paragraphs():
    scores = boundary_scores([["A b.", "C d."], ["E."]], [["A b. C d."], ["E."]])
    assert (scores.gold, scores.found, scores.correct) == (1, 0, 0)
    assert scores.recall == 0.0 and scores.precision == 1.0
    with pytest.raises(AlignerError):
        boundary_scores([["A b."]], [["A c."]])


# --- the shipped rules -------------------------------------------------------------------


def test_shipped_srx_validates_against_the_srx20_schema():
    if not OMEGAT_JAR.is_file():
        pytest.skip(f"{OMEGAT_JAR} not found: the SRX 2.0 schema is read from OmegaT's jar (apt-get install omegat)")
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        xsd = etree.fromstring(jar.read("schemas/srx20.xsd"), etree.XMLParser(no_network=True, resolve_entities=False))
    # The schema imports xml.xsd from the web for xml:lang, which it never uses.
    for imported in xsd.findall("{http://www.w3.org/2001/XMLSchema}import"):
        xsd.remove(imported)
    schema = etree.XMLSchema(xsd)
    shipped = etree.parse(str(default_srx_path()), etree.XMLParser(no_network=True, resolve_entities=False))
    assert schema.validate(shipped), schema.error_log


def test_shipped_srx_covers_english_russian_and_a_default():
    document = load_srx(default_srx_path())
    names = [name for name, _ in document.language_rules]
    assert {"English", "Russian", "Default"} <= set(names)
    assert document.cascade
    assert [r.where for r in document.rules_for("xx")] == [r.where for r in document.rules_for("fi-FI")]


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("ru", "С. В. Лавров: Мы готовы. Решение за НАТО.", ["С. В. Лавров: Мы готовы.", "Решение за НАТО."]),
        ("ru", "Мы благодарны им. Они нас поддержали.", ["Мы благодарны им.", "Они нас поддержали."]),
        ("ru", "Форум пройдет в МГУ им. М.В.Ломоносова. Вход свободный.",
         ["Форум пройдет в МГУ им. М.В.Ломоносова.", "Вход свободный."]),
        ("ru", "В 2021 г. Россия председательствовала. Затем – Индия.",
         ["В 2021 г. Россия председательствовала.", "Затем – Индия."]),
        ("ru", "Встреча прошла в г. Минске. Итоги подведены.", ["Встреча прошла в г. Минске.", "Итоги подведены."]),
        ("ru", "Это т.н. «формат». Т.е. новый.", ["Это т.н. «формат».", "Т.е. новый."]),
        ("en", "Talks began at 10 a.m. Moscow time. They ended at 2 p.m. The press waited.",
         ["Talks began at 10 a.m. Moscow time.", "They ended at 2 p.m.", "The press waited."]),
        ("en", "Sanctions came from the U.S. The EU followed.", ["Sanctions came from the U.S.", "The EU followed."]),
        ("en", "The U.S. Secretary of State arrived. He spoke.", ["The U.S. Secretary of State arrived.", "He spoke."]),
        ("en", "— Will you go? — Yes. Tomorrow.", ["— Will you go?", "— Yes.", "Tomorrow."]),
        ("en", "1. Security. It comes first.", ["1. Security.", "It comes first."]),
        # A quotation broken off by a dash ends its sentence when a capital follows, as after "?".
        ("en", "'Run, all of you –' A shot rang out.", ["'Run, all of you –'", "A shot rang out."]),
        ("en", "\"But—\" \"But what?\" he said.", ["\"But—\"", "\"But what?\" he said."]),
        ("en", "'I was going to –' he began.", ["'I was going to –' he began."]),
        ("en", "He paused – 'Well' – and went on.", ["He paused – 'Well' – and went on."]),
        ("ru", "«Я хотел —» Он замолчал.", ["«Я хотел —»", "Он замолчал."]),
        # A list run into the paragraph: each item after the colon and the semicolons is a segment.
        ("en", "There were two ways out: 1. The door; 2. The window. We took neither.",
         ["There were two ways out:", "1. The door;", "2. The window.", "We took neither."]),
        ("en", "Who is he? 2. What does he want? 3. Why now?", ["Who is he?", "2. What does he want?", "3. Why now?"]),
        ("en", "The match ended 2:1. The fans went home.", ["The match ended 2:1.", "The fans went home."]),
        ("en", "Growth was modest: 3.5 per cent. Prices rose.", ["Growth was modest: 3.5 per cent.", "Prices rose."]),
        ("en", "He lives at No. 5. The house is old.", ["He lives at No. 5.", "The house is old."]),
        # Numbered points run into a paragraph: after a sentence that ends in a word, a number
        # with its period opens the next point; after an abbreviation it is the abbreviation's.
        ("en", "1. The Parties shall consult each other. 2. Consultations shall be held yearly. 3. Both agree.",
         ["1. The Parties shall consult each other.", "2. Consultations shall be held yearly.", "3. Both agree."]),
        ("ru", "1. Стороны развивают сотрудничество. 2. Сотрудничество осуществляется на базе Академии.",
         ["1. Стороны развивают сотрудничество.", "2. Сотрудничество осуществляется на базе Академии."]),
        ("ru", "Данные приведены в табл. 2. Средний курс вырос.", ["Данные приведены в табл. 2.", "Средний курс вырос."]),
        ("ru", "Адрес: Невский пр-т, д. 12, корп. 3. Справки по телефону.",
         ["Адрес: Невский пр-т, д. 12, корп. 3.", "Справки по телефону."]),
        ("ru", "Повестка: 1. Бюджет; 2. Выборы.", ["Повестка:", "1. Бюджет;", "2. Выборы."]),
        ("de", "Er kam am 3. Oktober an. Dann ging er.", ["Er kam am 3. Oktober an.", "Dann ging er."]),
    ],
)
def test_more_hard_cases(language, text, expected):
    assert texts(text, language) == expected


@pytest.mark.parametrize(
    "language, text, expected",
    [
        # Chinese and Japanese: no space between sentences, closing quotes kept with the sentence.
        ("zh", "我二十一岁时，正在云南插队。陈清扬当时二十六岁。", ["我二十一岁时，正在云南插队。", "陈清扬当时二十六岁。"]),
        ("zh", "他问：“你好吗？”我没有回答。", ["他问：“你好吗？”", "我没有回答。"]),
        ("zh", "她说：“好！”“走吧。”", ["她说：“好！”", "“走吧。”"]),
        ("zh", "他走了……我们也走吧。", ["他走了……", "我们也走吧。"]),
        # White space after an ellipsis or "!" in unspaced text is a pause.
        ("zh", "“我…… 我小便去。”他说。", ["“我…… 我小便去。”", "他说。"]),
        ("zh", "“爹！ 爹！”", ["“爹！ 爹！”"]),
        ("zh", "第３．５条规定如此。下一条。", ["第３．５条规定如此。", "下一条。"]),
        ("zh", "你好!我是小王。", ["你好!", "我是小王。"]),
        ("ja", "「行きます。」と彼は言った。それから帰った。", ["「行きます。」と彼は言った。", "それから帰った。"]),
        ("ja", "今日は雨です。明日は晴れるでしょう！本当？", ["今日は雨です。", "明日は晴れるでしょう！", "本当？"]),
        # A quotation broken off by a dash ends its sentence as 。” does; a dash alone does not.
        ("zh", "他喊道：“快跑——”一声枪响。他倒下了。", ["他喊道：“快跑——”", "一声枪响。", "他倒下了。"]),
        ("zh", "高粱红了——日本来了——快跑。", ["高粱红了——日本来了——快跑。"]),
        ("zh", "他说：“我——”，又停住了。", ["他说：“我——”，又停住了。"]),
        ("ja", "「でも――」と彼は言った。それから帰った。", ["「でも――」と彼は言った。", "それから帰った。"]),
        ("zh", "只有两个办法：1、他走；2、我走。结果谁也没走。", ["只有两个办法：", "1、他走；", "2、我走。", "结果谁也没走。"]),
        ("zh", "问题如下：1.谁是“老王”；2.他在哪里。", ["问题如下：", "1.谁是“老王”；", "2.他在哪里。"]),
        ("zh", "比分是2：1.5万人看了比赛。", ["比分是2：1.5万人看了比赛。"]),
        # Languages without rules of their own: every script's sentence-final punctuation.
        ("hi", "यह एक वाक्य है। यह दूसरा है।", ["यह एक वाक्य है।", "यह दूसरा है।"]),
        ("ar", "هل أنت بخير؟ نعم، شكرا.", ["هل أنت بخير؟", "نعم، شكرا."]),
        ("ar", "ذهبت إلى السوق. اشتريت الخبز.", ["ذهبت إلى السوق.", "اشتريت الخبز."]),
        ("ur", "یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔", ["یہ پہلا جملہ ہے۔", "یہ دوسرا ہے۔"]),
        ("he", "זה משפט ראשון. זה משפט שני.", ["זה משפט ראשון.", "זה משפט שני."]),
        ("am", "ይህ የመጀመሪያው ዓረፍተ ነገር ነው። ይህ ሁለተኛው ነው።", ["ይህ የመጀመሪያው ዓረፍተ ነገር ነው።", "ይህ ሁለተኛው ነው።"]),
        ("my", "ဒါက ပထမ စာကြောင်း ဖြစ်တယ်။ ဒါက ဒုတိယ ဖြစ်တယ်။", ["ဒါက ပထမ စာကြောင်း ဖြစ်တယ်။", "ဒါက ဒုတိယ ဖြစ်တယ်။"]),
        ("bo", "ང་བོད་པ་ཡིན། ཁྱེད་རང་གང་ནས་ཡིན།", ["ང་བོད་པ་ཡིན།", "ཁྱེད་རང་གང་ནས་ཡིན།"]),
        ("km", "នេះជាប្រយោគទីមួយ។ នេះជាប្រយោគទីពីរ។", ["នេះជាប្រយោគទីមួយ។", "នេះជាប្រយោគទីពីរ។"]),
        ("hy", "Սա առաջին նախադասությունն է։ Սա երկրորդն է։", ["Սա առաջին նախադասությունն է։", "Սա երկրորդն է։"]),
        ("fi", "Mitä kuuluu\u037e Hyvää.", ["Mitä kuuluu\u037e", "Hyvää."]),
        ("es", "Vino ayer. ¿Qué quería? Nada.", ["Vino ayer.", "¿Qué quería?", "Nada."]),
        ("en", "He said hello. 他笑了。", ["He said hello.", "他笑了。"]),
        # Their own rules: the Greek question mark typed as ";", the Armenian full stop as ":".
        ("el", "Τι κάνεις; Είμαι καλά.", ["Τι κάνεις;", "Είμαι καλά."]),
        ("hy", "Սա առաջինն է: Սա երկրորդն է:", ["Սա առաջինն է:", "Սա երկրորդն է:"]),
        ("en", "Note: The text follows.", ["Note: The text follows."]),
    ],
)
def test_sentence_ends_of_every_script(language, text, expected):
    assert texts(text, language) == expected


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("ru", "В школе № 12 г. Новосибирска открыт музей. Вход свободный.",
         ["В школе № 12 г. Новосибирска открыт музей.", "Вход свободный."]),
        ("ru", "Делегация лицея 9 г. Москвы прибыла. Встреча прошла.", ["Делегация лицея 9 г. Москвы прибыла.", "Встреча прошла."]),
        ("ru", "Вышла книга «Что ждёт Евразию?» (Москва, 2022). Её авторы — эксперты.",
         ["Вышла книга «Что ждёт Евразию?» (Москва, 2022).", "Её авторы — эксперты."]),
        ("en", 'The "Who Benefits?" (London, 2023) report came out. It sold well.',
         ['The "Who Benefits?" (London, 2023) report came out.', "It sold well."]),
        ("ru", "Он спросил: «Вы готовы?» Мы молчали.", ["Он спросил: «Вы готовы?»", "Мы молчали."]),
    ],
)
def test_titles_in_quotes_and_the_city_after_a_number(language, text, expected):
    assert texts(text, language) == expected


# --- SRX semantics on small hand-made files ------------------------------------------------


def test_cascade_yes_joins_every_matching_map_and_no_stops_at_the_first(tmp_path):
    rules = {"English": [("no", r"Dr\.", r"\s")], "Default": [("yes", r"\.", r"\s")]}
    maps = [("EN.*", "English"), (".*", "Default")]
    text = "Dr. Who came. Then he left."
    cascading = write_srx(tmp_path, rules, maps, cascade="yes", name="yes.srx")
    first_only = write_srx(tmp_path, rules, maps, cascade="no", name="no.srx")
    assert texts(text, "en", cascading) == ["Dr. Who came.", "Then he left."]
    # Without cascade, English gets only its exception rule and so no break at all.
    assert texts(text, "en", first_only) == [text]
    assert texts(text, "fr", first_only) == ["Dr.", "Who came.", "Then he left."]


def test_language_patterns_match_whole_codes_case_insensitively(tmp_path):
    rules = {"Break": [("yes", r"\.", r"\s")]}
    srx = write_srx(tmp_path, rules, [("en", "Break")])
    document = load_srx(srx)
    assert document.rules_for("EN") and document.rules_for("en")
    assert not document.rules_for("en-GB")
    assert texts("One. Two.", "en-GB", srx) == ["One. Two."]


def test_the_first_matching_rule_decides(tmp_path):
    exception_first = write_srx(
        tmp_path, {"R": [("no", r"Mr\.", r"\s"), ("yes", r"\.", r"\s")]}, [(".*", "R")], name="a.srx"
    )
    break_first = write_srx(
        tmp_path, {"R": [("yes", r"\.", r"\s"), ("no", r"Mr\.", r"\s")]}, [(".*", "R")], name="b.srx"
    )
    assert texts("Mr. Smith came. Then.", "en", exception_first) == ["Mr. Smith came.", "Then."]
    assert texts("Mr. Smith came. Then.", "en", break_first) == ["Mr.", "Smith came.", "Then."]
    segmenter = SrxSegmenter(load_srx(exception_first).rules_for("en"))
    assert segmenter.breaks("Mr. Smith came. Then.") == [15]


def test_a_missing_or_empty_pattern_matches_anything(tmp_path):
    srx = write_srx(tmp_path, {"R": [("yes", None, "#"), ("yes", "@", "")]}, [(".*", "R")])
    assert texts("a#b@c", "en", srx) == ["a", "#b@", "c"]


def test_a_rule_breaks_only_where_both_patterns_meet(tmp_path):
    srx = write_srx(tmp_path, {"R": [("yes", r"[.?!]+", r"\s+\p{Lu}")]}, [(".*", "R")])
    assert texts("Wait?! Yes. no. Fine.", "en", srx) == ["Wait?!", "Yes. no.", "Fine."]


def test_omegat_default_rules_load_with_their_quirks():
    if not OMEGAT_JAR.is_file():
        pytest.skip(f"{OMEGAT_JAR} not found (apt-get install omegat)")
    segmenter = SrxSegmenter(_omegat_rules().rules_for("en-GB"))
    # OmegaT's own defaults split after "U.S." and after "1." that heads a paragraph.
    assert [s.text for s in segmenter.split("The U.S. delegation came.")] == ["The U.S.", "delegation came."]
    ru = SrxSegmenter(_omegat_rules().rules_for("ru-RU"))
    assert [s.text for s in ru.split("С. В. Лавров сказал.")] == ["С.", "В.", "Лавров сказал."]


# --- the ICU dialect -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "icu, matches, does_not_match",
    [
        (r"\QU.S.\E", "U.S.", "UxSx"),
        (r"[\Q.-]\E]+", ".-]", "a"),
        (r"\x{41}\x42\u0043", "ABC", "abc"),
        (r"\0101", "A", "\x08"),
        (r"a\e", "a\x1b", "ae"),
        (r"\cA", "\x01", "cA"),
        (r"\p{Lu}\P{Lu}", "Ab", "AB"),
        (r"[\p{L}&&[^aeiou]]+", "bcd", "a"),
        (r"(?i)т\.е\.", "Т.Е.", "т-е-"),
        (r"a.b", "axb", "a\u2028b"),
        (r"(?s)a.b", "a\u2028b", "ab"),
        ("(?x) a b  # spaced\n c", "abc", "a b c"),
        (r"(?<word>\w)\1", "aa", "ab"),
        (r"a++b", "aab", "b"),
        (r"\v", "\u2028", " "),
        (r"\ظ", "ظ", "z"),
    ],
)
def test_icu_syntax_is_translated(icu, matches, does_not_match):
    pattern = regex.compile(translate(icu).pattern, regex.V1)
    assert pattern.fullmatch(matches)
    assert not pattern.fullmatch(does_not_match)


def test_possessive_atomic_and_back_references_keep_their_forward_meaning_in_beforebreak(tmp_path):
    # Read forwards, "x*+x" can never match (the possessive "x*+" leaves no "x"); a
    # right-to-left look-behind would say it matches "xx", so the engine must not use one.
    rules = {
        "Possessive": [("yes", r"x*+x\.", r"\s")],
        "Greedy": [("yes", r"x*x\.", r"\s")],
        "Atomic": [("yes", r"(?>xy|x)y\.", r"\s")],
        "Backref": [("yes", r"(\w)\1\.", r"\s")],
    }
    # Four languages (Pashto, Galician, Afrikaans, Breton), one rule each.
    maps = [("ps", "Possessive"), ("gl", "Greedy"), ("af", "Atomic"), ("br", "Backref")]
    srx = write_srx(tmp_path, rules, maps)
    assert texts("xx. Next", "ps", srx) == ["xx. Next"]
    assert texts("xx. Next", "gl", srx) == ["xx.", "Next"]
    assert texts("xy. Next xyy. Last", "af", srx) == ["xy. Next xyy.", "Last"]
    assert texts("ab. Next aa. Last", "br", srx) == ["ab. Next aa.", "Last"]


@pytest.mark.parametrize(
    "icu, complaint",
    [
        (r"\p{javaLowerCase}", "unknown property"),
        (r"\G\.", r"\G"),
        (r"(?d)\.", "inline flag 'd'"),
        (r"\k<name>", "named back-reference"),
        (r"\y", r"unknown escape '\y'"),
        (r"(?|a)", "not ICU syntax"),
        (r"[a-z", "not closed"),
    ],
)
def test_a_rule_the_engine_cannot_run_is_named_in_a_one_line_error(tmp_path, icu, complaint):
    srx = write_srx(
        tmp_path, {"English": [("no", r"Mr\.", r"\s"), ("yes", icu, r"\s")], "Default": [("yes", r"\.", r"\s")]},
        [("EN.*", "English"), (".*", "Default")],
    )
    with pytest.raises(AlignerError) as caught:
        load_srx(srx)
    message = str(caught.value)
    assert "languagerule 'English', rule 2, beforebreak" in message
    assert complaint in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "icu, ends",
    [
        (r"[.!?]+[”»]*", "[[”»][.!?]]"),
        (r"(?<![\p{L}.])(?:Mr|Dr)\.", r"[\.]"),
        (r"(a|bc)+", "[ac]"),
        (r"abc(?=d)\b", "[c]"),
        (r"\p{Lu}\x{41}?", r"[\x{41}\p{Lu}]"),
        # Unknown: it can match nothing, ends in any character, or uses what the analysis does not follow.
        (r"x*", None), (r"a|b*", None), (r"(?<=x)", None), (r"a.", None), (r"(\w)\1", None),
        (r"(?i)a", None), (r"\Qa.\E", None), (r"a{0,3}", None),
    ],
)
def test_the_characters_that_end_a_match_are_known_or_said_unknown(icu, ends):
    assert last_characters(icu) == ends


@pytest.mark.parametrize(
    "icu, needs",
    [
        (r"[。！？]+[”]*", {"。", "！", "？"}),
        (r"(?<![\p{L}.])(?:Mr|Dr)\.", {"."}),
        (r"[\p{L}]+\x{3002}", {"。"}),
        (r"[a-c]\.", {"a", "b", "c"}),
        (r"x*(a|b)c", {"c"}),
        (r"a|b", None), (r"[^a]", None), (r"\p{Lu}", None), (r"x?", None),
    ],
)
def test_the_characters_a_match_needs_are_known_or_said_unknown(icu, needs):
    assert required_characters(icu) == (frozenset(needs) if needs else None)


def test_a_rule_left_out_of_paragraphs_without_its_characters_still_breaks_where_they_are():
    segmenter = segmenter_for(resolve_language("en"))
    assert [s.text for s in segmenter.split("English first. 中文。然后。")] == ["English first.", "中文。", "然后。"]
    assert [s.text for s in segmenter.split("Only English. Here.")] == ["Only English.", "Here."]


def test_the_default_breaks_of_spaced_scripts_are_one_search():
    # Each break rule that a paragraph may need is one more search of all of it, so the general
    # break, the broken-off quotation and the list item share one rule; rules for marks of other
    # scripts are searched for only in paragraphs that have those marks.
    segmenter = SrxSegmenter(load_srx(default_srx_path()).rules_for("xx"))
    assert len(segmenter._unconditional) == 1


@pytest.mark.parametrize("language", ["en", "ru", "zh", "ja"])
def test_the_fast_search_finds_the_breaks_of_srx_by_the_letter_in_lists_and_broken_off_quotations(language):
    rules = load_srx(default_srx_path()).rules_for(language)
    segmenter = SrxSegmenter(rules)
    for text in [
        "There were two ways out: 1. The door; 2. The window. Note: The rest. It ended 2:1. The end.",
        "Who is he? 2. What does he want? 3. Why now? 'Run –' A shot rang out. 'I was –' he began.",
        "«Я хотел —» Он замолчал. Повестка: 1. Бюджет; 2. Выборы. Рост: 3.5 процента.",
        "只有两个办法：1、他走；2、我走。他喊道：“快跑——”一声枪响。比分是2：1.5万人看了。「でも――」と言った。",
    ]:
        assert segmenter.breaks(text) == _brute_force_breaks(rules, text), text


def _brute_force_breaks(rules, text):
    """Every position tried with every rule's two patterns, in order: SRX by the letter."""
    compiled = [
        (rule.breaks, regex.compile(f"(?:{translate(rule.before).pattern})\\Z", regex.V1) if rule.before else None,
         regex.compile(translate(rule.after).pattern, regex.V1) if rule.after else None)
        for rule in rules
    ]
    found = []
    for position in range(1, len(text)):
        for breaks, before, after in compiled:
            if (before is None or before.search(text, 0, position)) and (after is None or after.match(text, position)):
                if breaks:
                    found.append(position)
                break
    return found


@pytest.mark.parametrize("rules_of", ["ours", "omegat"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_fast_search_finds_exactly_the_breaks_of_srx_by_the_letter(rules_of, language):
    if rules_of == "omegat" and not OMEGAT_JAR.is_file():
        pytest.skip(f"{OMEGAT_JAR} not found (apt-get install omegat)")
    document = _omegat_rules() if rules_of == "omegat" else load_srx(default_srx_path())
    rules = document.rules_for(OMEGAT_TAGS[language])
    segmenter = SrxSegmenter(rules)
    paragraphs = paragraph_texts(read_gold(SEGMENTATION / f"{language}.txt", resolve_language(language)))[:40]
    for text in paragraphs:
        assert segmenter.breaks(text) == _brute_force_breaks(rules, text), text


def test_translate_reports_unsupported_syntax():
    with pytest.raises(UnsupportedRegex):
        translate(r"\G")


@pytest.mark.parametrize(
    "content, complaint",
    [
        (b"<srx version='2.0'><header", "not well-formed XML"),
        (b"<tmx version='1.4'/>", "not an SRX file"),
        (b"<srx version='3.0'/>", "version '3.0' is not supported; this engine reads SRX 2.0 and 1.0"),
        (
            b"<srx version='2.0'><header cascade='yes'/><body><languagerules>"
            b"<languagerule languagerulename='A'><rule/></languagerule></languagerules>"
            b"<maprules><languagemap languagepattern='.*' languagerulename='B'/></maprules></body></srx>",
            "languagerule 'B', which is not defined",
        ),
        (
            b"<srx version='2.0'><header cascade='maybe'/><body/></srx>",
            "'maybe'",
        ),
        (
            # An external entity is neither fetched nor expanded.
            b"<!DOCTYPE srx [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><srx version='2.0'>&e;</srx>",
            "has no <body>",
        ),
    ],
)
def test_a_malformed_srx_file_is_an_aligner_error(content, complaint):
    with pytest.raises(AlignerError) as caught:
        parse_srx(content, "bad.srx")
    assert complaint in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value).startswith("bad.srx: ")


# --- the command line -----------------------------------------------------------------------


def test_cli_srx_option_changes_the_segments(tmp_path):
    text = tmp_path / "input.txt"
    text.write_text("Mr. Smith arrived. He spoke.\n", encoding="utf-8")
    naive = write_srx(tmp_path, {"Naive": [("yes", r"\.", r"\s")]}, [(".*", "Naive")])
    runner = CliRunner()
    default = runner.invoke(main, ["segment", str(text), "--lang", "en"])
    custom = runner.invoke(main, ["segment", str(text), "--lang", "en", "--srx", str(naive)])
    assert default.exit_code == 0 and custom.exit_code == 0
    assert default.output.split("\n")[:2] == ["Mr. Smith arrived.", "He spoke."]
    assert custom.output.split("\n")[:3] == ["Mr.", "Smith arrived.", "He spoke."]


@pytest.mark.parametrize(
    "before, after, side",
    [(r"b(a+)+", r"\s", "beforebreak 'b(a+)+'"), (None, r"(a+)+b", "afterbreak '(a+)+b'")],
)
def test_a_rule_that_backtracks_without_end_stops_with_one_line_naming_it(tmp_path, before, after, side):
    # Nested repetition backtracks exponentially on a long run of "a" that the rule cannot
    # match: without a time limit this would not end.
    text = tmp_path / "input.txt"
    text.write_text("a" * 50_000 + " b. Then more.\n", encoding="utf-8")
    srx = write_srx(
        tmp_path, {"English": [("no", r"Mr\.", r"\s"), ("yes", before, after)], "Default": [("yes", r"\.", r"\s")]},
        [("EN.*", "English"), (".*", "Default")],
    )
    result = run_command("segment", text, "--lang", "en", "--srx", srx, cwd=tmp_path)
    line = assert_one_line_error(result)
    assert f"{srx}: languagerule 'English', rule 2, {side}: took more than" in line
    assert "on a paragraph of 50,014 characters" in line


def test_the_time_limit_leaves_ordinary_user_rules_alone(tmp_path):
    srx = write_srx(tmp_path, {"R": [("no", r"Mr\.", r"\s"), ("yes", r"[.?!]", r"\s")]}, [(".*", "R")])
    long_text = "Mr. Smith came. " * 20_000
    assert len(texts(long_text, "en", srx)) == 20_000


def test_cli_reports_an_unusable_srx_file(tmp_path):
    text = tmp_path / "input.txt"
    text.write_text("One. Two.\n", encoding="utf-8")
    broken = write_srx(tmp_path, {"R": [("yes", r"\p{javaLetter}", r"\s")]}, [(".*", "R")])
    result = CliRunner().invoke(main, ["segment", str(text), "--lang", "en", "--srx", str(broken)])
    assert result.exit_code == 2
    assert "languagerule 'R', rule 1" in result.output


# --- OmegaT itself ----------------------------------------------------------------------------


def _omegat_rules():
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        return parse_srx(jar.read(OMEGAT_RULES), f"{OMEGAT_JAR}:{OMEGAT_RULES}")


def omegat_segments(paragraphs: list[str], language: str, work: Path, rules: bytes | None = None) -> set[str]:
    """The segments OmegaT makes of ``paragraphs`` (a set: its pseudo-TMX is unordered and unique).

    With ``rules``, OmegaT segments by that SRX file instead of its defaults: the file is put
    first on the class path as OmegaT's own default rules, so that OmegaT's own SRX reader loads it.
    """
    project = work / "project"
    for folder in ("source", "target", "tm", "glossary", "omegat", "dictionary"):
        (project / folder).mkdir(parents=True)
    other = "ru" if language == "en" else "en"
    (project / "omegat.project").write_text(
        f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat><project version="1.0">
<source_dir>__DEFAULT__</source_dir><target_dir>__DEFAULT__</target_dir><tm_dir>__DEFAULT__</tm_dir>
<glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file>
<dictionary_dir>__DEFAULT__</dictionary_dir>
<source_lang>{OMEGAT_TAGS[language]}</source_lang><target_lang>{OMEGAT_TAGS[other]}</target_lang>
<source_tok>org.omegat.tokenizer.{OMEGAT_TOKENIZERS[language]}</source_tok>
<target_tok>org.omegat.tokenizer.{OMEGAT_TOKENIZERS[other]}</target_tok>
<sentence_seg>true</sentence_seg><support_default_translations>true</support_default_translations>
<remove_tags>false</remove_tags>
</project></omegat>
""",
        encoding="utf-8",
    )
    # One paragraph per line and a blank line between them: the same paragraphs whether
    # OmegaT's text filter starts paragraphs at line breaks or at blank lines.
    (project / "source" / "gold.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    tmx = work / "segments.tmx"
    classpath = str(OMEGAT_JAR)
    if rules is not None:
        overlay = work / "overlay"
        (overlay / Path(OMEGAT_RULES).parent).mkdir(parents=True)
        (overlay / OMEGAT_RULES).write_bytes(rules)
        classpath = f"{overlay}{os.pathsep}{OMEGAT_JAR}"
    command = [
        "java", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", f"-Duser.home={work / 'home'}",
        "-cp", classpath, "org.omegat.Main", str(project), "--mode=console-createpseudotranslatetmx",
        f"--pseudotranslatetmx={tmx}", "--pseudotranslatetype=equal", "--no-team",
        "--disable-project-locking", f"--config-dir={work / 'config'}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and tmx.is_file(), result.stdout[-2000:] + result.stderr[-2000:]
    root = etree.parse(str(tmx), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)).getroot()
    return {"".join(tu.find("tuv/seg").itertext()) for tu in root.iter("tu")}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_omegat_default_rules_through_our_engine_match_omegat(language, tmp_path):
    if shutil.which("java") is None or not OMEGAT_JAR.is_file():
        pytest.skip(f"OmegaT 3.6 needs java and {OMEGAT_JAR} (apt-get install omegat; .ci/run installs it)")
    paragraphs = paragraph_texts(read_gold(SEGMENTATION / f"{language}.txt", resolve_language(language)))
    omegat = omegat_segments(paragraphs, language, tmp_path)
    segmenter = SrxSegmenter(_omegat_rules().rules_for(OMEGAT_TAGS[language]))
    ours = [[s.text for s in segmenter.split(text)] for text in paragraphs]
    # Every segment of ours is one of OmegaT's, and OmegaT has no segment that we lack:
    # each paragraph is cut at the same places.
    not_in_omegat = [(segment, text) for text, segments in zip(paragraphs, ours) for segment in segments
                     if segment not in omegat]
    assert not not_in_omegat
    assert omegat == {segment for segments in ours for segment in segments}
    gold = read_gold(SEGMENTATION / f"{language}.txt", resolve_language(language))
    # OmegaT's defaults make mistakes on this genre, and we reproduce them.
    assert boundary_scores(gold, ours).f1 < 0.95


def test_the_known_differences_from_omegat_are_real(tmp_path):
    if shutil.which("java") is None or not OMEGAT_JAR.is_file():
        pytest.skip(f"OmegaT 3.6 needs java and {OMEGAT_JAR} (apt-get install omegat; .ci/run installs it)")
    # Left-to-right matching without overlap, and Java's ASCII-only \s, as the README says.
    paragraphs = ["Wait.... and see. Then we left.", "End.\u00a0Next one here."]
    omegat = omegat_segments(paragraphs, "en", tmp_path)
    assert omegat == {"Wait....", "and see.", "Then we left.", "End.\u00a0Next one here."}
    segmenter = SrxSegmenter(_omegat_rules().rules_for("en-GB"))
    assert [s.text for s in segmenter.split(paragraphs[0])] == ["Wait.... and see.", "Then we left."]
    assert [s.text for s in segmenter.split(paragraphs[1])] == ["End.", "Next one here."]
