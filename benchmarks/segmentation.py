"""Sentence segmentation quality and speed against other splitters: prints Markdown tables.

    python3 -m pip install -e '.[bench]'        # the peers: razdel, pysbd, sentence-splitter, choppa-srx
    python3 benchmarks/segmentation.py            # quality table, then 1, 5 and 10 MB timings
    python3 benchmarks/segmentation.py --sizes 1  # a shorter timing run

Quality: boundary precision, recall and F1 on the segmentation gold set in
tests/data/segmentation/ and on the bundled interview's gold split in tests/data/gold/ (one
sentence per line, blank line between paragraphs). Every splitter gets the same paragraphs
(the gold sentences joined by a space) and is scored on the boundaries inside paragraphs;
see aligner/segment/score.py. A peer that is not installed is skipped with a message.
Speed: gold sentences per second, over repeated passes of about a second.

Throughput: the two gold sets, paragraph by paragraph in turn, repeated into a file of 1, 5
and 10 MB (UTF-8); each file is segmented by the default rules in a fresh process pinned to
one core, reading a paragraph at a time, so that its peak memory (max RSS) is its own.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "segmentation"
DATASETS = {
    "gold set": GOLD / "{language}.txt",
    "bundled interview": ROOT / "tests" / "data" / "gold" / "lavrov-tass-2020-12-30.{language}.txt",
}
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
OMEGAT_RULES = "org/omegat/core/segmentation/defaultRules.srx"
LANGUAGES = ("en", "ru")
Splitter = Callable[[str], list[str]]


def _ours(language: str) -> Splitter:
    from aligner.languages import resolve_language
    from aligner.segment import segmenter_for

    segmenter = segmenter_for(resolve_language(language))
    return lambda text: [s.text for s in segmenter.split(text)]


def _omegat(language: str) -> Splitter:
    from aligner.segment.srx import SrxSegmenter, parse_srx

    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        document = parse_srx(jar.read(OMEGAT_RULES), f"{OMEGAT_JAR}:{OMEGAT_RULES}")
    # OmegaT matches its language patterns against tags such as EN-GB.
    segmenter = SrxSegmenter(document.rules_for({"en": "en-GB", "ru": "ru-RU"}[language]))
    return lambda text: [s.text for s in segmenter.split(text)]


def _razdel(language: str) -> Splitter:
    from razdel import sentenize

    return lambda text: [s.text for s in sentenize(text)]


def _pysbd(language: str) -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language=language, clean=False)
    return segmenter.segment


def _moses(language: str) -> Splitter:
    from sentence_splitter import SentenceSplitter

    return SentenceSplitter(language=language).split


def _choppa(language: str) -> Splitter:
    from choppa import DEFAULT_SRX_RULESET, SrxDocument, SrxTextIterator

    document = SrxDocument(ruleset=DEFAULT_SRX_RULESET)
    # "_two": only a blank line ends a paragraph, as in the input here.
    return lambda text: list(SrxTextIterator(document, f"{language}_two", text))


# name, what it needs (a module or the OmegaT jar), languages, factory
PEERS: list[tuple[str, str | None, tuple[str, ...], Callable[[str], Splitter]]] = [
    ("aligner, default rules (aligner.srx)", None, LANGUAGES, _ours),
    ("OmegaT 3.6 default rules, aligner's SRX engine", "omegat", LANGUAGES, _omegat),
    ("razdel 0.5", "razdel", ("ru",), _razdel),
    ("pysbd 0.3", "pysbd", LANGUAGES, _pysbd),
    ("sentence-splitter 1.4 (Moses rules)", "sentence_splitter", LANGUAGES, _moses),
    ("choppa-srx 1.0 (LanguageTool's SRX rules)", "choppa", LANGUAGES, _choppa),
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
    """Print boundary P/R/F1 and speed of every available splitter on the gold set."""
    from aligner.languages import resolve_language
    from aligner.segment.score import boundary_scores, paragraph_texts, read_gold

    gold = {
        (data, language): read_gold(str(path).format(language=language), resolve_language(language))
        for data, path in DATASETS.items()
        for language in LANGUAGES
    }
    print("| data | splitter | language | precision | recall | F1 | sentences/s |")
    print("|---|---|---|---|---|---|---|")
    skipped = []
    for data in DATASETS:
        for name, requirement, languages, factory in PEERS:
            missing = _available(requirement)
            if missing:
                skipped.append(f"skipped {name}: {missing}")
                continue
            for language in languages:
                split = factory(language)
                paragraphs = gold[data, language]
                texts = paragraph_texts(paragraphs)
                scores = boundary_scores(paragraphs, [split(text) for text in texts])
                speed = _sentences_per_second(split, texts, sum(len(p) for p in paragraphs))
                print(
                    f"| {data} | {name} | {language} | {scores.precision:.3f} | {scores.recall:.3f} | "
                    f"{scores.f1:.3f} | {speed:,.0f} |"
                )
    print()
    for (data, language), paragraphs in gold.items():
        print(
            f"{data}, {language}: {sum(len(p) for p in paragraphs)} sentences, "
            f"{sum(len(p) - 1 for p in paragraphs)} boundaries inside paragraphs"
        )
    for line in dict.fromkeys(skipped):
        print(line)


def _sentences_per_second(split: Splitter, texts: list[str], sentences: int) -> float:
    rounds, start = 0, time.perf_counter()
    while True:
        for text in texts:
            split(text)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 1.0:
            return rounds * sentences / elapsed


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


def _throughput_child(path: Path) -> None:
    """Segment ``path`` a line at a time and print the measurements as JSON."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from aligner.languages import resolve_language
    from aligner.segment import segmenter_for

    segmenters = {language: segmenter_for(resolve_language(language)) for language in LANGUAGES}
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sentences = 0
    start = time.perf_counter()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            language, _, text = line.rstrip("\n").partition("\t")
            sentences += len(segmenters[language].split(text))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "sentences": sentences, "baseline_kb": baseline, "peak_kb": peak}))


def throughput_table(sizes: list[int]) -> None:
    """Print time, MB/s and peak memory for segmenting mixed text of each size."""
    print("\n| mixed en/ru text | sentences | seconds (one core) | MB/s | peak RSS | RSS before segmenting |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in sizes:
            path = Path(tmp) / f"mixed-{megabytes}.txt"
            _write_mixed(path, megabytes)
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                check=True, capture_output=True, text=True, cwd=ROOT,
            )
            data = json.loads(result.stdout)
            print(
                f"| {megabytes} MB | {data['sentences']:,} | {data['seconds']:.2f} | "
                f"{megabytes / data['seconds']:.2f} | {data['peak_kb'] / 1024:.0f} MB | "
                f"{data['baseline_kb'] / 1024:.0f} MB |"
            )
            path.unlink()


def main() -> None:
    """Parse the options and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5,10", help="megabytes of mixed text to time (default 1,5,10)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if options.child:
        _throughput_child(options.child)
        return
    quality_table()
    throughput_table([int(size) for size in options.sizes.split(",") if size.strip()])


if __name__ == "__main__":
    main()
