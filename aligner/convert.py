"""``aligner convert``: read one format, write another.

Formats are named by suffix or given. A Moses bitext is two files named by language
(``corpus.en`` + ``corpus.ru``): as input, IN is the source-side file and the target-side file
is its sibling with another language suffix; as output, OUT names the stem (``corpus`` or
``corpus.en``) and both files are written. The signature of IN is kept.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from aligner.errors import AlignerError
from aligner.files import write_files
from aligner.formats import ExportOptions, Format, format_of, get_format, input_files, read_path, render
from aligner.languages import UNDETERMINED, Language, resolve_language
from aligner.model import Corpus


def load(path: Path, fmt: Format | None = None, target_tag: str | None = None) -> Corpus:
    """Read an aligned file to convert; for Moses, ``target_tag`` picks the target file when several could be."""
    fmt = fmt or format_of(path)
    if not fmt.carries_text:
        raise AlignerError(f"{path}: a {fmt.name} file holds sentence numbers, not texts, so it cannot be converted")
    return read_path(path, fmt, target_tag)


def convert(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    source_tag: str | None = None,
    target_tag: str | None = None,
    keep_unaligned: bool = False,
    min_confidence: float = 0.0,
    excel: bool = False,
) -> list[Path]:
    """Convert ``source`` into ``output`` and return the files written (two for Moses).

    Language tags given here win over those the file states; a file that states none (CSV,
    TSV) needs them given. The other options are those of :class:`ExportOptions`.
    """
    source_path, output_path = Path(source), Path(output)
    reader = get_format(from_format) if from_format else format_of(source_path)
    corpus = load(source_path, reader, target_tag)
    fmt = get_format(to_format) if to_format else format_of(output_path)
    source_language = _language(source_tag, corpus.source_language)
    target_language = _language(target_tag, corpus.target_language)
    if source_language is None or target_language is None:
        if fmt.carries_languages:
            raise AlignerError(
                f"{source_path}: the file does not say its languages; give --src-lang-code and --tgt-lang-code"
            )
        # These formats write no tags: BCP 47 "undetermined" stands in.
        source_language = target_language = UNDETERMINED
    options = ExportOptions(source_language, target_language, keep_unaligned, min_confidence, excel)
    corpus = replace(corpus, source_language=options.source, target_language=options.target)
    # OUT names the stem of a two-file format (corpus.en names corpus.en and corpus.ru).
    files = render(corpus, fmt.output_stem(output_path), [fmt], options)
    if len(files) == 1:
        files = {output_path: next(iter(files.values()))}
    return write_files(files, inputs=input_files(source_path, reader, target_tag))


def _language(tag: str | None, stated: Language | None) -> Language | None:
    return resolve_language(tag, tag) if tag else stated
