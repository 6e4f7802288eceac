"""Finds the element of a page that holds its main content.

trafilatura is good at judging which text of a page is its content, but
its output is a re-serialised copy that drops what it finds link-heavy
(lists of attachments) and loses row spans. So it is used only as a judge:
the element that best covers the text it picks is located in the page, and
the reader walks that element itself.
"""

from __future__ import annotations

import copy
import re
from collections import Counter

import trafilatura
from lxml.html import HtmlElement

_SPACE = re.compile(r"\s+")
# The text-bearing elements of trafilatura's output tree.
_JUDGED_TAGS = ("p", "head", "item", "cell", "quote", "code")
# Share of the judged text the chosen element must hold: high enough that
# a stray block the extractor took from elsewhere does not widen the
# choice to the whole page when it is small, low enough that it may.
_COVERAGE = 0.9


def locate_main_content(root: HtmlElement) -> HtmlElement | None:
    """The smallest element holding nearly all of the page's main text, or None.

    1. trafilatura extracts the main text blocks from a copy of the page.
    2. Elements whose whole text is one of those blocks are hits; no
       element inside a hit is looked at. A text found more often in the
       page than in the extract (the page title repeated in a side menu)
       shares its weight among its occurrences.
    3. Of the elements holding at least ``_COVERAGE`` of the hit weight
       (they form a chain from <body> down), the innermost wins. Erring
       towards the larger element keeps content that the extract judged
       too link-heavy, such as a list of attachments; furniture inside it
       is already gone.
    """
    blocks = _judged_blocks(root)
    body = root.find("body")
    if not blocks or body is None:
        return None
    sizes, hits = _find_hits(body, blocks)
    held = _hit_weight_held(body, hits, blocks)
    total = held.get(body, 0.0)
    if not total:
        return None
    covering = [e for e, weight in held.items() if weight >= _COVERAGE * total]
    return min(covering, key=lambda e: sizes[e])


def _judged_blocks(root: HtmlElement) -> Counter[str]:
    result = trafilatura.bare_extraction(
        copy.deepcopy(root),
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_recall=True,
        with_metadata=False,
        deduplicate=False,
    )
    if result is None or result.body is None:
        return Counter()
    keys = (_key("".join(e.itertext())) for e in result.body.iter(*_JUDGED_TAGS))
    return Counter(k for k in keys if k)


def _find_hits(body: HtmlElement, blocks: Counter[str]) -> tuple[dict[HtmlElement, int], list[tuple[HtmlElement, str]]]:
    """Text size of every element searched, and the hits with their keys."""
    sizes: dict[HtmlElement, int] = {}
    hits: list[tuple[HtmlElement, str]] = []
    stack = [body]
    while stack:
        element = stack.pop()
        key = _key(element.text_content())
        sizes[element] = len(key)
        if key in blocks:
            hits.append((element, key))
            continue
        stack.extend(child for child in element if isinstance(child.tag, str))
    return sizes, hits


def _hit_weight_held(
    body: HtmlElement, hits: list[tuple[HtmlElement, str]], blocks: Counter[str]
) -> dict[HtmlElement, float]:
    found = Counter(key for _, key in hits)
    held: dict[HtmlElement, float] = {}
    for element, key in hits:
        weight = len(key) * min(1.0, blocks[key] / found[key])
        for holder in (element, *element.iterancestors()):
            held[holder] = held.get(holder, 0.0) + weight
            if holder is body:
                break
    return held


def _key(text: str) -> str:
    # Whitespace differs between trafilatura's output and the page source
    # (line breaks become <lb/>, indentation is trimmed); the characters do not.
    return _SPACE.sub("", text)
