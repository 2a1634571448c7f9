"""JSON Lines: one JSON object per unit, with every piece of metadata, every unit kept.

Keys are sorted and every line has all of them (``null`` when unknown), so that the file is
easy to load with pandas or jq and byte-identical from run to run. UTF-8, text unescaped.
``signature`` says how the alignment was made (the same on every line of a file); ``context``
is a gettext msgctxt carried over from another tool's PO file; ``status`` is ``confirmed`` or
``edited`` for a bead a reviewer confirmed or made (``aligner review``).

Reading is strict where Python's json module is lenient: NaN and Infinity (not JSON), numbers
of more than MAX_DIGITS digits and nesting deeper than a record's are errors naming the line.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import IO, Any

import regex

from aligner.dates import creation_time
from aligner.errors import AlignerError
from aligner.formats.base import (
    CONTEXT,
    MAX_DIGITS,
    REVIEW_STATUS,
    ExportOptions,
    Format,
    InputFile,
    decode_utf8,
    finite,
    kept,
    only_file,
    report_losses,
    stated_language,
    stem_of,
)
from aligner.model import REVIEWED, Corpus, Record
from aligner.xmltext import clean

_STRINGS = (
    "source", "target", "document", "bead", "speaker", "title", "date", "url", "source_lang", "target_lang",
    "signature", "context", "status",
)
_INTEGERS = ("unit", "source_paragraph", "target_paragraph")
_INDICES = ("source_sentences", "target_sentences")
_MAX_NESTING = 8
"""A record is an object of lists: anything deeper is not ours (and json's parser recurses)."""
_STRING = regex.compile(r'"(?:[^"\\]|\\.)*"')


class Jsonl(Format):
    name = "jsonl"
    summary = "JSON Lines, one object per bead with every piece of metadata"
    suffixes = (".jsonl",)
    keeps = frozenset({CONTEXT, REVIEW_STATUS})

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """One line per record."""
        (stream,) = streams
        losses: Counter[str] = Counter()
        for record in kept(corpus.records, self, losses):
            line = json.dumps(_object(record, corpus, options), ensure_ascii=False, sort_keys=True)
            stream.write((line + "\n").encode("utf-8"))
        report_losses(corpus, self, losses)

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The records of a JSON Lines file; each line needs ``source`` and ``target``, the rest may be missing."""
        file = only_file(files, self.name)
        name = file.name
        corpus_name = stem_of(name)
        objects = []
        for number, line in enumerate(decode_utf8(file.data, name).split("\n"), start=1):
            if not line.strip():
                continue
            value = _parse(line, f"{name}:{number}")
            if not isinstance(value, dict):
                raise AlignerError(f"{name}:{number}: not a JSON object")
            objects.append((number, value))
        records = tuple(
            _record(value, f"{name}:{number}", corpus_name, position)
            for position, (number, value) in enumerate(objects, start=1)
        )
        first = objects[0][1] if objects else {}
        return Corpus(
            name=corpus_name,
            records=records,
            source_language=stated_language(first.get("source_lang"), name),
            target_language=stated_language(first.get("target_lang"), name),
            created=creation_time(record.date for record in records),
            signature=first.get("signature"),
        )


FORMAT = Jsonl()


def _parse(line: str, where: str) -> Any:
    """One line of JSON, strictly (see the module's docstring)."""
    if line.count("[") + line.count("{") > _MAX_NESTING and _nesting(line) > _MAX_NESTING:
        raise AlignerError(f"{where}: JSON nested more than {_MAX_NESTING} levels deep; a record is one flat object")

    def constant(text: str) -> Any:
        raise AlignerError(f"{where}: {text} is not a number JSON allows")

    def integer(text: str) -> int:
        if len(text.lstrip("-")) > MAX_DIGITS:
            raise AlignerError(f"{where}: a number with {len(text):,} digits; at most {MAX_DIGITS} are read")
        return int(text)

    def real(text: str) -> float:
        return finite(float(text), where, f"number {text[:20]}")

    try:
        return json.loads(line, parse_constant=constant, parse_int=integer, parse_float=real)
    except json.JSONDecodeError as error:
        raise AlignerError(f"{where}: not JSON ({error.msg})") from None


def _nesting(line: str) -> int:
    """How deep the brackets of ``line`` nest, strings left out."""
    depth = deepest = 0
    for char in _STRING.sub("", line):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _object(record: Record, corpus: Corpus, options: ExportOptions) -> dict[str, Any]:
    raw = {
        "document": record.document,
        "title": record.title,
        "date": record.date,
        "url": record.url,
        "unit": record.unit,
        "source": record.source,
        "target": record.target,
        "source_lang": options.source.tag,
        "target_lang": options.target.tag,
        "bead": record.bead,
        "confidence": None if record.confidence is None else round(record.confidence, 4),
        "source_sentences": list(record.source_sentences),
        "target_sentences": list(record.target_sentences),
        "source_paragraph": record.source_paragraph,
        "target_paragraph": record.target_paragraph,
        "speaker": record.speaker,
        "signature": corpus.signature,
        "context": record.context,
        "status": record.status,
    }
    # Every string is cleaned, not only the texts: a lone surrogate anywhere cannot be UTF-8.
    return {key: clean(value, f"{record.uid} {key}") if isinstance(value, str) else value for key, value in raw.items()}


def _record(value: dict[str, Any], where: str, corpus_name: str, position: int) -> Record:
    def typed(key: str, kinds: tuple[type, ...]) -> Any:
        item = value.get(key)
        # bool is an int in Python, but true is no paragraph number.
        if item is not None and (not isinstance(item, kinds) or isinstance(item, bool)):
            raise AlignerError(f"{where}: '{key}' has the wrong type ({type(item).__name__})")
        return item

    for key in _STRINGS:
        typed(key, (str,))
    for key in _INTEGERS:
        typed(key, (int,))
    for key in _INDICES:
        indices = typed(key, (list,)) or []
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in indices):
            raise AlignerError(f"{where}: '{key}' must be a list of whole numbers")
    if not isinstance(value.get("source"), str) or not isinstance(value.get("target"), str):
        raise AlignerError(f"{where}: every line needs 'source' and 'target' strings")
    confidence = typed("confidence", (int, float))
    return Record(
        source=value["source"],
        target=value["target"],
        document=value.get("document") or corpus_name,
        unit=value.get("unit") or position,
        bead=value.get("bead"),
        confidence=None if confidence is None else float(confidence),
        source_sentences=tuple(value.get("source_sentences") or ()),
        target_sentences=tuple(value.get("target_sentences") or ()),
        source_paragraph=value.get("source_paragraph"),
        target_paragraph=value.get("target_paragraph"),
        speaker=value.get("speaker"),
        title=value.get("title"),
        date=value.get("date"),
        url=value.get("url"),
        context=value.get("context"),
        status=value.get("status") if value.get("status") in REVIEWED else None,
    )
