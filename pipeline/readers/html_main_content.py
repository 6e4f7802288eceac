"""Finds the element of a page that holds its main content.

trafilatura is good at judging which text of a page is its content, but
its output is a re-serialised copy that drops what it finds link-heavy
(lists of attachments) and loses row spans. So it is used only as a judge:
the element that holds the text it picks is located in the page, and the
reader walks that element itself.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement

from pipeline.readers.wide_tables import MAX_TABLE_COLUMNS

_SPACE = re.compile(r"\s+")
# The text-bearing elements of trafilatura's output tree.
_JUDGED_TAGS = ("p", "head", "item", "cell", "quote", "code")
# Share of the judged text that one part of the page must hold before the
# judged text outside it may be written off as a stray pick.
_DOMINANT_SHARE = 0.75


@dataclass
class _Hits:
    """Elements whose whole text is a judged block, and the text sizes around them."""

    elements: list[HtmlElement] = field(default_factory=list)
    held: dict[HtmlElement, int] = field(default_factory=dict)
    sizes: dict[HtmlElement, int] = field(default_factory=dict)

    def inside(self, container: HtmlElement) -> list[HtmlElement]:
        return [e for e in self.elements if e is container or container in e.iterancestors()]


def locate_main_content(root: HtmlElement) -> HtmlElement | None:
    """The innermost element holding the page's main text, or None.

    1. trafilatura extracts the main text blocks from a copy of the page.
    2. Elements whose whole text is one of those blocks are hits; no
       element inside a hit is looked at.
    3. The innermost common ancestor of the hits is the candidate.
    4. Stray hits are written off: while one child of the candidate holds
       most of the hit text (``_DOMINANT_SHARE``), and every other child
       holding hits holds other text too (a notice bar or footer line the
       extract took, a side menu entry repeating the page title), the
       candidate narrows to the common ancestor of that child's hits. A
       child that is wholly hit text (a lead paragraph) is never stray.
    Whatever else the result holds stays: content the extract judged too
    link-heavy, such as a list of attachments, is kept; furniture is gone.
    """
    blocks = _judged_blocks(root)
    body = root.find("body")
    if not blocks or body is None:
        return None
    hits = _find_hits(body, blocks)
    if not hits.elements:
        return None
    candidate = _common_ancestor(hits.elements)
    while (dominant := _dominant_child(candidate, hits)) is not None:
        candidate = _common_ancestor(hits.inside(dominant))
    return candidate


def _judged_blocks(root: HtmlElement) -> frozenset[str]:
    result = trafilatura.bare_extraction(
        _tables_cut_for_judging(copy.deepcopy(root)),
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    if result is None or result.body is None:
        return frozenset()
    keys = (_key("".join(e.itertext())) for e in result.body.iter(*_JUDGED_TAGS))
    return frozenset(k for k in keys if k)


def _tables_cut_for_judging(page: HtmlElement) -> HtmlElement:
    """``page`` with row and column spans dropped and rows cut to ``MAX_TABLE_COLUMNS`` cells.

    trafilatura takes time by cells times spans (10,000 cells spanning
    columns took 50 s), the judgement rests on the cells' text alone, and
    the reader keeps no more columns than these.
    """
    for row in page.iter("tr"):
        cells = [child for child in row if child.tag in ("td", "th")]
        for cell in cells[MAX_TABLE_COLUMNS:]:
            row.remove(cell)
        for cell in cells[:MAX_TABLE_COLUMNS]:
            cell.attrib.pop("colspan", None)
            cell.attrib.pop("rowspan", None)
    return page


def _find_hits(body: HtmlElement, blocks: frozenset[str]) -> _Hits:
    found: list[tuple[HtmlElement, str]] = []
    sizes: dict[HtmlElement, int] = {}
    stack = [body]
    while stack:
        element = stack.pop()
        key = _key(element.text_content())
        sizes[element] = len(key)
        if key in blocks:
            found.append((element, key))
            continue
        stack.extend(child for child in element if isinstance(child.tag, str))
    hits = _Hits(sizes=sizes)
    for element, key in found:
        hits.elements.append(element)
        for holder in (element, *element.iterancestors()):
            hits.held[holder] = hits.held.get(holder, 0) + len(key)
            if holder is body:
                break
    return hits


def _dominant_child(candidate: HtmlElement, hits: _Hits) -> HtmlElement | None:
    holding = [child for child in candidate if hits.held.get(child)]
    if len(holding) < 2:
        return None
    dominant = max(holding, key=lambda child: hits.held[child])
    if hits.held[dominant] < _DOMINANT_SHARE * hits.held[candidate]:
        return None
    others = (child for child in holding if child is not dominant)
    return dominant if all(hits.held[child] < hits.sizes[child] for child in others) else None


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    first, *rest = elements
    shared = [first, *first.iterancestors()]
    for element in rest:
        # lxml hands out one proxy per node while a reference is held, so
        # identity compares nodes as long as ``shared`` and ``lineage`` live.
        lineage = (element, *element.iterancestors())
        shared = [e for e in shared if any(e is other for other in lineage)]
    return shared[0]


def _key(text: str) -> str:
    # Whitespace differs between trafilatura's output and the page source
    # (line breaks become <lb/>, indentation is trimmed); the characters do not.
    return _SPACE.sub("", text)
