"""The alignment dev sets of ../shared/bench and the scoring that goes with each of them.

Every dev set is a list of *documents*: a source and a target (one sentence per line), the
gold beads, the machine translation of the source when the set has one, and how the set is
scored (sentence level, or the Bible's verse level). Peers' published outputs are read from
``peers/METHOD/*.align`` and scored by the same code as ours.

Verse level (the Bertalign paper's scorer, as the bench README defines it): walk the beads in
order; a bead whose source sentences all belong to one verse and whose target sentences all
belong to the same verse (an empty side matches any verse) has that verse as its type,
otherwise none; consecutive beads of the same type are merged into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner.evaluate import read_beads, score

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
PEERS = ("galechurch", "hunalign", "bleualign", "vecalign", "mbert")
PEER_LABELS = {
    "galechurch": "Gale–Church",
    "hunalign": "hunalign",
    "bleualign": "Bleualign + MT",
    "vecalign": "Vecalign",
    "mbert": "Bertalign",
}
MAC_CHAPTERS = ("001", "002", "003", "004", "005", "006", "007", "008", "013", "014", "015", "016")

Bead = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Doc:
    """One document of a dev set."""

    name: str
    source_path: Path
    target_path: Path
    source_lang: str
    target_lang: str
    gold: tuple[Bead, ...]
    translation: Path | None
    peers_dir: Path | None
    verses: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def lines(self, path: Path) -> list[str]:
        return path.read_text(encoding="utf-8").splitlines()

    def peer(self, method: str) -> list[Bead] | None:
        """A peer's published output, or None when it has none for this document."""
        if self.peers_dir is None:
            return None
        path = self.peers_dir / method / f"{self.name.rsplit('/', 1)[-1]}.align"
        return read_beads(path) if path.exists() else None

    def scored(self, beads: Sequence[Bead]) -> tuple[list[Bead], list[Bead]]:
        """(gold, test) as scored: the Bible at verse level, everything else as is."""
        if self.verses is None:
            return list(self.gold), list(beads)
        return list(self.gold), verse_level(beads, *self.verses)


def verse_level(beads: Sequence[Bead], source_verse: Sequence[str], target_verse: Sequence[str]) -> list[Bead]:
    """Sentence beads merged to verse beads (see the module docstring)."""
    merged: list[Bead] = []
    last: str | None = None
    for src, tgt in beads:
        kind = _verse_of(src, tgt, source_verse, target_verse)
        if kind is not None and kind == last:
            prev_src, prev_tgt = merged[-1]
            merged[-1] = (prev_src + tuple(src), prev_tgt + tuple(tgt))
        else:
            merged.append((tuple(src), tuple(tgt)))
        last = kind
    return merged


def _verse_of(src: Sequence[int], tgt: Sequence[int], source_verse: Sequence[str], target_verse: Sequence[str]) -> str | None:
    verses = {source_verse[i] for i in src} | {target_verse[j] for j in tgt}
    if len({source_verse[i] for i in src}) > 1 or len({target_verse[j] for j in tgt}) > 1 or len(verses) != 1:
        return None
    return verses.pop()


def verse_right(beads: Sequence[Bead], doc: Doc) -> list[bool]:
    """For each sentence bead, whether it is strictly right. At verse level a sentence bead
    is right when the verse bead it merges into (itself, if it spans verses) is a gold bead."""
    gold = set(doc.gold)
    if doc.verses is None:
        return [(tuple(s), tuple(t)) in gold for s, t in beads]
    kinds = [_verse_of(s, t, *doc.verses) for s, t in beads]
    rights: list[bool] = []
    k = 0
    while k < len(beads):
        end = k + 1
        while kinds[k] is not None and end < len(beads) and kinds[end] == kinds[k]:
            end += 1
        merged = (tuple(i for s, _ in beads[k:end] for i in s), tuple(j for _, t in beads[k:end] for j in t))
        rights += [merged in gold] * (end - k)
        k = end
    return rights


def textberg() -> list[Doc]:
    base = BENCH / "textberg"
    return [
        Doc("textberg/dev", base / "dev.de", base / "dev.fr", "de", "fr", tuple(read_beads(base / "dev.defr")),
            base / "dev.google.fr", None)
    ]


def mac() -> list[Doc]:
    base = BENCH / "mac"
    return [
        Doc(f"mac/{c}", base / f"{c}.zh", base / f"{c}.en", "zh", "en", tuple(read_beads(base / f"{c}.gold")),
            base / f"{c}.trans", base / "peers")
        for c in MAC_CHAPTERS
    ]


def bible() -> list[Doc]:
    base = BENCH / "bible"
    en = tuple((base / "en.verse").read_text(encoding="utf-8").splitlines())
    zh = tuple((base / "zh.verse").read_text(encoding="utf-8").splitlines())
    return [
        Doc(f"bible/{c}", base / f"{c}.en", base / f"{c}.zh", "en", "zh", tuple(read_beads(base / f"{c}.gold")),
            base / f"{c}.trans", base / "peers", (en, zh))
        for c in ("001", "002")
    ]


def bundled() -> Doc:
    stem = "lavrov-tass-2020-12-30"
    return Doc("bundled", ROOT / "sources/en" / f"{stem}.html", ROOT / "sources/ru" / f"{stem}.html", "en", "ru",
               tuple(read_beads(ROOT / "tests/data/gold" / f"{stem}.en-ru.beads")), None, None)


def all_docs() -> dict[str, Doc]:
    """Every document by name, those whose data is absent left out."""
    docs: list[Doc] = [bundled()]
    if (BENCH / "textberg").exists():
        docs += textberg()
    if (BENCH / "mac").exists():
        docs += mac()
    if (BENCH / "bible").exists():
        docs += bible()
    return {d.name: d for d in docs}


def load_pair(doc: Doc) -> tuple[Any, Any]:
    """The two documents of ``doc`` as the aligner reads them: parsed from HTML, or pre-split lines."""
    from aligner.languages import resolve_language
    from aligner.parse import parse_file
    from aligner.pipeline import load_document

    source_language, target_language = resolve_language(doc.source_lang), resolve_language(doc.target_lang)
    if doc.source_path.suffix == ".html":
        return load_document(doc.source_path, source_language), load_document(doc.target_path, target_language)
    return (
        parse_file(doc.source_path, source_language, presegmented=True),
        parse_file(doc.target_path, target_language, presegmented=True),
    )


def strict_f1(docs: Sequence[Doc], outputs: Sequence[Sequence[Bead]]) -> tuple[float, float]:
    """Pooled strict and lax F1 of ``outputs[k]`` for ``docs[k]``."""
    golds, tests = [], []
    for doc, beads in zip(docs, outputs):
        gold, test = doc.scored(beads)
        golds.append(gold)
        tests.append(test)
    result = score(golds, tests)
    return result.f1_strict, result.f1_lax
