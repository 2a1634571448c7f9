#!/usr/bin/env python3
"""Count the hard cases contained in the gold files (for README.md).

This only counts patterns inside the already hand-segmented gold lines; it does not
segment anything.  "end" = the pattern closes a gold sentence (last thing on its line),
"mid" = it is inside a gold sentence.  "end+next" = it closes a sentence that is
followed by another sentence of the same paragraph (the classic false-negative trap).
"""
import collections
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent


def load(lang):
    docs = []
    for p in sorted(HERE.glob(f"*.{lang}.txt")):
        paras = [pp.split("\n") for pp in p.read_text(encoding="utf-8").rstrip("\n").split("\n\n")]
        docs.append(paras)
    return docs


def lines_with_ctx(docs):
    """yield (line, has_next_in_paragraph)"""
    for paras in docs:
        for para in paras:
            for i, line in enumerate(para):
                yield line, i + 1 < len(para)


C = collections.OrderedDict()


def add(key, n=1):
    C[key] = C.get(key, 0) + n


def pos_count(label, rx, lines, flags=0):
    r = re.compile(rx, flags)
    for line, nxt in lines:
        for m in r.finditer(line):
            if m.end() == len(line):
                add(f"{label} — end" + ("+next" if nxt else " of paragraph"))
            else:
                add(f"{label} — mid")


ru = list(lines_with_ctx(load("ru")))
en = list(lines_with_ctx(load("en")))

# ---------------- Russian ----------------
YEAR = re.compile(r"\(?\d{4}(?:-[а-яё]+)?$")
for line, nxt in ru:
    for m in re.finditer(r"(?<![А-Яа-яЁё.-])г\.", line):
        before = line[: m.start()].split()
        prev = before[-1] if before else ""
        after = line[m.end():]
        if YEAR.match(prev):
            if after == "":
                add("RU year + «г.» ending a sentence — " + ("followed by a new sentence" if nxt else "paragraph/title end"))
            elif re.match(r" [А-ЯЁ]", after):
                add("RU year + «г.» mid-sentence, next word Capitalised")
            else:
                add("RU year + «г.» mid-sentence, next lower-case/punctuation")
        else:
            add("RU «г.» = город before a Capitalised name")
    for m in re.finditer(r"\d{4}(?:-[а-яё]+)?\s+гг\.", line):
        after = line[m.end():]
        if after == "":
            add("RU years + «гг.» ending a sentence — " + ("followed by a new sentence" if nxt else "paragraph end"))
        else:
            add("RU years + «гг.» mid-sentence")
    for m in re.finditer(r"[?!][»“]", line):
        after = line[m.end():]
        if after == "" or after == "»":
            add("RU quoted title/utterance ending ?/! — at line end (title line)")
        elif after.startswith(" ("):
            add("RU quoted title ending ?/! followed by «(»")
        elif re.match(r" [а-яё]", after):
            add("RU quoted title ending ?/! followed by lower-case word")
        elif re.match(r"[,.]| —", after) or after.startswith("»"):
            add("RU quoted title/utterance ending ?/! followed by , / — / closing quote")
        else:
            add("RU quoted ?/! other")
    n = len(re.findall(r"(?<![А-ЯЁа-яё.])[А-ЯЁ]\.[А-ЯЁ]\.[А-ЯЁ][а-яё]+", line))
    add("RU initials glued (С.В.Лавров)", n) if n else None
    n = len(re.findall(r"(?<![А-ЯЁа-яё.])[А-ЯЁ]\. [А-ЯЁ]\. [А-ЯЁ][а-яё]+", line))
    add("RU initials spaced (С. В. Лавров)", n) if n else None
    n = len(re.findall(r"(?<![А-ЯЁа-яё.])(?:[А-ЯЁ]|Дж)\.[А-ЯЁ][а-яё]+", line))
    add("RU single initial glued (С.Лавров, Дж.Харрис)", n) if n else None
    if re.match(r"^[А-ЯЁ]\.(?: ?[А-ЯЁ]\.)? ?[А-ЯЁ][а-яё]+(?!:)", line) and not re.match(r"^\S+:", line):
        add("RU sentence (not a speaker label) starting with initials")
    last = line.split()[-1] if line.split() else ""
    if nxt and re.search(r"(?:^|\s)(?:г\.|гг\.|т\.д\.|т\.п\.|др\.|пр\.|долл\.|мин\.|чел\.|с\.г\.)$", line):
        add("RU sentence ending with an abbreviation period AND followed by another sentence (all kinds)")

