"""Pre-segmented text: one sentence per line, a blank line between paragraphs.

This is the format of benchmark data and gold sets: nothing is dropped or re-cut.
"""

from __future__ import annotations

from aligner.languages import Language
from aligner.model import Document, Paragraph, Sentence


def parse_presegmented(text: str, language: Language, source: str | None = None) -> Document:
    """Each line is one sentence; blank lines separate paragraphs."""
    paragraphs = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") + [""]:
        sentence = line.strip()
        if sentence:
            current.append(sentence)
            continue
        if current:
            paragraphs.append(_paragraph(current))
            current = []
    return Document(language=language.code, paragraphs=tuple(paragraphs), source=source)


def _paragraph(lines: list[str]) -> Paragraph:
    sentences = []
    offset = 0
    for line in lines:
        sentences.append(Sentence(line, offset, offset + len(line)))
        offset += len(line) + 1
    return Paragraph(text=" ".join(lines), sentences=tuple(sentences))
