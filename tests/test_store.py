"""The corpus store: build, resume, parallel and Dask runs, pairing, search, exports and check."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from conftest import EN_HTML, REPO, RU_HTML, SOURCES, STEM, assert_one_line_error, invoke, run_command

from aligner.errors import AlignerError
from aligner.languages import resolve_pair
from aligner.store import SCHEMA_VERSION, connect
from aligner.store.pairing import (
    FingerprintTask,
    collect,
    compile_pattern,
    fingerprint,
    pair_by_content,
    pair_by_name,
    pair_by_pattern,
)
from aligner.store.schema import FTS_TABLES, MIGRATIONS

sys.path.insert(0, str(REPO / "benchmarks"))
import collection  # noqa: E402 - the benchmark's generator, shared so that tests and benchmark agree

ALL_FORMATS = "tmx,po,csv,tsv,jsonl,xliff,moses,beads"
TABLES = ("meta", "settings", "pairs", "documents", "sentences", "beads", "unpaired", "vectors")


def dump(store: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in key order: two stores are equal when their dumps are."""
    connection = sqlite3.connect(store)
    try:
        for table in ("fts_source", "fts_target"):
            # Raises when the full-text index disagrees with the sentences it indexes.
            connection.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        return {table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}
    finally:
        connection.close()


