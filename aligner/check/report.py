"""The gate's verdict for people (terminal summary), programs (JSON) and CI servers (JUnit XML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import regex

from aligner.check.gate import FAIL, PASS, SKIPPED, WARN, DocumentResult, Report, RuleResult
from aligner.check.rules import RULES, Finding

_XML_ILLEGAL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SHOWN_FINDINGS = 10
"""Findings listed per rule and document on the terminal; JSON and JUnit list them all."""
_EXCERPT = 100


def _excerpt(text: str, width: int = _EXCERPT) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def _finding_lines(document: DocumentResult, finding: Finding, indent: str, width: int) -> list[str]:
    doc = document.document
    lines = [f"{indent}unit {finding.unit}: {finding.message}"]
    if finding.source.strip() or finding.target.strip():
        for language, text in ((doc.source_language.code, finding.source), (doc.target_language.code, finding.target)):
            lines.append(f"{indent}  {language}: {_excerpt(text, width) if text.strip() else '(empty)'}")
    return lines


def _counted(result: RuleResult) -> str:
    noun = "finding" if result.count == 1 else "findings"
    return f"{result.count} {noun} in {result.pairs} pairs, limit {result.limit}"


def _headline(result: RuleResult) -> str:
    """The line that opens a rule's findings: name, severity, counts, limit and what the rule finds."""
    return f"{result.rule} ({result.severity}): {_counted(result)} — {RULES[result.rule].summary}"


def format_text(report: Report) -> str:
    """The summary printed on the terminal: one block per document, then the verdict."""
    documents = report.documents
    pairs = sum(d.pairs for d in documents)
    languages = sorted({f"{d.document.source_language.code} → {d.document.target_language.code}" for d in documents})
    settings = report.config.origin or "defaults"
    lines = [
        f"aligner check: {len(documents)} document{'s' if len(documents) != 1 else ''}, {pairs} pairs "
        f"({', '.join(languages)}); settings: {settings}",
        "",
    ]
    for document in documents:
        doc = document.document
        lines.append(f"{'PASS' if document.passed else 'FAIL'}  {doc.name}: {document.pairs} pairs ({doc.origin})")
        passed = []
        for result in document.results:
            if result.status == SKIPPED:
                lines.append(f"      skipped {result.rule}: {result.reason}")
            elif result.status == PASS and not result.findings:
                passed.append(result.rule)
            else:
                label = {FAIL: "FAIL", WARN: "WARN", PASS: "ok  "}[result.status]
                lines.append(f"      {label} {_headline(result)}")
                for finding in result.findings[:SHOWN_FINDINGS]:
                    lines.extend(_finding_lines(document, finding, "        ", _EXCERPT))
                if len(result.findings) > SHOWN_FINDINGS:
                    lines.append(f"        … and {len(result.findings) - SHOWN_FINDINGS} more (--json or --junit lists all)")
        if passed:
            lines.append(f"      pass {', '.join(passed)}")
        lines.append("")
    for result in report.corpus:
        state = {FAIL: "FAIL", WARN: "WARN", PASS: "pass"}[result.status]
        lines.append(f"corpus {result.rule} ({result.severity}): {_counted(result)}: {state}")
    failed = [d for d in documents if not d.passed]
    warnings = sum(r.count for d in documents for r in d.results if r.status == WARN)
    corpus_failed = [r.rule for r in report.corpus if r.status == FAIL]
    if report.passed:
        lines.append(f"PASSED: {len(documents)} of {len(documents)} documents pass; {warnings} warning(s)")
    else:
        rules = sorted({r.rule for d in failed for r in d.results if r.status == FAIL} | set(corpus_failed))
        lines.append(
            f"FAILED: {len(failed)} of {len(documents)} documents fail"
            + (", and the corpus" if corpus_failed else "")
            + f" ({', '.join(rules)}); {warnings} warning(s)"
        )
    return "\n".join(lines) + "\n"


