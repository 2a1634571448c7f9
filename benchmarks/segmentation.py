"""Sentence segmentation quality and speed against other splitters: prints Markdown tables.

    python3 -m pip install -e '.[bench]'        # the peers: razdel, pysbd, sentence-splitter, choppa-srx
    python3 benchmarks/segmentation.py            # quality tables, then 1, 5 and 10 MB timings
    python3 benchmarks/segmentation.py --sizes 1  # a shorter timing run
    python3 benchmarks/segmentation.py --mac-alignment  # mac/ chapters aligned pre-split and un-split

Quality: boundary precision, recall and F1 (see aligner/segment/score.py) on

- the development set, tests/data/segmentation/{en,ru}.txt, which the rules were written with;
- the second development set, tests/data/segmentation-official/{ru,en}.txt: ministry-style text
  written after the held-out set was frozen, without reading it or the rules (its README says
  how), and then read to change the rules;
- the bundled interview's gold split, tests/data/gold/;
- the held-out ministry set, tests/data/heldout/ (eight documents, Russian and English, written
  independently of the rules and frozen before any rule was changed);
- the mac/ chapters of ../shared/bench (Chinese and English literary text, the translators' own
  sentence split), each chapter's lines joined into one paragraph: without a space in Chinese,
  with one in English. Skipped with a message when ../shared/bench is absent.

Gold files have one sentence per line and a blank line between paragraphs. Every splitter gets
the same paragraphs (the gold sentences joined) and is scored on the boundaries inside
paragraphs. A peer that is not installed is skipped with a message. Speed: gold sentences per
second, over repeated passes of about a second.

Throughput: the development set's paragraphs, English and Russian in turn, repeated into a file
of 1, 5 and 10 MB (UTF-8); each file is segmented by the default rules alone (a paragraph at a
time) and by the rules with the learned layer (all paragraphs of a language together, as a
batch), each in a fresh process pinned to one core, so that its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "segmentation"
OFFICIAL = ROOT / "tests" / "data" / "segmentation-official"
HELDOUT = ROOT / "tests" / "data" / "heldout"
MAC = ROOT.parent / "shared" / "bench" / "mac"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
OMEGAT_RULES = "org/omegat/core/segmentation/defaultRules.srx"
OMEGAT_TAGS = {"en": "en-GB", "ru": "ru-RU", "zh": "zh-CN"}
LANGUAGES = ("en", "ru")
Splitter = Callable[[list[str]], list[list[str]]]
"""Splits all paragraphs of a data set at once (the learned layer counts its evidence over them all)."""
Paragraphs = list[list[str]]


@dataclass(frozen=True)
class Dataset:
    """A gold set: its name, its languages and how to read one language of it."""

    name: str
    languages: tuple[str, ...]
    read: Callable[[str], Paragraphs]
    missing: Callable[[], str | None] = lambda: None


def _gold_files(paths: list[Path], language: str) -> Paragraphs:
    from aligner.languages import resolve_language
    from aligner.segment.score import read_gold

    return [paragraph for path in paths for paragraph in read_gold(path, resolve_language(language))]


def _mac_chapters(language: str) -> Paragraphs:
    """Each chapter's lines as one paragraph."""
    return [
        [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in sorted(MAC.glob(f"[0-9][0-9][0-9].{language}"))
    ]


DATASETS = [
    Dataset("development set", LANGUAGES, lambda language: _gold_files([GOLD / f"{language}.txt"], language)),
    Dataset(
        "second development set (ministry style)", ("ru", "en"),
        lambda language: _gold_files([OFFICIAL / f"{language}.txt"], language),
    ),
    Dataset(
        "bundled interview", LANGUAGES,
        lambda language: _gold_files([ROOT / "tests" / "data" / "gold" / f"lavrov-tass-2020-12-30.{language}.txt"], language),
    ),
    Dataset(
        "held-out ministry set", ("ru", "en"),
        lambda language: _gold_files(sorted(HELDOUT.glob(f"[0-9][0-9]-*.{language}.txt")), language),
    ),
    Dataset(
        "mac/ chapters", ("zh", "en"), _mac_chapters,
        lambda: None if MAC.is_dir() else f"{MAC} not found (the shared benchmark data)",
    ),
]


def _per_paragraph(split: Callable[[str], list[str]]) -> Splitter:
    return lambda texts: [split(text) for text in texts]


def _ours(language: str, learned: bool = True) -> Splitter:
    from aligner.languages import resolve_language
    from aligner.segment import segmenter_for
    from aligner.segment.learned import split_paragraphs

    segmenter = segmenter_for(resolve_language(language))
    return lambda texts: [
        [s.text for s in split.sentences] for split in split_paragraphs(segmenter, texts, learned=learned)
    ]


def _rules_only(language: str) -> Splitter:
    return _ours(language, learned=False)


def _omegat(language: str) -> Splitter:
    from aligner.segment.srx import SrxSegmenter, parse_srx

    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        document = parse_srx(jar.read(OMEGAT_RULES), f"{OMEGAT_JAR}:{OMEGAT_RULES}")
    # OmegaT matches its language patterns against tags such as EN-GB.
    segmenter = SrxSegmenter(document.rules_for(OMEGAT_TAGS[language]))
    return _per_paragraph(lambda text: [s.text for s in segmenter.split(text)])


def _razdel(language: str) -> Splitter:
    from razdel import sentenize

    return _per_paragraph(lambda text: [s.text for s in sentenize(text)])


def _pysbd(language: str) -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language=language, clean=False)
    return _per_paragraph(segmenter.segment)


