"""Pre-segmented text: one sentence per line, a blank line between paragraphs.

This is the format of benchmark data and gold sets, and what ``aligner segment`` prints:
nothing is dropped or re-cut, but a one-line headline first paragraph is marked as the title
and speaker labels are found, as for any other input.
"""

from __future__ import annotations

from dataclasses import replace

from aligner.languages import Language
from aligner.model import Document, Paragraph, Sentence
from aligner.parse.layout import looks_like_title
from aligner.parse.speakers import speaker_labels


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
    title = None
    if len(paragraphs) > 1 and len(paragraphs[0].sentences) == 1 and looks_like_title(paragraphs[0].text):
        title = paragraphs[0].text
        paragraphs[0] = replace(paragraphs[0], is_heading=True)
    first = 1 if title else 0
    labels = speaker_labels([p.text for p in paragraphs[first:]], language)
    paragraphs[first:] = [replace(p, speaker=label) for p, label in zip(paragraphs[first:], labels)]
    return Document(language=language, paragraphs=tuple(paragraphs), title=title, source=source)


def _paragraph(lines: list[str]) -> Paragraph:
    sentences = []
    offset = 0
    for line in lines:
        sentences.append(Sentence(line, offset, offset + len(line)))
        offset += len(line) + 1
    return Paragraph(text=" ".join(lines), sentences=tuple(sentences))