def _result_json(result: RuleResult) -> dict[str, object]:
    return {
        "rule": result.rule,
        "severity": result.severity,
        "status": result.status,
        "findings": result.count,
        "pairs": result.pairs,
        "ratio": round(result.ratio, 6),
        "max_count": result.max_count,
        "max_ratio": result.max_ratio,
        "reason": result.reason,
    }


def format_json(report: Report) -> str:
    """The whole report as JSON: documents with their rule results and every finding."""
    data = {
        "passed": report.passed,
        "settings": report.config.origin,
        "documents": [
            {
                "name": d.document.name,
                "origin": d.document.origin,
                "source_language": d.document.source_language.code,
                "target_language": d.document.target_language.code,
                "pairs": d.pairs,
                "passed": d.passed,
                "rules": [_result_json(result) for result in d.results],
                "findings": [
                    {
                        "rule": finding.rule,
                        "severity": result.severity,
                        "unit": finding.unit,
                        "message": finding.message,
                        "source": finding.source,
                        "target": finding.target,
                    }
                    for result in d.results
                    for finding in result.findings
                ],
            }
            for d in report.documents
        ],
        "corpus": [_result_json(result) for result in report.corpus],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_junit(report: Report) -> bytes:
    """JUnit XML: one test case per document, failing with the offending pairs of its failed rules.

    Warnings over their limits and skipped rules go to the test case's ``system-out``. When
    rules have corpus limits, a test case named ``(corpus)`` carries them.
    """
    cases = [_document_case(document) for document in report.documents]
    if report.corpus:
        cases.append(_corpus_case(report.corpus))
    failures = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0", "time": "0"}
    root = ET.Element("testsuites", {"name": "aligner check", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "aligner check", **counts})
    suite.extend(cases)
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _document_case(document: DocumentResult) -> ET.Element:
    doc = document.document
    # The origin as class name tells apart documents of the same name read from different files.
    case = ET.Element("testcase", {"classname": _xml_text(doc.origin), "name": _xml_text(doc.name), "time": "0"})
    failed = [r for r in document.results if r.status == FAIL]
    if failed:
        message = "; ".join(f"{r.rule}: {r.count} finding{'s' if r.count != 1 else ''}, limit {r.limit}" for r in failed)
        failure = ET.SubElement(case, "failure", {"message": message, "type": ", ".join(r.rule for r in failed)})
        failure.text = _xml_text("\n".join(_rule_block(document, failed)))
    notes = [r for r in document.results if r.status == WARN or r.status == SKIPPED]
    if notes:
        lines = [f"{doc.name}: {document.pairs} pairs ({doc.origin})"]
        for result in notes:
            if result.status == SKIPPED:
                lines.append(f"skipped {result.rule}: {result.reason}")
        lines.extend(_rule_block(document, [r for r in notes if r.status == WARN]))
        ET.SubElement(case, "system-out").text = _xml_text("\n".join(lines))
    return case


def _xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, which would make the report unreadable."""
    return _XML_ILLEGAL.sub("", text)


def _rule_block(document: DocumentResult, results: Iterable[RuleResult]) -> list[str]:
    lines = []
    for result in results:
        lines.append(_headline(result))
        for finding in result.findings:
            lines.extend(_finding_lines(document, finding, "  ", 200))
    return lines


def _corpus_case(results: Iterable[RuleResult]) -> ET.Element:
    case = ET.Element("testcase", {"classname": "aligner.check", "name": "(corpus)", "time": "0"})
    results = list(results)
    failed = [r for r in results if r.status == FAIL]
    if failed:
        message = "; ".join(f"{r.rule}: {_counted(r)}" for r in failed)
        ET.SubElement(case, "failure", {"message": message, "type": ", ".join(r.rule for r in failed)}).text = message
    warned = [r for r in results if r.status == WARN]
    if warned:
        ET.SubElement(case, "system-out").text = "\n".join(f"{r.rule} ({r.severity}): {_counted(r)}" for r in warned)
    return case
