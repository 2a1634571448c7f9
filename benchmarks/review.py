"""How fast the review app opens a large store: the document list and a document's first page.

Builds a store of N synthetic documents (default 10,000; each a few dozen short 1-1, 2-1 and
1-0 beads, written straight into the schema, since alignment speed is not what is measured
here), then times, through the app's HTTP interface (Flask's test client, so the network is
left out) and through the library calls beneath it:

- the first page of the document list (50 documents, their progress and alignment paths);
- the first page of a document in the middle of the store (50 beads, with the check findings);
- a confirm operation and its undo.

    python benchmarks/review.py                 # 10,000 documents
    python benchmarks/review.py --documents 1000
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import click

from aligner.review import create_app
from aligner.review.app import TOKEN_HEADER
from aligner.review.operations import apply, undo
from aligner.review.views import document_list, document_page
from aligner.store import connect
from aligner.store.schema import FTS_TABLES

WORDS_EN = "the minister said that talks on security and trade will resume next year in Geneva".split()
WORDS_RU = "министр сказал что переговоры о безопасности и торговле возобновятся в следующем году в Женеве".split()


def _sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize() + "."


def build_store(path: Path, documents: int, seed: int = 13) -> int:
    """A store of ``documents`` synthetic pairs; the number of beads written."""
    rng = random.Random(seed)
    total = 0
    with closing(connect(path, create=True)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
            ("source_code", "en"), ("source_tag", "en-GB"), ("target_code", "ru"), ("target_tag", "ru-RU")])
        connection.execute("INSERT INTO settings (id, signature) VALUES (1, 'aligner:0.2.0|input:text|learn:yes|align:default')")
        for number in range(1, documents + 1):
            beads, sentences = [], {"source": [], "target": []}
            for unit in range(1, rng.randint(20, 60) + 1):
                kind = rng.choices(((1, 1), (2, 1), (1, 0)), weights=(90, 7, 3))[0]
                indices = {}
                for side, count, words in (("source", kind[0], WORDS_EN), ("target", kind[1], WORDS_RU)):
                    start = len(sentences[side])
                    for _ in range(count):
                        paragraph = (len(sentences[side]) // 4)
                        sentences[side].append((len(sentences[side]), paragraph, len(sentences[side]) % 4, unit,
                                                _sentence(rng, words)))
                    indices[side] = list(range(start, len(sentences[side])))
                confidence = rng.betavariate(8, 1.2)
                beads.append((number, unit, f"{kind[0]}-{kind[1]}", confidence, " ".join(map(str, indices["source"])),
                              " ".join(map(str, indices["target"])), 0, 0 if kind[1] else None, None, 0, 0))
            connection.execute("INSERT INTO pairs (id, key, name, status, settings_id, pairing, beads) "
                               "VALUES (?, ?, ?, 'aligned', 1, 'name', ?)",
                               (number, f"news/{number:05d}.html", f"news/{number:05d}", len(beads)))
            for side in ("source", "target"):
                cursor = connection.execute(
                    "INSERT INTO documents (pair_id, side, language, path, sha256, title, date, sentences) "
                    "VALUES (?, ?, ?, ?, '', ?, '2020-12-30', ?)",
                    (number, side, "en-GB" if side == "source" else "ru-RU", f"news/{number:05d}.html",
                     f"News {number}", len(sentences[side])))
                document_id = cursor.lastrowid
                connection.executemany(
                    "INSERT INTO sentences (document_id, idx, paragraph, position, bead, speaker, text) "
                    "VALUES (?, ?, ?, ?, ?, NULL, ?)", [(document_id, *row) for row in sentences[side]])
                connection.execute(f"INSERT INTO {FTS_TABLES[side]} (rowid, text) SELECT id, text FROM sentences "
                                   "WHERE document_id = ?", (document_id,))
            connection.executemany("INSERT INTO beads (pair_id, unit, kind, confidence, source_sentences, "
                                   "target_sentences, source_paragraph, target_paragraph, speaker, source_turn, "
                                   "target_turn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", beads)
            total += len(beads)
        connection.execute("COMMIT")
    return total


def _timed(action, repeats: int = 5) -> tuple[float, float]:
    """The first run's time and the median of the next ``repeats`` (seconds)."""
    started = time.perf_counter()
    action()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times)


@click.command()
@click.option("--documents", default=10_000, show_default=True, help="Documents in the synthetic store.")
def main(documents: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "review.db"
        started = time.perf_counter()
        beads = build_store(store, documents)
        click.echo(f"built {documents:,} documents ({beads:,} beads) in {time.perf_counter() - started:.1f} s; "
                   f"{store.stat().st_size / 1e6:.0f} MB", err=True)
        middle = documents // 2
        token = "benchmark"
        client = create_app(store, token).test_client()
        headers = {TOKEN_HEADER: token}

        def http(path: str) -> None:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)

        def change() -> None:
            response = client.post(f"/api/documents/{middle}/operations", headers=headers,
                                   json={"kind": "confirm", "arguments": {"units": [1]}})
            assert response.status_code == 200
            assert client.post(f"/api/documents/{middle}/undo", headers=headers, json={}).status_code == 200

        rows = []
        with closing(connect(store)) as connection:
            rows.append(("document list, first page (library)", *_timed(lambda: document_list(connection))))
            rows.append(("document list, first page (HTTP)", *_timed(lambda: http("/api/documents"))))
            rows.append(("document list, last page (HTTP)", *_timed(lambda: http(f"/api/documents?page={documents // 50}"))))
            rows.append((f"document {middle:,}, first page (library)", *_timed(lambda: document_page(connection, middle))))
            rows.append((f"document {middle:,}, first page (HTTP)", *_timed(lambda: http(f"/api/documents/{middle}"))))
            rows.append(("the page and its script (HTTP)", *_timed(lambda: (http("/"), http("/static/review.js")))))
            rows.append(("confirm a bead and undo it (HTTP, 2 requests)", *_timed(change)))
            apply(connection, middle, "confirm", {"units": [2]})
            undo(connection, middle)
    click.echo(f"Review app on a store of {documents:,} synthetic documents ({beads:,} beads)\n")
    click.echo("| request | first (ms) | median of 5 more (ms) |")
    click.echo("|---|---:|---:|")
    for name, first, median in rows:
        click.echo(f"| {name} | {first * 1000:.1f} | {median * 1000:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
