"""Reading order of one page: bands top to bottom, columns left to right.

A band whose one gutter splits two columns of running text is read column
by column; a band whose gaps outline a table becomes a table; everything
else is read row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, Union

from pipeline.readers.pdf_bands import Band, bands_of
from pipeline.readers.pdf_lines import Line
from pipeline.readers.pdf_tables import PageTable, aligned_row_starts, unruled_table

# Columns of running text each fill their width on most lines; cells of a
# table hold short values as often as long ones.
FULL_LINE_SHARE = 0.5
MIN_COLUMN_LINES = 4


@dataclass
class Flow:
    """Lines read one after another; a paragraph may run on into the next flow."""

    lines: list[Line]

    @property
    def top(self) -> float:
        return self.lines[0].top


PageItem = Union[Flow, PageTable]


def page_items(rows: Sequence[list[Line]], ruled: Sequence[PageTable], width: float, page: int) -> list[PageItem]:
    """The page's flows and tables in reading order; ruled tables cut the text where they stand."""
    items: list[PageItem] = []
    remaining = list(rows)
    for table in sorted(ruled, key=lambda t: t.top):
        above = [row for row in remaining if min(l.top for l in row) < table.top]
        remaining = remaining[len(above):]
        items += _text_items(above, width, page)
        items.append(table)
    return items + _text_items(remaining, width, page)


def _text_items(rows: Sequence[list[Line]], width: float, page: int) -> list[PageItem]:
    items: list[PageItem] = []
    for band in bands_of(rows):
        items += _band_items(band, width, page)
    return items


def _band_items(band: Band, width: float, page: int) -> list[PageItem]:
    if band.gaps and _is_text_columns(band, width):
        return [Flow(column) for column in _columns(band)]
    if not band.gaps:
        return [Flow(band.lines)]
    table_band, rest = _cut_trailing_rows(band)
    table = unruled_table(table_band, page)
    if table is None:
        return [Flow(band.lines)]
    return [table, Flow(rest)] if rest else [table]


def _cut_trailing_rows(band: Band) -> tuple[Band, list[Line]]:
    """The band without the rows a heading or caption below the table left in it.

    Such rows come after the last row that fills two columns and either
    change the font size or stand further off than any row of the table.
    """
    multi = [i for i, row in enumerate(band.rows) if len({band.column_of(l) for l in row}) >= 2]
    last = multi[-1] if multi else len(band.rows) - 1
    sizes = sorted(l.size for i in multi for l in band.rows[i])
    size = sizes[len(sizes) // 2] if sizes else band.rows[0][0].size
    widest = max((_gap(band.rows[i - 1], band.rows[i]) for i in range(1, last + 1)), default=0.0)
    for index in range(last + 1, len(band.rows)):
        row = band.rows[index]
        if any(abs(l.size - size) > 0.2 * size for l in row) or _gap(band.rows[index - 1], row) > widest + 1.0:
            return Band(band.rows[:index], band.gaps), [l for r in band.rows[index:] for l in r]
    return band, []


def _gap(above: Sequence[Line], below: Sequence[Line]) -> float:
    return min(l.top for l in below) - max(l.bottom for l in above)


def _columns(band: Band) -> list[list[Line]]:
    columns: list[list[Line]] = [[] for _ in range(len(band.gaps) + 1)]
    for row in band.rows:
        for line in row:
            columns[band.column_of(line)].append(line)
    return [column for column in columns if column]


def _is_text_columns(band: Band, width: float) -> bool:
    """Two columns of running text side by side, not a two-column table."""
    if len(band.gaps) != 1:
        return False
    columns = _columns(band)
    if len(columns) != 2 or any(len(c) < MIN_COLUMN_LINES for c in columns):
        return False
    spans = [max(l.x1 for l in c) - min(l.x0 for l in c) for c in columns]
    if min(spans) < 0.25 * width or max(spans) > 1.6 * min(spans):
        return False
    if not all(_mostly_full(column) for column in columns):
        return False
    return aligned_row_starts(band) < 2


def _mostly_full(column: Sequence[Line]) -> bool:
    left, right = min(l.x0 for l in column), max(l.x1 for l in column)
    full = sum(1 for l in column if l.x1 >= right - 0.15 * (right - left))
    return full >= FULL_LINE_SHARE * len(column)
