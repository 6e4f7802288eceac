"""Running headers, footers and page numbers, found across pages and dropped.

A running header or footer is a line that recurs at the same height on most
pages, its numbers aside ("Työohjelma 2024 | 3" and "... | 4" are the same
line); a page number is a lone number in the top or bottom margin.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.readers.pdf_conventions import conventions
from pipeline.readers.pdf_lines import Line

# Share of the page height, from the top and from the bottom, where page
# furniture lives; body text of common templates starts below it.
MARGIN_SHARE = 0.09
# A line counts as running furniture when it recurs on this share of pages.
RECURRING_SHARE = 0.5
HEADING_RATIO = 1.15
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class PageLines:
    """One page's rows of line segments, top to bottom."""

    number: int
    height: float
    rows: list[list[Line]]


def drop_page_furniture(pages: Sequence[PageLines]) -> list[PageLines]:
    """The pages without running headers, footers and page numbers.

    Furniture is set no larger than the body text; a larger line that
    recurs in the margin is a heading every page starts with.
    """
    recurring = _recurring_keys(pages, _body_size(pages) * HEADING_RATIO)
    return [
        PageLines(page.number, page.height, _kept_rows(page, recurring))
        for page in pages
    ]


def _kept_rows(page: PageLines, recurring: set[tuple[int, str]]) -> list[list[Line]]:
    rows = []
    for row in page.rows:
        kept = [line for line in row if not _is_furniture(line, page.height, recurring)]
        if kept:
            rows.append(kept)
    return rows


def _is_furniture(line: Line, height: float, recurring: set[tuple[int, str]]) -> bool:
    if not _in_margin(line, height):
        return False
    return _key(line) in recurring or conventions().is_page_number(line.text)


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom <= height * MARGIN_SHARE or line.top >= height * (1 - MARGIN_SHARE)


def _key(line: Line) -> tuple[int, str]:
    # Heights are bucketed by 4 pt: the same template line drifts by a
    # point or two between pages with different fonts in it.
    return round(line.top / 4), _DIGITS.sub("#", line.text.lower())


def _body_size(pages: Sequence[PageLines]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for row in page.rows:
            for line in row:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _recurring_keys(pages: Sequence[PageLines], largest: float) -> set[tuple[int, str]]:
    if len(pages) < 2:
        return set()
    counts: Counter[tuple[int, str]] = Counter()
    for page in pages:
        counts.update(
            {_key(line) for row in page.rows for line in row if _in_margin(line, page.height) and line.size < largest}
        )
    needed = max(2, RECURRING_SHARE * len(pages))
    return {key for key, count in counts.items() if count >= needed}
