"""HTML pages, as a browser saves them: the article is found by text density, not by selectors.

The page is cut into text blocks (paragraphs, headings, list items); the element whose child
blocks hold the most running prose (long blocks with few links) is the article. Navigation,
footers, share buttons and related-links lists lose on both counts, on any site's layout.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import lxml.etree
import lxml.html
import regex

from aligner.encoding import decode
from aligner.errors import AlignerError
from aligner.languages import Language
from aligner.model import Document
from aligner.parse.dates import is_date_line
from aligner.parse.layout import build_document, normalize_space
from aligner.parse.markup import balance

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th "
    "thead tr ul".split()
)
_DROPPED_TAGS = (
    "script style noscript template svg iframe object embed canvas form button select textarea "
    "input label nav footer aside head menu dialog".split()
)
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog"})
_HIDDEN_STYLE = regex.compile(r"display\s*:\s*none")
_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
_XML_DECLARATION = regex.compile(r"^\s*<\?xml[^>]*\?>")
_FLAT_DEPTH = 64
"""Where the parser still finds the balanced markup too deep, it is flattened to this depth."""
_PROSE_MIN_CHARS = 40
_MAX_LINK_DENSITY = 0.3


@dataclass
class _Block:
    owner: lxml.html.HtmlElement
    parts: list[str]
    link_chars: int = 0

    @cached_property
    def text(self) -> str:
        # Read only once the block is complete (_text_blocks returns it), and then often.
        return normalize_space("".join(self.parts))


def parse_html(data: bytes, language: Language, source: str | None = None) -> Document:
    """Parse an HTML page into a Document (title, date, canonical URL, article paragraphs)."""
    name = source or "HTML input"
    root = _parse_tree(data, name, language)
    url = _meta_url(root)
    meta_title, meta_date = _meta_title_and_date(root)
    _drop_chrome_elements(root)
    body = root.find("body")
    blocks = _text_blocks(body if body is not None else root)
    if not any(b.text for b in blocks):
        raise AlignerError(f"{name}: the HTML page has no text")
    heading = next((b.text for b in blocks if b.owner.tag == "h1" and b.text), None)
    title = heading or meta_title
    visible_date = next((d for b in blocks if (d := is_date_line(b.text, language))), None)
    article = _article_blocks(blocks)
    document = build_document(
        [b.text for b in article],
        language,
        title=title,
        date=visible_date or meta_date,
        source=source,
        url=url,
    )
    if document.paragraphs and all(paragraph.is_heading for paragraph in document.paragraphs):
        raise AlignerError(
            f"{name}: the page has no article text (only a title, navigation or links); give the article's own page"
        )
    return document


def _parse_tree(data: bytes, name: str, language: Language) -> lxml.html.HtmlElement:
    declared = _CHARSET.search(data[:4096])
    charset = declared.group(1).decode("ascii") if declared else None
    text = _XML_DECLARATION.sub("", decode(data, name, language.script, charset))
    if not text.strip():
        raise AlignerError(f"{name}: the file is empty")
    # huge_tree lifts libxml2's depth limit (past it the rest of the page would be dropped);
    # markup deeper than the balanced depth is flattened first, keeping its text and blocks.
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(balance(text), parser=parser)
        if any("depth" in entry.message.lower() for entry in parser.error_log):
            root = lxml.html.document_fromstring(balance(text, _FLAT_DEPTH), parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise AlignerError(f"{name}: not readable as HTML ({error})") from None
    return root


def _meta_url(root: lxml.html.HtmlElement) -> str | None:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        values = [v.strip() for v in root.xpath(xpath) if v.strip()]
        if values:
            return values[0]
    return None


def _meta_title_and_date(root: lxml.html.HtmlElement) -> tuple[str | None, str | None]:
    titles = root.xpath('//meta[@property="og:title"]/@content') + root.xpath("//title/text()")
    title = next((normalize_space(t) for t in titles if normalize_space(t)), None)
    dates = root.xpath(
        '//meta[@property="article:published_time" or @name="date" or @itemprop="datePublished"]/@content'
    ) + root.xpath("//time/@datetime")
    for script in root.xpath('//script[@type="application/ld+json"]/text()'):
        dates.extend(_json_ld_dates(script))
    date = next((d.strip() for d in dates if d.strip()), None)
    return title, date


def _json_ld_dates(script: str) -> list[str]:
    try:
        data = json.loads(script)
    except ValueError:
        return []
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _drop_chrome_elements(root: lxml.html.HtmlElement) -> None:
    doomed = [el for el in root.iter(*_DROPPED_TAGS)]
    doomed += [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and (
            el.get("role", "").lower() in _DROPPED_ROLES
            or el.get("hidden") is not None
            or el.get("aria-hidden", "").lower() == "true"
            or _HIDDEN_STYLE.search(el.get("style", ""))
        )
    ]
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the tail text: it belongs to the parent, not to the dropped element.
        if el.tail and el.tail.strip():
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def _text_blocks(root: lxml.html.HtmlElement) -> list[_Block]:
    """The page's text cut at block-level elements, in reading order.

    The tree is walked with a stack of its own, not by recursion: a page may be nested
    thousands of elements deep.
    """
    blocks: list[_Block] = []

    def open_block(owner: lxml.html.HtmlElement) -> _Block:
        block = _Block(owner, [])
        blocks.append(block)
        return block

    block = open_block(root)
    # (what to do, element, inside a link): "enter" an element, its "tail" text after it, "leave" it.
    work: list[tuple[str, lxml.html.HtmlElement, bool]] = [("enter", root, False)]
    while work:
        step, element, in_link = work.pop()
        if step == "enter":
            if element.tag in _BLOCK_TAGS:
                block = open_block(element)
            in_link = in_link or element.tag == "a"
            if element.tag == "br":
                block.parts.append(" ")
            if element.text:
                block.parts.append(element.text)
                block.link_chars += len(element.text.strip()) if in_link else 0
            work.append(("leave", element, in_link))
            for child in reversed([child for child in element if isinstance(child.tag, str)]):
                work.append(("tail", child, in_link))
                work.append(("enter", child, in_link))
        elif step == "tail":
            if element.tail:
                if element.tag in _BLOCK_TAGS:
                    parent = element.getparent()
                    block = open_block(parent if parent is not None else element)
                block.parts.append(element.tail)
                block.link_chars += len(element.tail.strip()) if in_link else 0
        elif element.tag in _BLOCK_TAGS:
            parent = element.getparent()
            block = open_block(parent if parent is not None else element)
    return [b for b in blocks if b.text]


def _is_prose(block: _Block) -> bool:
    text = block.text
    return len(text) >= _PROSE_MIN_CHARS and block.link_chars <= _MAX_LINK_DENSITY * len(text)


def _article_blocks(blocks: list[_Block]) -> list[_Block]:
    """The blocks inside the element that holds the most prose."""
    scores: dict[lxml.html.HtmlElement, float] = defaultdict(float)
    for block in blocks:
        if not _is_prose(block):
            continue
        parent = block.owner.getparent()
        if parent is None:
            continue
        scores[parent] += len(block.text)
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] += len(block.text) / 2
    if not scores:
        return [b for b in blocks if b.link_chars <= _MAX_LINK_DENSITY * len(b.text)]
    article = max(scores, key=lambda el: scores[el])
    inside = [b for b in blocks if _is_within(b.owner, article)]
    return [b for b in inside if b.link_chars <= _MAX_LINK_DENSITY * len(b.text)]


def _is_within(element: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement) -> bool:
    while element is not None:
        if element is ancestor:
            return True
        element = element.getparent()
    return False

