"""What the review app shows, read from the store a page at a time: plain data, ready for JSON.

:func:`document_list` gives a page of documents with their progress (beads reviewed of all)
and the path of their alignment; :func:`document_page` a page of one document's beads with
their sentences, confidence band and the quality gate's findings, after the reviewer's
filters; :func:`next_attention` the next bead that needs a human. Only the rows of the page
asked for are read, so a store of ten thousand documents opens as fast as one of ten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aligner.check import CheckedDocument, load_config, run_checks
from aligner.languages import resolve_language
from aligner.model import LOW_CONFIDENCE, REVIEWED, SURE_CONFIDENCE, Record
from aligner.review.operations import AUTO, DocumentState, load_state, revision
from aligner.store.schema import SIDES, read_meta

PAGE_SIZE = 50
"""Beads (or documents) per page."""
PATH_POINTS = 120
"""At most this many points in a document's path picture."""


def band(confidence: float) -> str:
    """The confidence band a bead is coloured by: ``sure`` (≥ 0.9), ``fair``, or ``low`` (< 0.5)."""
    if confidence >= SURE_CONFIDENCE:
        return "sure"
    return "fair" if confidence >= LOW_CONFIDENCE else "low"


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def document_list(connection: sqlite3.Connection, page: int = 1, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of the aligned documents: name, title, beads (``units``) and those reviewed, and the alignment path."""
    total = connection.execute("SELECT count(*) FROM pairs WHERE status = 'aligned'").fetchone()[0]
    pages = _pages(total, size)
    page = min(max(page, 1), pages)
    rows = connection.execute(
        "SELECT p.id, p.name, d.title, p.beads FROM pairs p JOIN documents d ON d.pair_id = p.id AND d.side = 'source' "
        "WHERE p.status = 'aligned' ORDER BY p.id LIMIT ? OFFSET ?", (size, (page - 1) * size)).fetchall()
    beads: dict[int, list[tuple[str, float, str]]] = {row[0]: [] for row in rows}
    if rows:
        placeholders = ", ".join("?" for _ in rows)
        for pair_id, kind, confidence, status in connection.execute(
                f"SELECT pair_id, kind, confidence, status FROM beads WHERE pair_id IN ({placeholders}) "
                "ORDER BY pair_id, unit", [row[0] for row in rows]):
            beads[pair_id].append((kind, confidence, status))
    documents = []
    for pair_id, name, title, count in rows:
        documents.append({
            "id": pair_id, "name": name, "title": title, "units": count,
            "reviewed": sum(1 for _, _, status in beads[pair_id] if status in REVIEWED),
            "path": alignment_path(beads[pair_id]),
        })
    return {"page": page, "pages": pages, "total": total, "documents": documents}


def alignment_path(beads: Sequence[tuple[str, float, str]]) -> dict[str, Any]:
    """The alignment path as points (source sentences, target sentences so far) and its low-confidence stretches.

    ``low`` lists ``[from, to]`` point numbers whose beads are below LOW_CONFIDENCE and not reviewed.
    """
    points = [(0, 0)]
    weak = []
    for kind, confidence, status in beads:
        source, target = (int(n) for n in kind.split("-"))
        points.append((points[-1][0] + source, points[-1][1] + target))
        weak.append(confidence < LOW_CONFIDENCE and status not in REVIEWED)
    step = max(1, -(-len(beads) // PATH_POINTS))
    kept = list(range(0, len(points), step))
    if kept[-1] != len(points) - 1:
        kept.append(len(points) - 1)
    low = [[k, k + 1] for k, (start, stop) in enumerate(zip(kept, kept[1:])) if any(weak[start:stop])]
    return {"points": [list(points[k]) for k in kept], "low": low, "size": list(points[-1])}


@dataclass(frozen=True)
class Filters:
    """Which beads a document page shows: below a confidence, only non-1-1, unreviewed, with findings."""

    below: float | None = None
    not_one_to_one: bool = False
    unconfirmed: bool = False
    findings: bool = False

    def keeps(self, unit: int, kind: str, confidence: float, status: str, found: dict[int, list[dict[str, str]]]) -> bool:
        """True when the bead passes every filter that is on."""
        if self.below is not None and confidence >= self.below:
            return False
        if self.not_one_to_one and kind == "1-1":
            return False
        if self.unconfirmed and status in REVIEWED:
            return False
        return not (self.findings and unit not in found)


def _records(connection: sqlite3.Connection, pair_id: int, state: DocumentState) -> list[Record]:
    """The document's records as the quality gate reads them (the texts of each bead joined)."""
    rows = connection.execute("SELECT unit, source_paragraph, target_paragraph, speaker, source_turn, target_turn "
                              "FROM beads WHERE pair_id = ? ORDER BY unit", (pair_id,)).fetchall()
    records = []
    for (unit, source_paragraph, target_paragraph, speaker, source_turn, target_turn), bead in zip(rows, state.beads):
        records.append(Record(
            source=" ".join(state.sentences["source"][i].text for i in bead.source),
            target=" ".join(state.sentences["target"][j].text for j in bead.target),
            document=str(pair_id), unit=unit, bead=bead.kind, confidence=bead.confidence,
            source_sentences=bead.source, target_sentences=bead.target, source_paragraph=source_paragraph,
            target_paragraph=target_paragraph, speaker=speaker, source_turn=bool(source_turn),
            target_turn=bool(target_turn)))
    return records


def findings(connection: sqlite3.Connection, pair_id: int, state: DocumentState) -> dict[int, list[dict[str, str]]]:
    """The quality gate's findings of the document (``aligner check``'s rules), by unit."""
    meta = read_meta(connection)
    document = CheckedDocument(
        name=str(pair_id), origin="review", source_language=resolve_language(meta["source_code"], meta["source_tag"]),
        target_language=resolve_language(meta["target_code"], meta["target_tag"]),
        pairs=tuple(_records(connection, pair_id, state)), lacking={})
    report = run_checks([document], load_config())
    found: dict[int, list[dict[str, str]]] = {}
    for result in report.documents[0].results:
        for finding in result.findings:
            found.setdefault(finding.unit, []).append(
                {"rule": finding.rule, "severity": result.severity, "message": finding.message})
    return found


def needs_attention(kind: str, confidence: float, status: str, has_findings: bool) -> bool:
    """An unreviewed bead that is not sure, not 1-1, or has a finding of the quality gate."""
    return status == AUTO and (confidence < SURE_CONFIDENCE or kind != "1-1" or has_findings)


def document_page(connection: sqlite3.Connection, pair_id: int, page: int = 1, filters: Filters = Filters(),
                  unit: int | None = None, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of a document's beads (``units``) that pass ``filters``; with ``unit``, the page that holds that bead."""
    state = load_state(connection, pair_id)
    name, title, signature = connection.execute(
        "SELECT p.name, d.title, g.signature FROM pairs p JOIN documents d ON d.pair_id = p.id AND d.side = 'source' "
        "JOIN settings g ON g.id = p.settings_id WHERE p.id = ?", (pair_id,)).fetchone()
    found = findings(connection, pair_id, state)
    shown = [u for u, b in enumerate(state.beads, start=1)
             if filters.keeps(u, b.kind, b.confidence, b.status, found) or u == unit]
    pages = _pages(len(shown), size)
    if unit is not None and unit in shown:
        page = shown.index(unit) // size + 1
    page = min(max(page, 1), pages)
    beads = []
    for u in shown[(page - 1) * size:page * size]:
        bead = state.beads[u - 1]
        sides: dict[str, list[dict[str, Any]]] = {}
        for side in SIDES:
            sides[side] = [
                {"index": i, "text": s.text, "paragraph": s.paragraph, "opens_paragraph": s.position == 0,
                 "speaker": s.speaker if s.position == 0 else None}
                for i in bead.side(side) for s in (state.sentences[side][i],)]
        beads.append({
            "unit": u, "kind": bead.kind, "confidence": round(bead.confidence, 4), "band": band(bead.confidence),
            "status": bead.status, "source": sides["source"], "target": sides["target"],
            "findings": found.get(u, []),
            "attention": needs_attention(bead.kind, bead.confidence, bead.status, u in found),
        })
    meta = read_meta(connection)
    return {
        "id": pair_id, "name": name, "title": title, "signature": signature, "revision": revision(connection, pair_id),
        "languages": {"source": meta["source_tag"], "target": meta["target_tag"]},
        "total": len(state.beads), "reviewed": sum(1 for b in state.beads if b.status in REVIEWED),
        "shown": len(shown), "page": page, "pages": pages, "size": size, "units": beads,
        "undoable": connection.execute("SELECT count(*) FROM operations WHERE pair_id = ? AND undone = 0",
                                       (pair_id,)).fetchone()[0],
    }


def next_attention(connection: sqlite3.Connection, pair_id: int, after: int = 0) -> int | None:
    """The unit of the first bead after ``after`` that needs attention (wrapping round); else the next unreviewed one."""
    state = load_state(connection, pair_id)
    found = findings(connection, pair_id, state)
    order = [u for u in range(after + 1, len(state.beads) + 1)] + list(range(1, after + 1))
    for test in (lambda b, u: needs_attention(b.kind, b.confidence, b.status, u in found),
                 lambda b, u: b.status == AUTO):
        for u in order:
            if test(state.beads[u - 1], u):
                return u
    return None


def pair_of_document(connection: sqlite3.Connection, name: str) -> int | None:
    """The id of the aligned pair called ``name`` (search hits name their document)."""
    row = connection.execute("SELECT id FROM pairs WHERE name = ? AND status = 'aligned'", (name,)).fetchone()
    return None if row is None else int(row[0])


__all__ = [
    "PAGE_SIZE",
    "Filters",
    "alignment_path",
    "band",
    "document_list",
    "document_page",
    "findings",
    "needs_attention",
    "next_attention",
    "pair_of_document",
]
