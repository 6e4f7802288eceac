"""Walks an HTML element in reading order and reports its blocks to a sink.

The walker knows HTML's block/inline distinction: inline content (text,
links, emphasis) runs together into lines, ``<br>`` ends a line, and every
block element ends the paragraph before it. What becomes of a line depends
on where it stands: a paragraph in running text, a list item inside a list,
a cell paragraph inside a table cell (the sink decides).
"""

from __future__ import annotations

from typing import Iterator, Protocol

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
# ARIA's default level for role="heading" without aria-level.
_ARIA_DEFAULT_HEADING_LEVEL = 2


class BlockSink(Protocol):
    """Receives the blocks of a walk; text is raw, not yet normalised."""

    def heading(self, text: str, level: int) -> None: ...

    def paragraph(self, text: str) -> None: ...

    def list_item(self, text: str, level: int) -> None: ...

    def table(self, element: HtmlElement) -> None: ...


def walk_blocks(element: HtmlElement, sink: BlockSink) -> None:
    """Reports the blocks inside ``element`` (not the element's own tail) to ``sink``."""
    walker = _Walker(sink)
    walker.children(element)
    walker.flush()


def cell_paragraphs(cell: HtmlElement) -> list[str]:
    """A table cell's paragraphs: one per <p>, line or list item; a nested table is flattened."""
    collector = _ParagraphCollector()
    walk_blocks(cell, collector)
    return collector.paragraphs


def heading_level(element: HtmlElement) -> int | None:
    """1..6 for <h1>..<h6> and role="heading" elements; None for anything else."""
    if element.tag in HEADING_LEVELS:
        return HEADING_LEVELS[element.tag]
    if element.get("role") != "heading":
        return None
    level = element.get("aria-level", "")
    return min(int(level), 6) if level.isdigit() and int(level) >= 1 else _ARIA_DEFAULT_HEADING_LEVEL


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


class _Walker:
    """Collects inline text into lines and flushes them at block boundaries."""

    def __init__(self, sink: BlockSink) -> None:
        self.sink = sink
        self.list_level = 0
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
        elif tag == "pre":
            self._preformatted(element)
        elif tag in BLOCK_TAGS:
            # Layout tables land here too: their cells are read as blocks.
            self.flush()
            self.children(element)
            self.flush()
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
        if self.list_level:
            self.sink.list_item(" ".join(lines), self.list_level)
            return
        for line in lines:
            self.sink.paragraph(line)

    def _emit_heading(self, text: str, level: int) -> None:
        if normalise_inline(text) and not is_residue_line(text):
            self.sink.heading(text, level)

    def _list(self, element: HtmlElement) -> None:
        self.flush()
        self.list_level += 1
        self.children(element)
        self.flush()
        self.list_level -= 1

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

    def list_item(self, text: str, level: int) -> None:
        self.paragraphs.append(text)

    def table(self, element: HtmlElement) -> None:
        walk_blocks(element, self)