def _moses(language: str) -> Splitter:
    from sentence_splitter import SentenceSplitter

    return _per_paragraph(SentenceSplitter(language=language).split)


def _choppa(language: str) -> Splitter:
    from choppa import DEFAULT_SRX_RULESET, SrxDocument, SrxTextIterator

    document = SrxDocument(ruleset=DEFAULT_SRX_RULESET)
    # "_two": only a blank line ends a paragraph, as in the input here.
    return _per_paragraph(lambda text: list(SrxTextIterator(document, f"{language}_two", text)))


# name, what it needs (a module or the OmegaT jar), languages, factory
PEERS: list[tuple[str, str | None, tuple[str, ...], Callable[[str], Splitter]]] = [
    ("aligner, default rules + learned layer (the default)", None, ("en", "ru", "zh"), _ours),
    ("aligner, default rules alone (--no-learned)", None, ("en", "ru", "zh"), _rules_only),
    ("OmegaT 3.6 default rules, aligner's SRX engine", "omegat", ("en", "ru", "zh"), _omegat),
    ("razdel 0.5", "razdel", ("ru",), _razdel),
    ("pysbd 0.3", "pysbd", ("en", "ru", "zh"), _pysbd),
    ("sentence-splitter 1.4 (Moses rules)", "sentence_splitter", LANGUAGES, _moses),
    ("choppa-srx 1.0 (LanguageTool's SRX rules)", "choppa", ("en", "ru", "zh"), _choppa),
]


def _available(requirement: str | None) -> str | None:
    """None when ``requirement`` is met, else why not."""
    if requirement is None:
        return None
    if requirement == "omegat":
        return None if OMEGAT_JAR.is_file() else f"{OMEGAT_JAR} not found (apt-get install omegat)"
    if importlib.util.find_spec(requirement) is None:
        return f"module {requirement} not installed (pip install -e '.[bench]')"
    return None


def quality_table() -> None:
    """Print boundary P/R/F1 and speed of every available splitter on every gold set."""
    from aligner.languages import resolve_language
    from aligner.segment.score import boundary_scores, paragraph_texts, sentence_separator

    print("| data | splitter | language | precision | recall | F1 | sentences/s |")
    print("|---|---|---|---|---|---|---|")
    skipped, sizes = [], []
    for data in DATASETS:
        absent = data.missing()
        if absent:
            skipped.append(f"skipped {data.name}: {absent}")
            continue
        gold = {language: data.read(language) for language in data.languages}
        for name, requirement, languages, factory in PEERS:
            missing = _available(requirement)
            if missing:
                skipped.append(f"skipped {name}: {missing}")
                continue
            for language in data.languages:
                if language not in languages:
                    continue
                split = factory(language)
                paragraphs = gold[language]
                texts = paragraph_texts(paragraphs, sentence_separator(resolve_language(language)))
                scores = boundary_scores(paragraphs, split(texts))
                speed = _sentences_per_second(split, texts, sum(len(p) for p in paragraphs))
                print(
                    f"| {data.name} | {name} | {language} | {scores.precision:.3f} | {scores.recall:.3f} | "
                    f"{scores.f1:.3f} | {speed:,.0f} |"
                )
        for language, paragraphs in gold.items():
            sizes.append(
                f"{data.name}, {language}: {sum(len(p) for p in paragraphs)} sentences, "
                f"{sum(len(p) - 1 for p in paragraphs)} boundaries inside paragraphs"
            )
    print()
    for line in [*sizes, *dict.fromkeys(skipped)]:
        print(line)