def build(*args: object) -> dict[str, object]:
    result = invoke("corpus", "build", *args, "--json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def interview_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("interview") / "corpus.db"
    summary = build(SOURCES / "en", SOURCES / "ru", "--store", store, "-j", "1")
    assert (summary["pairs"], summary["aligned"], summary["failed"]) == (1, 1, 0)
    return store


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> collection.Collection:
    return collection.generate(tmp_path_factory.mktemp("collection"), 8)


PATTERN_ARGS = ("--pair-by", "pattern", "--source-pattern", collection.SOURCE_PATTERN,
                "--target-pattern", collection.TARGET_PATTERN)


@pytest.fixture(scope="module")
def local_store(generated: collection.Collection, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("local") / "corpus.db"
    summary = build(generated.source_dir, generated.target_dir, "--store", store, "-j", "1", *PATTERN_ARGS)
    assert (summary["pairs"], summary["aligned"]) == (8, 8)
    return store


# --- search -------------------------------------------------------------------------------------


def search_json(store: Path, *args: object) -> list[dict[str, object]]:
    result = invoke("corpus", "search", *args, "--store", store, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_russian_word_finds_its_english_counterparts(interview_store: Path) -> None:
    hits = search_json(interview_store, "Лавров", "--lang", "ru", "--limit", "50")
    assert hits and all(hit["language"] == "ru-RU" and hit["counterpart_language"] == "en-GB" for hit in hits)
    # The speaker label "С.В.Лавров:" opens his turns; the English side names him too.
    assert all("Lavrov" in hit["counterpart"] for hit in hits)
    for hit in hits:
        assert [hit["text"][start:end] for start, end in hit["spans"]] == ["Лавров"] * len(hit["spans"])
        assert hit["document"] == STEM and hit["date"].startswith("2020-12-30") and 0 < hit["confidence"] <= 1


def test_prefixes_phrases_and_regex(interview_store: Path) -> None:
    prefixed = search_json(interview_store, "Лавров*", "--lang", "ru", "--limit", "50")
    exact = search_json(interview_store, "Лавров", "--lang", "ru", "--limit", "50")
    assert len(prefixed) > len(exact)  # "Лаврова" in the title, too
    assert any(hit["text"][s:e] == "Лаврова" for hit in prefixed for s, e in hit["spans"])

    phrase = search_json(interview_store, '"внешнюю политику"', "--lang", "ru")
    assert phrase and all("foreign policy" in hit["counterpart"] for hit in phrase)
    assert all(hit["text"][s:e].lower() == "внешнюю политику" for hit in phrase for s, e in hit["spans"])
    words = search_json(interview_store, "внешнюю политику", "--lang", "ru", "--limit", "50")
    assert len(words) >= len(phrase)

    regex_hits = search_json(interview_store, r"\bСБ ООН\b", "--regex", "--lang", "ru")
    assert regex_hits and all("UN Security Council" in hit["counterpart"] for hit in regex_hits)
    assert all(hit["text"][s:e] == "СБ ООН" for hit in regex_hits for s, e in hit["spans"])

    both = search_json(interview_store, "Lavrov OR Лавров", "--limit", "200")
    assert {hit["language"] for hit in both} == {"en-GB", "ru-RU"}


def test_the_text_concordance_marks_the_hit(interview_store: Path) -> None:
    result = invoke("corpus", "search", "ТАСС", "--store", interview_store, "--lang", "ru")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{STEM} · 2020-12-30")
    assert "**ТАСС**" in lines[1] and lines[1].lstrip().startswith("ru-RU")
    assert "TASS" in lines[2] and lines[2].lstrip().startswith("en-GB")
    assert lines[-1] == "1 hit(s)"


def test_search_errors_are_one_line(interview_store: Path, tmp_path: Path) -> None:
    for args in (['"unclosed', "--lang", "ru"], ["x", "--lang", "de"], ["(", "--regex"]):
        result = run_command("corpus", "search", *args, "--store", interview_store, cwd=tmp_path)
        assert "aligner: error:" in assert_one_line_error(result)
    missing = run_command("corpus", "search", "x", "--store", tmp_path / "none.db", cwd=tmp_path)
    assert "no such corpus store" in assert_one_line_error(missing)
    assert not (tmp_path / "none.db").exists()


def test_stats(interview_store: Path) -> None:
    result = invoke("corpus", "stats", "--store", interview_store, "--json")
    stats = json.loads(result.output)
    assert stats["documents"] == {"aligned": 1, "failed": 0, "unpaired_source": 0, "unpaired_target": 0}
    assert stats["sentences"] == {"en-GB": 71, "ru-RU": 71}
    assert stats["bead_count"] == sum(stats["bead_kinds"].values()) == sum(stats["confidence"].values())
    assert stats["bead_kinds"]["1-1"] > 50
    text = invoke("corpus", "stats", "--store", interview_store).output
    assert "1 aligned, 0 failed" in text and "71 en-GB, 71 ru-RU" in text


# --- exports ------------------------------------------------------------------------------------


def test_exports_are_byte_identical_to_align(interview_store: Path, tmp_path: Path) -> None:
    invoke("align", EN_HTML, RU_HTML, "-o", tmp_path / "align", "--formats", ALL_FORMATS)
    result = invoke("corpus", "export", "--store", interview_store, "-o", tmp_path / "store", "--formats", ALL_FORMATS)
    assert result.exit_code == 0, result.output
    # The store keeps sentences, not the segmenter's decisions, so it writes no .srx beside its TMX.
    aligned = {p.name: p.read_bytes() for p in (tmp_path / "align").iterdir() if p.suffix != ".srx"}
    exported = {p.name: p.read_bytes() for p in (tmp_path / "store").iterdir()}
    assert len(aligned) == 9 and aligned == exported


def test_parquet_has_the_jsonl_columns_and_values(interview_store: Path, tmp_path: Path) -> None:
    import pyarrow.parquet

    invoke("corpus", "export", "--store", interview_store, "-o", tmp_path, "--formats", "jsonl,parquet")
    lines = [json.loads(line) for line in (tmp_path / f"{STEM}.jsonl").read_text(encoding="utf-8").splitlines()]
    table = pyarrow.parquet.read_table(tmp_path / f"{STEM}.parquet")
    assert table.column_names == sorted(lines[0])
    assert table.to_pylist() == lines


def test_merged_export_filters(local_store: Path, tmp_path: Path) -> None:
    result = invoke("corpus", "export", "--store", local_store, "-o", tmp_path, "--formats", "jsonl,tmx",
                    "--merged", "--kinds", "1-1,2-1", "--min-confidence", "0.7")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "merged" / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and all(row["bead"] in ("1-1", "2-1") and row["confidence"] >= 0.7 for row in rows)
    assert len({row["document"] for row in rows}) == 8
    assert (tmp_path / "merged" / "all.tmx").read_bytes().count(b"<tu ") == len(rows)

    dates = sorted(row["date"][:10] for row in rows)
    since, until = dates[len(dates) // 3], dates[2 * len(dates) // 3]
    invoke("corpus", "export", "--store", local_store, "-o", tmp_path / "dated", "--formats", "jsonl",
           "--since", since, "--until", until)
    dated = [json.loads(line) for path in (tmp_path / "dated").rglob("*.jsonl")
             for line in path.read_text(encoding="utf-8").splitlines()]
    assert dated and all(since <= row["date"][:10] <= until for row in dated)
    assert {row["document"] for row in dated} < {row["document"] for row in rows}


def test_merged_export_is_the_documents_in_order(local_store: Path, tmp_path: Path) -> None:
    invoke("corpus", "export", "--store", local_store, "-o", tmp_path, "--formats", "jsonl")
    invoke("corpus", "export", "--store", local_store, "-o", tmp_path, "--formats", "jsonl", "--merged")
    documents = sorted(p for p in tmp_path.rglob("*.jsonl") if p.parent.name != "merged")
    assert len(documents) == 8
    assert (tmp_path / "merged" / "all.jsonl").read_bytes() == b"".join(p.read_bytes() for p in documents)


def test_export_of_nothing_writes_nothing(local_store: Path, tmp_path: Path) -> None:
    result = run_command("corpus", "export", "--store", local_store, "-o", tmp_path / "out",
                         "--document", "no-such-*", cwd=tmp_path)
    assert "no aligned document is selected" in assert_one_line_error(result)
    assert not (tmp_path / "out").exists()


# --- build: parallel, Dask, resume, failures --------------------------------------------------


def test_two_processes_and_a_dask_cluster_give_the_same_store(
    generated: collection.Collection, local_store: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    parallel = tmp_path / "parallel.db"
    summary = build(generated.source_dir, generated.target_dir, "--store", parallel, "-j", "2", *PATTERN_ARGS)
    assert summary["aligned"] == 8
    assert dump(parallel) == dump(local_store)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = tmp_path / "dask.db"
        summary = build(generated.source_dir, generated.target_dir, "--store", on_dask, "--dask",
                        cluster.scheduler_address, *PATTERN_ARGS)
    assert summary["aligned"] == 8
    assert dump(on_dask) == dump(local_store)


def test_connections_opening_a_new_store_at_once_create_its_schema_once(tmp_path: Path) -> None:
    # A build creates the store while a search (or the review app) opens it: each reads the
    # schema version under the write lock, so the second finds the schema made, not half made.
    for attempt in range(10):
        store = tmp_path / f"race{attempt}.db"
        start = threading.Barrier(6)
        errors: list[str] = []

        def open_store(path: Path = store, barrier: threading.Barrier = start, errors: list[str] = errors) -> None:
            barrier.wait()
            try:
                connect(path, create=True).close()
            except AlignerError as error:
                errors.append(str(error))

        threads = [threading.Thread(target=open_store) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert connect(store).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_build_killed_halfway_resumes_to_the_same_store(tmp_path: Path) -> None:
    pairs = 24
    generated = collection.generate(tmp_path / "docs", pairs)
    store, whole = tmp_path / "killed.db", tmp_path / "whole.db"
    command = [sys.executable, "-m", "aligner", "corpus", "build", str(generated.source_dir),
               str(generated.target_dir), "--store", str(store), "-j", "2", "--quiet", *PATTERN_ARGS]
    process = subprocess.Popen(command, cwd=tmp_path, start_new_session=True)
    committed = 0
    deadline = time.monotonic() + 120
    try:
        while committed < pairs // 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
            if store.exists():
                try:
                    committed = connect(store).execute("SELECT count(*) FROM pairs").fetchone()[0]
                except (AlignerError, sqlite3.OperationalError):
                    continue  # the schema is being written
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the workers too
        process.wait()
    assert process.returncode == -signal.SIGKILL
    kept = connect(store).execute("SELECT count(*) FROM pairs").fetchone()[0]
    assert pairs // 2 <= kept < pairs

    rerun = build(generated.source_dir, generated.target_dir, "--store", store, "-j", "2", *PATTERN_ARGS)
    assert (rerun["aligned"], rerun["up_to_date"], rerun["failed"]) == (pairs - kept, kept, 0)
    build(generated.source_dir, generated.target_dir, "--store", whole, "-j", "1", *PATTERN_ARGS)
    assert dump(store) == dump(whole)
    for name in ("killed", "whole"):
        invoke("corpus", "export", "--store", tmp_path / f"{name}.db", "-o", tmp_path / f"{name}-out",
               "--formats", "tmx,jsonl,po", "--merged")
    for suffix in ("tmx", "jsonl", "po"):
        assert (tmp_path / "killed-out" / "merged" / f"all.{suffix}").read_bytes() == \
            (tmp_path / "whole-out" / "merged" / f"all.{suffix}").read_bytes()


def test_a_bad_document_is_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    generated = collection.generate(tmp_path / "docs", 4, html_share=0.0)
    store = tmp_path / "corpus.db"
    victim = sorted(generated.truth.items())[1]
    target = generated.target_dir / victim[1]
    good_text = target.read_text(encoding="utf-8")
    target.write_text(Path(generated.source_dir / victim[0]).read_text(encoding="utf-8"), encoding="utf-8")

    result = invoke("corpus", "build", generated.source_dir, generated.target_dir, "--store", store, "-j", "1",
                    *PATTERN_ARGS, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.output)
    assert (summary["aligned"], summary["failed"]) == (3, 1)
    (failure,) = summary["failures"]
    assert failure["document"] == victim[0].rsplit(".", 1)[0] and "script" in failure["error"]
    stats = json.loads(invoke("corpus", "stats", "--store", store, "--json").output)
    assert stats["failures"] == summary["failures"] and stats["documents"]["failed"] == 1

    target.write_text(good_text, encoding="utf-8")
    again = build(generated.source_dir, generated.target_dir, "--store", store, "-j", "1", *PATTERN_ARGS)
    assert (again["aligned"], again["up_to_date"], again["failed"]) == (1, 3, 0)

    # A changed file is redone; changed settings redo every document.
    changed = generated.source_dir / sorted(generated.truth)[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("Question:", "Question :"), encoding="utf-8")
    again = build(generated.source_dir, generated.target_dir, "--store", store, "-j", "1", *PATTERN_ARGS)
    assert (again["aligned"], again["up_to_date"]) == (1, 3)
    again = build(generated.source_dir, generated.target_dir, "--store", store, "-j", "1", *PATTERN_ARGS,
                  "--set", "band_margin=16")
    assert (again["aligned"], again["up_to_date"]) == (4, 0)
    assert len(json.loads(invoke("corpus", "stats", "--store", store, "--json").output)["settings"]) == 1


def test_build_errors_are_one_line(tmp_path: Path) -> None:
    store = tmp_path / "c.db"
    result = run_command("corpus", "build", tmp_path / "none", SOURCES / "ru", "--store", store, cwd=tmp_path)
    assert "no such directory" in assert_one_line_error(result)
    (tmp_path / "empty").mkdir()
    result = run_command("corpus", "build", SOURCES / "en", tmp_path / "empty", "--store", store, cwd=tmp_path)
    assert "found a partner" in assert_one_line_error(result)
    assert not store.exists()
    invoke("corpus", "build", SOURCES / "en", SOURCES / "ru", "--store", store, "-j", "1", "--quiet")
    other = run_command("corpus", "build", SOURCES / "en", SOURCES / "ru", "--store", store, "--tgt-lang", "de",
                        cwd=tmp_path)
    assert "holds en → ru documents" in assert_one_line_error(other)
    (tmp_path / "other.db").write_bytes(b"not a database at all, just bytes" * 100)
    refused = run_command("corpus", "stats", "--store", tmp_path / "other.db", cwd=tmp_path)
    assert "not a corpus store" in assert_one_line_error(refused)


# --- pairing ------------------------------------------------------------------------------------


def test_pairing_by_content_finds_the_partners_and_leaves_the_lonely(tmp_path: Path) -> None:
    generated = collection.generate(tmp_path, 40, shuffled=True, lonely=0.05)
    languages = resolve_pair("en", "ru")
    tasks = [FingerprintTask("source", str(generated.source_dir / p), p, languages.source, False, None)
             for p in collect(generated.source_dir)]
    tasks += [FingerprintTask("target", str(generated.target_dir / p), p, languages.target, False, None)
              for p in collect(generated.target_dir)]
    pairing = pair_by_content(fingerprint(task) for task in tasks)
    assert {pair.source: pair.target for pair in pairing.pairs} == generated.truth
    assert all(pair.score is not None and pair.score > 0.3 for pair in pairing.pairs)
    assert sorted(u.path for u in pairing.unpaired if u.side == "source") == sorted(generated.lonely_sources)
    assert sorted(u.path for u in pairing.unpaired if u.side == "target") == sorted(generated.lonely_targets)
    assert len(generated.lonely_sources) == len(generated.lonely_targets) == 2


def test_build_by_content_stores_scores_and_unpaired(tmp_path: Path) -> None:
    generated = collection.generate(tmp_path / "docs", 3, shuffled=True, lonely=0.34)
    summary = build(generated.source_dir, generated.target_dir, "--store", tmp_path / "c.db", "-j", "1",
                    "--pair-by", "content")
    assert (summary["pairs"], summary["aligned"]) == (3, 3)
    assert {(u["side"], u["path"]) for u in summary["unpaired"]} == \
        {("source", generated.lonely_sources[0]), ("target", generated.lonely_targets[0])}
    connection = connect(tmp_path / "c.db")
    scores = connection.execute("SELECT pairing, score FROM pairs").fetchall()
    assert all(method == "content" and score > 0.3 for method, score in scores)
    stats = json.loads(invoke("corpus", "stats", "--store", tmp_path / "c.db", "--json").output)
    assert (stats["documents"]["unpaired_source"], stats["documents"]["unpaired_target"]) == (1, 1)


def test_pairing_by_name_and_by_pattern() -> None:
    sources = ["2020/a.html", "2020/b.txt", "c.txt"]
    targets = ["2020/a.txt", "c.txt", "d.txt"]
    by_name = pair_by_name(sources, targets)
    assert [(p.source, p.target, p.name) for p in by_name.pairs] == [("2020/a.html", "2020/a.txt", "2020/a"),
                                                                      ("c.txt", "c.txt", "c")]
    assert [(u.side, u.path) for u in by_name.unpaired] == [("source", "2020/b.txt"), ("target", "d.txt")]

    sources = ["news/17-lavrov-talks.html", "news/18-visit.html", "news/18-visit-2.html", "index.html"]
    targets = ["novosti/17.html", "novosti/18.html", "novosti/19.html"]
    by_pattern = pair_by_pattern(sources, targets, "news/{id}-*.html", "novosti/{id}.html")
    assert [(p.source, p.target) for p in by_pattern.pairs] == [("news/17-lavrov-talks.html", "novosti/17.html")]
    reasons = {u.path: u.reason for u in by_pattern.unpaired}
    assert reasons["news/18-visit.html"] == reasons["news/18-visit-2.html"] == "2 files share id=18"
    assert "does not match" in reasons["index.html"] and "no source file with id=19" in reasons["novosti/19.html"]

    regex, fields = compile_pattern("{year}/{id}-*.html")
    assert fields == ("year", "id") and regex.fullmatch("2020/17-x.html") and not regex.fullmatch("2020/x/17-.html")
    with pytest.raises(AlignerError, match="share no field"):
        pair_by_pattern(sources, targets, "{id}.html", "{other}.html")
    with pytest.raises(AlignerError, match="no field"):
        compile_pattern("*.html")


# --- the schema and the quality gate ------------------------------------------------------------


def test_schema_version_and_migrations(interview_store: Path, tmp_path: Path) -> None:
    connection = connect(interview_store)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == max(MIGRATIONS)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    newer = tmp_path / "newer.db"
    raw = sqlite3.connect(newer)
    raw.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(AlignerError, match="newer than this aligner"):
        connect(newer)
    docs = (REPO / "docs" / "store.md").read_text(encoding="utf-8")
    assert f"Schema version {SCHEMA_VERSION}" in docs
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                   "AND name NOT LIKE 'fts_%_%' ORDER BY name")]
    assert tables and all(f"`{table}`" in docs for table in tables)


def test_a_version_2_store_opens_and_is_migrated(interview_store: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with closing(sqlite3.connect(old, isolation_level=None)) as raw:
        for version in (1, 2):
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    raw.execute(statement)
        raw.execute("PRAGMA user_version=2")
        raw.execute("ATTACH DATABASE ? AS new", (str(interview_store),))
        for table in (*(t for t in TABLES if t != "vectors"), "operations"):
            raw.execute(f"INSERT INTO main.{table} SELECT * FROM new.{table}")
        raw.execute("DETACH DATABASE new")
        for side, table in FTS_TABLES.items():
            raw.execute(f"INSERT INTO {table} (rowid, text) SELECT s.id, s.text FROM sentences s "
                        "JOIN documents d ON d.id = s.document_id WHERE d.side = ?", (side,))
        assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'vectors'").fetchone() == (0,)
    with closing(connect(old)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        columns = [row[1] for row in connection.execute("PRAGMA table_info(vectors)")]
        assert columns == ["encoder", "text_hash", "vector"]
    assert dump(old) == dump(interview_store)
    assert search_json(old, "Лавров", "--lang", "ru") == search_json(interview_store, "Лавров", "--lang", "ru")


def test_check_over_the_store_is_the_check_of_the_files(interview_store: Path, tmp_path: Path) -> None:
    store_report, file_report = tmp_path / "store.json", tmp_path / "files.json"
    from_store = invoke("check", "--store", interview_store, "--json", store_report)
    from_files = invoke("check", EN_HTML, RU_HTML, "--json", file_report)
    assert from_store.exit_code == from_files.exit_code == 0

    def results(path: Path) -> list[object]:
        documents = json.loads(path.read_text(encoding="utf-8"))["documents"]
        return [(d["name"], d["pairs"], d["rules"], d["findings"]) for d in documents]

    assert results(store_report) == results(file_report)
    both = run_command("check", EN_HTML, RU_HTML, "--store", interview_store, cwd=tmp_path)
    assert "not both" in assert_one_line_error(both)


def test_check_over_the_store_reads_one_document_at_a_time(local_store: Path) -> None:
    from aligner.check import load_config, load_store, run_checks

    documents = load_store(local_store)
    first = next(documents)  # an iterator: the store's documents are read as the gate goes
    assert first.pairs
    read: list[int] = [len(first.pairs)]

    def counted():
        for document in documents:
            read.append(len(document.pairs))
            yield document

    report = run_checks(counted(), load_config())
    assert len(read) == 8 and [d.pairs for d in report.documents] == read[1:]
    # The report keeps each document's findings and counts, not its records.
    assert all(d.document.pairs == () for d in report.documents)


def test_dask_and_pyarrow_are_imported_only_when_asked(interview_store: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from aligner.cli import main\n"
        f"main(['corpus', 'export', '--store', {str(interview_store)!r}, '-o', {str(tmp_path)!r}, '--formats', 'jsonl'])\n"
    )
    probe = "import atexit, sys\natexit.register(lambda: print(sorted({'distributed', 'dask', 'pyarrow'} & set(sys.modules))))\n"
    result = subprocess.run([sys.executable, "-c", probe + script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
