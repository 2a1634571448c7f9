"""Every option that changes what aligner writes, in one frozen object, and its signature.

:class:`Settings` is built by the command line (or by a caller of ``aligner.pipeline``) and
passed down; each stage takes the part it needs. Its :attr:`Settings.signature` is a short
line that says how an alignment was made — version, input mode, segmentation rules and their
hash, whether the learned layer of segmentation was on, dictionary and machine translation
hashes, learning and every alignment setting that differs from its default, and the hash of
the anchors file when beads were fixed beforehand and the sentence encoder when one was used — in the manner of sacrebleu's signatures::

    aligner:0.2.0|input:text|srx:aligner.srx@1f0c2a9b|seg:learned|dict:none|mt:none|learn:no|align:default

It is written into every output that has room for it (a TMX header property, a PO header
field, a JSONL field, an XLIFF header note) and read back with the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from aligner.align import AlignSettings
from aligner.embeddings import ENCODERS, Encoder, get_encoder
from aligner.errors import AlignerError
from aligner.formats import DEFAULT_FORMATS, ExportOptions, get_format
from aligner.languages import LanguagePair
from aligner.segment import default_srx_path
from aligner.version import __version__

_DIGEST_CHARS = 8


@dataclass(frozen=True)
class Settings:
    """Every option of a run that changes its output.

    ``srx``, ``dictionary``, ``translation`` and ``anchors`` name files (``None``: the toolkit's
    own rules, no dictionary, no machine translation, no beads fixed beforehand); the rest are
    values. ``learned_segmentation`` puts the learned layer on top of the SRX rules (see
    aligner.segment.learned). ``embeddings`` names the sentence encoder whose similarities are
    evidence too (None: none; see aligner.embeddings). ``formats`` names the output formats; ``keep_unaligned``,
    ``min_confidence`` and ``excel`` are :class:`ExportOptions`.
    """

    languages: LanguagePair
    presegmented: bool = False
    srx: Path | None = None
    learned_segmentation: bool = True
    embeddings: str | None = None
    dictionary: Path | None = None
    translation: Path | None = None
    anchors: Path | None = None
    alignment: AlignSettings = field(default_factory=AlignSettings)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    keep_unaligned: bool = False
    min_confidence: float = 0.0
    excel: bool = False

    def __post_init__(self) -> None:
        if self.embeddings is not None and self.embeddings not in ENCODERS:
            raise AlignerError(f"unknown encoder '{self.embeddings}'; choose from {', '.join(ENCODERS)}")
        for name in self.formats:
            get_format(name)

    def export_options(self) -> ExportOptions:
        """How the formats write: the languages' tags and the unit selection."""
        return ExportOptions(
            source=self.languages.source,
            target=self.languages.target,
            keep_unaligned=self.keep_unaligned,
            min_confidence=self.min_confidence,
            excel=self.excel,
        )

    @cached_property
    def signature(self) -> str:
        """The short line that says how an alignment was made with these settings.

        Computed once per Settings object: it reads the files it names, to hash them.
        """
        srx = self.srx if self.srx is not None else default_srx_path()
        parts = [
            f"aligner:{__version__}",
            f"input:{'presegmented' if self.presegmented else 'text'}",
            f"srx:{srx.name}@{_digest(srx)}",
            f"seg:{'learned' if self.learned_segmentation else 'rules'}",
            f"dict:{_digest(self.dictionary) if self.dictionary else 'none'}",
            f"mt:{_digest(self.translation) if self.translation else 'none'}",
            f"learn:{'yes' if self.alignment.learn else 'no'}",
            f"align:{_changes(self.alignment, exclude={'learn'}) or 'default'}",
        ]
        if self.embeddings is not None:
            # Only when on, as with anchors: ordinary runs keep the signatures they had.
            parts.append(f"emb:{self.embeddings}")
        if self.anchors is not None:
            # Only when given, so that the signatures of ordinary runs stay as they were.
            parts.append(f"anchors:{_digest(self.anchors)}")
        return "|".join(parts)


def parse_signature(signature: str) -> dict[str, str]:
    """The fields of a signature: ``{"aligner": "0.2.0", "srx": "aligner.srx@1f0c2a9b", …}``."""
    fields = {}
    for part in signature.split("|"):
        key, separator, value = part.partition(":")
        if not separator:
            raise AlignerError(f"'{signature}' is not an aligner signature (no 'key:value' in {part!r})")
        fields[key] = value
    return fields