def chapter_table() -> None:
    """Print our F1 on each mac/ chapter, to compare with figures quoted per chapter."""
    if not MAC.is_dir():
        return
    from aligner.languages import resolve_language
    from aligner.segment.score import boundary_scores, paragraph_texts, sentence_separator

    print("\n| mac/ chapter | aligner F1, zh | aligner F1, en |")
    print("|---|---|---|")
    chapters = {language: _mac_chapters(language) for language in ("zh", "en")}
    splits = {language: _ours(language) for language in chapters}
    names = [path.stem for path in sorted(MAC.glob("[0-9][0-9][0-9].zh"))]
    for number, name in enumerate(names):
        cells = []
        for language, paragraphs in chapters.items():
            texts = paragraph_texts([paragraphs[number]], sentence_separator(resolve_language(language)))
            cells.append(f"{boundary_scores([paragraphs[number]], splits[language](texts)).f1:.3f}")
        print(f"| {name} | {' | '.join(cells)} |")


def _sentences_per_second(split: Splitter, texts: list[str], sentences: int) -> float:
    rounds, start = 0, time.perf_counter()
    while True:
        split(texts)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 1.0:
            return rounds * sentences / elapsed


def alignment_table() -> None:
    """Align the mac/ chapters pre-split and un-split (each chapter one paragraph), both against the gold.

    Our sentences of the un-split chapters are mapped to the gold sentences they overlap (by
    offsets in the text without white space), and beads that then share a gold sentence are
    merged, so that both alignments are scored against the same gold beads.
    """
    if not MAC.is_dir():
        print(f"\nskipped the mac/ alignment: {MAC} not found")
        return
    from aligner.evaluate import beads_of, read_beads, score
    from aligner.languages import resolve_pair
    from aligner.pipeline import align_files
    from aligner.settings import Settings

    languages = resolve_pair("zh", "en")
    gold, pre_split, un_split = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(MAC.glob("[0-9][0-9][0-9].zh")):
            name = path.stem
            zh, en = _mac_lines(MAC / f"{name}.zh"), _mac_lines(MAC / f"{name}.en")
            gold.append(read_beads(MAC / f"{name}.gold"))
            for presegmented, joiners, found in ((True, ("\n", "\n"), pre_split), (False, ("", " "), un_split)):
                folder = Path(tmp) / ("pre" if presegmented else "un")
                folder.mkdir(exist_ok=True)
                (folder / f"{name}.zh").write_text(joiners[0].join(zh) + "\n", encoding="utf-8")
                (folder / f"{name}.en").write_text(joiners[1].join(en) + "\n", encoding="utf-8")
                alignment = align_files(folder / f"{name}.zh", folder / f"{name}.en",
                                        Settings(languages=languages, presegmented=presegmented))
                if presegmented:
                    found.append(beads_of(alignment))
                else:
                    source = _onto_gold([s.text for s in alignment.source.sentences()], zh)
                    target = _onto_gold([s.text for s in alignment.target.sentences()], en)
                    found.append(_merged([
                        (tuple(sorted({g for i in s for g in source[i]})), tuple(sorted({g for i in t for g in target[i]})))
                        for s, t in beads_of(alignment)
                    ]))
    pre, un = score(gold, pre_split), score(gold, un_split)
    print("\n| mac/ chapters, aligned zh–en | strict P | strict R | strict F1 | lax F1 |")
    print("|---|---|---|---|---|")
    for label, result in (("pre-split (--presegmented)", pre), ("un-split, segmented by aligner", un)):
        print(f"| {label} | {result.precision_strict:.3f} | {result.recall_strict:.3f} | {result.f1_strict:.3f} | "
              f"{result.f1_lax:.3f} |")
    print(f"\nstrict F1 un-split minus pre-split: {un.f1_strict - pre.f1_strict:+.4f}")


def _mac_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _onto_gold(sentences: list[str], gold_sentences: list[str]) -> list[tuple[int, ...]]:
    """For each of our sentences, the gold sentences it overlaps, by offsets in the text without white space."""
    import bisect

    ends, offset = [], 0
    for sentence in gold_sentences:
        offset += len("".join(sentence.split()))
        ends.append(offset)
    result, offset = [], 0
    for sentence in sentences:
        length = len("".join(sentence.split()))
        first, last = bisect.bisect_right(ends, offset), bisect.bisect_left(ends, offset + length)
        result.append(tuple(range(first, min(last, len(ends) - 1) + 1)))
        offset += length
    return result


