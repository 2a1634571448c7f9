"""The quality gate: rules that find translation drift in aligned pairs, and limits that fail CI.

``load_inputs`` turns what the user gives (source files aligned on the fly, or aligned files)
into :class:`CheckedDocument` objects; ``run_checks`` applies the rules of ``RULES`` with the
settings of ``load_config`` and returns a :class:`Report`, which ``format_text``,
``format_json`` and ``format_junit`` render.
"""

from aligner.check.config import CheckConfig, RuleSettings, load_config, parse_config
from aligner.check.gate import DocumentResult, Report, RuleResult, run_checks
from aligner.check.inputs import load_inputs, load_store
from aligner.check.pairs import CheckedDocument
from aligner.check.report import format_json, format_junit, format_text
from aligner.check.rules import RULES, Finding, Rule

__all__ = [
    "RULES",
    "CheckConfig",
    "CheckedDocument",
    "DocumentResult",
    "Finding",
    "Report",
    "Rule",
    "RuleResult",
    "RuleSettings",
    "format_json",
    "format_junit",
    "format_text",
    "load_config",
    "load_inputs",
    "load_store",
    "parse_config",
    "run_checks",
]
