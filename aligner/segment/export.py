"""Writing SRX files: a set of rules, with rules added in front of a language's, as SRX 2.0 or 1.0.

CAT tools load these files to segment the way aligner did: OmegaT and Trados read SRX 2.0,
memoQ imports and exports only SRX 1.0. SRX 1.0 has no cascading (the first language map that
matches decides alone), so a cascading set of rules is flattened for it: each language map
gets a language rule holding every rule that a language it matches would get by cascading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex
from lxml import etree

from aligner.errors import AlignerError
from aligner.segment.srx import LanguageMap, Rule, SrxDocument, default_srx_path, load_srx
from aligner.version import __version__

SRX20_NAMESPACE = "http://www.lisa.org/srx20"
VERSIONS = ("2.0", "1.0")

_PREFIX_PATTERN = regex.compile(r"([A-Za-z]{2,8})(?:\.\*|\(\?:-\.\*\)\?)")
_CATCH_ALL = ".*"


@dataclass(frozen=True)
class Addition:
    """Rules to put before all others for one language: ``tag`` (``ru-RU``) and its primary ``code`` (``ru``)."""

    code: str
    tag: str
    name: str
    rules: tuple[Rule, ...]

    @property
    def pattern(self) -> str:
        """The language pattern of the addition: the primary language, any region (``RU(?:-.*)?``)."""
        return f"{self.code.upper()}(?:-.*)?"


def render_srx(
    document: SrxDocument, version: str = "2.0", additions: Sequence[Addition] = (), note: str = ""
) -> bytes:
    """``document`` with ``additions`` as an SRX file of ``version`` ("2.0" or "1.0").

    The additions come before every other rule of their language, so they decide wherever
    they match. ``note`` goes into a comment at the top of the file.
    """
    if version not in VERSIONS:
        raise AlignerError(f"SRX version {version!r} cannot be written; choose 2.0 or 1.0")
    language_rules, maps = _with_additions(document, additions)
    if version == "1.0":
        language_rules, maps = _flattened(document.source, document.cascade, language_rules, maps)
        return _serialize("1.0", None, language_rules, maps, note)
    return _serialize("2.0", document.cascade, language_rules, maps, note)


def _with_additions(
    document: SrxDocument, additions: Sequence[Addition]
) -> tuple[list[tuple[str, tuple[Rule, ...]]], list[LanguageMap]]:
    language_rules = list(document.language_rules)
    names = {name for name, _ in language_rules}
    added_rules: list[tuple[str, tuple[Rule, ...]]] = []
    added_maps: list[LanguageMap] = []
    for addition in additions:
        name = _unique(addition.name, names)
        names.add(name)
        rules = addition.rules
        if not document.cascade:
            # Without cascading the first matching map decides alone, so the added language
            # rule must carry the rules that the language had before as well.
            rules = rules + document.rules_for(addition.tag)
        added_rules.append((name, rules))
        added_maps.append(LanguageMap(addition.pattern, name))
    return added_rules + language_rules, added_maps + list(document.maps)


def _flattened(
    source: str, cascade: bool, language_rules: list[tuple[str, tuple[Rule, ...]]], maps: list[LanguageMap]
) -> tuple[list[tuple[str, tuple[Rule, ...]]], list[LanguageMap]]:
    """Language rules and maps that give, by first match alone, what cascading gave."""
    by_name = dict(language_rules)
    if not cascade:
        used = {language_map.rule_name for language_map in maps}
        return [(name, rules) for name, rules in language_rules if name in used], maps
    codes: list[str | None] = []
    for language_map in maps:
        prefix = _PREFIX_PATTERN.fullmatch(language_map.pattern)
        if prefix is None and language_map.pattern != _CATCH_ALL:
            raise AlignerError(
                f"{source}: languagemap {language_map.pattern!r} cannot be written as SRX 1.0, which does not "
                "cascade; only patterns such as 'EN.*' and '.*' can be flattened"
            )
        code = prefix.group(1).upper() if prefix else None
        if code not in codes:
            codes.append(code)
    flat_rules: list[tuple[str, tuple[Rule, ...]]] = []
    flat_maps: list[LanguageMap] = []
    names: set[str] = set()
    for code in codes:
        # Every map whose pattern is this language's, or the catch-all, in document order.
        matching = [m for m in maps if m.pattern == _CATCH_ALL or (code is not None and _same_code(m.pattern, code))]
        rules = tuple(rule for language_map in matching for rule in by_name[language_map.rule_name])
        joined = " + ".join(dict.fromkeys(m.rule_name for m in matching))
        name = _unique(joined if code is None else f"{code}: {joined}", names)
        names.add(name)
        flat_rules.append((name, rules))
        flat_maps.append(LanguageMap(f"{code}.*" if code else _CATCH_ALL, name))
    return flat_rules, flat_maps


def _same_code(pattern: str, code: str) -> bool:
    prefix = _PREFIX_PATTERN.fullmatch(pattern)
    return prefix is not None and prefix.group(1).upper() == code


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} {number}", number + 1
    return candidate


def _serialize(
    version: str,
    cascade: bool | None,
    language_rules: list[tuple[str, tuple[Rule, ...]]],
    maps: list[LanguageMap],
    note: str,
) -> bytes:
    namespace = SRX20_NAMESPACE if version == "2.0" else None

    def element(parent: etree._Element | None, name: str, **attributes: str) -> etree._Element:
        tag = f"{{{namespace}}}{name}" if namespace else name
        if parent is None:
            nsmap: dict[str | None, str] | None = {None: namespace} if namespace else None
            return etree.Element(tag, attributes, nsmap=nsmap)  # type: ignore[arg-type]  # lxml-stubs lack the default namespace
        return etree.SubElement(parent, tag, attributes)

    root = element(None, "srx", version=version)
    comment = f" Written by aligner {__version__}. {note.strip()} ".replace("--", "- -")
    root.addprevious(etree.Comment(comment))
    header = element(root, "header", segmentsubflows="yes")
    if cascade is not None:
        header.set("cascade", "yes" if cascade else "no")
    body = element(root, "body")
    rules_element = element(body, "languagerules")
    for name, rules in language_rules:
        language_rule = element(rules_element, "languagerule", languagerulename=name)
        for rule in rules:
            rule_element = element(language_rule, "rule", **{"break": "yes" if rule.breaks else "no"})
            if rule.before:
                element(rule_element, "beforebreak").text = rule.before
            if rule.after:
                element(rule_element, "afterbreak").text = rule.after
    maps_element = element(body, "maprules")
    if version == "1.0":
        maps_element = element(maps_element, "maprule", maprulename="aligner")
    for language_map in maps:
        element(maps_element, "languagemap", languagepattern=language_map.pattern, languagerulename=language_map.rule_name)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(
        root.getroottree(), encoding="UTF-8", pretty_print=True
    )


SRX10_FILE = "aligner-1.0.srx"
"""The toolkit's rules as SRX 1.0, shipped next to ``aligner.srx`` for memoQ users."""


def toolkit_srx10() -> bytes:
    """The toolkit's own rules as SRX 1.0, as shipped in ``aligner/segment/data/aligner-1.0.srx``.

    Regenerate the shipped file after changing ``aligner.srx``::

        python3 -c 'import sys; from aligner.segment.export import toolkit_srx10 as t; sys.stdout.buffer.write(t())' \\
            > aligner/segment/data/aligner-1.0.srx
    """
    note = (
        "The toolkit's segmentation rules (aligner.srx), flattened for SRX 1.0, which has no cascading: "
        "each language's rule holds its own rules followed by the Default ones."
    )
    return render_srx(load_srx(default_srx_path()), "1.0", note=note)


__all__ = ["SRX10_FILE", "Addition", "VERSIONS", "render_srx", "toolkit_srx10"]
