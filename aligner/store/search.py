"""Concordance search over a corpus store, and its statistics.

Words, phrases (``"foreign policy"``) and prefixes (``Лавров*``) go through each language's
FTS5 index; ``regex`` matches a regular expression against every sentence instead. Each hit
comes with its aligned counterpart (the other side of its bead), its document, date and the
bead's confidence.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import regex

from aligner.errors import AlignerError
from aligner.languages import primary_subtag
from aligner.store.read import StoreReader
from aligner.store.schema import FTS_TABLES, SIDES

_START, _END = "\x01", "\x02"
"""Marks FTS5 puts around a hit: control characters, which no stored sentence holds."""


@dataclass(frozen=True)
class Hit:
    """One sentence that matches, with its aligned counterpart.

    ``spans`` are the ``[start, end)`` character offsets of the matches in ``text``;
    ``counterpart`` is the other side of the sentence's bead (empty for a 1-0 or 0-1 bead).
    """

    document: str
    date: str | None
    unit: int | None
    bead: str | None
    confidence: float | None
    language: str
    text: str
    spans: tuple[tuple[int, int], ...]
    counterpart_language: str
    counterpart: str


def search(store: str | os.PathLike[str], query: str, *, language: str | None = None, is_regex: bool = False,
           limit: int = 20) -> list[Hit]:
    """The first ``limit`` hits of ``query`` in document order (both languages unless one is given)."""
    if not query.strip():
        raise AlignerError("give something to search for")
    if limit < 1:
        raise AlignerError(f"--limit {limit}: give at least 1")
    with StoreReader(store) as reader:
        tags = {"source": reader.source_language.tag, "target": reader.target_language.tag}
        sides = _sides(language, reader, tags)
        connection = reader.connection
        rows: list[tuple[Any, ...]] = []
        pattern = _compile(query) if is_regex else None
        try:
            if pattern is not None:
                connection.create_function("matches", 1, lambda text: pattern.search(text) is not None,
                                           deterministic=True)
                placeholders = ", ".join("?" for _ in sides)
                rows = connection.execute(
                    f"""SELECT d.pair_id, d.side, s.idx, s.bead, s.text, s.text FROM documents d
                        JOIN sentences s ON s.document_id = d.id
                        WHERE d.side IN ({placeholders}) AND matches(s.text)
                        ORDER BY d.pair_id, d.side, s.idx LIMIT ?""",
                    (*sides, limit),
                ).fetchall()
            else:
                for side in sides:
                    table = FTS_TABLES[side]
                    rows += connection.execute(
                        f"""SELECT d.pair_id, d.side, s.idx, s.bead, s.text,
                                   highlight({table}, 0, '{_START}', '{_END}')
                            FROM {table} JOIN sentences s ON s.id = {table}.rowid
                            JOIN documents d ON d.id = s.document_id
                            WHERE {table} MATCH ? ORDER BY d.pair_id, s.idx LIMIT ?""",
                        (query, limit),
                    ).fetchall()
                rows = sorted(rows, key=lambda row: (row[0], SIDES.index(row[1]), row[2]))[:limit]
        except sqlite3.OperationalError as error:
            raise AlignerError(
                f"{query!r} is not a search query ({error}); write words, \"a phrase\" in double quotes, "
                "or a prefix such as Лавров*"
            ) from None
        return [_hit(connection, row, tags, pattern) for row in rows]


def _sides(language: str | None, reader: StoreReader, tags: dict[str, str]) -> tuple[str, ...]:
    if language is None:
        return SIDES
    wanted = primary_subtag(language.strip().replace("_", "-").lower())
    sides = tuple(side for side in SIDES if primary_subtag(tags[side].lower()) == wanted)
    if not sides:
        raise AlignerError(f"--lang {language}: the store holds {tags['source']} and {tags['target']}")
    return sides


@lru_cache(maxsize=8)
def _compile(query: str) -> regex.Pattern[str]:
    try:
        return regex.compile(query)
    except regex.error as error:
        raise AlignerError(f"{query!r} is not a regular expression ({error})") from None


def _hit(connection: sqlite3.Connection, row: tuple[Any, ...], tags: dict[str, str],
         pattern: regex.Pattern[str] | None) -> Hit:
    pair_id, side, _, bead, text, marked = row
    other = "target" if side == "source" else "source"
    name, day = connection.execute(
        """SELECT p.name, coalesce(s.date, t.date) FROM pairs p
           JOIN documents s ON s.pair_id = p.id AND s.side = 'source'
           JOIN documents t ON t.pair_id = p.id AND t.side = 'target' WHERE p.id = ?""", (pair_id,)).fetchone()
    kind = confidence = None
    counterpart = ""
    if bead is not None:
        kind, confidence = connection.execute(
            "SELECT kind, confidence FROM beads WHERE pair_id = ? AND unit = ?", (pair_id, bead)).fetchone()
        counterpart = " ".join(text for (text,) in connection.execute(
            """SELECT s.text FROM sentences s JOIN documents d ON d.id = s.document_id
               WHERE d.pair_id = ? AND d.side = ? AND s.bead = ? ORDER BY s.idx""", (pair_id, other, bead)))
    spans = (tuple(match.span() for match in pattern.finditer(text) if match.end() > match.start())
             if pattern is not None else _spans(marked))
    return Hit(name, day, bead, kind, confidence, tags[side], text, spans, tags[other], counterpart)


def _spans(marked: str) -> tuple[tuple[int, int], ...]:
    """The hit spans in the text that FTS5 marked with ``_START`` and ``_END``."""
    spans, position, start = [], 0, 0
    for character in marked:
        if character == _START:
            start = position
        elif character == _END:
            spans.append((start, position))
        else:
            position += 1
    return tuple(spans)


def hit_json(hit: Hit) -> dict[str, Any]:
    """A hit as plain data for ``--json``."""
    data = asdict(hit)
    data["spans"] = [list(span) for span in hit.spans]
    return data


CONFIDENCE_BANDS = ((0.9, "≥ 0.9"), (0.7, "0.7–0.9"), (0.5, "0.5–0.7"), (0.0, "< 0.5"))
"""The bands the README's alignment tables use."""


