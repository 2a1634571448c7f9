"""Vecalign's bead format: ``[0, 1]:[2]`` per line, 0-based sentence indices, no texts.

It is what alignment benchmarks and their scorers read, so ``aligner evaluate`` reads it too.
Having no texts, it can be written from any records that carry sentence indices but cannot be
converted into another format: read, it gives records with empty texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

import regex

from aligner.errors import AlignerError
from aligner.formats.base import ExportOptions, Format, InputFile, only_file, stem_of, whole_number
from aligner.model import Corpus, Record

BeadIndices = tuple[tuple[int, ...], tuple[int, ...]]
# ASCII digits: \d would also take "٣" (and "²".isdigit() is True).
_BEAD_LINE = regex.compile(r"\s*\[([0-9,\s]*)\]\s*:\s*\[([0-9,\s]*)\]\s*")


def format_beads(beads: Iterable[BeadIndices]) -> str:
    """``[0, 1]:[2]`` lines for an iterable of (source indices, target indices)."""
    return "".join(f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]\n" for src, tgt in beads)


class Beads(Format):
    name = "beads"
    summary = "Vecalign bead file, sentence indices only ([0, 1]:[2]), for scorers"
    suffixes = (".beads",)
    carries_text = False
    carries_languages = False

    def write_to(self, corpus: Corpus, options: ExportOptions, streams: Sequence[IO[bytes]]) -> None:
        """One line per record, every record kept (1-0 and 0-1 included)."""
        del options  # indices need no language tags
        (stream,) = streams
        missing = next((r.uid for r in corpus.records if not r.source_sentences and not r.target_sentences), None)
        if missing:
            raise AlignerError(
                f"{corpus.name}: unit {missing} has no sentence indices (TMX, PO and Moses files do not keep "
                "them all); write beads from an alignment, a CSV, a TSV or a JSONL file"
            )
        for record in corpus.records:
            stream.write(format_beads([(record.source_sentences, record.target_sentences)]).encode("ascii"))

    def read(self, files: Sequence[InputFile]) -> Corpus:
        """The beads of a Vecalign file as records without texts; a malformed line is an AlignerError."""
        file = only_file(files, self.name)
        try:
            lines = file.data.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            raise AlignerError(f"{file.name}: not a text file") from None
        corpus_name = stem_of(file.name)
        records: list[Record] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            match = _BEAD_LINE.fullmatch(line)
            if match is None:
                raise AlignerError(f"{file.name}:{number}: not a bead line like [0, 1]:[2]: {line[:60]!r}")
            where = f"{file.name}:{number}"
            source, target = (
                tuple(whole_number(x, where, "sentence index") for x in side.replace(",", " ").split())
                for side in match.groups()
            )
            records.append(
                Record(source="", target="", document=corpus_name, unit=len(records) + 1,
                       bead=f"{len(source)}-{len(target)}", source_sentences=source, target_sentences=target)
            )
        return Corpus(name=corpus_name, records=tuple(records))


FORMAT = Beads()
