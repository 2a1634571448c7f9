"""Alignment quality, speed and memory: prints a Markdown table.

    python3 benchmarks/alignment.py            # every row (the 100k row takes about a minute)
    python3 benchmarks/alignment.py --quick    # without the 20k and 100k rows

Rows: the Text+Berg German–French dev set (../shared/bench/textberg; skipped with a message
when absent), with and without its machine translation; the bundled English–Russian interview
end to end from HTML; synthetic long pairs built from Text+Berg gold beads drawn at random,
with some target sides deleted (1-0 beads) and some target pairs merged into one sentence.
Each measurement runs in a fresh process so that peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "textberg"
STEM = "lavrov-tass-2020-12-30"
_LABELS = {
    "textberg": "Text+Berg dev (de–fr)",
    "textberg+mt": "Text+Berg dev + its MT",
    "textberg+learn": "Text+Berg dev, --learn",
    "bundled": "bundled interview (en–ru, HTML)",
}


def _document(language: str, sentences: list[str]):  # type: ignore[no-untyped-def]
    from aligner.languages import resolve_language
    from aligner.model import Document, Paragraph, Sentence

    spans, offset = [], 0
    for text in sentences:
        spans.append(Sentence(text, offset, offset + len(text)))
        offset += len(text) + 1
    return Document(resolve_language(language), (Paragraph(" ".join(sentences), sentences=tuple(spans)),))


def _synthetic(size: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """A German–French pair of about ``size`` source sentences with a known alignment."""
    from aligner.evaluate import read_beads

    german = (BENCH / "dev.de").read_text(encoding="utf-8").splitlines()
    french = (BENCH / "dev.fr").read_text(encoding="utf-8").splitlines()
    pool = [b for b in read_beads(BENCH / "dev.defr") if b[0] and b[1]]
    rng = random.Random(seed)
    source: list[str] = []
    target: list[str] = []
    gold = []
    while len(source) < size:
        src_ids, tgt_ids = rng.choice(pool)
        src_texts = [german[i] for i in src_ids]
        tgt_texts = [french[j] for j in tgt_ids]
        roll = rng.random()
        if roll < 0.02:
            tgt_texts = []
        elif roll < 0.04 and len(tgt_texts) >= 2:
            tgt_texts = [" ".join(tgt_texts)]
        new_src = tuple(range(len(source), len(source) + len(src_texts)))
        new_tgt = tuple(range(len(target), len(target) + len(tgt_texts)))
        source += src_texts
        target += tgt_texts
        gold.append((new_src, new_tgt))
    return _document("de", source), _document("fr", target), gold


def measure(case: str) -> dict[str, object]:
    """Align one case in this process and return its numbers."""
    from aligner.align import AlignSettings, align_documents
    from aligner.evaluate import beads_of, read_beads, score
    from aligner.languages import resolve_language
    from aligner.parse import parse_file
    from aligner.pipeline import load_document

    translation = None
    if case in ("textberg", "textberg+mt", "textberg+learn"):
        source = parse_file(BENCH / "dev.de", resolve_language("de"), presegmented=True)
        target = parse_file(BENCH / "dev.fr", resolve_language("fr"), presegmented=True)
        gold = read_beads(BENCH / "dev.defr")
        if case == "textberg+mt":
            translation = (BENCH / "dev.google.fr").read_text(encoding="utf-8").splitlines()
    elif case == "bundled":
        source = load_document(ROOT / "sources/en" / f"{STEM}.html", resolve_language("en"))
        target = load_document(ROOT / "sources/ru" / f"{STEM}.html", resolve_language("ru"))
        gold = read_beads(ROOT / "tests/data/gold" / f"{STEM}.en-ru.beads")
    else:
        source, target, gold = _synthetic(int(case))
    started = time.perf_counter()
    settings = AlignSettings(learn=case == "textberg+learn")
    alignment = align_documents(source, target, settings, translation=translation)
    seconds = time.perf_counter() - started
    result = score([gold], [beads_of(alignment)])
    gold_set = set(gold)
    bands = {}
    for low, high in ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5)):
        inside = [b for b in alignment.beads if low <= b.confidence < high]
        right = sum((b.source, b.target) in gold_set for b in inside)
        bands[f"{low:.1f}"] = [len(inside), right]
    sentences = len(source.sentences()) + len(target.sentences())
    return {
        "case": case,
        "source_sentences": len(source.sentences()),
        "target_sentences": len(target.sentences()),
        "f1_strict": result.f1_strict,
        "f1_lax": result.f1_lax,
        "seconds": seconds,
        "sentences_per_second": sentences / seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bands": bands,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 20k and 100k synthetic rows")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(measure(args.case)))
        return
    cases = ["bundled"]
    if BENCH.exists():
        cases = ["textberg", "textberg+mt", "textberg+learn", "bundled", "1000", "5000"] + ([] if args.quick else ["20000", "100000"])
    else:
        print(f"note: {BENCH} is absent; only the bundled pair is measured", file=sys.stderr)
    print("| data | sentences (src / tgt) | strict F1 | lax F1 | seconds | sentences/s | peak memory |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for case in cases:
        run = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=True, cwd=ROOT
        )
        row = json.loads(run.stdout)
        label = _LABELS[case] if case in _LABELS else f"synthetic {int(case) // 1000}k (de–fr)"
        print(
            f"| {label} | {row['source_sentences']} / {row['target_sentences']} | {row['f1_strict']:.3f} "
            f"| {row['f1_lax']:.3f} | {row['seconds']:.2f} | {row['sentences_per_second']:,.0f} "
            f"| {row['peak_mb']:.0f} MB |",
            flush=True,
        )
        rows.append((label, row))
    print()
    print("Confidence bands: beads in the band, and the share of them that is strictly right.")
    print()
    print("| data | ≥ 0.9 | 0.7–0.9 | 0.5–0.7 | < 0.5 |")
    print("|---|---|---|---|---|")
    for label, row in rows:
        cells = [f"{n} ({right / n:.1%})" if n else "0" for n, right in row["bands"].values()]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
