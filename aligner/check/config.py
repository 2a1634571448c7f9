"""Settings of the quality gate: which rules run, how severe they are, how many findings pass.

They come from ``[tool.aligner.check]`` in the nearest ``pyproject.toml`` (the current folder
or one above it), or from a TOML file given with ``--config``::

    [tool.aligner.check.numbers]
    severity = "error"        # or "warning": reported, never fails the gate
    max-count = 0             # findings allowed per document
    [tool.aligner.check.length-ratio]
    max-z = 4.0               # a parameter of the rule
    [tool.aligner.check.target-reuse]
    enabled = false

A rule's default limits are replaced as a whole when a table gives ``max-count`` or
``max-ratio`` (so ``max-ratio = 0.05`` alone allows 5 % of the pairs, whatever the default
count was); the same holds for ``corpus-max-count`` and ``corpus-max-ratio``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligner.check.rules import RULES, SEVERITIES, Rule
from aligner.errors import AlignerError

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10 has no TOML reader of its own
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

_LIMITS = ("max-count", "max-ratio")
_CORPUS_LIMITS = ("corpus-max-count", "corpus-max-ratio")
_KEYS = ("enabled", "severity", *_LIMITS, *_CORPUS_LIMITS)


@dataclass(frozen=True)
class RuleSettings:
    """How one rule is applied.

    A document fails the rule's gate when the rule's severity is ``error`` and its findings
    exceed ``max_count`` or make more than ``max_ratio`` of its pairs; the corpus likewise
    with the corpus limits, over all documents. ``None`` means no such limit.
    """

    enabled: bool
    severity: str
    max_count: int | None
    max_ratio: float | None
    corpus_max_count: int | None
    corpus_max_ratio: float | None
    parameters: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckConfig:
    """The settings of every rule, and the file they were read from (``None``: the defaults)."""

    rules: Mapping[str, RuleSettings]
    origin: str | None = None


def _defaults() -> dict[str, RuleSettings]:
    return {name: _default(rule) for name, rule in RULES.items()}


def _default(rule: Rule) -> RuleSettings:
    """The settings a rule has when no configuration mentions it."""
    return RuleSettings(
        enabled=True,
        severity=rule.severity,
        max_count=rule.max_count,
        max_ratio=rule.max_ratio,
        corpus_max_count=None,
        corpus_max_ratio=None,
        parameters=dict(rule.parameters),
    )


def load_config(path: str | os.PathLike[str] | None = None, start: str | os.PathLike[str] = ".") -> CheckConfig:
    """The settings in ``path`` (a TOML file), else in the nearest ``pyproject.toml`` above ``start``.

    ``path`` may be a ``pyproject.toml`` (its ``[tool.aligner.check]`` table is read) or a file
    of its own whose top-level tables are the rules. Without either, every rule has its defaults.
    """
    if path is not None:
        data = _read_toml(Path(path))
        table = _tool_table(data) if "tool" in data else data
        return parse_config(table or {}, str(path))
    for folder in (Path(start).resolve(), *Path(start).resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _tool_table(_read_toml(candidate))
            return parse_config(table, str(candidate)) if table is not None else CheckConfig(_defaults())
    return CheckConfig(_defaults())


def parse_config(table: Mapping[str, Any], origin: str) -> CheckConfig:
    """Settings from the contents of a ``[tool.aligner.check]`` table; a mistake is an AlignerError."""
    rules = _defaults()
    for name, values in table.items():
        if name not in RULES:
            raise AlignerError(f"{origin}: unknown rule '{name}'; the rules are {', '.join(RULES)}")
        if not isinstance(values, Mapping):
            raise AlignerError(f"{origin}: '{name}' must be a table such as [tool.aligner.check.{name}]")
        rules[name] = _rule_settings(RULES[name], rules[name], values, f"{origin}: [{name}]")
    return CheckConfig(rules, origin)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        raise AlignerError(f"{path}: no such file") from None
    except OSError as error:
        raise AlignerError(f"{path}: cannot read ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise AlignerError(f"{path}: not valid TOML ({error})") from None


def _tool_table(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    table: Any = data
    for key in ("tool", "aligner", "check"):
        if not isinstance(table, Mapping) or key not in table:
            return None
        table = table[key]
    return table if isinstance(table, Mapping) else {}


def _rule_settings(rule: Rule, default: RuleSettings, values: Mapping[str, Any], where: str) -> RuleSettings:
    unknown = [key for key in values if key not in _KEYS and key not in rule.parameters]
    if unknown:
        allowed = ", ".join((*_KEYS, *rule.parameters))
        raise AlignerError(f"{where}: unknown setting '{unknown[0]}'; use {allowed}")
    enabled = values.get("enabled", default.enabled)
    if not isinstance(enabled, bool):
        raise AlignerError(f"{where}: enabled must be true or false, not {enabled!r}")
    severity = values.get("severity", default.severity)
    if severity not in SEVERITIES:
        raise AlignerError(f"{where}: severity must be {' or '.join(repr(s) for s in SEVERITIES)}, not {severity!r}")
    max_count, max_ratio = default.max_count, default.max_ratio
    if any(key in values for key in _LIMITS):
        max_count = _count(values.get("max-count"), f"{where} max-count")
        max_ratio = _ratio(values.get("max-ratio"), f"{where} max-ratio")
    corpus_max_count, corpus_max_ratio = default.corpus_max_count, default.corpus_max_ratio
    if any(key in values for key in _CORPUS_LIMITS):
        corpus_max_count = _count(values.get("corpus-max-count"), f"{where} corpus-max-count")
        corpus_max_ratio = _ratio(values.get("corpus-max-ratio"), f"{where} corpus-max-ratio")
    parameters = dict(default.parameters)
    for key in rule.parameters:
        if key in values:
            value = values[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise AlignerError(f"{where}: {key} must be a number of at least 0, not {value!r}")
            parameters[key] = value
    return RuleSettings(enabled, severity, max_count, max_ratio, corpus_max_count, corpus_max_ratio, parameters)


def _count(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AlignerError(f"{where} must be a whole number of at least 0, not {value!r}")
    return value


def _ratio(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise AlignerError(f"{where} must be a share between 0 and 1 (0.05 for 5 %), not {value!r}")
    return float(value)
