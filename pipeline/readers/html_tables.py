"""An HTML <table> as a grid of cells, row and column spans resolved."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement

from pipeline.builder import RawCell
from pipeline.readers.wide_tables import MAX_TABLE_CELLS, MAX_TABLE_COLUMNS

CellReader = Callable[[HtmlElement], Sequence[str]]

# HTML caps colspan at 1000 and rowspan at 65534; a page asking for more
# is broken, and honouring it would only build a huge empty grid.
_MAX_COLSPAN = 1000
_SPACE = re.compile(r"\s+")
_HEADING_XPATH = ".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//table"


def is_layout_table(table: HtmlElement) -> bool:
    """A table used to place blocks on the page rather than to hold data.

    Declared so (role="presentation"), or holding headings or other tables,
    or a single cell: data tables have none of these, page layouts of old
    CMS templates have them all.
    """
    if (table.get("role") or "").casefold() in ("presentation", "none"):
        return True
    if table.xpath(_HEADING_XPATH):
        return True
    return len(table.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th")) <= 1


@dataclass
class TableGrid:
    """A table's rows as read (at most ``MAX_TABLE_COLUMNS`` wide, ``MAX_TABLE_CELLS`` in all) and
    the width and row count the whole table has."""

    rows: list[list[RawCell]]
    width: int
    row_count: int


def table_rows(table: HtmlElement, read_cell: CellReader) -> TableGrid:
    """The table's rows, each padded to the full width.

    1. Rows in display order: <thead>, body rows, then <tfoot>.
    2. Each cell takes the first free column of its row; its colspan and
       rowspan reserve the slots to its right and below. Those slots stay
       empty, which keeps columns aligned without counting a value twice.
    3. A row whose filled cells are all headers (<th>, cells in <thead>, or
       in the first row, cells that are wholly bold) is a header row.
    Columns past ``MAX_TABLE_COLUMNS`` and rows past ``MAX_TABLE_CELLS``
    are counted, not read: a few kilobytes of colspan and rowspan
    attributes would otherwise ask for hundreds of millions of slots.
    """
    rows = _rows_in_display_order(table)
    grid = _SpanGrid()
    read = 0
    for r, row in enumerate(rows):
        if r * max(grid.read_width, 1) >= MAX_TABLE_CELLS:
            break
        read = r + 1
        header_row = row.getparent().tag == "thead"
        for cell in row.xpath("./td | ./th"):
            col = grid.free_column(r, cell)
            if col is not None:
                raw = RawCell(read_cell(cell), is_header=header_row or cell.tag == "th")
                grid.place(r, col, cell, raw, _rowspan(cell, len(rows) - r))
    cells = grid.rows(read)
    if len(cells) > 1 and _all_bold(grid.sources(0)):
        _mark_header(cells[0])
    for row in cells:
        if all(c.is_header for c in row if _filled(c)):
            _mark_header(row)
    return TableGrid(cells, grid.width, len(rows))


@dataclass(frozen=True)
class _Span:
    """Rows ``start`` to ``until`` (not included) of a column, held by a cell above that spans rows."""

    start: int
    until: int
    is_header: bool


class _SpanGrid:
    """The cells of the table by (row, column); what rowspans hold is kept per column, not per slot.

    Cells are placed row by row and, within a row, left to right. So the
    search for a free slot resumes where the last cell of the row ended
    (scanning from column 0 each time made a row of n cells cost n² steps),
    and the spans of a column come in order of their first row. Keeping
    spans, not slots, is what stops rowspan="0" on every row from making
    rows × columns slots.
    """

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], RawCell] = {}
        self.origins: dict[int, list[HtmlElement]] = {}
        self.spans: dict[int, list[_Span]] = {}
        self.span_starts: dict[int, list[int]] = {}
        # Columns to the right of a cell in its own row that its colspan holds, with its header flag.
        self.beside: dict[tuple[int, int], bool] = {}
        self.searched_to: dict[int, int] = {}
        self.width = 0

    @property
    def read_width(self) -> int:
        return min(self.width, MAX_TABLE_COLUMNS)

    def free_column(self, row: int, element: HtmlElement) -> int | None:
        """The column ``element`` starts in; None past ``MAX_TABLE_COLUMNS``, where only the width is kept."""
        col = self.searched_to.get(row, 0)
        while (row, col) in self.cells or self._spanned(row, col) is not None:
            col += 1
        colspan = _span(element, "colspan", _MAX_COLSPAN)
        self.searched_to[row] = col + colspan
        self.width = max(self.width, col + colspan)
        return col if col < MAX_TABLE_COLUMNS else None

    def place(self, row: int, col: int, element: HtmlElement, cell: RawCell, rowspan: int) -> None:
        for spanned in range(col, min(col + _span(element, "colspan", _MAX_COLSPAN), MAX_TABLE_COLUMNS)):
            if spanned != col:
                self.beside[(row, spanned)] = cell.is_header
            if rowspan > 1:
                self.spans.setdefault(spanned, []).append(_Span(row + 1, row + rowspan, cell.is_header))
                self.span_starts.setdefault(spanned, []).append(row + 1)
        self.cells[(row, col)] = cell
        self.origins.setdefault(row, []).append(element)

    def rows(self, count: int) -> list[list[RawCell]]:
        return [[self._slot(r, c) for c in range(self.read_width)] for r in range(count)]

    def sources(self, row: int) -> list[HtmlElement]:
        return self.origins.get(row, [])

    def _slot(self, row: int, col: int) -> RawCell:
        cell = self.cells.get((row, col))
        if cell is not None:
            return cell
        span = self._spanned(row, col)
        is_header = self.beside.get((row, col), span is not None and span.is_header)
        return RawCell([], is_header=is_header)

    def _spanned(self, row: int, col: int) -> _Span | None:
        # Of the spans starting at or above this row, the last may hold it:
        # a span only starts in a free slot, after the one before it ended.
        index = bisect_right(self.span_starts.get(col, ()), row) - 1
        if index < 0:
            return None
        span = self.spans[col][index]
        return span if row < span.until else None


def _rows_in_display_order(table: HtmlElement) -> list[HtmlElement]:
    head = table.xpath("./thead/tr")
    body = table.xpath("./tr | ./tbody/tr")
    foot = table.xpath("./tfoot/tr")
    return [*head, *body, *foot]


def _span(cell: HtmlElement, attribute: str, limit: int) -> int:
    value = (cell.get(attribute) or "1").strip()
    return min(max(int(value), 1), limit) if value.isdigit() else 1


def _rowspan(cell: HtmlElement, rows_left: int) -> int:
    # rowspan="0" spans to the end of the table section (HTML 4.01).
    if (cell.get("rowspan") or "").strip() == "0":
        return rows_left
    return _span(cell, "rowspan", rows_left)


def _all_bold(cells: list[HtmlElement]) -> bool:
    filled = [c for c in cells if _key(c.text_content())]
    if len(filled) < 2:
        return False
    return all(_key(c.text_content()) == _key(_bold_text(c)) for c in filled)


def _bold_text(element: HtmlElement) -> str:
    if element.tag in ("b", "strong"):
        return element.text_content()
    return "".join(_bold_text(child) for child in element if isinstance(child.tag, str))


def _mark_header(row: list[RawCell]) -> None:
    for cell in row:
        cell.is_header = True


def _filled(cell: RawCell) -> bool:
    return any(p.strip() for p in cell.paragraphs)


def _key(text: str) -> str:
    return _SPACE.sub("", text)