def store_stats(store: str | os.PathLike[str]) -> dict[str, Any]:
    """Documents, sentences, beads by kind and by confidence band, failures and settings of a store."""
    with StoreReader(store) as reader:
        connection = reader.connection
        status = Counter(dict(connection.execute("SELECT status, count(*) FROM pairs GROUP BY status").fetchall()))
        unpaired = Counter(dict(connection.execute("SELECT side, count(*) FROM unpaired GROUP BY side").fetchall()))
        sentences = dict(connection.execute(
            """SELECT d.side, coalesce(sum(d.sentences), 0) FROM documents d JOIN pairs p ON p.id = d.pair_id
               WHERE p.status = 'aligned' GROUP BY d.side""").fetchall())
        kinds = connection.execute("SELECT kind, count(*) FROM beads GROUP BY kind").fetchall()
        bands = Counter[str]()
        for (confidence,) in connection.execute("SELECT confidence FROM beads"):
            bands[next(label for low, label in CONFIDENCE_BANDS if confidence >= low)] += 1
        settings = connection.execute(
            """SELECT g.signature, count(*) FROM pairs p JOIN settings g ON g.id = p.settings_id
               GROUP BY g.signature ORDER BY g.signature""").fetchall()
        failures = connection.execute("SELECT name, error FROM pairs WHERE status = 'failed' ORDER BY id").fetchall()
        left = connection.execute("SELECT side, path, reason FROM unpaired ORDER BY side, path").fetchall()
        return {
            "store": str(store),
            "languages": {"source": reader.source_language.tag, "target": reader.target_language.tag},
            "documents": {"aligned": status["aligned"], "failed": status["failed"],
                          "unpaired_source": unpaired["source"], "unpaired_target": unpaired["target"]},
            "sentences": {reader.source_language.tag: sentences.get("source", 0),
                          reader.target_language.tag: sentences.get("target", 0)},
            "bead_count": sum(count for _, count in kinds),
            "bead_kinds": dict(sorted(kinds, key=lambda item: (-item[1], item[0]))),
            "confidence": {label: bands[label] for _, label in CONFIDENCE_BANDS},
            "settings": [{"signature": signature, "documents": count} for signature, count in settings],
            "failures": [{"document": name, "error": error} for name, error in failures],
            "unpaired": [{"side": side, "path": path, "reason": reason} for side, path, reason in left],
        }


__all__ = ["CONFIDENCE_BANDS", "Hit", "hit_json", "search", "store_stats"]
