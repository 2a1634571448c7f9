"""An aligned file (TMX, JSON Lines, CSV, …) made into a corpus store, so that it can be reviewed.

An aligned file keeps each bead's sides as texts, with the sentences of a side joined by a
space. When the file also numbers the sentences of a bead (JSON Lines, CSV, TSV, XLIFF) and
the language's segmentation rules split the text into that many sentences, those sentences
are stored; otherwise the side is stored as one sentence. Sentences are numbered anew in the
order of the records, so a TMX, which leaves out one-sided units, gives a store without them.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Sequence
from contextlib import closing
from dataclasses import replace
from itertools import groupby
from pathlib import Path

from aligner.errors import AlignerError
from aligner.formats import read_path
from aligner.languages import Language, resolve_language
from aligner.model import Alignment, Corpus, Record, corpus_of
from aligner.segment import segmenter_for
from aligner.store.schema import FTS_TABLES, connect
from aligner.store.work import file_digest

IMPORTED = "imported"
"""The ``pairing`` of a pair that came from an aligned file rather than from a build."""


def import_file(path: str | os.PathLike[str], store: str | os.PathLike[str], *, source_tag: str | None = None,
                target_tag: str | None = None) -> int:
    """Read the aligned file ``path`` into the new store ``store``; the number of documents imported.

    ``store`` must not exist: nothing the user has is overwritten. The tags given win over those
    the file states; a file that states none (CSV, TSV) needs them.
    """
    source = Path(path)
    if Path(store).exists():
        raise AlignerError(f"{store} exists already; open it, or give another store")
    corpus = read_path(source)
    corpus = replace(
        corpus,
        source_language=resolve_language(source_tag, source_tag) if source_tag else corpus.source_language,
        target_language=resolve_language(target_tag, target_tag) if target_tag else corpus.target_language,
    )
    if corpus.source_language is None or corpus.target_language is None:
        raise AlignerError(f"{source}: the file does not say its languages; give --src-lang-code and --tgt-lang-code")
    records = list(corpus.records)
    if not records:
        raise AlignerError(f"{source}: the file holds no unit to review")
    return _write_new_store(store, corpus, records, str(source), file_digest(source))


def import_alignment(alignment: Alignment, signature: str, source_path: str | os.PathLike[str],
                     store: str | os.PathLike[str]) -> int:
    """Write a pair's fresh ``alignment`` (made with the settings ``signature`` records) into the
    new store ``store``, as :func:`import_file` does for an aligned file."""
    if Path(store).exists():
        raise AlignerError(f"{store} exists already; open it, or give another store")
    corpus = corpus_of(alignment, signature)
    return _write_new_store(store, corpus, list(corpus.records), str(source_path), file_digest(Path(source_path)))


def _write_new_store(store: str | os.PathLike[str], corpus: Corpus, records: list[Record], path: str, sha256: str) -> int:
    """The store written beside its final name and renamed into place: never half a store."""
    temporary = Path(store).with_name(f".{Path(store).name}.{os.getpid()}.importing")
    try:
        with closing(connect(temporary, create=True)) as connection:
            count = import_corpus(connection, corpus, records, path, sha256)
        os.replace(temporary, store)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-wal"),
                         temporary.with_name(temporary.name + "-shm")):
            leftover.unlink(missing_ok=True)
    return count


def import_corpus(connection: sqlite3.Connection, corpus: Corpus, records: Sequence[Record], path: str,
                  sha256: str) -> int:
    """Write the documents of ``records`` (grouped by their ``document``) into an empty store, in one transaction."""
    assert corpus.source_language is not None and corpus.target_language is not None
    languages = {"source": corpus.source_language, "target": corpus.target_language}
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted([
            ("source_code", languages["source"].code), ("source_tag", languages["source"].tag),
            ("target_code", languages["target"].code), ("target_tag", languages["target"].tag)]))
        cursor = connection.execute("INSERT INTO settings (signature) VALUES (?)", (corpus.signature or IMPORTED,))
        settings_id = int(cursor.lastrowid or 0)
        count = 0
        for name, group in groupby(records, key=lambda record: record.document):
            _import_document(connection, name, list(group), languages, settings_id, path, sha256)
            count += 1
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return count


def _import_document(connection: sqlite3.Connection, name: str, records: list[Record],
                     languages: dict[str, Language], settings_id: int, path: str, sha256: str) -> None:
    key = name
    taken = connection.execute("SELECT count(*) FROM pairs WHERE key = ?", (key,)).fetchone()[0]
    if taken:
        raise AlignerError(f"{path}: document {name!r} comes twice, apart; its units must follow each other")
    cursor = connection.execute(
        "INSERT INTO pairs (key, name, status, settings_id, pairing, beads) VALUES (?, ?, 'aligned', ?, ?, ?)",
        (key, name, settings_id, IMPORTED, sum(1 for record in records if record.source or record.target)))
    pair_id = int(cursor.lastrowid or 0)
    first = records[0]
    sentences: dict[str, list[tuple[int, int, int, str | None, str]]] = {"source": [], "target": []}
    beads = []
    owners: dict[str, dict[int, int]] = {"source": {}, "target": {}}
    in_paragraph: dict[str, Counter[int]] = {"source": Counter(), "target": Counter()}
    records = [record for record in records if record.source or record.target]
    for unit, record in enumerate(records, start=1):
        indices = {}
        # A TMX numbers the source paragraphs only: the target's then follow the source's.
        source_paragraph = record.source_paragraph if record.source_paragraph is not None else record.target_paragraph
        target_paragraph = record.target_paragraph if record.target_paragraph is not None else record.source_paragraph
        for side, text, numbered, paragraph in (
            ("source", record.source, record.source_sentences, source_paragraph),
            ("target", record.target, record.target_sentences, target_paragraph),
        ):
            pieces = _sentences(text, len(numbered), languages[side])
            rows = sentences[side]
            start = len(rows)
            last_paragraph = rows[-1][1] if rows else 0
            paragraph_number = paragraph if paragraph is not None else last_paragraph
            for piece in pieces:
                position = in_paragraph[side][paragraph_number]
                in_paragraph[side][paragraph_number] += 1
                rows.append((len(rows), paragraph_number, position, record.speaker, piece))
            indices[side] = list(range(start, len(rows)))
        source_paragraph = sentences["source"][indices["source"][0]][1] if indices["source"] else None
        target_paragraph = sentences["target"][indices["target"][0]][1] if indices["target"] else None
        beads.append((pair_id, unit, f"{len(indices['source'])}-{len(indices['target'])}",
                      record.confidence if record.confidence is not None else 0.0,
                      " ".join(map(str, indices["source"])), " ".join(map(str, indices["target"])),
                      source_paragraph, target_paragraph, record.speaker, int(bool(record.source_turn)),
                      int(bool(record.target_turn)), record.status or "auto"))
        for side in ("source", "target"):
            owners[side].update((index, unit) for index in indices[side])
    for side in ("source", "target"):
        cursor = connection.execute(
            "INSERT INTO documents (pair_id, side, language, path, sha256, title, date, url, sentences) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (pair_id, side, languages[side].tag, path, sha256, first.title, first.date, first.url, len(sentences[side])))
        document_id = int(cursor.lastrowid or 0)
        connection.executemany(
            "INSERT INTO sentences (document_id, idx, paragraph, position, bead, speaker, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(document_id, index, paragraph, position, owners[side].get(index), speaker, text)
             for index, paragraph, position, speaker, text in sentences[side]])
        connection.execute(
            f"INSERT INTO {FTS_TABLES[side]} (rowid, text) SELECT id, text FROM sentences WHERE document_id = ?",
            (document_id,))
    connection.executemany(
        "INSERT INTO beads (pair_id, unit, kind, confidence, source_sentences, target_sentences, source_paragraph, "
        "target_paragraph, speaker, source_turn, target_turn, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        beads)


def _sentences(text: str, numbered: int, language: Language) -> list[str]:
    """The sentences of one side of a record: as many as the file numbers, when the rules find them."""
    if not text:
        return []
    if numbered > 1:
        pieces = [sentence.text for sentence in segmenter_for(language).split(text)]
        if len(pieces) == numbered:
            return pieces
    return [text]


__all__ = ["IMPORTED", "import_corpus", "import_file"]
