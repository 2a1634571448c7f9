"""What a reviewer does to a document of the store, as plain functions: each one change, saved and undoable.

A document under review is a :class:`DocumentState`: its sentences on each side and its beads
in order. Every operation is a pure function from a state to a new state (so it is tested
without a store or a browser); :func:`apply` runs one on a stored document in one ``BEGIN
IMMEDIATE`` transaction together with its line in the ``operations`` log, which keeps the
state before and after, so that :func:`undo` puts back the state before the last operation.
:func:`realign` aligns again everything a reviewer did not confirm, with every confirmed or
edited bead as a fixed anchor (``align_documents(anchors=)``); with the encoder the document was
built with, it reads the store's vectors and adds those it had to encode.

Beads are numbered from 1 (``unit``), as the store and every export number them; sentences
by their 0-based index in the document; ``side`` is ``"source"`` or ``"target"``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from aligner.align import align_documents
from aligner.errors import AlignerError
from aligner.languages import Language, resolve_language
from aligner.model import REVIEWED, Alignment, Bead, Document, Paragraph, Sentence
from aligner.settings import alignment_of, encoder_of_signature
from aligner.store.schema import FTS_TABLES, SIDES, read_meta
from aligner.store.vectors import save_vectors, store_vectors, vector_bytes

AUTO, CONFIRMED, EDITED = "auto", "confirmed", "edited"
"""A bead's status: as the aligner made it, confirmed by a reviewer, or made by a reviewer."""


class StaleDocument(AlignerError):
    """The document changed since the reviewer loaded it (another tab): reload before changing it."""


@dataclass(frozen=True)
class ReviewSentence:
    """A stored sentence: its text, paragraph, place in the paragraph and the paragraph's speaker."""

    text: str
    paragraph: int
    position: int
    speaker: str | None


