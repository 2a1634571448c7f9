"""Plain data passed between the stages: parse → segment → align → export.

Documents are made of paragraphs made of sentences; an :class:`Alignment` links the sentences
of two documents by beads. What files carry is a :class:`Corpus` of :class:`Record` objects,
one per bead: :func:`corpus_of` makes it from an alignment, and every format reads and writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from aligner.dates import creation_time
from aligner.languages import Language

LOW_CONFIDENCE = 0.5
"""A bead below this confidence is weak: TMX gives it a note, PO a fuzzy flag, summaries count it,
and the quality gate's low-confidence rule reports it."""

SURE_CONFIDENCE = 0.9
"""A bead at or above this confidence is sure: about 97 % of them are right (see the README's
confidence bands); the lexicon is learned from them and a review skips them."""

REVIEWED = ("confirmed", "edited")
"""The values of ``Record.status``: a bead a reviewer confirmed, or one a reviewer made."""


@dataclass(frozen=True)
class Sentence:
    """A sentence and its character span ``[start, end)`` in its paragraph's text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """A block of running text.

    ``speaker`` is the speaker label that opens a turn ("Question", "С.В.Лавров"); the label
    stays in ``text`` too, because CAT tools see it as part of the first sentence.
    ``sentences`` is empty until the paragraph has been segmented.
    """

    text: str
    speaker: str | None = None
    is_heading: bool = False
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Document:
    """One language version of a document."""

    language: Language
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None

    @property
    def name(self) -> str:
        """A short name for messages and identifiers: the file stem, else the title."""
        if self.source:
            base = self.source.rstrip("/").rsplit("/", 1)[-1]
            return base.rsplit(".", 1)[0] if "." in base else base
        return self.title or "document"

    def sentences(self) -> list[SentenceRef]:
        """All sentences in reading order, numbered from 0 across the document."""
        return list(self._sentence_refs)

    @cached_property
    def _sentence_refs(self) -> tuple[SentenceRef, ...]:
        # Parsing, aligning and exporting each ask for them; a document never changes.
        refs: list[SentenceRef] = []
        for p_index, paragraph in enumerate(self.paragraphs):
            for s_index, sentence in enumerate(paragraph.sentences):
                refs.append(SentenceRef(len(refs), p_index, s_index, sentence.text))
        return tuple(refs)


@dataclass(frozen=True)
class SentenceRef:
    """Where a sentence sits in its document: global index, paragraph, position in paragraph."""

    index: int
    paragraph: int
    position: int
    text: str


@dataclass(frozen=True)
class Bead:
    """A group of source sentences aligned with a group of target sentences.

    Indices are global sentence indices (``Document.sentences()``); either side may be empty.
    ``confidence`` is the model's posterior probability of this bead, in [0, 1].
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float

    @property
    def kind(self) -> str:
        """The bead type, such as ``"1-1"``, ``"2-1"`` or ``"0-1"``."""
        return f"{len(self.source)}-{len(self.target)}"

    @property
    def is_pair(self) -> bool:
        """True when both sides have text."""
        return bool(self.source) and bool(self.target)


@dataclass(frozen=True)
class Alignment:
    """A source document, its target document and the beads that link their sentences."""

    source: Document
    target: Document
    beads: tuple[Bead, ...]


@dataclass(frozen=True)
class Record:
    """One bead as files carry it: both texts and where they come from.

    ``unit`` numbers the beads of a document from 1; sentence indices are 0-based and global
    in their document, paragraph indices 0-based (the title is paragraph 0). ``source_turn``
    and ``target_turn`` say whether the bead opens a speaker turn on that side. A field that a
    format does not carry is ``None`` (or empty) once read from that format.

    The last fields keep what other tools' files hold, so that converting loses nothing
    quietly: ``source_markup``/``target_markup`` are a TMX segment's inner XML when it has
    inline codes (``<bpt>``, ``<ph>``, …; the texts are then the segment without the codes'
    native content); ``context`` is a gettext msgctxt; ``source_plural`` and
    ``target_plurals`` a PO entry's msgid_plural and its msgstr[n] (``target`` is msgstr[0]).
    ``status`` is what a reviewer made of the bead (``aligner review``): ``"confirmed"`` (as the
    aligner made it) or ``"edited"`` (made by hand); ``None`` when nobody reviewed it.
    """

    source: str
    target: str
    document: str
    unit: int
    bead: str | None = None
    confidence: float | None = None
    source_sentences: tuple[int, ...] = ()
    target_sentences: tuple[int, ...] = ()
    source_paragraph: int | None = None
    target_paragraph: int | None = None
    speaker: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source_turn: bool | None = None
    target_turn: bool | None = None
    source_markup: str | None = None
    target_markup: str | None = None
    context: str | None = None
    source_plural: str | None = None
    target_plurals: tuple[str, ...] = ()
    status: str | None = None

    @property
    def is_pair(self) -> bool:
        """True when both sides have text."""
        return bool(self.source) and bool(self.target)

    @property
    def uid(self) -> str:
        """A stable identifier: document and unit number (the TMX ``tuid``)."""
        return f"{self.document}-{self.unit}"


