"""What a reviewer's fix is worth: re-aligning around confirmed beads (``align_documents(anchors=)``).

For each dev document: align it; then, as a reviewer walking the document would, find the
first bead that is wrong, confirm the gold bead in its place (the gold bead holding that
bead's first sentence) and re-align the rest around every bead confirmed so far; repeat.
Prints strict F1 after 0, 1, 3 and 10 fixes. A fix is one gold bead, so the gain beyond
that bead itself (1 bead of the document's gold) is what the re-alignment repaired around it.

    python benchmarks/anchors.py            # the mac/ chapters (no MT)
    python benchmarks/anchors.py --all      # and Text+Berg and the Bible
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_data  # noqa: E402

from aligner.align import align_documents  # noqa: E402
from aligner.evaluate import score  # noqa: E402
from aligner.languages import resolve_language  # noqa: E402
from aligner.model import Bead  # noqa: E402
from aligner.parse import parse_file  # noqa: E402

FIXES = (0, 1, 3, 10)


def _fits(bead: bench_data.Bead, confirmed: set[bench_data.Bead]) -> bool:
    """True when ``bead`` can join the anchors: sentences in a row, none shared, no crossing.

    A few gold beads of mac/ cross their neighbours (translators reorder sentences); a
    monotonic aligner cannot keep them, so a reviewer would not confirm them as they are.
    """
    for side in bead:
        if side and list(side) != list(range(side[0], side[0] + len(side))):
            return False
    for other in confirmed:
        for mine, theirs in zip(bead, other):
            if set(mine) & set(theirs):
                return False
        if bead[0] and bead[1] and other[0] and other[1] and (bead[0][0] < other[0][0]) != (bead[1][0] < other[1][0]):
            return False
    return True


def _first_wrong(beads: list[bench_data.Bead], gold: list[bench_data.Bead], confirmed: set[bench_data.Bead]) -> bench_data.Bead | None:
    """The gold bead a reviewer confirms next: the one at the first wrong bead of the output."""
    right = set(gold)
    for source, target in beads:
        if (source, target) in right:
            continue
        for bead in gold:
            if bead in confirmed or not _fits(bead, confirmed):
                continue
            if (source and source[0] in bead[0]) or (not source and target and target[0] in bead[1]):
                return bead
    return None


def run_document(doc: bench_data.Doc) -> list[float]:
    source = parse_file(doc.source_path, resolve_language(doc.source_lang), presegmented=True)
    target = parse_file(doc.target_path, resolve_language(doc.target_lang), presegmented=True)
    gold = list(doc.gold)
    confirmed: set[bench_data.Bead] = set()
    scores = []
    for fixes in range(max(FIXES) + 1):
        anchors = [Bead(s, t, 1.0) for s, t in sorted(confirmed, key=lambda b: (b[0][:1], b[1][:1]))]
        alignment = align_documents(source, target, anchors=anchors)
        beads = [(b.source, b.target) for b in alignment.beads]
        if fixes in FIXES:
            gold_scored, test = doc.scored(beads)
            scores.append(score([gold_scored], [test]).f1_strict)
        nxt = _first_wrong(beads, gold, confirmed)
        if nxt is None:
            scores += [scores[-1]] * (len(FIXES) - len(scores))
            break
        confirmed.add(nxt)
    return scores


@click.command()
@click.option("--all", "everything", is_flag=True, help="Also Text+Berg and the Bible (slow).")
def main(everything: bool) -> None:
    docs = [d for name, d in bench_data.all_docs().items() if name.startswith("mac/") or (everything and name != "bundled")]
    if not docs:
        click.echo("skipped: ../shared/bench is absent", err=True)
        return
    click.echo("Strict F1 after confirming the first wrong bead and re-aligning the rest (development data, no MT)\n")
    click.echo("| document | gold beads | " + " | ".join(f"{n} fixes" for n in FIXES) + " |")
    click.echo("|---|---:|" + "---:|" * len(FIXES))
    totals = [0.0] * len(FIXES)
    with click.progressbar(docs, label="re-aligning", file=sys.stderr) as bar:
        rows = [(doc, run_document(doc)) for doc in bar]
    for doc, scores in rows:
        totals = [a + b for a, b in zip(totals, scores)]
        click.echo(f"| {doc.name} | {len(doc.gold)} | " + " | ".join(f"{s:.3f}" for s in scores) + " |")
    click.echo("| mean | | " + " | ".join(f"{t / len(rows):.3f}" for t in totals) + " |")


if __name__ == "__main__":
    main()