ABBR_RU = [
    ("т.е.", r"(?<![\w.])т\. ?е\."), ("т.к.", r"(?<![\w.])т\. ?к\."), ("т.н.", r"(?<![\w.])т\. ?н\."),
    ("т.д.", r"(?<![\w.])т\. ?д\."), ("т.п.", r"(?<![\w.])т\. ?п\."), ("т.ч.", r"(?<![\w.])т\. ?ч\."),
    ("с.г.", r"(?<![\w.])с\.г\."), ("др.", r"(?<![\w.])др\."), ("пр.", r"(?<![\w.])пр\."),
    ("ул.", r"(?<![\w.])ул\."), ("д. (дом)", r"(?<![\w.])д\. \d"), ("стр.", r"(?<![\w.])стр\."),
    ("пр-т", r"(?<![\w.])пр-т"), ("им.", r"(?<![\w.])им\."), ("ст.", r"(?<![\w.])ст\."),
    ("п.", r"(?<![\w.])п\. "), ("пп.", r"(?<![\w.])пп\."), ("ч.", r"(?<![\w.])ч\. "),
    ("пл.", r"(?<![\w.])пл\."), ("наб.", r"(?<![\w.])наб\."), ("о. (остров)", r"(?<![\w.])о\. [А-ЯЁ]"),
    ("арх.", r"(?<![\w.])арх\."), ("пос.", r"(?<![\w.])пос\."), ("ок.", r"(?<![\w.])ок\."),
    ("св.", r"(?<![\w.])св\."), ("см.", r"(?<![\w.])см\."), ("разд.", r"(?<![\w.])разд\."),
    ("кв.", r"(?<![\w.])кв\."), ("мин.", r"(?<![\w.])мин\."), ("чел.", r"(?<![\w.])чел\."),
    ("эл.", r"(?<![\w.])эл\."), ("г-н", r"(?<![\w.])г-н"), ("Ф.И.О.", r"Ф\.И\.О\."),
    ("д.и.н.", r"д\.и\.н\."), ("М.: (Москва, библиогр.)", r"\(М\.:"),
    ("млн", r"(?<![\w.])млн"), ("млрд", r"(?<![\w.])млрд"), ("тыс.", r"(?<![\w.])тыс\."),
    ("руб.", r"(?<![\w.])руб\."), ("долл.", r"(?<![\w.])долл\."), ("№", r"№ \d"),
]
for label, rx in ABBR_RU:
    pos_count("RU abbr " + label, rx, ru)

for line, nxt in ru:
    add("RU decimal number (1,5)", len(re.findall(r"\d+,\d+", line)))
    add("RU numeric range with en dash (2020–2021, 30–40)", len(re.findall(r"\d+–\d+", line)))
    add("RU clock time (15.00)", len(re.findall(r"(?<![\d.,])\d{1,2}\.\d{2}(?!\d)", line)))
    add("RU «ёлочки» quotations", line.count("«"))
    add("RU „лапки“ nested quotations", line.count("„"))
    add("RU spaced em dash ( — )", line.count(" — "))
    for m in re.finditer(r"\.\.\.|…", line):
        add("RU ellipsis — " + ("end" if m.end() == len(line) else "mid (lower-case continues)"))
    if re.search(r"[»)][.!?]?$", line):
        add("RU sentence ending with closing quote/bracket (+ punctuation)")
    if re.search(r"^(Вопрос|[А-ЯЁ]\.[А-ЯЁ]\.[А-ЯЁ][а-яё]+):", line):
        add("RU speaker label at start of turn")
    if re.match(r"^\d+(\.\d+)*\. ", line):
        add("RU numbered point (1. / 2.1.)")
    if re.match(r"^[а-я]\) ", line):
        add("RU lettered sub-item (а) б) в))")
