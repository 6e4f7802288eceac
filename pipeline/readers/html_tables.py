"""An HTML <table> as a grid of cells, row and column spans resolved."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lxml.html import HtmlElement

from pipeline.builder import RawCell

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


def table_rows(table: HtmlElement, read_cell: CellReader) -> list[list[RawCell]]:
    """The table's rows, each padded to the full width.

    1. Rows in display order: <thead>, body rows, then <tfoot>.
    2. Each cell takes the first free column of its row; its colspan and
       rowspan reserve the slots to its right and below. Those slots stay
       empty, which keeps columns aligned without counting a value twice.
    3. A row whose filled cells are all headers (<th>, cells in <thead>, or
       in the first row, cells that are wholly bold) is a header row.
    """
    rows = _rows_in_display_order(table)
    grid = _SpanGrid()
    for r, row in enumerate(rows):
        header_row = row.getparent().tag == "thead"
        for cell in row.xpath("./td | ./th"):
            rowspan = _rowspan(cell, len(rows) - r)
            grid.place(r, cell, RawCell(read_cell(cell), is_header=header_row or cell.tag == "th"), rowspan)
    cells = grid.rows(len(rows))
    if len(cells) > 1 and _all_bold(grid.sources(0)):
        _mark_header(cells[0])
    for row in cells:
        if all(c.is_header for c in row if _filled(c)):
            _mark_header(row)
    return cells


class _SpanGrid:
    """Slots of the table by (row, column); spanned slots hold empty cells."""

    def __init__(self) -> None:
        self.slots: dict[tuple[int, int], RawCell] = {}
        self.origins: dict[int, list[HtmlElement]] = {}
        self.width = 0

    def place(self, row: int, element: HtmlElement, cell: RawCell, rowspan: int) -> None:
        col = 0
        while (row, col) in self.slots:
            col += 1
        colspan = _span(element, "colspan", _MAX_COLSPAN)
        for dr in range(rowspan):
            for dc in range(colspan):
                filler = RawCell([], is_header=cell.is_header)
                self.slots.setdefault((row + dr, col + dc), filler)
        self.slots[(row, col)] = cell
        self.origins.setdefault(row, []).append(element)
        self.width = max(self.width, col + colspan)

    def rows(self, count: int) -> list[list[RawCell]]:
        return [[self.slots.get((r, c)) or RawCell([]) for c in range(self.width)] for r in range(count)]

    def sources(self, row: int) -> list[HtmlElement]:
        return self.origins.get(row, [])


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
