"""Assembles a Document from blocks in reading order, keeping spans exact.

Readers call :class:`DocumentBuilder` once per block; the builder
normalises the text, appends it to the full text and records the span.
The layout of ``Document.text``: blocks separated by a blank line, table
rows by a newline, cells by a tab and paragraphs inside a cell by a newline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Union

from pipeline.document import Block, BlockKind, Cell, Document, ReaderWarning, Section, Table, TextSpan
from pipeline.language import detect_language
from pipeline.normalise import normalise_inline

BLOCK_SEPARATOR = "\n\n"
ROW_SEPARATOR = "\n"
CELL_SEPARATOR = "\t"
CELL_PARAGRAPH_SEPARATOR = "\n"


@dataclass
class RawCell:
    """A cell as a reader found it: its paragraphs, page and header flag."""

    paragraphs: Sequence[str]
    page: int | None = None
    is_header: bool = False


CellInput = Union[str, Sequence[str], RawCell]


@dataclass
class DocumentBuilder:
    """Collects blocks in reading order and builds the Document."""

    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _page_starts: list[int] = field(default_factory=lambda: [0])
    _root: Section = field(default_factory=lambda: Section(heading=None, level=0))
    _stack: list[Section] = field(default_factory=list)
    warnings: list[ReaderWarning] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stack = [self._root]

    # -- blocks ---------------------------------------------------------

    def heading(self, text: str, *, level: int, page: int = 1) -> Block | None:
        """Opens a section; it closes every open section of ``level`` or deeper."""
        if level < 1:
            raise ValueError(f"heading level starts at 1, got {level}")
        span = self._append_block_text(text, page)
        if span is None:
            return None
        block = Block("heading", span, level)
        while self._stack[-1].level >= level:
            self._stack.pop()
        section = Section(heading=block, level=level)
        self._stack[-1].subsections.append(section)
        self._stack.append(section)
        return block

    def paragraph(self, text: str, *, page: int = 1) -> Block | None:
        return self._leaf("paragraph", text, page, 0)

    def list_item(self, text: str, *, page: int = 1, level: int = 1, marker: str | None = None) -> Block | None:
        return self._leaf("list_item", text, page, max(level, 1), marker)

    def table(
        self, rows: Sequence[Sequence[CellInput]], *, page: int = 1, header_rows: int = 0
    ) -> Block | None:
        """Adds a table; ``header_rows`` marks the first rows as headers.

        Rows may differ in length; empty rows are dropped, and a table with
        no text at all is not added.
        """
        raw_rows = [[_as_raw_cell(c, page) for c in row] for row in rows]
        for index in range(min(header_rows, len(raw_rows))):
            for cell in raw_rows[index]:
                cell.is_header = True
        raw_rows = [r for r in raw_rows if any(normalise_inline(p) for c in r for p in c.paragraphs)]
        if not raw_rows:
            return None
        self._start_block(page)
        table_start = self._length
        built_rows: list[tuple[Cell, ...]] = []
        for r, raw_row in enumerate(raw_rows):
            if r:
                self._write(ROW_SEPARATOR)
            cells = []
            for c, raw in enumerate(raw_row):
                if c:
                    self._write(CELL_SEPARATOR)
                cells.append(self._cell(r, c, raw))
            built_rows.append(tuple(cells))
        span = TextSpan(self._slice(table_start), table_start, self._length, page)
        block = Block("table", span, 0, Table(tuple(built_rows)))
        self._stack[-1].blocks.append(block)
        return block

    def warn(self, code: str, message: str, page: int | None = None) -> None:
        self.warnings.append(ReaderWarning(code, message, page))

    # -- result ---------------------------------------------------------

    def build(
        self,
        *,
        source: str,
        sha256: str,
        media_type: str,
        title: str | None = None,
        language: str | None = None,
        page_count: int | None = None,
    ) -> Document:
        text = "".join(self._parts)
        pages = page_count if page_count is not None else len(self._page_starts)
        return Document(
            source=source,
            sha256=sha256,
            media_type=media_type,
            title=(normalise_inline(title) if title else None) or _first_heading(self._root),
            language=language or detect_language(text),
            page_count=max(pages, len(self._page_starts)),
            text=text,
            root=self._root,
            page_starts=tuple(self._page_starts),
            warnings=list(self.warnings),
        )

    # -- internals ------------------------------------------------------

    def _leaf(self, kind: BlockKind, text: str, page: int, level: int, marker: str | None = None) -> Block | None:
        span = self._append_block_text(text, page)
        if span is None:
            return None
        block = Block(kind, span, level, marker=marker)
        self._stack[-1].blocks.append(block)
        return block

    def _append_block_text(self, text: str, page: int) -> TextSpan | None:
        clean = normalise_inline(text)
        if not clean:
            return None
        self._start_block(page)
        start = self._length
        self._write(clean)
        return TextSpan(clean, start, self._length, page)

    def _start_block(self, page: int) -> None:
        if self._length:
            self._write(BLOCK_SEPARATOR)
        self._enter_page(page)

    def _enter_page(self, page: int) -> None:
        # Pages are entered in order; a block on page 3 right after page 1
        # means page 2 was empty, and it starts where page 3 starts.
        if page < 1:
            raise ValueError(f"page numbers start at 1, got {page}")
        while len(self._page_starts) < page:
            self._page_starts.append(self._length)

    def _cell(self, row: int, col: int, raw: RawCell) -> Cell:
        page = raw.page or 1
        self._enter_page(page)
        start = self._length
        paragraphs = []
        for text in (normalise_inline(p) for p in raw.paragraphs):
            if not text:
                continue
            if paragraphs:
                self._write(CELL_PARAGRAPH_SEPARATOR)
            p_start = self._length
            self._write(text)
            paragraphs.append(TextSpan(text, p_start, self._length, page))
        span = TextSpan(self._slice(start), start, self._length, page)
        return Cell(row, col, span, tuple(paragraphs), raw.is_header)

    def _write(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def _slice(self, start: int) -> str:
        # Joining everything per cell would be quadratic; cells are short,
        # so walk back over the last parts only.
        out: list[str] = []
        remaining = self._length - start
        for part in reversed(self._parts):
            if remaining <= 0:
                break
            take = part[-remaining:] if len(part) > remaining else part
            out.append(take)
            remaining -= len(take)
        return "".join(reversed(out))


def _as_raw_cell(cell: CellInput, page: int) -> RawCell:
    if isinstance(cell, RawCell):
        return RawCell(list(cell.paragraphs), cell.page or page, cell.is_header)
    if isinstance(cell, str):
        return RawCell([cell], page)
    return RawCell(list(cell), page)


def _first_heading(root: Section) -> str | None:
    headings = [s.heading for s in root.walk() if s.heading is not None]
    if not headings:
        return None
    top = min(h.level for h in headings)
    return next(h.text for h in headings if h.level == top)