for line, nxt in ru:
    if re.search(r"(ул\.|пл\.|наб\.|пр-т|Сенная)", line) and re.search(r"д\. \d", line):
        add("RU lines with a street address (ул./пл./наб./пр-т + д.)")

# ---------------- English ----------------
for line, nxt in en:
    for abbr in ("U.S.", "U.K.", "U.N."):
        for m in re.finditer(re.escape(abbr), line):
            after = line[m.end():]
            if after == "":
                add(f"EN {abbr} ending a sentence — " + ("followed by a new sentence" if nxt else "paragraph end"))
            elif re.match(r" [A-Z]", after):
                add(f"EN {abbr} before a Capitalised word")
            else:
                add(f"EN {abbr} before a lower-case word")
    for m in re.finditer(r'[?!]"', line):
        after = line[m.end():]
        if after == "":
            add("EN quoted title/utterance ending ?/! — at line end (title line)")
        elif after.startswith(" ("):
            add('EN quoted title ending ?/! followed by "("')
        elif re.match(r" [a-z]", after):
            add("EN quoted title/utterance ending ?/! followed by lower-case word")
        elif re.match(r"[,.]", after):
            add("EN quoted title ending ?/! followed by , or .")
        else:
            add("EN quoted ?/! other")
    add("EN initials double (S.V. Lavrov, A.N. Belov)",
        len(re.findall(r"(?<![A-Za-z.])(?!U\.[SKN]\.)[A-Z]\.[A-Z]\. [A-Z][a-z]+", line)))
    add("EN initial single (S. Lavrov, J. Harris)",
        len(re.findall(r"(?<![A-Za-z.])[A-Z]\. [A-Z][a-z]+", line)))
    if nxt and re.search(r"(?:\betc\.|U\.[SKN]\.|[ap]\.m\.|No\. \d+\.)$", line):
        add("EN sentence ending with an abbreviation period AND followed by another sentence (all kinds)")
    if re.search(r'," [a-z]', line):
        add('EN quotation + ," + lower-case attribution (…," he said.)')
    if re.search(r'[.?!]"$', line) or re.search(r"[.?!]'\"$", line):
        add('EN sentence ending with ." / ?" ' + ("followed by a new sentence" if nxt else "at paragraph end"))
    if re.search(r'\)[.!?]?$', line):
        add("EN sentence ending with a bracket")
    add("EN decimal number (1.5 billion)", len(re.findall(r"(?<![\d.])\d+\.\d+(?= (?:million|billion))", line)))
    add("EN numeric range with en dash", len(re.findall(r"\d+–\d+", line)))
    MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    add("EN date 'Month D, YYYY'", len(re.findall(MONTH + r" \d{1,2}, \d{4}", line)))
    add("EN date 'D Month YYYY'", len(re.findall(r"\b\d{1,2} " + MONTH + r" \d{4}", line)))
    for m in re.finditer(r"\.\.\.|…", line):
        add("EN ellipsis — " + ("end" if m.end() == len(line) else "mid"))
    if re.search(r"^(Question|Maria Zakharova|Dmitry Vorontsov):", line):
        add("EN speaker label at start of turn")

ABBR_EN = [
    ("a.m.", r"\ba\.m\."), ("p.m.", r"\bp\.m\."), ("No.", r"\bNo\. \d"), ("Art.", r"\bArt\. \d"),
    ("para./paras./subparas.", r"\b(?:sub)?paras?\."), ("pp.", r"\bpp\. \d"),
    ("Mr.", r"\bMr\."), ("Ms.", r"\bMs\."), ("Dr.", r"\bDr\."),
    ("St. Petersburg", r"\bSt\. Petersburg"), ("St. (street)", r"\bSt\.(?! Petersburg)"),
    ("Ave.", r"\bAve\."), ("Sq.", r"\bSq\."), ("Emb.", r"\bEmb\."), ("Bldg.", r"\bBldg\."),
    ("e.g.", r"\be\.g\."), ("i.e.", r"\bi\.e\."), ("etc.", r"\betc\."), ("approx.", r"\bapprox\."),
    ("min.", r"\bmin\."),
]
for label, rx in ABBR_EN:
    pos_count("EN abbr " + label, rx, en)

if __name__ == "__main__":
    for k, v in C.items():
        if v:
            print(f"{v:4}  {k}")