def _merged(beads: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Neighbouring beads that share a gold sentence (one we split in two) made one."""
    merged: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for source, target in beads:
        if merged and (set(source) & set(merged[-1][0]) or set(target) & set(merged[-1][1])):
            merged[-1] = (tuple(sorted({*merged[-1][0], *source})), tuple(sorted({*merged[-1][1], *target})))
        else:
            merged.append((source, target))
    return merged


def _write_mixed(path: Path, megabytes: int) -> None:
    """English and Russian gold paragraphs in turn, each line ``<lang>\\t<paragraph>``."""
    from aligner.languages import resolve_language
    from aligner.segment.score import paragraph_texts, read_gold

    english, russian = (
        paragraph_texts(read_gold(GOLD / f"{lang}.txt", resolve_language(lang))) for lang in LANGUAGES
    )
    mixed = []
    for k in range(max(len(english), len(russian))):
        if k < len(english):
            mixed.append(f"en\t{english[k]}\n")
        if k < len(russian):
            mixed.append(f"ru\t{russian[k]}\n")
    target, written = megabytes * 1_000_000, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            for line in mixed:
                out.write(line)
                written += len(line.encode("utf-8")) - 3  # the language tag is not text
                if written >= target:
                    break


def _throughput_child(path: Path, learned: bool) -> None:
    """Segment ``path`` and print the measurements as JSON.

    Rules alone: a line at a time. With the learned layer: every line is read first, then each
    language's paragraphs are segmented together, as a batch is (the evidence spans them).
    """
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from aligner.languages import resolve_language
    from aligner.segment import segmenter_for
    from aligner.segment.learned import split_paragraphs

    segmenters = {language: segmenter_for(resolve_language(language)) for language in LANGUAGES}
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sentences = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8") as lines:
        if learned:
            texts: dict[str, list[str]] = {language: [] for language in LANGUAGES}
            for line in lines:
                language, _, text = line.rstrip("\n").partition("\t")
                texts[language].append(text)
            for language, paragraphs in texts.items():
                sentences += sum(len(s.sentences) for s in split_paragraphs(segmenters[language], paragraphs))
        else:
            for line in lines:
                language, _, text = line.rstrip("\n").partition("\t")
                sentences += len(segmenters[language].split(text))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "sentences": sentences, "baseline_kb": baseline,
                      "peak_kb": peak}))


def throughput_table(sizes: list[int]) -> None:
    """Print time, MB/s and peak memory for segmenting mixed text of each size, with and without the layer.

    MB/s is by CPU time, which other processes on a shared machine disturb less than the
    wall-clock seconds shown next to it.
    """
    print("\n| mixed en/ru text | segmenter | sentences | seconds (wall) | CPU seconds (one core) | MB/s | peak RSS "
          "| RSS before segmenting |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in sizes:
            path = Path(tmp) / f"mixed-{megabytes}.txt"
            _write_mixed(path, megabytes)
            for mode in ("rules", "learned"):
                result = subprocess.run(
                    [sys.executable, __file__, "--child", str(path), "--mode", mode],
                    check=True, capture_output=True, text=True, cwd=ROOT,
                )
                data = json.loads(result.stdout)
                label = "rules + learned layer" if mode == "learned" else "rules alone"
                print(
                    f"| {megabytes} MB | {label} | {data['sentences']:,} | {data['seconds']:.2f} | "
                    f"{data['cpu_seconds']:.2f} | {megabytes / data['cpu_seconds']:.2f} | "
                    f"{data['peak_kb'] / 1024:.0f} MB | {data['baseline_kb'] / 1024:.0f} MB |"
                )
            path.unlink()


def main() -> None:
    """Parse the options and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5,10", help="megabytes of mixed text to time (default 1,5,10)")
    parser.add_argument("--speed-only", action="store_true", help="only the throughput table")
    parser.add_argument("--mac-alignment", action="store_true",
                        help="only: align the mac/ chapters pre-split and un-split, with the current aligner")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=("rules", "learned"), default="learned", help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if options.child:
        _throughput_child(options.child, options.mode == "learned")
        return
    if options.mac_alignment:
        alignment_table()
        return
    if not options.speed_only:
        quality_table()
        chapter_table()
    throughput_table([int(size) for size in options.sizes.split(",") if size.strip()])


if __name__ == "__main__":
    main()
