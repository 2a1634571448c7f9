"""The review app's library: operations and their undo, the store's migration, two writers at once,
re-aligning around the fixes, exports of the corrected beads, imports of aligned files, the app's token."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from conftest import GOLD, GOLD_BEADS, REPO, STEM, assert_one_line_error, run_command

from aligner.errors import AlignerError
from aligner.evaluate import read_beads
from aligner.formats import read_path
from aligner.languages import resolve_pair
from aligner.review import Filters, document_list, document_page, next_attention, store_for, store_for_pair
from aligner.review.operations import (
    AUTO,
    CONFIRMED,
    EDITED,
    DocumentState,
    ReviewBead,
    ReviewSentence,
    StaleDocument,
    apply,
    detach,
    edit_sentence,
    join_sentences,
    load_state,
    merge,
    move_down,
    move_up,
    realign,
    revision,
    save_state,
    split,
    split_before,
    split_sentence,
    undo,
)
from aligner.settings import Settings
from aligner.store import build_corpus, connect, export_store, search
from aligner.store.schema import MIGRATIONS, SCHEMA_VERSION

GOLD_PAIRS = [tuple(bead) for bead in read_beads(GOLD_BEADS)]


def build_interview_store(folder: Path, edit: dict[int, str] | None = None) -> Path:
    """A store of the gold interview (presegmented), optionally with text appended to gold sentence pairs.

    ``edit`` maps a gold bead number to text appended to its first sentence on both sides.
    """
    lines = {side: (GOLD / f"{STEM}.{side}.txt").read_text(encoding="utf-8").splitlines() for side in ("en", "ru")}
    if edit:
        for side, bead_side in (("en", 0), ("ru", 1)):
            nonblank = [k for k, line in enumerate(lines[side]) if line.strip()]
            for bead, extra in edit.items():
                row = nonblank[GOLD_PAIRS[bead][bead_side][0]]
                lines[side][row] += " " + extra
    for side in ("en", "ru"):
        (folder / side).mkdir(parents=True, exist_ok=True)
        (folder / side / f"{STEM}.txt").write_text("\n".join(lines[side]) + "\n", encoding="utf-8")
    store = folder / "corpus.db"
    build_corpus(store, folder / "en", folder / "ru", Settings(resolve_pair("en", "ru"), presegmented=True))
    return store


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_interview_store(tmp_path_factory.mktemp("review"))


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "corpus.db"
    shutil.copy(built, copy)
    return copy


def pairs_of(state: DocumentState) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.source, bead.target) for bead in state.beads]


def shifted_stretch(state: DocumentState) -> int:
    """The 0-based bead from which three 1-1 beads follow, in the middle of the document."""
    return next(k for k in range(20, len(state.beads) - 3) if all(b.kind == "1-1" for b in state.beads[k:k + 3]))


def break_two_beads(connection: sqlite3.Connection, pair_id: int = 1) -> int:
    """Shift the alignment of three 1-1 beads into two wrong ones, as a weak aligner would; the unit of the first.

    [s0]:[t0] [s1]:[t1] [s2]:[t2] become [s0]:[t0 t1] and [s1 s2]:[t2], unreviewed and of low confidence.
    """
    state = load_state(connection, pair_id)
    k = shifted_stretch(state)
    a, b, c = state.beads[k:k + 3]
    beads = [*state.beads[:k], ReviewBead(a.source, a.target + b.target, 0.3),
             ReviewBead(b.source + c.source, c.target, 0.3), *state.beads[k + 3:]]
    connection.execute("BEGIN IMMEDIATE")
    save_state(connection, pair_id, DocumentState(state.sentences, tuple(beads)), sentences=False)
    connection.execute("COMMIT")
    return k + 1


def small_state() -> DocumentState:
    """Three 1-1 beads, then a 2-1 one, on two paragraphs per side."""
    def sentences(prefix: str) -> tuple[ReviewSentence, ...]:
        return tuple(ReviewSentence(f"{prefix} {k}.", 0 if k < 2 else 1, k if k < 2 else k - 2, None) for k in range(5))
    source, target = sentences("S"), sentences("T")
    beads = (ReviewBead((0,), (0,), 0.95), ReviewBead((1,), (1,), 0.6), ReviewBead((2,), (2,), 0.4),
             ReviewBead((3, 4), (3, 4), 0.8))
    return DocumentState({"source": source, "target": target}, beads)


# --- operations on a state ------------------------------------------------------------------------------------


def test_moving_a_sentence_up_and_down_fixes_the_bead_above() -> None:
    state = small_state()
    up = move_up(state, 3, "target")
    assert pairs_of(up) == [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3, 4), (3, 4))]
    assert up.beads[1].status == EDITED and up.beads[1].confidence == 1.0
    assert up.beads[2].status == AUTO and up.beads[2].confidence == 0.0
    down = move_down(state, 2, "source")
    assert pairs_of(down) == [((0,), (0,)), ((), (1,)), ((1, 2), (2,)), ((3, 4), (3, 4))]
    # A bead left with no sentence at all disappears.
    gone = move_down(move_down(state, 1, "source"), 1, "target")
    assert pairs_of(gone)[0] == ((0, 1), (0, 1))
    assert len(gone.beads) == 3
    with pytest.raises(AlignerError, match="no bead before"):
        move_up(state, 1, "source")
    with pytest.raises(AlignerError, match="no bead after"):
        move_down(state, 4, "target")


def test_merge_split_and_detach() -> None:
    state = small_state()
    merged = merge(state, 1)
    assert pairs_of(merged)[0] == ((0, 1), (0, 1)) and merged.beads[0].status == EDITED
    assert pairs_of(split(merged, 1, 1, 1))[:2] == [((0,), (0,)), ((1,), (1,))]
    assert pairs_of(split_before(state, "source", 4))[3:] == [((3,), (3,)), ((4,), (4,))]
    with pytest.raises(AlignerError, match="one part empty"):
        split(state, 1, 0, 0)
    detached = detach(state, "target", 4)
    assert pairs_of(detached)[3:] == [((3, 4), (3,)), ((), (4,))]
    assert detached.beads[4].status == EDITED
    with pytest.raises(AlignerError, match="alone in its bead"):
        detach(detached, "target", 4)


def test_sentence_edits_renumber_what_follows() -> None:
    state = small_state()
    edited = edit_sentence(state, "source", 1, "First half,\nsecond half.")
    assert [s.text for s in edited.sentences["source"]][:3] == ["S 0.", "First half,", "second half."]
    assert pairs_of(edited) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,)), ((4, 5), (3, 4))]
    assert [s.position for s in edited.sentences["source"]] == [0, 1, 2, 0, 1, 2]
    cut = split_sentence(state, "target", 3, 2)
    assert [s.text for s in cut.sentences["target"]][3:5] == ["T", "3."]
    joined = join_sentences(state, "source", 2)
    assert joined.sentences["source"][2].text == "S 2. S 3."
    assert pairs_of(joined)[2:] == [((2,), (2,)), ((3,), (3, 4))]
    with pytest.raises(AlignerError, match="cannot be empty"):
        edit_sentence(state, "source", 0, " \n ")
    with pytest.raises(AlignerError, match="between two of its characters"):
        split_sentence(state, "source", 0, 0)


# --- the store ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, arguments", [
    ("move-up", {"unit": 10, "side": "source"}),
    ("move-down", {"unit": 10, "side": "target"}),
    ("merge", {"unit": 10}),
    ("split-before", {"side": "source", "index": 3}),
    ("detach", {"side": "target", "index": 12}),
    ("confirm", {"units": [3, 4, 5]}),
    ("edit-sentence", {"side": "source", "index": 5, "text": "Zanzibar quokka.\nSecond zanzibar part."}),
    ("split-sentence", {"side": "target", "index": 6, "offset": 5}),
    ("join-sentences", {"side": "source", "index": 7}),
])
def test_every_operation_is_saved_and_undone(store: Path, kind: str, arguments: dict) -> None:
    with closing(connect(store)) as connection:
        before = load_state(connection, 1)
        if kind == "split-before":
            arguments = {**arguments, "index": next(b.source[1] for b in before.beads if len(b.source) > 1)}
        outcome = apply(connection, 1, kind, arguments)
        after = load_state(connection, 1)
        assert after != before and outcome.changed
        after.check()
    with closing(connect(store)) as other:  # saved at once, seen by another connection
        assert load_state(other, 1) == after
        if kind == "edit-sentence":
            assert [hit.text for hit in search(store, "zanzibar")] == ["Zanzibar quokka.", "Second zanzibar part."]
        assert undo(other, 1).message == f"undid {kind}"
        assert load_state(other, 1) == before
        assert other.execute("SELECT undone FROM operations").fetchall() == [(1,)]
        if kind == "edit-sentence":
            assert search(store, "zanzibar") == []
        with pytest.raises(AlignerError, match="nothing to undo"):
            undo(other, 1)


def test_a_stale_page_changes_nothing(store: Path) -> None:
    with closing(connect(store)) as connection:
        seen = revision(connection, 1)
        apply(connection, 1, "confirm", {"units": [1]}, seen)
        before = load_state(connection, 1)
        with pytest.raises(StaleDocument):
            apply(connection, 1, "merge", {"unit": 2}, seen)
        assert load_state(connection, 1) == before


def test_two_writers_at_once_keep_the_store_whole(store: Path) -> None:
    with closing(connect(store)) as connection:
        original = load_state(connection, 1)
    errors: list[BaseException] = []

    def confirmer() -> None:
        try:
            with closing(connect(store)) as connection:
                for unit in range(1, 21):
                    apply(connection, 1, "confirm", {"units": [unit]})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def mover() -> None:
        try:
            with closing(connect(store)) as connection:
                for _ in range(10):
                    apply(connection, 1, "move-down", {"unit": 40, "side": "target"})
                    apply(connection, 1, "move-up", {"unit": 41, "side": "target"})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=confirmer), threading.Thread(target=mover)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with closing(connect(store)) as connection:
        state = load_state(connection, 1)
        state.check()
        assert [b.status for b in state.beads[:20]] == [CONFIRMED] * 20
        assert connection.execute("SELECT count(*) FROM operations").fetchone()[0] == 40
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for _ in range(40):
            undo(connection, 1)
        assert load_state(connection, 1) == original


def test_a_version_1_store_opens_and_is_migrated(store: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    raw = sqlite3.connect(old, isolation_level=None)
    for statement in MIGRATIONS[1].split(";"):
        if statement.strip():
            raw.execute(statement)
    raw.execute("PRAGMA user_version=1")
    with closing(sqlite3.connect(store)) as new:
        for table, columns in (("meta", "key, value"), ("settings", "id, signature"),
                               ("pairs", "id, key, name, status, error, settings_id, pairing, score, beads"),
                               ("documents", "id, pair_id, side, language, path, sha256, title, date, url, sentences"),
                               ("sentences", "id, document_id, idx, paragraph, position, bead, speaker, text"),
                               ("beads", "pair_id, unit, kind, confidence, source_sentences, target_sentences, "
                                         "source_paragraph, target_paragraph, speaker, source_turn, target_turn")):
            rows = new.execute(f"SELECT {columns} FROM {table}").fetchall()
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(rows[0]))})", rows)
    raw.close()
    with closing(connect(old)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert connection.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0
        state = load_state(connection, 1)
        assert {b.status for b in state.beads} == {AUTO}
        assert pairs_of(state) == GOLD_PAIRS
        apply(connection, 1, "confirm", {"units": [1]})
        assert load_state(connection, 1).beads[0].status == CONFIRMED


def test_fixing_a_shifted_stretch_and_realigning_gives_the_gold_in_the_store_and_its_exports(
        store: Path, tmp_path: Path) -> None:
    with closing(connect(store)) as connection:
        unit = break_two_beads(connection)
        broken = load_state(connection, 1)
        assert pairs_of(broken) != GOLD_PAIRS
        assert next_attention(connection, 1, after=unit - 1) == unit
        apply(connection, 1, "move-down", {"unit": unit, "side": "target"})
        apply(connection, 1, "confirm", {"units": [unit - 1]})
        outcome = realign(connection, 1)
        assert outcome.changed == (unit + 1, unit + 2)
        state = load_state(connection, 1)
        assert pairs_of(state) == GOLD_PAIRS
        assert (state.beads[unit - 2].status, state.beads[unit - 1].status) == (CONFIRMED, EDITED)
        undo(connection, 1)
        assert pairs_of(load_state(connection, 1)) != GOLD_PAIRS
        realign(connection, 1)
    out = tmp_path / "out"
    export_store(store, out, ["tmx", "xliff", "jsonl"])
    tmx = read_path(out / f"{STEM}.tmx")
    sentences = {side: [s.text for s in state.sentences[side]] for side in ("source", "target")}
    expected = [(" ".join(sentences["source"][i] for i in s), " ".join(sentences["target"][j] for j in t))
                for s, t in GOLD_PAIRS if s and t]
    assert [(r.source, r.target) for r in tmx.records] == expected
    statuses = {r.unit: r.status for r in tmx.records if r.status}
    assert statuses == {unit - 1: CONFIRMED, unit: EDITED}
    text = (out / f"{STEM}.tmx").read_text(encoding="utf-8")
    assert text.count('<prop type="x-status">confirmed</prop>') == 1
    xliff_text = (out / f"{STEM}.xlf").read_text(encoding="utf-8")
    assert xliff_text.count('approved="yes"') == 2 and xliff_text.count('state="final"') == 2
    assert {r.unit: r.status for r in read_path(out / f"{STEM}.xlf").records if r.status} == statuses
    assert {r.unit: r.status for r in read_path(out / f"{STEM}.jsonl").records if r.status} == statuses


def test_convert_keeps_the_review_status_or_says_it_cannot(store: Path, tmp_path: Path) -> None:
    with closing(connect(store)) as connection:
        apply(connection, 1, "confirm", {"units": [2, 3]})
    export_store(store, tmp_path, ["tmx"])
    tmx = tmp_path / f"{STEM}.tmx"
    result = run_command("convert", tmx, tmp_path / "again.xlf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {r.unit for r in read_path(tmp_path / "again.xlf").records if r.status == CONFIRMED} == {2, 3}
    result = run_command("convert", tmx, tmp_path / "flat.csv", cwd=tmp_path)
    assert result.returncode == 0 and "2 unit(s) were confirmed or edited by a reviewer" in result.stderr


def test_views_page_filter_and_point_at_what_needs_attention(store: Path) -> None:
    with closing(connect(store)) as connection:
        listing = document_list(connection)
        assert listing["total"] == 1 and listing["documents"][0]["reviewed"] == 0
        assert listing["documents"][0]["path"]["size"] == [71, 71]
        first = document_page(connection, 1, size=10)
        assert (first["pages"], len(first["units"]), first["units"][0]["unit"]) == (7, 10, 1)
        assert document_page(connection, 1, unit=35, size=10)["page"] == 4
        low = document_page(connection, 1, filters=Filters(below=0.9))
        assert low["units"] and all(b["confidence"] < 0.9 for b in low["units"])
        uneven = document_page(connection, 1, filters=Filters(not_one_to_one=True))
        assert uneven["units"] and all(b["kind"] != "1-1" for b in uneven["units"])
        apply(connection, 1, "confirm", {"units": list(range(1, 60))})
        assert [b["unit"] for b in document_page(connection, 1, filters=Filters(unconfirmed=True))["units"]] == \
            list(range(60, 67))
        assert document_list(connection)["documents"][0]["reviewed"] == 59
        assert next_attention(connection, 1, after=0) >= 60


def test_check_findings_are_shown_with_their_bead(tmp_path: Path) -> None:
    store = build_interview_store(tmp_path, edit={10: "In 1999."})
    with closing(connect(store)) as connection:
        apply(connection, 1, "edit-sentence", {"side": "target", "index": GOLD_PAIRS[10][1][0],
                                               "text": load_state(connection, 1).sentences["target"][
                                                   GOLD_PAIRS[10][1][0]].text.replace("1999", "2011")})
        page = document_page(connection, 1, filters=Filters(findings=True))
        assert [b["unit"] for b in page["units"]] == [11]
        assert page["units"][0]["findings"][0]["rule"] == "numbers"


def test_an_aligned_file_is_imported_once_into_a_store_beside_it(store: Path, tmp_path: Path) -> None:
    export_store(store, tmp_path, ["jsonl", "tmx"])
    jsonl = tmp_path / f"{STEM}.jsonl"
    reviewed, imported = store_for(jsonl)
    assert imported and reviewed == tmp_path / f"{STEM}.jsonl.review.db"
    with closing(connect(reviewed)) as connection:
        assert pairs_of(load_state(connection, 1)) == GOLD_PAIRS
        apply(connection, 1, "confirm", {"units": [1]})
    assert store_for(jsonl) == (reviewed, False)  # reopened with the review so far, never imported over it
    with closing(connect(reviewed)) as connection:
        assert load_state(connection, 1).beads[0].status == CONFIRMED
    export_store(store, tmp_path, ["csv"])
    with pytest.raises(AlignerError, match="give --src-lang-code and --tgt-lang-code"):
        store_for(tmp_path / f"{STEM}.csv")
    assert not (tmp_path / f"{STEM}.csv.review.db").exists()
    csv_store, _ = store_for(tmp_path / f"{STEM}.csv", source_tag="en-GB", target_tag="ru-RU")
    with closing(connect(csv_store)) as connection:
        assert pairs_of(load_state(connection, 1)) == GOLD_PAIRS
    tmx_store, _ = store_for(tmp_path / f"{STEM}.tmx")
    with closing(connect(tmx_store)) as connection:
        imported_state = load_state(connection, 1)
        assert len(imported_state.beads) == sum(1 for s, t in GOLD_PAIRS if s and t)
        # A TMX numbers the source paragraphs only; the target's follow them, so re-aligning has paragraphs.
        assert len({s.paragraph for s in imported_state.sentences["target"]}) > 10
        realign(connection, 1)
        realigned = load_state(connection, 1)
        realigned.check()
        assert sum(a == b for a, b in zip(pairs_of(realigned), pairs_of(imported_state))) >= 0.9 * len(realigned.beads)
    assert store_for(store) == (store, False)


def test_a_pair_of_files_is_aligned_once_into_a_store_beside_the_source(tmp_path: Path) -> None:
    for side in ("en", "ru"):
        (tmp_path / side).mkdir()
        shutil.copy(REPO / "sources" / side / f"{STEM}.html", tmp_path / side)
    source, target = tmp_path / "en" / f"{STEM}.html", tmp_path / "ru" / f"{STEM}.html"
    settings = Settings(languages=resolve_pair("en", "ru"))
    store, made = store_for_pair(source, target, settings)
    assert made and store == source.with_name(source.name + ".review.db")
    with closing(connect(store)) as connection:
        assert pairs_of(load_state(connection, 1)) == GOLD_PAIRS
        apply(connection, 1, "confirm", {"units": [1]})
    again, made_again = store_for_pair(source, target, settings)
    assert (again, made_again) == (store, False)
    with closing(connect(again)) as connection:
        assert load_state(connection, 1).beads[0].status == CONFIRMED


def test_three_paths_are_a_usage_error(tmp_path: Path) -> None:
    result = run_command("review", "a", "b", "c", "--no-browser", cwd=tmp_path)
    assert "give a store, an aligned file, or a SOURCE and a TARGET file" in result.stderr
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_the_command_prints_the_address_serves_it_and_stops_on_ctrl_c(store: Path, tmp_path: Path) -> None:
    pytest.importorskip("flask", reason="the review extra is not installed")
    import signal
    import urllib.error
    import urllib.request

    process = subprocess.Popen([sys.executable, "-m", "aligner", "review", str(store), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        lines = [process.stdout.readline() for _ in range(2)]  # type: ignore[union-attr]
        url = lines[1].strip()
        assert url.startswith("http://127.0.0.1:") and "/?token=" in url
        base, token = url.split("?token=")
        request = urllib.request.Request(base + "api/documents", headers={"X-Aligner-Token": token})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "api/documents", timeout=30)
        assert refused.value.code == 403
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert errors.strip() == f"stopped; every change is saved in {store}"


def test_review_command_errors_are_one_line(tmp_path: Path) -> None:
    result = run_command("review", tmp_path / "missing.db", "--no-browser", cwd=tmp_path)
    assert "no such file" in assert_one_line_error(result)
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    result = run_command("review", tmp_path / "notes.txt", "--no-browser", cwd=tmp_path)
    assert_one_line_error(result)
    assert not (tmp_path / "notes.txt.review.db").exists()


def test_without_the_review_extra_the_error_says_what_to_install(store: Path) -> None:
    code = ("import sys; sys.modules['flask'] = None; sys.modules['waitress'] = None; "
            "from aligner.cli import main; main(['review', sys.argv[1], '--no-browser'])")
    result = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True, cwd=REPO,
                            timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == "aligner: error: the review app needs Flask and waitress: pip install 'aligner[review]'"


# --- the app's token --------------------------------------------------------------------------------------------


def test_every_request_needs_the_token_and_changes_need_it_in_a_header(store: Path) -> None:
    pytest.importorskip("flask", reason="the review extra is not installed")
    from aligner.review import create_app
    from aligner.review.app import MAX_BODY, TOKEN_HEADER

    app = create_app(store, "s3cret-token")
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get("/api/documents").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/static/review.js").status_code == 403
    first = client.get("/?token=s3cret-token")
    assert first.status_code == 303 and first.headers["Location"].endswith("/")
    assert "HttpOnly" in first.headers["Set-Cookie"] and "SameSite=Strict" in first.headers["Set-Cookie"]
    page = client.get("/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert client.get("/api/documents").get_json()["total"] == 1
    # The cookie alone (what a foreign page's form would send) changes nothing.
    confirm = {"kind": "confirm", "arguments": {"units": [1]}}
    assert client.post("/api/documents/1/operations", json=confirm).status_code == 403
    with closing(connect(store)) as connection:
        assert load_state(connection, 1).beads[0].status == AUTO
    done = client.post("/api/documents/1/operations", json=confirm, headers={TOKEN_HEADER: "s3cret-token"})
    assert done.status_code == 200 and done.get_json()["revision"] == 1
    stale = client.post("/api/documents/1/operations", json={**confirm, "revision": 0},
                        headers={TOKEN_HEADER: "s3cret-token"})
    assert stale.status_code == 409 and "reload" in stale.get_json()["error"]
    bad = client.post("/api/documents/1/operations", json={"kind": "merge", "arguments": {"unit": 999}},
                      headers={TOKEN_HEADER: "s3cret-token"})
    assert bad.status_code == 400 and "no bead 999" in bad.get_json()["error"]
    huge = client.post("/api/documents/1/undo", data=b"x" * (MAX_BODY + 1), content_type="application/json",
                       headers={TOKEN_HEADER: "s3cret-token"})
    assert huge.status_code == 413
    fresh = app.test_client()
    assert fresh.get("/api/documents", headers={TOKEN_HEADER: "s3cret-token"}).status_code == 200
    assert fresh.get("/api/documents", headers={TOKEN_HEADER: "s3cret-tokeN"}).status_code == 403
