"""Corpus store benchmark: build time, throughput and peak memory at 1,000 and 10,000 pairs, and pairing quality.

    python3 benchmarks/corpus.py                       # N = 1,000 and 10,000, -j 2, and --dask local
    python3 benchmarks/corpus.py --sizes 1000 --dask-sizes "" --pairing-sizes 1000,10000

Collections are generated (``benchmarks/collection.py``) into a temporary folder, never into the
repository. Each build is ``python -m aligner corpus build … -j 2 --pair-by pattern`` in a
fresh store, in its own process; peak memory is the largest sum over that process and all its
descendants (workers, forkserver, Dask scheduler and nannies) of the resident set sizes
(RSS, sampled every 0.1 s: an upper bound, as pages shared between processes, such as the
libraries every worker maps, are counted once per process) and of the proportional set sizes
(PSS, every second: each shared page divided among the processes that share it; what the tree costs).
Pairing by content is measured on collections whose target names are shuffled, with 5 % of the
documents on either side without a partner: precision and recall of the pairs found against the
generator's truth. Needs psutil (``pip install psutil``; Dask brings it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import collection  # noqa: E402 - the generator next to this file

from aligner.languages import resolve_pair  # noqa: E402
from aligner.store.pairing import FingerprintTask, collect, fingerprint, pair_by_content  # noqa: E402
from aligner.store.runner import runner_for  # noqa: E402


def tree_memory(process: psutil.Process, proportional: bool = True) -> tuple[int, int]:
    """Resident bytes (RSS) and proportional bytes (PSS) of a process and all its descendants.

    RSS counts a page shared by several processes (the libraries every worker maps) once in
    each; PSS divides it among them, so the PSS sum is what the tree costs the machine. Without
    ``proportional``, only RSS is read (PSS is given as 0).
    """
    rss = pss = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            memory = member.memory_full_info() if proportional else member.memory_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += memory.rss
        if proportional:
            pss += getattr(memory, "pss", memory.rss)  # PSS is Linux's; elsewhere RSS bounds it
    return rss, pss


def timed_build(generated: collection.Collection, store: Path, jobs: int, dask: bool) -> dict[str, float]:
    """Wall time and peak memory of one build, and its JSON summary."""
    command = [sys.executable, "-m", "aligner", "corpus", "build", str(generated.source_dir),
               str(generated.target_dir), "--store", str(store), "-j", str(jobs), "--pair-by", "pattern",
               "--source-pattern", collection.SOURCE_PATTERN, "--target-pattern", collection.TARGET_PATTERN, "--json"]
    if dask:
        command += ["--dask", "local"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(process.pid)
    peak = peak_pss = 0
    samples = 0
    while process.poll() is None:
        # Reading a process's PSS walks its page tables: once a second, RSS ten times a second.
        rss, pss = tree_memory(watched, proportional=samples % 10 == 0)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        samples += 1
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    output, errors = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {errors.strip()}")
    summary = json.loads(output)
    return {"seconds": seconds, "peak": peak, "peak_pss": peak_pss, "aligned": summary["aligned"], "sentences": summary["sentences"]}


def pairing_quality(source: collection.Source, count: int, jobs: int, folder: Path) -> dict[str, float]:
    """Precision and recall of pairing by content on a shuffled-names collection with 5 % lonely documents."""
    generated = collection.generate(folder, count, source=source, shuffled=True, lonely=0.05, seed=99)
    languages = resolve_pair(source.source_lang, source.target_lang)
    tasks = [FingerprintTask("source", str(generated.source_dir / p), p, languages.source, False, None)
             for p in collect(generated.source_dir)]
    tasks += [FingerprintTask("target", str(generated.target_dir / p), p, languages.target, False, None)
              for p in collect(generated.target_dir)]
    started = time.perf_counter()
    with runner_for(jobs, None) as runner:
        fingerprints = list(runner.map(fingerprint, tasks))
    read = time.perf_counter() - started
    started = time.perf_counter()
    pairing = pair_by_content(fingerprints)
    matched = time.perf_counter() - started
    found = {pair.source: pair.target for pair in pairing.pairs}
    right = sum(1 for source_path, target_path in found.items() if generated.truth.get(source_path) == target_path)
    return {
        "pairs": len(generated.truth), "lonely": len(generated.lonely_sources) + len(generated.lonely_targets),
        "found": len(found), "precision": right / len(found) if found else 0.0, "recall": right / len(generated.truth),
        "fingerprint_seconds": read, "assignment_seconds": matched,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="Numbers of pairs to build (comma-separated).")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="Builds per row; the median is reported.")
    parser.add_argument("--dask-sizes", default=None,
                        help="Sizes also built with --dask local (comma-separated; empty for none). [default: --sizes]")
    parser.add_argument("--pairing-sizes", default="1000", help="Collection sizes for pairing by content.")
    arguments = parser.parse_args()

    sources = [("en–ru, bundled interview", collection.interview())]
    textberg = collection.textberg()
    if textberg is not None:
        sources.append(("de–fr, Text+Berg dev", textberg))
    else:
        print("(Text+Berg dev set not found in ../shared/bench: its pairing row is left out)", file=sys.stderr)
    pairing_sizes = [int(s) for s in arguments.pairing_sizes.split(",") if s]
    if pairing_sizes:
        print("| pairing by content | pairs + lonely | found | precision | recall | reading (-j 2) | assignment |")
        print("|---|---|---|---|---|---|---|", flush=True)
    for size in pairing_sizes:
        for label, source in sources:
            with tempfile.TemporaryDirectory(prefix="aligner-pairing-") as folder:
                quality = pairing_quality(source, size, arguments.jobs, Path(folder))
            print(f"| {label}, shuffled names | {quality['pairs']:,} + {quality['lonely']:,} | {quality['found']:,} | "
                  f"{quality['precision']:.4f} | {quality['recall']:.4f} | {quality['fingerprint_seconds']:.0f} s | "
                  f"{quality['assignment_seconds']:.1f} s |", flush=True)

    sizes = [int(s) for s in arguments.sizes.split(",") if s]
    dask_sizes = {int(s) for s in (arguments.sizes if arguments.dask_sizes is None else arguments.dask_sizes).split(",") if s}
    if sizes:
        print()
        print("| pairs | sentences (both sides) | engine | wall time | documents/s | peak memory, RSS sum | peak memory, PSS sum |")
        print("|---|---|---|---|---|---|---|", flush=True)
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="aligner-corpus-") as folder:
            generated = collection.generate(Path(folder) / "docs", size)
            for dask in (False, True) if size in dask_sizes else (False,):
                runs = []
                for attempt in range(arguments.repeat):
                    store = Path(folder) / f"corpus-{dask}-{attempt}.db"
                    runs.append(timed_build(generated, store, arguments.jobs, dask))
                    store.unlink()
                seconds = statistics.median(run["seconds"] for run in runs)
                peak = statistics.median(run["peak"] for run in runs) / 2**20
                peak_pss = statistics.median(run["peak_pss"] for run in runs) / 2**20
                engine = f"--dask local (-j {arguments.jobs})" if dask else f"-j {arguments.jobs}"
                print(f"| {size:,} | {generated.sentences:,} | {engine} | {seconds:.0f} s | {size / seconds:.1f} | "
                      f"{peak:.0f} MB | {peak_pss:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
