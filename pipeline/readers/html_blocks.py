"""Walks an HTML element in reading order and reports its blocks to a sink.

The walker knows HTML's block/inline distinction: inline content (text,
links, emphasis) runs together into lines, ``<br>`` ends a line, and every
block element ends the paragraph before it. What becomes of a line depends
on where it stands: a paragraph in running text, a list item inside a list,
a cell paragraph inside a table cell (the sink decides).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from lxml.html import HtmlElement

from pipeline.boilerplate import is_residue_line
from pipeline.normalise import normalise_inline
from pipeline.readers.html_tables import is_layout_table

HEADING_LEVELS = {f"h{n}": n for n in range(1, 7)}
LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
# Elements that start and end a block of their own (HTML "flow content"
# that is not "phrasing content"), plus table parts.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
        "hr", "html", "legend", "li", "main", "nav", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    }
)
_BULLET = "•"
# ARIA's default level for role="heading" without aria-level.
_ARIA_DEFAULT_HEADING_LEVEL = 2


class BlockSink(Protocol):
    """Receives the blocks of a walk; text is raw, not yet normalised."""

    def heading(self, text: str, level: int) -> None: ...

    def paragraph(self, text: str) -> None: ...

    def list_item(self, text: str, level: int, marker: str | None) -> None: ...

    def table(self, element: HtmlElement) -> None: ...


def walk_blocks(element: HtmlElement, sink: BlockSink) -> None:
    """Reports the blocks of ``element`` (itself included, its tail not) to ``sink``."""
    walker = _Walker(sink)
    walker.visit(element)
    walker.flush()


def cell_paragraphs(cell: HtmlElement) -> list[str]:
    """A table cell's paragraphs: one per <p>, line or list item; a nested table is flattened."""
    collector = _ParagraphCollector()
    walk_blocks(cell, collector)
    return collector.paragraphs


def heading_level(element: HtmlElement) -> int | None:
    """1..6 for <h1>..<h6>, aria-level (any depth) for role="heading"; None for anything else."""
    if element.tag in HEADING_LEVELS:
        return HEADING_LEVELS[element.tag]
    if element.get("role") != "heading":
        return None
    level = element.get("aria-level", "")
    return int(level) if level.isdigit() and int(level) >= 1 else _ARIA_DEFAULT_HEADING_LEVEL


def inline_text(element: HtmlElement) -> str:
    """The element's text as one line: line breaks and nested blocks become spaces."""
    return "".join(_inline_parts(element))


def _inline_parts(element: HtmlElement) -> Iterator[str]:
    if not isinstance(element.tag, str):
        return
    if element.tag == "br" or element.tag in BLOCK_TAGS:
        yield " "
    if element.text:
        yield element.text
    for child in element:
        yield from _inline_parts(child)
        if child.tail:
            yield child.tail


@dataclass
class _OpenList:
    """A list being walked: whether it counts, and the marker of its current item."""

    ordered: bool
    next_number: int = 1
    marker: str | None = None

    @classmethod
    def of(cls, element: HtmlElement) -> _OpenList:
        start = (element.get("start") or "").strip()
        return cls(element.tag == "ol", int(start) if start.isdigit() else 1)

    def enter_item(self, item: HtmlElement) -> None:
        if not self.ordered:
            self.marker = _BULLET
            return
        value = (item.get("value") or "").strip()
        number = int(value) if value.isdigit() else self.next_number
        self.marker = f"{number}."
        self.next_number = number + 1


class _Walker:
    """Collects inline text into lines and flushes them at block boundaries."""

    def __init__(self, sink: BlockSink) -> None:
        self.sink = sink
        self.lists: list[_OpenList] = []
        self.lines: list[str] = []
        self.line: list[str] = []

    def children(self, element: HtmlElement) -> None:
        if element.text:
            self.line.append(element.text)
        for child in element:
            self.visit(child)
            if child.tail:
                self.line.append(child.tail)

    def visit(self, element: HtmlElement) -> None:
        tag = element.tag
        if not isinstance(tag, str):
            return
        level = heading_level(element)
        if tag == "br":
            self.break_line()
        elif level is not None:
            self.flush()
            self._emit_heading(inline_text(element), level)
        elif tag == "table" and not is_layout_table(element):
            self.flush()
            self.sink.table(element)
        elif tag in LIST_TAGS:
            self._list(element)
        elif tag == "li" and self.lists:
            self.lists[-1].enter_item(element)
            self._block(element)
        elif tag == "pre":
            self._preformatted(element)
        elif tag in BLOCK_TAGS:
            # Layout tables land here too: their cells are read as blocks.
            self._block(element)
        else:
            self.children(element)

    def break_line(self) -> None:
        self.lines.append("".join(self.line))
        self.line = []

    def flush(self) -> None:
        """Ends the current block: its lines become one list item or one paragraph each."""
        self.break_line()
        lines = [line for line in self.lines if normalise_inline(line) and not is_residue_line(line)]
        self.lines = []
        if not lines:
            return
        if self.lists:
            self.sink.list_item(" ".join(lines), len(self.lists), self.lists[-1].marker)
            return
        for line in lines:
            self.sink.paragraph(line)

    def _block(self, element: HtmlElement) -> None:
        self.flush()
        self.children(element)
        self.flush()

    def _emit_heading(self, text: str, level: int) -> None:
        if normalise_inline(text) and not is_residue_line(text):
            self.sink.heading(text, level)

    def _list(self, element: HtmlElement) -> None:
        self.flush()
        self.lists.append(_OpenList.of(element))
        self._block(element)
        self.lists.pop()

    def _preformatted(self, element: HtmlElement) -> None:
        # Line breaks are the structure of preformatted text.
        self.flush()
        for line in element.text_content().splitlines():
            self.line.append(line)
            self.break_line()
        self.flush()


class _ParagraphCollector:
    """A sink that keeps every block as a plain paragraph, as a table cell holds them."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []

    def heading(self, text: str, level: int) -> None:
        self.paragraphs.append(text)

    def paragraph(self, text: str) -> None:
        self.paragraphs.append(text)

    def list_item(self, text: str, level: int, marker: str | None) -> None:
        self.paragraphs.append(text)

    def table(self, element: HtmlElement) -> None:
        # A table nested in a cell is flattened, cell by cell, row by row.
        for cell in element.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th"):
            self.paragraphs.extend(cell_paragraphs(cell))
