"""Whether a band split by one gutter holds two columns of running text or a two-column table.

Both show two blocks of lines side by side. Where paragraphs start tells
them apart: the cells of a table row start at the same height, so nearly
every start in the column with fewer of them has a start beside it; the
paragraphs of two text columns start wherever the writer's text breaks,
and only now and then beside each other. That holds when one column is a
list or a run of short lines (contact details, say): each short line
starts anew, but the other column's paragraphs still do not follow them.

A line starts a paragraph when a wider gap stands above it, or when the
line above had room for its first word: that line was ended by the
writer, not wrapped by the typesetter.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.readers.pdf_bands import Band
from pipeline.readers.pdf_lines import Line, has_room_for
from pipeline.readers.pdf_tables import PARAGRAPH_GAP_EMS, normal_line_gap

MIN_COLUMN_LINES = 4
# Page columns are each a fair share of the page and about equally wide.
MIN_COLUMN_SHARE = 0.25
MAX_WIDTH_RATIO = 1.6
# From this share of the sparser column's starts standing beside a start
# in the other column, the starts are a table's rows, not coincidence.
TABLE_ALIGNED_SHARE = 0.6
# Two aligned starts below the first row are the fewest that make a table.
MIN_TABLE_ROWS = 2


def band_columns(band: Band) -> list[list[Line]]:
    """The band's lines by column, each column top to bottom; empty columns dropped."""
    columns: list[list[Line]] = [[] for _ in range(len(band.gaps) + 1)]
    for line in sorted(band.lines, key=lambda line: line.top):
        columns[band.column_of(line)].append(line)
    return [column for column in columns if column]


def is_text_columns(band: Band, width: float) -> bool:
    """Two columns of running text side by side on a page ``width`` wide, not a two-column table."""
    if len(band.gaps) != 1:
        return False
    columns = band_columns(band)
    if len(columns) != 2 or any(len(c) < MIN_COLUMN_LINES for c in columns):
        return False
    spans = [max(line.x1 for line in c) - min(line.x0 for line in c) for c in columns]
    if min(spans) < MIN_COLUMN_SHARE * width or max(spans) > MAX_WIDTH_RATIO * min(spans):
        return False
    return not _starts_align(band, columns)


def _starts_align(band: Band, columns: Sequence[Sequence[Line]]) -> bool:
    """Whether the columns start their paragraphs side by side, as the cells of table rows do."""
    normal = normal_line_gap(columns)
    starts = {line for column in columns for line in _paragraph_starts(column, normal)}
    first_row = set(band.rows[0])
    sparser = min(sum(1 for line in column if line in starts and line not in first_row) for column in columns)
    aligned = sum(1 for row in band.rows[1:] if sum(1 for line in row if line in starts) >= 2)
    return aligned >= MIN_TABLE_ROWS and aligned >= TABLE_ALIGNED_SHARE * sparser


def _paragraph_starts(column: Sequence[Line], normal_gap: float) -> list[Line]:
    right = max(line.x1 for line in column)
    starts = [column[0]]
    for above, line in zip(column, column[1:]):
        gap = line.top - above.bottom
        if gap > normal_gap + PARAGRAPH_GAP_EMS * line.size or has_room_for(above, line, right):
            starts.append(line)
    return starts