@dataclass(frozen=True)
class Corpus:
    """Records in order, with what a file says about all of them.

    ``records`` is a tuple once read from a file; a corpus store may give a lazy sequence,
    which every writer streams. ``name`` names the collection (a document, or the merged
    documents of a batch); the
    languages are those a file states, if any; ``created`` is the creation time written into
    file headers; ``signature`` says how the alignment was made (see ``aligner.settings``).
    ``obsolete`` holds a PO file's obsolete entries (``#~``): kept for a PO written from it,
    and no part of the corpus for anything else.
    """

    name: str
    records: Sequence[Record]
    source_language: Language | None = None
    target_language: Language | None = None
    created: datetime | None = None
    signature: str | None = None
    obsolete: Sequence[Record] = ()


def corpus_of(alignment: Alignment, signature: str | None = None) -> Corpus:
    """The records of an alignment, one per bead, with the documents' metadata."""
    source, target = alignment.source, alignment.target
    source_sentences, target_sentences = source.sentences(), target.sentences()
    title, url, date = source.title or target.title, source.url or target.url, source.date or target.date
    records = []
    for number, bead in enumerate(alignment.beads, start=1):
        src = [source_sentences[i] for i in bead.source]
        tgt = [target_sentences[j] for j in bead.target]
        place = bead_place(alignment, src, tgt)
        records.append(
            Record(
                source=" ".join(ref.text for ref in src),
                target=" ".join(ref.text for ref in tgt),
                document=source.name,
                unit=number,
                bead=bead.kind,
                confidence=bead.confidence,
                source_sentences=bead.source,
                target_sentences=bead.target,
                source_paragraph=place.source_paragraph,
                target_paragraph=place.target_paragraph,
                speaker=place.speaker,
                title=title,
                date=date,
                url=url,
                source_turn=place.source_turn,
                target_turn=place.target_turn,
            )
        )
    return Corpus(
        name=source.name,
        records=tuple(records),
        source_language=source.language,
        target_language=target.language,
        created=creation_time([source.date, target.date]),
        signature=signature,
    )


@dataclass(frozen=True)
class BeadPlace:
    """Where a bead sits: the paragraphs of its first sentences, who speaks there, and whether it
    opens a speaker's turn on either side (what a record carries besides the text)."""

    source_paragraph: int | None
    target_paragraph: int | None
    speaker: str | None
    source_turn: bool
    target_turn: bool


def bead_place(alignment: Alignment, source: Sequence[SentenceRef], target: Sequence[SentenceRef]) -> BeadPlace:
    """The place of the bead of ``source`` and ``target`` sentences (not both empty) in ``alignment``."""
    anchor_document, anchor = (alignment.source, source[0]) if source else (alignment.target, target[0])
    return BeadPlace(
        source_paragraph=source[0].paragraph if source else None,
        target_paragraph=target[0].paragraph if target else None,
        speaker=anchor_document.paragraphs[anchor.paragraph].speaker,
        source_turn=_opens_turn(alignment.source, source),
        target_turn=_opens_turn(alignment.target, target),
    )


def _opens_turn(document: Document, sentences: Sequence[SentenceRef]) -> bool:
    """A bead opens a turn when it holds the first sentence of a paragraph with a speaker label."""
    return any(ref.position == 0 and document.paragraphs[ref.paragraph].speaker for ref in sentences)


def merge(corpora: Sequence[Corpus], name: str) -> Corpus:
    """One corpus with the records of all, in order; dated by the newest of them."""
    dates = [corpus.created for corpus in corpora if corpus.created is not None]
    first = corpora[0] if corpora else None
    return Corpus(
        name=name,
        records=tuple(record for corpus in corpora for record in corpus.records),
        source_language=first.source_language if first else None,
        target_language=first.target_language if first else None,
        created=max(dates) if dates else None,
        signature=first.signature if first else None,
    )