def alignment_of(signature: str) -> AlignSettings:
    """The alignment settings a signature records (learning and every changed setting).

    What a signature names only by hash (rules, dictionary, translation) is not recovered; a
    signature that is not aligner's (a file of another tool) gives the defaults.
    """
    try:
        fields = parse_signature(signature)
    except AlignerError:
        return AlignSettings()
    settings = AlignSettings(learn=fields.get("learn") == "yes")
    changed = fields.get("align", "default")
    if changed in ("", "default"):
        return settings
    assignments = dict(part.partition("=")[::2] for part in changed.split(","))
    return with_changes(settings, {name: value.strip("'\"") for name, value in assignments.items()})


def encoder_of_signature(signature: str) -> Encoder | None:
    """The sentence encoder a signature records (``emb:NAME``), or None."""
    try:
        name = parse_signature(signature).get("emb")
    except AlignerError:
        return None
    return get_encoder(name) if name else None


def with_changes(settings: AlignSettings, assignments: dict[str, str]) -> AlignSettings:
    """``settings`` with fields of its own or of its cost model set from ``NAME=VALUE`` text.

    An unknown name, or a value that is not of the field's type, is an AlignerError listing
    what can be set.
    """
    own = {f.name: f for f in dataclasses.fields(settings) if f.name != "model"}
    model_fields = {f.name: f for f in dataclasses.fields(settings.model)}
    changes: dict[str, Any] = {}
    model_changes: dict[str, Any] = {}
    for name, text in assignments.items():
        if name in own:
            changes[name] = _value(name, text, getattr(settings, name))
        elif name in model_fields:
            model_changes[name] = _value(name, text, getattr(settings.model, name))
        else:
            known = ", ".join(sorted([*own, *model_fields]))
            raise AlignerError(f"'{name}' is not an alignment setting; the settings are {known}")
    model = dataclasses.replace(settings.model, **model_changes)
    return dataclasses.replace(settings, model=model, **changes)


_KINDS = {bool: "true or false", int: "a whole number", float: "a number"}


def _value(name: str, text: str, current: Any) -> Any:
    kind = type(current)
    try:
        if kind is bool:
            if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(text)
            return text.lower() in ("true", "yes", "1")
        value = kind(text)
    except ValueError:
        described = _KINDS.get(kind, kind.__name__)
        raise AlignerError(f"{name}={text}: {name} takes {described}, such as {current!r}") from None
    if isinstance(value, (int, float)) and value < 0:
        raise AlignerError(f"{name}={text}: {name} cannot be negative")
    return value


def _changes(settings: Any, exclude: set[str]) -> str:
    """``name=value`` for every field that differs from its default, nested ones flattened."""
    default = type(settings)()
    parts = []
    for item in dataclasses.fields(settings):
        if item.name in exclude:
            continue
        value, usual = getattr(settings, item.name), getattr(default, item.name)
        if dataclasses.is_dataclass(value):
            nested = _changes(value, set())
            if nested:
                parts.append(nested)
        elif value != usual:
            parts.append(f"{item.name}={value!r}")
    return ",".join(parts)


def _digest(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise AlignerError(f"{path}: cannot read ({error.strerror})") from None
    return hashlib.sha256(data).hexdigest()[:_DIGEST_CHARS]


def settings_reference() -> str:
    """docs/settings.md: every alignment setting with its default, from the dataclasses themselves."""
    alignment = AlignSettings()
    lines = [
        "# Alignment settings",
        "",
        "Every setting below can be changed on `aligner align` and `aligner run` with",
        "`--set NAME=VALUE` (repeatable); a changed one shows in the signature of every output.",
        "This page is generated from the settings' own definitions (a test keeps it in sync):",
        "`python3 -c 'import aligner.settings as s; print(s.settings_reference(), end=\"\")' > docs/settings.md`.",
        "",
        "## Search and learning",
        "",
        "| name | default | what it does |",
        "|---|---|---|",
    ]
    for item in dataclasses.fields(alignment):
        if item.name != "model":
            lines.append(f"| `{item.name}` | `{getattr(alignment, item.name)!r}` | {item.metadata.get('doc', '')} |")
    model = alignment.model
    lines += ["", "## Bead cost", "", inspect.cleandoc(type(model).__doc__ or ""), "", "| name | default |", "|---|---|"]
    lines += [f"| `{item.name}` | `{getattr(model, item.name)!r}` |" for item in dataclasses.fields(model)]
    return "\n".join(lines) + "\n"


__all__ = ["Settings", "alignment_of", "encoder_of_signature", "parse_signature", "settings_reference", "with_changes"]

