"""Broken and pathological HTML made safe for the parser, before parsing: nothing of its text lost.

Two things make libxml2's HTML parser lose text silently. An inline tag left open (``<p><font>…
</p>``, hundreds of times) makes it nest every later paragraph inside the one before, until the
article is one deep chain whose paragraphs no longer sit side by side; and past its depth limit it
drops the rest of the page. :func:`balance` closes inline elements where the block that opened
them ends, drops stray end tags, and beyond ``max_depth`` open elements keeps the text but not the
tags (a block tag there becomes an empty ``<p></p>``, so the paragraphs stay apart). A well-formed
page comes out byte for byte as it went in.
"""

from __future__ import annotations

from collections import Counter

import regex

_TOKEN = regex.compile(
    r"""<!--.*?(?:-->|\Z)|<![^>]*>|<\?[^>]*>|<(/?)([A-Za-z][A-Za-z0-9:_-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""",
    regex.DOTALL,
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext", "noscript", "iframe", "noembed"})
_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input isindex keygen link meta param source track wbr".split()
)
INLINE = frozenset(
    "a abbr acronym b bdi bdo big blink cite code del dfn em font i ins kbd mark nobr q s samp small span strike "
    "strong sub sup tt u var".split()
)
_CLOSES_P = frozenset(
    "address article aside blockquote div dl fieldset figure footer form h1 h2 h3 h4 h5 h6 header hr main nav ol p "
    "pre section table ul".split()
)
_LIST_ITEMS = {"li": frozenset({"ul", "ol", "menu"}), "dt": frozenset({"dl"}), "dd": frozenset({"dl"})}
_BOUNDARY = "<p></p>"
MAX_DEPTH = 256
"""libxml2's own limit without XML_PARSE_HUGE: no real page comes near it."""


def balance(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with unclosed inline tags closed at the end of their block, and no more than ``max_depth`` levels."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, emitted): tags beyond max_depth are open but not written
    open_names: Counter[str] = Counter()
    depth = 0
    position = 0

    def close_to(name: str) -> None:
        nonlocal depth
        while stack:
            tag, emitted = stack.pop()
            open_names[tag] -= 1
            if emitted:
                depth -= 1
                out.append(f"</{tag}>")
            elif tag in _CLOSES_P:
                out.append(_BOUNDARY)
            if tag == name:
                return

    while True:
        match = _TOKEN.search(html, position)
        if match is None:
            out.append(html[position:])
            break
        out.append(html[position : match.start()])
        position = match.end()
        closing, raw_name, attributes = match.group(1), match.group(2), match.group(3)
        if raw_name is None:  # comment, doctype, processing instruction
            out.append(match.group())
            continue
        name = raw_name.lower()
        if closing:
            if open_names[name]:
                # Inline elements still open inside this one end with it (what the author meant).
                close_to(name)
            continue  # a stray end tag closes nothing
        if name in _RAW_TEXT and not attributes.rstrip().endswith("/"):
            end = regex.compile(rf"</{name}\s*>", regex.IGNORECASE).search(html, position)
            stop = end.end() if end else len(html)
            out.append(match.group() + html[position:stop])
            position = stop
            continue
        if name in _VOID or attributes.rstrip().endswith("/"):
            out.append(match.group())
            continue
        if name in _CLOSES_P and open_names["p"] and _open_within(stack, "p", frozenset({"table", "td", "th"})):
            close_to("p")
        elif name in _LIST_ITEMS and open_names[name] and _open_within(stack, name, _LIST_ITEMS[name]):
            close_to(name)
        elif name in ("td", "th", "tr") and open_names[name] and _open_within(stack, name, frozenset({"table"})):
            close_to(name)
        if name in _CLOSES_P or name in _LIST_ITEMS:
            # An inline element left open before a block does not wrap it.
            while stack and stack[-1][0] in INLINE:
                close_to(stack[-1][0])
        emitted = depth < max_depth
        stack.append((name, emitted))
        open_names[name] += 1
        if emitted:
            depth += 1
            out.append(match.group())
        elif name in _CLOSES_P:
            out.append(_BOUNDARY)
    return "".join(out)


def _open_within(stack: list[tuple[str, bool]], name: str, scope: frozenset[str]) -> bool:
    """True when ``name`` is open above the nearest element of ``scope`` (a nested list, a table)."""
    for tag, _ in reversed(stack):
        if tag == name:
            return True
        if tag in scope:
            return False
    return False
