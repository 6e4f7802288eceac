"""Reading order of one page: bands top to bottom, columns left to right.

A band whose one gutter splits two columns of running text is read column
by column; a band whose gaps outline a table becomes a table; everything
else is read row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Union

from pipeline.readers.pdf_bands import Band, bands_of, move_column_heads
from pipeline.readers.pdf_columns import band_columns, is_text_columns
from pipeline.readers.pdf_lines import Line
from pipeline.readers.pdf_tables import PageTable, unruled_table


@dataclass
class Flow:
    """Lines read one after another; a paragraph may run on into the next flow.

    ``right`` is the right edge of the text column the flow stands in: the
    furthest the column's lines reach, or for a flow set across the page
    the furthest any text on the page reaches. A flow of one short line
    (a paragraph closing a page below a table) does not show it by itself.
    """

    lines: list[Line]
    right: float

    @property
    def top(self) -> float:
        return self.lines[0].top


PageItem = Union[Flow, PageTable]


def page_items(rows: Sequence[list[Line]], ruled: Sequence[PageTable], width: float, page: int) -> list[PageItem]:
    """The page's flows and tables in reading order; ruled tables cut the text where they stand."""
    items: list[PageItem] = []
    remaining = list(rows)
    right = max((line.x1 for row in rows for line in row), default=width)
    for table in sorted(ruled, key=lambda t: t.top):
        above = [row for row in remaining if min(ln.top for ln in row) < table.top]
        remaining = remaining[len(above):]
        items += _text_items(above, width, right, page)
        items.append(table)
    return items + _text_items(remaining, width, right, page)


def _text_items(rows: Sequence[list[Line]], width: float, right: float, page: int) -> list[PageItem]:
    """Flows and unruled tables of rows between ruled tables; ``right`` is where the page's text ends."""
    bands = bands_of(rows)
    columned = [bool(band.gaps) and is_text_columns(band, width) for band in bands]
    for above, band, columns in zip(bands, bands[1:], columned[1:]):
        if columns and not above.gaps:
            move_column_heads(above, band)
    items: list[PageItem] = []
    for band, columns in zip(bands, columned):
        if columns:
            items += [Flow(column, max(line.x1 for line in column)) for column in band_columns(band)]
        elif band.rows:
            items += _band_items(band, right, page)
    return items


def _band_items(band: Band, right: float, page: int) -> list[PageItem]:
    if not band.gaps:
        return [Flow(band.lines, right)]
    table_band, rest = _cut_trailing_rows(band)
    table = unruled_table(table_band, page)
    if table is None:
        return [Flow(band.lines, right)]
    return [table, Flow(rest, right)] if rest else [table]


def _cut_trailing_rows(band: Band) -> tuple[Band, list[Line]]:
    """The band without the rows a heading or caption below the table left in it.

    Such rows come after the last row that fills two columns and either
    change the font size or stand further off than any row of the table.
    """
    multi = [i for i, row in enumerate(band.rows) if len({band.column_of(ln) for ln in row}) >= 2]
    last = multi[-1] if multi else len(band.rows) - 1
    sizes = sorted(ln.size for i in multi for ln in band.rows[i])
    size = sizes[len(sizes) // 2] if sizes else band.rows[0][0].size
    widest = max((_gap(band.rows[i - 1], band.rows[i]) for i in range(1, last + 1)), default=0.0)
    for index in range(last + 1, len(band.rows)):
        row = band.rows[index]
        if any(abs(ln.size - size) > 0.2 * size for ln in row) or _gap(band.rows[index - 1], row) > widest + 1.0:
            return Band(band.rows[:index], band.gaps), [ln for r in band.rows[index:] for ln in r]
    return band, []


def _gap(above: Sequence[Line], below: Sequence[Line]) -> float:
    return min(ln.top for ln in below) - max(ln.bottom for ln in above)
