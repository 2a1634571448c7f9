"""Generated collections of document pairs for the corpus-store benchmark and tests.

Each English–Russian pair is the bundled interview's hand-checked gold (its sentence splits and
beads, ``tests/data/gold``) made into a new document: a date of its own (the Russian page now
and then undated or a day later), a title naming one of several news agencies, every number
replaced by another (the same on both sides), some beads deleted on both sides, some target
sentences dropped (1-0 beads), some neighbouring target sentences merged into one and some
paragraph breaks lost on one side; written as plain text or as an HTML page with menus. Source
and target file names differ (``en/2014/00042-lavrov-interview-tass.txt`` and
``ru/2014/doc00042.txt``), or, for pairing by content, the target names are shuffled and 5 % of
the documents on either side have no partner at all. The German–French variant draws windows
of about 70 sentences from the Text+Berg dev set's gold beads instead.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "gold"
STEM = "lavrov-tass-2020-12-30"
TEXTBERG = REPO.parent / "shared" / "bench" / "textberg"

_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}
_AGENCIES = [
    ("TASS News Agency", "информационному агентству ТАСС", "tass"),
    ("RIA Novosti", "агентству РИА Новости", "ria-novosti"),
    ("Kommersant newspaper", "газете «Коммерсант»", "kommersant"),
    ("Izvestia newspaper", "газете «Известия»", "izvestia"),
    ("Interfax", "агентству «Интерфакс»", "interfax"),
    ("Rossiyskaya Gazeta", "«Российской газете»", "rossiyskaya-gazeta"),
    ("Sputnik", "агентству «Спутник»", "sputnik"),
    ("Vedomosti", "газете «Ведомости»", "vedomosti"),
]
_NUMBER = regex.compile(r"\d+")


@dataclass(frozen=True)
class Source:
    """A bilingual text to draw documents from: paragraphs of sentences, beads, the languages."""

    source_lang: str
    target_lang: str
    source_paragraphs: tuple[tuple[str, ...], ...]
    target_paragraphs: tuple[tuple[str, ...], ...]
    beads: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    window: int | None = None
    """Draw about this many source sentences from a random place, rather than the whole text."""


@dataclass
class Collection:
    """Where the documents were written, and which source file goes with which target file."""

    source_dir: Path
    target_dir: Path
    truth: dict[str, str] = field(default_factory=dict)
    lonely_sources: list[str] = field(default_factory=list)
    lonely_targets: list[str] = field(default_factory=list)
    sentences: int = 0


def _paragraphs(path: Path) -> tuple[tuple[str, ...], ...]:
    blocks = path.read_text(encoding="utf-8").strip("\n").split("\n\n")
    return tuple(tuple(line for line in block.split("\n") if line.strip()) for block in blocks)


def _beads(path: Path) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    beads = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            left, right = line.split(":")
            beads.append((tuple(int(i) for i in regex.findall(r"\d+", left)),
                          tuple(int(i) for i in regex.findall(r"\d+", right))))
    return tuple(beads)


def interview() -> Source:
    """The bundled interview's gold (English–Russian); its title paragraph is replaced per document."""
    return Source("en", "ru", _paragraphs(GOLD / f"{STEM}.en.txt"), _paragraphs(GOLD / f"{STEM}.ru.txt"),
                  _beads(GOLD / f"{STEM}.en-ru.beads"))


