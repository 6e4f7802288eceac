"""Tables that run over a page break, stitched back into one.

A table continues on the next page when nothing stands between the two
parts and the part on the next page has the same columns at the same
places. A header row the layout repeated at the top of the new page is
dropped; every cell keeps the page it was printed on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.builder import RawCell
from pipeline.readers.pdf_tables import PageTable

# Column edges of two parts of one table agree to within this many points.
COLUMN_TOLERANCE = 6.0


@dataclass
class TableDraft:
    """A table being assembled from one or more page parts."""

    page: int
    last_page: int
    columns: list[float]
    rows: list[list[RawCell]]
    header_rows: int

    @classmethod
    def start(cls, part: PageTable) -> TableDraft:
        rows = [_raw_row(row, part.page) for row in part.rows]
        return cls(part.page, part.page, part.columns, rows, 1 if part.header_bold else 0)

    def continues_with(self, part: PageTable) -> bool:
        return (
            part.page == self.last_page + 1
            and part.width == len(self.columns)
            and all(abs(a - b) <= COLUMN_TOLERANCE for a, b in zip(part.columns, self.columns))
        )

    def extend(self, part: PageTable) -> None:
        rows = part.rows
        if rows and self.rows and _texts(rows[0]) == [c.paragraphs for c in self.rows[0]]:
            rows = rows[1:]
            self.header_rows = 1
        self.rows += [_raw_row(row, part.page) for row in rows]
        self.last_page = part.page

    def cell_rows(self) -> list[list[RawCell]]:
        for index, row in enumerate(self.rows):
            for cell in row:
                cell.is_header = index < self.header_rows
        return self.rows


def _raw_row(row: Sequence[list[str]], page: int) -> list[RawCell]:
    return [RawCell(paragraphs=list(cell), page=page) for cell in row]


def _texts(row: Sequence[list[str]]) -> list[list[str]]:
    return [list(cell) for cell in row]
