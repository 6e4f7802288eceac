"""A page cut into horizontal bands by the vertical whitespace running through them.

A band is a run of rows that all keep clear of the same vertical gaps:
the gutter of a two-column page, the gaps between the columns of a table
drawn without rules. Rows that no gap runs through form plain bands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.readers.pdf_lines import Line

# A gap narrower than this many ems is a wide space, not a column edge.
MIN_GAP_EMS = 0.9
# More blank height than this many ems between two rows ends a band.
MAX_ROW_GAP_EMS = 3.0

Gap = tuple[float, float]


@dataclass
class Band:
    """Rows top to bottom; ``gaps`` are the x-ranges no line of the band crosses."""

    rows: list[list[Line]] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [line for row in self.rows for line in row]

    def column_of(self, line: Line) -> int:
        return sum(1 for _, right in self.gaps if right <= line.x0 + 1.0)


def bands_of(rows: Sequence[list[Line]]) -> list[Band]:
    """The rows grouped into plain and multi-column bands, top to bottom."""
    bands: list[Band] = []
    index = 0
    while index < len(rows):
        gaps = _row_gaps(rows[index])
        if not gaps:
            if not bands or bands[-1].gaps:
                bands.append(Band())
            bands[-1].rows.append(rows[index])
            index += 1
            continue
        end = index + 1
        while end < len(rows) and _close_below(rows[end - 1], rows[end]):
            narrowed = _narrow(gaps, rows[end])
            if narrowed is None:
                break
            gaps, end = narrowed, end + 1
        bands.append(Band(list(rows[index:end]), gaps))
        index = end
    return bands


def move_column_heads(above: Band, columns: Band) -> None:
    """Moves the last rows of the plain band ``above`` that keep clear of the gutter into ``columns``.

    Two columns set at different sizes (a heading in one, text in the
    other) seldom share baselines, so their first lines come as rows of
    one line each and start a plain band; they are the heads of the columns.
    """
    while above.rows and _close_below(above.rows[-1], columns.rows[0]):
        if _narrow(columns.gaps, above.rows[-1]) is None:
            return
        columns.rows.insert(0, above.rows.pop())


def _row_gaps(row: Sequence[Line]) -> list[Gap]:
    return [(left.x1, right.x0) for left, right in zip(row, row[1:])]


def _close_below(above: Sequence[Line], below: Sequence[Line]) -> bool:
    size = max(line.size for line in below)
    return min(ln.top for ln in below) - max(ln.bottom for ln in above) <= MAX_ROW_GAP_EMS * size


def _narrow(gaps: list[Gap], row: Sequence[Line]) -> list[Gap] | None:
    """The gaps left once ``row`` is laid over them; None if the row crosses one."""
    narrowed = []
    for left, right in gaps:
        for line in row:
            if line.x1 <= left or line.x0 >= right:
                continue
            if line.x0 <= left:
                left = line.x1
            elif line.x1 >= right:
                right = line.x0
            else:
                return None
            if right - left < MIN_GAP_EMS * line.size:
                return None
        narrowed.append((left, right))
    return narrowed