def textberg() -> Source | None:
    """The Text+Berg dev set's gold (German–French), one sentence per line, in paragraphs of six beads."""
    if not (TEXTBERG / "dev.defr").is_file():
        return None
    german = (TEXTBERG / "dev.de").read_text(encoding="utf-8").split("\n")
    french = (TEXTBERG / "dev.fr").read_text(encoding="utf-8").split("\n")
    beads = _beads(TEXTBERG / "dev.defr")
    source: list[tuple[str, ...]] = []
    target: list[tuple[str, ...]] = []
    renumbered = []
    s_count = t_count = 0
    for start in range(0, len(beads), 6):
        group = [b for b in beads[start : start + 6]]
        s_sentences = [german[i] for b in group for i in b[0]]
        t_sentences = [french[j] for b in group for j in b[1]]
        for s, t in group:
            renumbered.append((tuple(range(s_count, s_count + len(s))), tuple(range(t_count, t_count + len(t)))))
            s_count += len(s)
            t_count += len(t)
        source.append(tuple(s_sentences))
        target.append(tuple(t_sentences))
    # A title paragraph, as the interview has, so that both sources have the same shape.
    return Source("de", "fr", (("Titel",), *source), (("Titre",), *target),
                  (((0,), (0,)), *(((tuple(i + 1 for i in s)), tuple(j + 1 for j in t)) for s, t in renumbered)),
                  window=70)


def _date_text(day: date, language: str) -> str:
    month = _MONTHS[language][day.month - 1]
    if language == "en":
        return f"{day.day} {month} {day.year}"
    if language == "ru":
        return f"{day.day} {month} {day.year} года"
    return f"{day.day}. {month} {day.year}" if language == "de" else f"{day.day} {month} {day.year}"


def _title(source: Source, side: str, day: date | None, agency: tuple[str, str, str], number: int) -> str:
    language = source.source_lang if side == "source" else source.target_lang
    when = f", {_date_text(day, language)}" if day else ""
    if language == "en":
        return f"Foreign Minister Sergey Lavrov’s interview with {agency[0]}{when}"
    if language == "ru":
        return f"Интервью Министра иностранных дел Российской Федерации С.В.Лаврова {agency[1]}{when}"
    if language == "de":
        return f"Jahrbuch des Alpenclubs, Kapitel {number}{when}"
    return f"Annuaire du Club alpin, chapitre {number}{when}"


@dataclass(frozen=True)
class Document:
    """Both sides of one generated pair, as paragraphs of sentences, with their dates."""

    source: list[list[str]]
    target: list[list[str]]
    source_date: date | None
    target_date: date | None
    slug: str


def make_document(source: Source, rng: random.Random, number: int) -> Document:
    """One new pair drawn from ``source`` with the variations of the module's docstring."""
    day = date(2005, 1, 1) + timedelta(days=rng.randrange(20 * 365))
    roll = rng.random()
    target_day = None if roll < 0.05 else day + timedelta(days=1) if roll < 0.10 else day
    agency = rng.choice(_AGENCIES)
    mapping: dict[str, str] = {}

    def renumber(text: str) -> str:
        def replace(match: regex.Match[str]) -> str:
            digits = match.group()
            if digits not in mapping:
                if len(digits) == 4 and digits[:2] in ("19", "20"):
                    mapping[digits] = str(rng.randrange(1950, 2030))
                else:
                    low = 10 ** (len(digits) - 1) if len(digits) > 1 else 1
                    mapping[digits] = str(rng.randrange(low, 10 ** len(digits)))
            return mapping[digits]

        return _NUMBER.sub(replace, text)

    s_sentences = [(p, s) for p, paragraph in enumerate(source.source_paragraphs) for s in paragraph]
    t_sentences = [(p, s) for p, paragraph in enumerate(source.target_paragraphs) for s in paragraph]
    beads = list(source.beads[1:])  # the title is made anew
    if source.window:
        first = rng.randrange(max(1, len(beads) - source.window))
        beads = beads[first:]
        count, kept = 0, []
        for bead in beads:
            if count >= source.window:
                break
            kept.append(bead)
            count += len(bead[0])
        beads = kept
    source_out: dict[int, list[str]] = {}
    target_out: dict[int, list[str]] = {}
    for s_side, t_side in beads:
        if rng.random() < 0.05:  # deleted on both sides
            continue
        for i in s_side:
            paragraph, text = s_sentences[i]
            source_out.setdefault(paragraph, []).append(renumber(text))
        if rng.random() < 0.02:  # left out of the translation
            continue
        texts = [renumber(t_sentences[j][1]) for j in t_side]
        paragraph = t_sentences[t_side[0]][0] if t_side else None
        if paragraph is None:
            continue
        sentences = target_out.setdefault(paragraph, [])
        if sentences and rng.random() < 0.03:  # merged with the sentence before
            sentences[-1] = sentences[-1].rstrip(".!?…") + " — " + texts[0][:1].lower() + texts[0][1:]
            texts = texts[1:]
        sentences.extend(texts)
    source_doc = [[_title(source, "source", day, agency, number)]] + [source_out[p] for p in sorted(source_out)]
    target_doc = [[_title(source, "target", target_day, agency, number)]] + [target_out[p] for p in sorted(target_out)]
    for document in (source_doc, target_doc):
        for index in range(len(document) - 1, 1, -1):
            if rng.random() < 0.04:  # a paragraph break lost on one side
                document[index - 1] = document[index - 1] + document.pop(index)
    slug = f"lavrov-interview-{agency[2]}" if source.source_lang == "en" else f"kapitel-{number}"
    return Document(source_doc, target_doc, day, target_day, slug)


