"""``aligner convert``: read one export format, write another.

Formats are named by suffix (``.tmx``, ``.po``, ``.csv``, ``.tsv``, ``.jsonl``) or given. A
Moses bitext is two files named by language (``corpus.en`` + ``corpus.ru``): as input, IN is
the source-side file and the target-side file is its sibling with another language suffix; as
output, OUT names the stem (``corpus`` or ``corpus.en``) and both files are written.
"""

from __future__ import annotations

import os
from pathlib import Path

import regex

from aligner.errors import AlignerError
from aligner.export import FORMATS, Corpus, ExportOptions, beads, exporter, moses, render
from aligner.textio import read_bytes, write_atomic

_LANGUAGE_SUFFIX = regex.compile(r"\.[a-z]{2,3}(?:-[a-z0-9]{1,8})*", regex.IGNORECASE)
# Guessing Moses from a name needs a two-letter code, so that .txt or .xml is not taken for one.
_MOSES_SUFFIX = regex.compile(r"\.[a-z]{2}(?:-[a-z0-9]{1,8})*", regex.IGNORECASE)
_WITHOUT_LANGUAGES = frozenset({"csv", "tsv", "beads"})
"""Formats that write no language tags, so that converting into them needs none."""
_SUFFIX_FORMATS = {module.SUFFIX: name for name, module in FORMATS.items() if hasattr(module, "SUFFIX")}


def format_of(path: Path) -> str:
    """The format a file name implies: its suffix, or ``moses`` for a language suffix such as ``.en``."""
    suffix = path.suffix.lower()
    if suffix in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffix]
    if _MOSES_SUFFIX.fullmatch(suffix):
        return "moses"
    raise AlignerError(
        f"{path}: cannot tell the format from the suffix '{suffix}'; name the file "
        f"{', '.join(_SUFFIX_FORMATS)} or <name>.<language> for Moses, or give --from/--to"
    )


def load(path: Path, format_name: str | None = None, target_code: str | None = None) -> Corpus:
    """Read an export file; for Moses, ``target_code`` picks the target file when several could be."""
    module = exporter(format_name or format_of(path))
    if module is beads:
        raise AlignerError(f"{path}: a bead file holds sentence numbers, not texts, so it cannot be converted")
    if module is moses:
        target = _moses_target(path, target_code)
        return moses.read(
            read_bytes(path), read_bytes(target), str(path.with_suffix("")), path.suffix[1:], target.suffix[1:]
        )
    return module.read(read_bytes(path), str(path))


def _moses_target(source: Path, target_code: str | None) -> Path:
    """The sibling of ``source`` with the target language suffix."""
    stem = source.with_suffix("")
    if target_code:
        candidates = [stem.with_name(f"{stem.name}.{code}") for code in (target_code.split("-")[0], target_code)]
        found = [path for path in candidates if path.is_file()]
        if not found:
            raise AlignerError(f"{source}: no target file {candidates[0]} beside it")
        return found[0]
    siblings = sorted(
        path
        for path in source.parent.iterdir()
        if path != source and path.with_suffix("") == stem and path.is_file()
        and path.suffix.lower() not in _SUFFIX_FORMATS and _LANGUAGE_SUFFIX.fullmatch(path.suffix)
    )
    if len(siblings) != 1:
        found = ", ".join(path.name for path in siblings) or "none"
        raise AlignerError(
            f"{source}: a Moses bitext needs exactly one target file named {stem.name}.<language> beside it "
            f"(found: {found}); give --tgt-lang-code to choose"
        )
    return siblings[0]


def convert(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    source_code: str | None = None,
    target_code: str | None = None,
    keep_unaligned: bool = False,
    min_confidence: float = 0.0,
    excel: bool = False,
) -> list[Path]:
    """Convert ``source`` into ``output`` and return the files written (two for Moses).

    Language tags given here win over those the file states; a file that states none (CSV,
    TSV) needs them given. The other options are those of :class:`ExportOptions`.
    """
    source_path, output_path = Path(source), Path(output)
    corpus = load(source_path, from_format, target_code)
    name = to_format or format_of(output_path)
    codes = (source_code or corpus.source_code, target_code or corpus.target_code)
    if not codes[0] or not codes[1]:
        if name not in _WITHOUT_LANGUAGES:
            raise AlignerError(
                f"{source_path}: the file does not say its languages; give --src-lang-code and --tgt-lang-code"
            )
        codes = ("und", "und")  # BCP 47 "undetermined"; these formats write no tags anyway
    options = ExportOptions(codes[0], codes[1], keep_unaligned, min_confidence, excel)
    files = render(name, corpus, options)
    if exporter(name) is moses:
        # OUT names the stem; a language suffix on it (corpus.en) names one of the two files.
        stem = output_path.with_suffix("") if _LANGUAGE_SUFFIX.fullmatch(output_path.suffix) else output_path
        targets = {stem.with_name(stem.name + suffix): data for suffix, data in files.items()}
    else:
        targets = {output_path: data for data in files.values()}
    if source_path.resolve() in {path.resolve() for path in targets}:
        raise AlignerError(f"{source_path}: converting a file into itself would destroy it; choose another OUT")
    for path, data in targets.items():
        write_atomic(path, data)
    return list(targets)
