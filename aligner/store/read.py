"""Reading a corpus store back as the records and corpora that every format writes.

A document's records are made from its stored beads and sentences exactly as ``corpus_of``
makes them from an alignment, so an export from the store is the same bytes as ``aligner
align`` writes for the same files. The merged corpus is lazy: its records are read document by
document each time a writer iterates over them, and never held all at once.
"""

from __future__ import annotations

import fnmatch
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import overload

from aligner.dates import creation_time
from aligner.errors import AlignerError
from aligner.languages import Language, resolve_language
from aligner.model import REVIEWED, Corpus, Record
from aligner.store.schema import connect, read_meta


@dataclass(frozen=True)
class Selection:
    """Which documents and beads an export (or a check) takes.

    ``since`` and ``until`` bound the document's date (ISO, inclusive; a document without a date
    is left out when either is given); ``documents`` are names or shell patterns
    (``2020/*``); ``min_confidence`` and ``kinds`` (``"1-1"``, ``"2-1"``…) select beads.
    """

    since: str | None = None
    until: str | None = None
    documents: tuple[str, ...] = ()
    min_confidence: float = 0.0
    kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for bound in (self.since, self.until):
            if bound is not None:
                try:
                    date.fromisoformat(bound)
                except ValueError:
                    raise AlignerError(f"{bound!r} is not a date; write it as 2020-12-30") from None

    def keeps_document(self, name: str, day: str | None) -> bool:
        """True when the document called ``name`` and dated ``day`` is selected."""
        if self.documents and not any(fnmatch.fnmatchcase(name, pattern) for pattern in self.documents):
            return False
        if self.since is None and self.until is None:
            return True
        if not day:
            return False
        day = day[:10]
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def keeps(self, record: Record) -> bool:
        """True when the bead of ``record`` is selected."""
        if record.confidence is not None and record.confidence < self.min_confidence:
            return False
        return not self.kinds or record.bead in self.kinds


@dataclass(frozen=True)
class StoredPair:
    """An aligned document pair of the store, with what its corpus header needs."""

    id: int
    name: str
    signature: str
    source_date: str | None
    target_date: str | None


class StoreReader:
    """An open store, read through one connection."""

    def __init__(self, store: str | os.PathLike[str]) -> None:
        self.path = str(store)
        self.connection: sqlite3.Connection = connect(store)
        meta = read_meta(self.connection)
        if not meta:
            raise AlignerError(f"{store}: the store holds no documents yet")
        self.source_language: Language = resolve_language(meta["source_code"], meta["source_tag"])
        self.target_language: Language = resolve_language(meta["target_code"], meta["target_tag"])

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def pairs(self, selection: Selection = Selection()) -> list[StoredPair]:
        """The aligned pairs that ``selection`` keeps, in the store's order."""
        rows = self.connection.execute(
            """SELECT p.id, p.name, g.signature, s.date, t.date FROM pairs p
               JOIN settings g ON g.id = p.settings_id
               JOIN documents s ON s.pair_id = p.id AND s.side = 'source'
               JOIN documents t ON t.pair_id = p.id AND t.side = 'target'
               WHERE p.status = 'aligned' ORDER BY p.id"""
        )
        found = [StoredPair(*row) for row in rows]
        return [pair for pair in found if selection.keeps_document(pair.name, pair.source_date or pair.target_date)]

    def records(self, pair: StoredPair, selection: Selection = Selection()) -> list[Record]:
        """The records of one pair, as ``corpus_of`` makes them, that ``selection`` keeps."""
        documents = {
            side: (document_id, title, day, url)
            for side, document_id, title, day, url in self.connection.execute(
                "SELECT side, id, title, date, url FROM documents WHERE pair_id = ?", (pair.id,))
        }
        texts = {
            side: [text for (text,) in self.connection.execute(
                "SELECT text FROM sentences WHERE document_id = ? ORDER BY idx", (documents[side][0],))]
            for side in documents
        }
        source, target = documents["source"], documents["target"]
        title, day, url = source[1] or target[1], source[2] or target[2], source[3] or target[3]
        records = []
        for row in self.connection.execute(
            "SELECT unit, kind, confidence, source_sentences, target_sentences, source_paragraph, target_paragraph, "
            "speaker, source_turn, target_turn, status FROM beads WHERE pair_id = ? ORDER BY unit", (pair.id,)
        ):
            unit, kind, confidence, source_indices, target_indices, source_paragraph, target_paragraph = row[:7]
            speaker, source_turn, target_turn, status = row[7:]
            source_sentences = tuple(int(i) for i in source_indices.split())
            target_sentences = tuple(int(i) for i in target_indices.split())
            record = Record(
                source=" ".join(texts["source"][i] for i in source_sentences),
                target=" ".join(texts["target"][i] for i in target_sentences),
                document=pair.name,
                unit=unit,
                bead=kind,
                confidence=confidence,
                source_sentences=source_sentences,
                target_sentences=target_sentences,
                source_paragraph=source_paragraph,
                target_paragraph=target_paragraph,
                speaker=speaker,
                title=title,
                date=day,
                url=url,
                source_turn=bool(source_turn),
                target_turn=bool(target_turn),
                status=status if status in REVIEWED else None,
            )
            if selection.keeps(record):
                records.append(record)
        return records

    def corpus(self, pair: StoredPair, selection: Selection = Selection()) -> Corpus:
        """One document's corpus, as ``corpus_of`` makes it with the signature it was aligned with."""
        return Corpus(
            name=pair.name,
            records=tuple(self.records(pair, selection)),
            source_language=self.source_language,
            target_language=self.target_language,
            created=creation_time([pair.source_date, pair.target_date]),
            signature=pair.signature,
        )

    def merged(self, name: str, pairs: Sequence[StoredPair], selection: Selection = Selection()) -> Corpus:
        """The records of ``pairs`` in one lazy corpus, dated by the newest document.

        The signature is the documents' own when they share one, else none.
        """
        dates = [moment for pair in pairs if (moment := creation_time([pair.source_date, pair.target_date]))]
        signatures = {pair.signature for pair in pairs}
        return Corpus(
            name=name,
            records=LazyRecords(self, pairs, selection),
            source_language=self.source_language,
            target_language=self.target_language,
            created=max(dates) if dates else None,
            signature=signatures.pop() if len(signatures) == 1 else None,
        )


class LazyRecords(Sequence[Record]):
    """The records of many pairs, read from the store one pair at a time whenever iterated."""

    def __init__(self, reader: StoreReader, pairs: Sequence[StoredPair], selection: Selection) -> None:
        self.reader, self.pairs, self.selection = reader, pairs, selection
        self._length: int | None = None

    def __iter__(self) -> Iterator[Record]:
        for pair in self.pairs:
            yield from self.reader.records(pair, self.selection)

    def __len__(self) -> int:
        if self._length is None:
            self._length = sum(1 for _ in self)
        return self._length

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        # Random access reads up to the record asked for: writers iterate, and only a reader of
        # one record by number (seldom) pays for it.
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += len(self)
        for position, record in enumerate(self):
            if position == index:
                return record
        raise IndexError(index)


__all__ = ["LazyRecords", "Selection", "StoreReader", "StoredPair"]