def render(paragraphs: Sequence[Sequence[str]], day: date | None, language: str, as_html: bool) -> str:
    """A document as scraped text (a date line, then paragraphs) or as an HTML page with a menu."""
    date_line = _date_text(day, language) + " 10:15" if day else None
    if not as_html:
        blocks = ([date_line] if date_line else []) + [" ".join(p) for p in paragraphs]
        return "\n\n".join(blocks) + "\n"
    title, body = paragraphs[0][0], paragraphs[1:]
    meta = f'<meta name="date" content="{day.isoformat()}T10:15">' if day else ""
    parts = "\n".join(f"<p>{html.escape(' '.join(p))}</p>" for p in body)
    dated = f'<p class="date">{date_line}</p>' if date_line else ""
    return (f"<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"{meta}</head>\n<body><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news\">News</a></li>"
            f"<li><a href=\"/contacts\">Contacts</a></li></ul></nav>\n<article><h1>{html.escape(title)}</h1>{dated}\n"
            f"{parts}\n</article><footer>© Ministry</footer></body></html>\n")


def generate(directory: Path, count: int, *, source: Source | None = None, seed: int = 12,
             shuffled: bool = False, lonely: float = 0.0, html_share: float = 0.3) -> Collection:
    """Write ``count`` pairs into ``directory``/<lang>; with ``shuffled``, target names say nothing.

    ``lonely`` adds that share of documents without a partner to each side.
    """
    source = source or interview()
    rng = random.Random(seed)
    collection = Collection(directory / source.source_lang, directory / source.target_lang)
    lonely_count = round(count * lonely)
    names = [f"{rng.getrandbits(48):012x}" for _ in range(count + 2 * lonely_count)]
    for number in range(count + 2 * lonely_count):
        document = make_document(source, random.Random(f"{seed}-{number}"), number)
        as_html = rng.random() < html_share
        suffix = ".html" if as_html else ".txt"
        year = document.source_date.year if document.source_date else 2000
        source_name = f"{year}/{number:05d}-{document.slug}{suffix}"
        target_name = f"{names[number]}{suffix}" if shuffled else f"{year}/doc{number:05d}{suffix}"
        write_source = number < count or number < count + lonely_count
        write_target = number < count or number >= count + lonely_count
        if write_source:
            _write(collection.source_dir / source_name,
                   render(document.source, document.source_date, source.source_lang, as_html))
        if write_target:
            _write(collection.target_dir / target_name,
                   render(document.target, document.target_date, source.target_lang, as_html))
        if write_source and write_target:
            collection.truth[source_name] = target_name
            collection.sentences += sum(len(p) for p in document.source) + sum(len(p) for p in document.target)
        elif write_source:
            collection.lonely_sources.append(source_name)
        else:
            collection.lonely_targets.append(target_name)
    return collection


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SOURCE_PATTERN = "{year}/{id}-*"
TARGET_PATTERN = "{year}/doc{id}.*"
"""How ``--pair-by pattern`` pairs a collection written without ``shuffled``."""