@dataclass(frozen=True)
class ReviewBead:
    """A bead of the document: its sentence indices on each side, confidence and status."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float
    status: str = AUTO

    @property
    def kind(self) -> str:
        """The bead type, such as ``"1-1"``."""
        return f"{len(self.source)}-{len(self.target)}"

    def side(self, side: str) -> tuple[int, ...]:
        """The sentence indices on ``side``."""
        return self.source if side == "source" else self.target

    def with_side(self, side: str, indices: Sequence[int]) -> ReviewBead:
        """This bead with other sentences on ``side``, made by the reviewer: edited, confidence 1 (as anchors get)."""
        bead = replace(self, source=tuple(indices)) if side == "source" else replace(self, target=tuple(indices))
        return replace(bead, confidence=1.0, status=EDITED)

    def left_with(self, side: str, indices: Sequence[int]) -> ReviewBead:
        """This bead with other sentences on ``side`` as a side effect: unreviewed, its confidence unknown (0).

        A reviewer who moves a sentence fixes the bead above; the bead below is left for
        "re-align the rest" (or the reviewer's next key).
        """
        bead = replace(self, source=tuple(indices)) if side == "source" else replace(self, target=tuple(indices))
        return replace(bead, confidence=0.0, status=AUTO)


@dataclass(frozen=True)
class DocumentState:
    """The sentences of both sides and the beads, in order, of one document."""

    sentences: dict[str, tuple[ReviewSentence, ...]]
    beads: tuple[ReviewBead, ...]

    def bead(self, unit: int) -> ReviewBead:
        """The bead numbered ``unit`` (from 1)."""
        if not 1 <= unit <= len(self.beads):
            raise AlignerError(f"there is no bead {unit}; the document has {len(self.beads)}")
        return self.beads[unit - 1]

    def unit_of(self, side: str, index: int) -> int:
        """The unit of the bead that holds sentence ``index`` of ``side``."""
        for unit, bead in enumerate(self.beads, start=1):
            if index in bead.side(side):
                return unit
        raise AlignerError(f"there is no {side} sentence {index}; the side has {len(self.sentences[side])}")

    def check(self) -> None:
        """Raise unless every sentence is in exactly one bead, in order, and no bead is empty."""
        for side in SIDES:
            order = [i for bead in self.beads for i in bead.side(side)]
            if order != list(range(len(self.sentences[side]))):
                raise AlignerError(f"the {side} sentences would no longer follow each other, each in one bead")
        if any(not bead.source and not bead.target for bead in self.beads):
            raise AlignerError("a bead would have no sentence")


def _side(side: str) -> str:
    if side not in SIDES:
        raise AlignerError(f"side {side!r}: choose source or target")
    return side


def _replace_beads(state: DocumentState, start: int, stop: int, beads: Sequence[ReviewBead]) -> DocumentState:
    """``state`` with beads ``start``…``stop - 1`` (0-based) replaced, empty beads dropped, checked."""
    kept = [bead for bead in beads if bead.source or bead.target]
    new = replace(state, beads=(*state.beads[:start], *kept, *state.beads[stop:]))
    new.check()
    return new


def move_up(state: DocumentState, unit: int, side: str) -> DocumentState:
    """Move the first ``side`` sentence of bead ``unit`` to the end of the bead before it."""
    bead, side = state.bead(unit), _side(side)
    if unit == 1:
        raise AlignerError("the first bead has no bead before it")
    if not bead.side(side):
        raise AlignerError(f"bead {unit} has no {side} sentence to move up")
    previous = state.beads[unit - 2]
    first, rest = bead.side(side)[0], bead.side(side)[1:]
    return _replace_beads(state, unit - 2, unit, [previous.with_side(side, (*previous.side(side), first)),
                                                 bead.left_with(side, rest)])


def move_down(state: DocumentState, unit: int, side: str) -> DocumentState:
    """Move the last ``side`` sentence of bead ``unit`` to the start of the bead after it."""
    bead, side = state.bead(unit), _side(side)
    if unit == len(state.beads):
        raise AlignerError("the last bead has no bead after it")
    if not bead.side(side):
        raise AlignerError(f"bead {unit} has no {side} sentence to move down")
    following = state.beads[unit]
    last, rest = bead.side(side)[-1], bead.side(side)[:-1]
    return _replace_beads(state, unit - 1, unit + 1, [bead.with_side(side, rest),
                                                     following.left_with(side, (last, *following.side(side)))])


def merge(state: DocumentState, unit: int) -> DocumentState:
    """Merge bead ``unit`` with the bead after it."""
    bead = state.bead(unit)
    if unit == len(state.beads):
        raise AlignerError("the last bead has no bead after it to merge with")
    following = state.beads[unit]
    merged = ReviewBead(bead.source + following.source, bead.target + following.target, 1.0, EDITED)
    return _replace_beads(state, unit - 1, unit + 1, [merged])


def split(state: DocumentState, unit: int, source_at: int, target_at: int) -> DocumentState:
    """Split bead ``unit`` in two: its first ``source_at`` source and ``target_at`` target sentences, and the rest."""
    bead = state.bead(unit)
    if not (0 <= source_at <= len(bead.source) and 0 <= target_at <= len(bead.target)):
        raise AlignerError(f"bead {unit} is {bead.kind}: it cannot be split after {source_at}-{target_at} sentences")
    first = ReviewBead(bead.source[:source_at], bead.target[:target_at], 1.0, EDITED)
    second = ReviewBead(bead.source[source_at:], bead.target[target_at:], 0.0, AUTO)
    if not (first.source or first.target) or not (second.source or second.target):
        raise AlignerError(f"splitting bead {unit} there would leave one part empty")
    return _replace_beads(state, unit - 1, unit, [first, second])


def split_before(state: DocumentState, side: str, index: int) -> DocumentState:
    """Split the bead of sentence ``index`` before it; the other side is divided in the same proportion."""
    side = _side(side)
    unit = state.unit_of(side, index)
    bead = state.bead(unit)
    at = bead.side(side).index(index)
    other = "target" if side == "source" else "source"
    share = round(len(bead.side(other)) * at / len(bead.side(side)))
    source_at, target_at = (at, share) if side == "source" else (share, at)
    return split(state, unit, source_at, target_at)


def detach(state: DocumentState, side: str, index: int) -> DocumentState:
    """Make sentence ``index`` a bead of its own (1-0 or 0-1); it must open or close its bead on that side."""
    side = _side(side)
    unit = state.unit_of(side, index)
    bead = state.bead(unit)
    indices = bead.side(side)
    alone = ReviewBead((index,) if side == "source" else (), (index,) if side == "target" else (), 1.0, EDITED)
    if len(indices) == 1 and not (bead.source and bead.target):
        raise AlignerError(f"sentence {index} is alone in its bead already")
    if index == indices[0]:
        beads = [alone, bead.left_with(side, indices[1:])]
    elif index == indices[-1]:
        beads = [bead.left_with(side, indices[:-1]), alone]
    else:
        raise AlignerError(f"sentence {index} is inside its bead; split the bead first, or detach the first or last one")
    return _replace_beads(state, unit - 1, unit, beads)


def confirm(state: DocumentState, units: Sequence[int]) -> DocumentState:
    """Mark the beads ``units`` confirmed (an edited bead stays edited: a reviewer made it)."""
    beads = list(state.beads)
    for unit in units:
        bead = state.bead(unit)
        if bead.status == AUTO:
            beads[unit - 1] = replace(bead, status=CONFIRMED)
    return replace(state, beads=tuple(beads))


def edit_sentence(state: DocumentState, side: str, index: int, text: str) -> DocumentState:
    """Replace the text of a sentence; line breaks in ``text`` split it into sentences there."""
    side = _side(side)
    parts = [part.strip() for part in text.replace("\r\n", "\n").split("\n")]
    parts = [part for part in parts if part]
    if not parts:
        raise AlignerError("a sentence cannot be empty; join it with its neighbour instead")
    unit = state.unit_of(side, index)
    sentences = list(state.sentences[side])
    old = sentences[index]
    sentences[index:index + 1] = [replace(old, text=part) for part in parts]
    extra = len(parts) - 1
    beads = [_shifted(bead, side, index, extra) for bead in state.beads]
    own = beads[unit - 1]
    grown = list(own.side(side))
    at = grown.index(index)
    grown[at + 1:at + 1] = range(index + 1, index + 1 + extra)
    beads[unit - 1] = own.with_side(side, grown)
    return _with_sentences(state, side, sentences, beads)


def split_sentence(state: DocumentState, side: str, index: int, offset: int) -> DocumentState:
    """Split sentence ``index`` into two at character ``offset`` (both stay in its bead)."""
    text = state.sentences[_side(side)][index].text if 0 <= index < len(state.sentences[side]) else ""
    if not text:
        raise AlignerError(f"there is no {side} sentence {index}")
    if not 0 < offset < len(text) or not text[:offset].strip() or not text[offset:].strip():
        raise AlignerError(f"offset {offset}: split a sentence between two of its characters, leaving text on both sides")
    return edit_sentence(state, side, index, text[:offset] + "\n" + text[offset:])


def join_sentences(state: DocumentState, side: str, index: int) -> DocumentState:
    """Join sentence ``index`` with the next one (into its bead and paragraph)."""
    side = _side(side)
    sentences = list(state.sentences[side])
    if not 0 <= index < len(sentences) - 1:
        raise AlignerError(f"{side} sentence {index} has no next sentence to join")
    unit, next_unit = state.unit_of(side, index), state.unit_of(side, index + 1)
    sentences[index:index + 2] = [replace(sentences[index], text=f"{sentences[index].text} {sentences[index + 1].text}")]
    beads = list(state.beads)
    if next_unit != unit:
        following = beads[next_unit - 1]
        beads[next_unit - 1] = following.left_with(side, [i for i in following.side(side) if i != index + 1])
        beads[unit - 1] = beads[unit - 1].with_side(side, beads[unit - 1].side(side))
    else:
        own = beads[unit - 1]
        beads[unit - 1] = own.with_side(side, [i for i in own.side(side) if i != index + 1])
    beads = [_shifted(bead, side, index + 1, -1) for bead in beads]
    return _with_sentences(state, side, sentences, [bead for bead in beads if bead.source or bead.target])


def _shifted(bead: ReviewBead, side: str, after: int, by: int) -> ReviewBead:
    """The bead with its ``side`` indices above ``after`` moved by ``by`` (status and confidence kept)."""
    indices = tuple(i + by if i > after else i for i in bead.side(side))
    return replace(bead, source=indices) if side == "source" else replace(bead, target=indices)


def _with_sentences(state: DocumentState, side: str, sentences: list[ReviewSentence],
                    beads: Sequence[ReviewBead]) -> DocumentState:
    """The state with new sentences on ``side``, their positions in their paragraphs renumbered."""
    numbered: list[ReviewSentence] = []
    for sentence in sentences:
        before = numbered[-1] if numbered else None
        position = before.position + 1 if before is not None and before.paragraph == sentence.paragraph else 0
        numbered.append(replace(sentence, position=position))
    new = DocumentState({**state.sentences, side: tuple(numbered)}, tuple(beads))
    new.check()
    return new


OPERATIONS: dict[str, Callable[..., DocumentState]] = {
    "move-up": move_up,
    "move-down": move_down,
    "merge": merge,
    "split": split,
    "split-before": split_before,
    "detach": detach,
    "confirm": confirm,
    "edit-sentence": edit_sentence,
    "split-sentence": split_sentence,
    "join-sentences": join_sentences,
}
"""Every operation by the name the app and the log give it; each takes the state and keyword arguments."""

_CHANGES_SENTENCES = {"edit-sentence", "split-sentence", "join-sentences"}


# --- the store -------------------------------------------------------------------------------------------------


def load_state(connection: sqlite3.Connection, pair_id: int) -> DocumentState:
    """The stored state of one document pair."""
    sentences: dict[str, tuple[ReviewSentence, ...]] = {}
    for side in SIDES:
        sentences[side] = tuple(
            ReviewSentence(text, paragraph, position, speaker)
            for text, paragraph, position, speaker in connection.execute(
                "SELECT s.text, s.paragraph, s.position, s.speaker FROM sentences s JOIN documents d "
                "ON d.id = s.document_id WHERE d.pair_id = ? AND d.side = ? ORDER BY s.idx", (pair_id, side)))
    beads = tuple(
        ReviewBead(tuple(int(i) for i in source.split()), tuple(int(i) for i in target.split()), confidence, status)
        for source, target, confidence, status in connection.execute(
            "SELECT source_sentences, target_sentences, confidence, status FROM beads WHERE pair_id = ? ORDER BY unit",
            (pair_id,)))
    if not beads:
        row = connection.execute("SELECT status FROM pairs WHERE id = ?", (pair_id,)).fetchone()
        if row is None or row[0] != "aligned":
            raise AlignerError(f"there is no aligned document {pair_id} in the store")
    return DocumentState(sentences, beads)


def save_state(connection: sqlite3.Connection, pair_id: int, state: DocumentState, *, sentences: bool) -> None:
    """Write ``state`` over the stored one (inside the caller's transaction); ``sentences``: their texts changed."""
    state.check()
    documents = dict(connection.execute("SELECT side, id FROM documents WHERE pair_id = ?", (pair_id,)).fetchall())
    unit_of = {side: {i: unit for unit, bead in enumerate(state.beads, start=1) for i in bead.side(side)}
               for side in SIDES}
    for side in SIDES:
        document_id = documents[side]
        if sentences:
            table = FTS_TABLES[side]
            # An external-content FTS5 index forgets a row only when told its old text.
            connection.execute(f"INSERT INTO {table} ({table}, rowid, text) SELECT 'delete', id, text FROM sentences "
                               "WHERE document_id = ?", (document_id,))
            connection.execute("DELETE FROM sentences WHERE document_id = ?", (document_id,))
            connection.executemany(
                "INSERT INTO sentences (document_id, idx, paragraph, position, bead, speaker, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(document_id, i, s.paragraph, s.position, unit_of[side].get(i), s.speaker, s.text)
                 for i, s in enumerate(state.sentences[side])])
            connection.execute(f"INSERT INTO {table} (rowid, text) SELECT id, text FROM sentences WHERE document_id = ?",
                               (document_id,))
            connection.execute("UPDATE documents SET sentences = ? WHERE id = ?", (len(state.sentences[side]), document_id))
        else:
            connection.executemany("UPDATE sentences SET bead = ? WHERE document_id = ? AND idx = ? AND bead IS NOT ?",
                                   [(unit, document_id, i, unit) for i, unit in unit_of[side].items()])
    connection.execute("DELETE FROM beads WHERE pair_id = ?", (pair_id,))
    connection.executemany(
        "INSERT INTO beads (pair_id, unit, kind, confidence, source_sentences, target_sentences, source_paragraph, "
        "target_paragraph, speaker, source_turn, target_turn, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(pair_id, unit, *_stored_bead(state, bead)) for unit, bead in enumerate(state.beads, start=1)])
    connection.execute("UPDATE pairs SET beads = ?, revision = revision + 1 WHERE id = ?", (len(state.beads), pair_id))


def _stored_bead(state: DocumentState, bead: ReviewBead) -> tuple[Any, ...]:
    """The columns of a bead that follow from its sentences, as ``corpus_of`` computes them."""
    source = [state.sentences["source"][i] for i in bead.source]
    target = [state.sentences["target"][j] for j in bead.target]
    anchor = source[0] if source else target[0]
    return (bead.kind, bead.confidence, " ".join(map(str, bead.source)), " ".join(map(str, bead.target)),
            source[0].paragraph if source else None, target[0].paragraph if target else None, anchor.speaker,
            int(any(s.position == 0 and s.speaker for s in source)),
            int(any(s.position == 0 and s.speaker for s in target)), bead.status)


def _state_json(state: DocumentState, *, sentences: bool) -> str:
    data: dict[str, Any] = {"units": [[list(b.source), list(b.target), b.confidence, b.status] for b in state.beads]}
    if sentences:
        data["sentences"] = {side: [[s.text, s.paragraph, s.position, s.speaker] for s in state.sentences[side]]
                             for side in SIDES}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _state_of_json(text: str, current: DocumentState) -> tuple[DocumentState, bool]:
    data = json.loads(text)
    beads = tuple(ReviewBead(tuple(s), tuple(t), c, status) for s, t, c, status in data["units"])
    if "sentences" not in data:
        return DocumentState(current.sentences, beads), False
    sentences = {side: tuple(ReviewSentence(*row) for row in data["sentences"][side]) for side in SIDES}
    return DocumentState(sentences, beads), True


@dataclass(frozen=True)
class Outcome:
    """What an operation did: the document's new revision, and the units of the beads it made or changed."""

    revision: int
    changed: tuple[int, ...]
    message: str = ""
    encoded: int = 0
    """How many texts a re-alignment had to encode (the store held the vectors of the others)."""


def revision(connection: sqlite3.Connection, pair_id: int) -> int:
    """How many times the document has been changed since it was built (compare before changing it)."""
    row = connection.execute("SELECT revision FROM pairs WHERE id = ?", (pair_id,)).fetchone()
    if row is None:
        raise AlignerError(f"there is no document {pair_id} in the store")
    return int(row[0])


def _begin(connection: sqlite3.Connection, pair_id: int, expected: int | None) -> None:
    connection.execute("BEGIN IMMEDIATE")
    current = revision(connection, pair_id)
    if expected is not None and current != expected:
        connection.execute("ROLLBACK")
        raise StaleDocument("the document was changed elsewhere (another tab?) since this page was loaded; reload it")


def _changed(before: DocumentState, after: DocumentState) -> tuple[int, ...]:
    """The units of ``after`` whose bead was not in ``before`` as it is (texts, status), wherever it sits."""
    def key(state: DocumentState, bead: ReviewBead) -> tuple[Any, ...]:
        texts = tuple(tuple(state.sentences[side][i].text for i in bead.side(side)) for side in SIDES)
        return (*texts, bead.status)

    old = {key(before, b) for b in before.beads}
    return tuple(unit for unit, b in enumerate(after.beads, start=1) if key(after, b) not in old)


def _commit_operation(connection: sqlite3.Connection, pair_id: int, kind: str, arguments: dict[str, Any],
                      before: DocumentState, after: DocumentState, sentences: bool, message: str = "",
                      encoded: int = 0) -> Outcome:
    if after == before:
        # Nothing to save, and nothing for an undo to take back; COMMIT all the same, to keep the
        # vectors a re-alignment added in this transaction.
        outcome = Outcome(revision(connection, pair_id), (), message or "nothing changed", encoded)
        connection.execute("COMMIT")
        return outcome
    changed = _changed(before, after)
    try:
        save_state(connection, pair_id, after, sentences=sentences)
        connection.execute(
            "INSERT INTO operations (pair_id, kind, arguments, before, after, changed) VALUES (?, ?, ?, ?, ?, ?)",
            (pair_id, kind, json.dumps(arguments, ensure_ascii=False, sort_keys=True),
             _state_json(before, sentences=sentences), _state_json(after, sentences=sentences),
             " ".join(map(str, changed))))
        outcome = Outcome(revision(connection, pair_id), changed, message, encoded)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return outcome


def apply(connection: sqlite3.Connection, pair_id: int, kind: str, arguments: dict[str, Any],
          expected_revision: int | None = None) -> Outcome:
    """Run the operation ``kind`` (a key of :data:`OPERATIONS`) on a stored document and log it, in one transaction.

    ``expected_revision``, when given, is the revision the reviewer saw: if another writer changed
    the document since, nothing is done and :class:`StaleDocument` is raised.
    """
    operation = OPERATIONS.get(kind)
    if operation is None:
        raise AlignerError(f"unknown operation {kind!r}; the operations are {', '.join(OPERATIONS)}")
    _begin(connection, pair_id, expected_revision)
    try:
        before = load_state(connection, pair_id)
        try:
            after = operation(before, **arguments)
        except TypeError as error:
            raise AlignerError(f"{kind}: wrong arguments ({error})") from None
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return _commit_operation(connection, pair_id, kind, arguments, before, after, kind in _CHANGES_SENTENCES)


def undo(connection: sqlite3.Connection, pair_id: int, expected_revision: int | None = None) -> Outcome:
    """Put back the state before the last operation on the document that is not undone yet."""
    _begin(connection, pair_id, expected_revision)
    try:
        row = connection.execute(
            "SELECT id, kind, before FROM operations WHERE pair_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1",
            (pair_id,)).fetchone()
        if row is None:
            raise AlignerError("nothing to undo")
        operation_id, kind, before_json = row
        current = load_state(connection, pair_id)
        before, sentences = _state_of_json(before_json, current)
        save_state(connection, pair_id, before, sentences=sentences)
        connection.execute("UPDATE operations SET undone = 1 WHERE id = ?", (operation_id,))
        outcome = Outcome(revision(connection, pair_id), _changed(current, before), f"undid {kind}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return outcome


def _document(state: DocumentState, side: str, language: Language, title: str | None) -> Document:
    """The stored sentences of one side as a segmented document, paragraph by paragraph."""
    paragraphs: list[Paragraph] = []
    group: list[ReviewSentence] = []

    def close() -> None:
        if not group:
            return
        spans, offset = [], 0
        for sentence in group:
            spans.append(Sentence(sentence.text, offset, offset + len(sentence.text)))
            offset += len(sentence.text) + 1
        paragraphs.append(Paragraph(" ".join(s.text for s in group), group[0].speaker if group[0].position == 0 else None,
                                    sentences=tuple(spans)))
        group.clear()

    for sentence in state.sentences[side]:
        if group and sentence.paragraph != group[-1].paragraph:
            close()
        group.append(sentence)
    close()
    return Document(language=language, paragraphs=tuple(paragraphs), title=title)


def realign(connection: sqlite3.Connection, pair_id: int, expected_revision: int | None = None) -> Outcome:
    """Align the document again around every confirmed or edited bead; only the other beads change.

    The alignment settings are those the store's signature for the document records (a
    dictionary it names only by hash is not used again). With the encoder it records, vectors
    come from the store's ``vectors`` table, and those it lacked are added in the same transaction.
    """
    _begin(connection, pair_id, expected_revision)
    try:
        before = load_state(connection, pair_id)
        meta = read_meta(connection)
        signature, title = connection.execute(
            "SELECT g.signature, d.title FROM pairs p JOIN settings g ON g.id = p.settings_id "
            "JOIN documents d ON d.pair_id = p.id AND d.side = 'source' WHERE p.id = ?", (pair_id,)).fetchone()
        source = _document(before, "source", resolve_language(meta["source_code"], meta["source_tag"]), title)
        target = _document(before, "target", resolve_language(meta["target_code"], meta["target_tag"]), title)
        reviewed = {(b.source, b.target): b for b in before.beads if b.status in REVIEWED}
        anchors = [Bead(s, t, 1.0) for s, t in reviewed]
        encoder = encoder_of_signature(signature)
        vectors = None if encoder is None else store_vectors(connection, encoder)
        alignment: Alignment = align_documents(
            source, target, alignment_of(signature), anchors=anchors, encoder=encoder, vectors=vectors
        )
        if vectors is not None:
            save_vectors(connection, vectors.encoder.name, ((key, vector_bytes(v)) for key, v in vectors.new.items()))
        after = DocumentState(before.sentences, tuple(
            reviewed.get((b.source, b.target)) or ReviewBead(b.source, b.target, b.confidence, AUTO)
            for b in alignment.beads))
        after.check()
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    changed = _changed(before, after)
    message = f"{len(changed)} bead(s) changed around {len(anchors)} reviewed one(s)"
    return _commit_operation(connection, pair_id, "realign", {}, before, after, False, message,
                             0 if vectors is None else vectors.encoded)


__all__ = [
    "AUTO",
    "CONFIRMED",
    "EDITED",
    "OPERATIONS",
    "DocumentState",
    "Outcome",
    "ReviewBead",
    "ReviewSentence",
    "StaleDocument",
    "apply",
    "confirm",
    "detach",
    "edit_sentence",
    "join_sentences",
    "load_state",
    "merge",
    "move_down",
    "move_up",
    "realign",
    "revision",
    "save_state",
    "split",
    "split_before",
    "split_sentence",
    "undo",
]
