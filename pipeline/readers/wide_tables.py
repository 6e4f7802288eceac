"""Tables too big to be tables: the first columns and rows kept, the rest left out with a warning.

No plan has a table of hundreds of columns; one that has is a data dump
or a broken export. Every cell is a piece of text the extractors analyse
on its own, and they take about as long for a table's worth of cells
whether the cells stand in a table or are joined into lines of text: a
table of 5,000 columns took minutes either way. Keeping the first
``MAX_TABLE_COLUMNS`` columns, and rows up to ``MAX_TABLE_CELLS`` cells,
bounds that, and the warning says what was left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.builder import CellInput, DocumentBuilder
from pipeline.document import Block

MAX_TABLE_COLUMNS = 200
# 10 columns by 20,000 rows; the longest tables of real plans have a few
# thousand rows.
MAX_TABLE_CELLS = 200_000


def add_table(
    builder: DocumentBuilder,
    rows: Sequence[Sequence[CellInput]],
    *,
    source: str,
    page: int = 1,
    header_rows: int = 0,
    width: int | None = None,
    row_count: int | None = None,
) -> Block | None:
    """Adds ``rows`` as a table, cut to ``MAX_TABLE_COLUMNS`` columns and ``MAX_TABLE_CELLS`` cells,
    with a warning saying what was left out.

    ``width`` and ``row_count`` are the table's own when a reader has cut the rows already.
    """
    width = max(width or 0, max((len(row) for row in rows), default=0))
    row_count = max(row_count or 0, len(rows))
    if width > MAX_TABLE_COLUMNS:
        builder.warn(
            "wide_table",
            f"{source}: a table of {width:,} columns; only its first {MAX_TABLE_COLUMNS} columns were read, "
            f"columns {MAX_TABLE_COLUMNS + 1:,}–{width:,} were left out",
            page,
        )
        rows = [row[:MAX_TABLE_COLUMNS] for row in rows]
    kept_rows = min(len(rows), MAX_TABLE_CELLS // max(min(width, MAX_TABLE_COLUMNS), 1))
    if row_count > kept_rows:
        builder.warn(
            "long_table",
            f"{source}: a table of {row_count:,} rows and {width:,} columns; only its first {kept_rows:,} rows "
            f"were read (a table may have {MAX_TABLE_CELLS:,} cells), rows {kept_rows + 1:,}–{row_count:,} "
            "were left out",
            page,
        )
        rows = rows[:kept_rows]
    return builder.table(rows, page=page, header_rows=header_rows)
