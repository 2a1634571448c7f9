"""The gates: run the rules on each document and decide, per document and for the corpus, what passes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from aligner.check.config import CheckConfig, RuleSettings
from aligner.check.pairs import CheckedDocument
from aligner.check.rules import ERROR, RULES, Finding

PASS = "pass"
FAIL = "fail"
WARN = "warn"
SKIPPED = "skipped"


@dataclass(frozen=True)
class RuleResult:
    """What one rule found in one document (or, for the corpus, in all of them).

    ``status`` is ``fail`` (an error rule over its limit), ``warn`` (a warning rule over its
    limit), ``pass`` or ``skipped`` (the input lacks data the rule needs: ``reason`` says
    which). ``pairs`` is the number of pairs judged, the base of ``ratio``.
    """

    rule: str
    severity: str
    status: str
    count: int
    pairs: int
    max_count: int | None
    max_ratio: float | None
    findings: tuple[Finding, ...] = ()
    reason: str | None = None

    @property
    def ratio(self) -> float:
        """Findings per judged pair."""
        return self.count / self.pairs if self.pairs else 0.0

    @property
    def limit(self) -> str:
        """The limit in words, such as "0", "5 %" or "3 or 5 %"."""
        parts = []
        if self.max_count is not None:
            parts.append(str(self.max_count))
        if self.max_ratio is not None:
            parts.append(f"{self.max_ratio:.1%}".replace(".0%", "%"))
        return " or ".join(parts) if parts else "none"


@dataclass(frozen=True)
class DocumentResult:
    """The rule results of one document: the document without its records (``pairs`` counts them;
    a gate over a corpus of millions of pairs keeps only what the reports show)."""

    document: CheckedDocument
    pairs: int
    results: tuple[RuleResult, ...]

    @property
    def passed(self) -> bool:
        """True when no rule failed."""
        return all(result.status != FAIL for result in self.results)


@dataclass(frozen=True)
class Report:
    """Every document's results, the corpus gates (rules with corpus limits) and the verdict."""

    documents: tuple[DocumentResult, ...]
    corpus: tuple[RuleResult, ...]
    config: CheckConfig

    @property
    def passed(self) -> bool:
        """True when every document and every corpus gate passed."""
        return all(d.passed for d in self.documents) and all(r.status != FAIL for r in self.corpus)


def run_checks(documents: Iterable[CheckedDocument], config: CheckConfig) -> Report:
    """Apply every enabled rule to every document and weigh the findings against the limits.

    ``documents`` is read once, one document at a time: give an iterator (as ``load_store``
    does) and memory holds one document's records, not the corpus's.
    """
    results = tuple(
        DocumentResult(replace(document, pairs=()), len(document.pairs), _document_results(document, config))
        for document in documents
    )
    corpus = []
    for name, settings in config.rules.items():
        if not settings.enabled or (settings.corpus_max_count is None and settings.corpus_max_ratio is None):
            continue
        judged = [r for d in results for r in d.results if r.rule == name and r.status != SKIPPED]
        count = sum(r.count for r in judged)
        pairs = sum(r.pairs for r in judged)
        corpus.append(
            RuleResult(
                rule=name,
                severity=settings.severity,
                status=_status(count, pairs, settings.corpus_max_count, settings.corpus_max_ratio, settings.severity),
                count=count,
                pairs=pairs,
                max_count=settings.corpus_max_count,
                max_ratio=settings.corpus_max_ratio,
                reason=None if judged else "no document could be judged",
            )
        )
    return Report(results, tuple(corpus), config)


def _document_results(document: CheckedDocument, config: CheckConfig) -> tuple[RuleResult, ...]:
    results = []
    for name, settings in config.rules.items():
        if not settings.enabled:
            continue
        rule = RULES[name]
        missing = [need for need in rule.needs if need in document.lacking]
        if missing:
            results.append(_skipped(name, settings, document.lacking[missing[0]]))
            continue
        findings = tuple(rule.check(document, settings.parameters))
        pairs = len(document.pairs)
        results.append(
            RuleResult(
                rule=name,
                severity=settings.severity,
                status=_status(len(findings), pairs, settings.max_count, settings.max_ratio, settings.severity),
                count=len(findings),
                pairs=pairs,
                max_count=settings.max_count,
                max_ratio=settings.max_ratio,
                findings=findings,
            )
        )
    return tuple(results)


def _skipped(name: str, settings: RuleSettings, reason: str) -> RuleResult:
    return RuleResult(name, settings.severity, SKIPPED, 0, 0, settings.max_count, settings.max_ratio, reason=reason)


def _status(count: int, pairs: int, max_count: int | None, max_ratio: float | None, severity: str) -> str:
    over = (max_count is not None and count > max_count) or (
        max_ratio is not None and pairs > 0 and count / pairs > max_ratio
    )
    if not over:
        return PASS
    return FAIL if severity == ERROR else WARN
