"""Plain data passed between the stages: parse → segment → align → export."""

from __future__ import annotations

from dataclasses import dataclass


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

    language: str
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
        refs: list[SentenceRef] = []
        for p_index, paragraph in enumerate(self.paragraphs):
            for s_index, sentence in enumerate(paragraph.sentences):
                refs.append(SentenceRef(len(refs), p_index, s_index, sentence.text))
        return refs


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

    def units(self) -> list[AlignedUnit]:
        """One unit per bead, with the joined texts of both sides and their metadata."""
        src = self.source.sentences()
        tgt = self.target.sentences()
        units = []
        for number, bead in enumerate(self.beads, start=1):
            src_refs = [src[i] for i in bead.source]
            tgt_refs = [tgt[i] for i in bead.target]
            anchor = (src_refs or tgt_refs)[0]
            doc = self.source if src_refs else self.target
            units.append(
                AlignedUnit(
                    number=number,
                    source_text=" ".join(r.text for r in src_refs),
                    target_text=" ".join(r.text for r in tgt_refs),
                    bead=bead,
                    source_paragraph=src_refs[0].paragraph if src_refs else None,
                    target_paragraph=tgt_refs[0].paragraph if tgt_refs else None,
                    speaker=doc.paragraphs[anchor.paragraph].speaker,
                )
            )
        return units


@dataclass(frozen=True)
class AlignedUnit:
    """What exporters write for one bead."""

    number: int
    source_text: str
    target_text: str
    bead: Bead
    source_paragraph: int | None
    target_paragraph: int | None
    speaker: str | None
