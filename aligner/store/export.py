"""Exports from a corpus store, streamed: one file per document or one merged file, in any format.

Every file is written under a temporary name next to its final one and renamed when all of
them are complete, so that a failure leaves the user's files as they were. The formats stream
a lazy corpus record by record (``Format.write_to``); Parquet (pyarrow, an optional extra) is
written in row groups with the columns of the JSON Lines format.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from aligner.errors import AlignerError
from aligner.files import OutputFiles
from aligner.formats import MERGED_NAME, ExportOptions, Format, get_format, write_corpus
from aligner.model import Corpus, Record
from aligner.pipeline import MERGED_FOLDER
from aligner.store.read import Selection, StoreReader
from aligner.xmltext import clean

PARQUET = "parquet"
"""Parquet is written from the store only: it is a table for data tools, not an exchange format."""
PARQUET_SUFFIX = ".parquet"
_ROW_GROUP = 10_000


def export_store(
    store: str | os.PathLike[str],
    directory: str | os.PathLike[str],
    formats: Sequence[str],
    selection: Selection | None = None,
    *,
    merged: bool = False,
    keep_unaligned: bool = False,
    excel: bool = False,
    source_tag: str | None = None,
    target_tag: str | None = None,
) -> list[Path]:
    """Write the selected documents of ``store`` into ``directory`` in each format; the paths written.

    Per document, ``<directory>/<name><suffix>``; with ``merged``, ``<directory>/merged/all<suffix>``.
    """
    writers: list[Format | None] = [None if name == PARQUET else get_format(name) for name in formats]
    if merged:
        flat = [fmt.name for fmt in writers if fmt is not None and not fmt.carries_text]
        if flat:
            raise AlignerError(f"{', '.join(flat)} holds sentence numbers of one document; export it without --merged")
    if PARQUET in formats:
        _pyarrow()
    selection = selection or Selection()
    root = Path(directory)
    with StoreReader(store) as reader:
        source = reader.source_language.with_tag(source_tag) if source_tag else reader.source_language
        target = reader.target_language.with_tag(target_tag) if target_tag else reader.target_language
        options = ExportOptions(source, target, keep_unaligned=keep_unaligned,
                                min_confidence=selection.min_confidence, excel=excel)
        pairs = reader.pairs(selection)
        if not pairs:
            raise AlignerError(f"{store}: no aligned document is selected")
        with OutputFiles(inputs=[store]) as outputs:
            if merged:
                _write(reader.merged(MERGED_NAME, pairs, selection), root / MERGED_FOLDER / MERGED_NAME, writers,
                       options, outputs)
            else:
                for pair in pairs:
                    _write(reader.corpus(pair, selection), root / pair.name, writers, options, outputs)
        return outputs.written


def _write(corpus: Corpus, stem: Path, writers: Iterable[Format | None], options: ExportOptions,
           outputs: OutputFiles) -> None:
    for fmt in writers:
        if fmt is None:
            with outputs.open(stem.with_name(stem.name + PARQUET_SUFFIX)) as stream:
                write_parquet(corpus, options, stream)
        else:
            write_corpus(corpus, stem, [fmt], options, outputs.open)


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise AlignerError("Parquet needs pyarrow: pip install 'aligner[parquet]'") from None
    return pyarrow


_COLUMNS = (
    ("bead", "string"), ("confidence", "float64"), ("context", "string"), ("date", "string"), ("document", "string"),
    ("signature", "string"), ("source", "string"), ("source_lang", "string"), ("source_paragraph", "int64"),
    ("source_sentences", "list"), ("speaker", "string"), ("status", "string"), ("target", "string"),
    ("target_lang", "string"), ("target_paragraph", "int64"), ("target_sentences", "list"), ("title", "string"), ("unit", "int64"),
    ("url", "string"),
)
"""The keys of a JSON Lines line, sorted as JSON Lines sorts them, with their Arrow types."""


def parquet_row(record: Record, corpus: Corpus, options: ExportOptions) -> dict[str, Any]:
    """One record as a row: the values a JSON Lines line has under the same keys."""
    confidence = None if record.confidence is None else round(record.confidence, 4)
    raw: dict[str, Any] = {
        "bead": record.bead, "confidence": confidence, "context": record.context, "date": record.date,
        "document": record.document,
        "signature": corpus.signature, "source": record.source, "source_lang": options.source.tag,
        "source_paragraph": record.source_paragraph, "source_sentences": list(record.source_sentences),
        "speaker": record.speaker, "status": record.status, "target": record.target, "target_lang": options.target.tag,
        "target_paragraph": record.target_paragraph, "target_sentences": list(record.target_sentences),
        "title": record.title, "unit": record.unit, "url": record.url,
    }
    return {key: clean(value, f"{record.uid} {key}") if isinstance(value, str) else value for key, value in raw.items()}


def write_parquet(corpus: Corpus, options: ExportOptions, stream: IO[bytes]) -> None:
    """The records of ``corpus`` as a Parquet file into ``stream``, written a row group at a time."""
    pyarrow = _pyarrow()
    types = {"string": pyarrow.string(), "float64": pyarrow.float64(), "int64": pyarrow.int64(),
             "list": pyarrow.list_(pyarrow.int64())}
    schema = pyarrow.schema([(name, types[kind]) for name, kind in _COLUMNS])
    with pyarrow.parquet.ParquetWriter(stream, schema) as writer:
        rows: list[dict[str, Any]] = []
        for record in corpus.records:
            rows.append(parquet_row(record, corpus, options))
            if len(rows) == _ROW_GROUP:
                writer.write_table(pyarrow.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pyarrow.Table.from_pylist(rows, schema=schema))


__all__ = ["PARQUET", "PARQUET_SUFFIX", "export_store", "parquet_row", "write_parquet"]
