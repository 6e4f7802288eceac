"""Tables of one PDF page: the ruled ones pdfplumber finds, the unruled ones whitespace shows.

Either way a table ends up as rows of cells, each cell a list of
paragraphs: lines of a cell are joined, except where a bullet or a blank
gap shows a new paragraph.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.readers.pdf_bands import Band
from pipeline.readers.pdf_conventions import conventions
from pipeline.readers.pdf_hyphenation import join_lines
from pipeline.readers.pdf_lines import Line, lines_of
from pipeline.readers.pdf_words import Word

# Extra blank height, in ems, that marks a new paragraph inside a cell.
PARAGRAPH_GAP_EMS = 0.25

Box = tuple[float, float, float, float]


@dataclass
class PageTable:
    """A table as found on one page; ``columns`` are the left edges of its columns."""

    page: int
    rows: list[list[list[str]]]
    columns: list[float]
    top: float
    bottom: float
    header_bold: bool

    @property
    def width(self) -> int:
        return len(self.columns)


# -- cells ---------------------------------------------------------------------


def cell_paragraphs(lines: Sequence[Line], normal_gap: float) -> list[str]:
    """A cell's lines, top to bottom, as paragraphs; bullets are dropped."""
    paragraphs: list[list[str]] = []
    previous: Line | None = None
    for line in lines:
        words = [w.text for w in line.words]
        bullet = len(words) > 1 and conventions().is_list_marker(words[0])
        if bullet:
            words = words[1:]
        if previous is None or bullet or _starts_paragraph(previous, line, normal_gap):
            paragraphs.append([])
        paragraphs[-1].append(" ".join(words))
        previous = line
    return [join_lines(p) for p in paragraphs]


def _starts_paragraph(previous: Line, line: Line, normal_gap: float) -> bool:
    return line.top - previous.bottom > normal_gap + PARAGRAPH_GAP_EMS * line.size


def normal_line_gap(columns: Sequence[Sequence[Line]]) -> float:
    """The blank height between wrapped lines of one cell: the smallest gap seen."""
    gaps = [b.top - a.bottom for lines in columns for a, b in zip(lines, lines[1:])]
    return min(gaps) if gaps else 0.0


def _all_bold(lines: Sequence[Line]) -> bool:
    return bool(lines) and all(line.bold for line in lines)


# -- ruled tables ----------------------------------------------------------------


def ruled_table(cells: Sequence[Sequence[Box | None]], words: Sequence[Word], page: int) -> PageTable | None:
    """A table from pdfplumber's cell boxes and the page's words; None if not a real grid."""
    if len(cells) < 2 or max(len(r) for r in cells) < 2:
        return None
    grid = [[_words_in(box, words) if box else [] for box in row] for row in cells]
    lines = [[_cell_lines(ws, page) for ws in row] for row in grid]
    normal = normal_line_gap([cell for row in lines for cell in row])
    rows = [[cell_paragraphs(cell, normal) for cell in row] for row in lines]
    boxes = [box for row in cells for box in row if box]
    return PageTable(
        page=page,
        rows=rows,
        columns=_ruled_columns(cells),
        top=min(b[1] for b in boxes),
        bottom=max(b[3] for b in boxes),
        header_bold=_all_bold([line for cell in lines[0] for line in cell]),
    )


def _ruled_columns(cells: Sequence[Sequence[Box | None]]) -> list[float]:
    width = max(len(r) for r in cells)
    lefts = []
    for col in range(width):
        xs = [row[col][0] for row in cells if col < len(row) and row[col]]
        lefts.append(min(xs) if xs else (lefts[-1] if lefts else 0.0))
    return lefts


def _words_in(box: Box, words: Sequence[Word]) -> list[Word]:
    x0, top, x1, bottom = box
    return [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]


def _cell_lines(words: Sequence[Word], page: int) -> list[Line]:
    # Inside a cell a wide space is still a space: the row is one line.
    return [Line(tuple(w for seg in row for w in seg.words), page) for row in lines_of(words, page)]


def inside_any(word: Word, boxes: Sequence[Box]) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


# -- unruled tables ----------------------------------------------------------------


def unruled_table(band: Band, page: int) -> PageTable | None:
    """The table a multi-column band holds; None when it is not tabular.

    1. Sort the band's lines into columns by the gaps.
    2. Find where rows start: where two or more columns start a new
       paragraph at the same height, or one column does after a gap as
       wide as the gaps between rows elsewhere.
    3. Cut every column at those heights into cells, and cells into paragraphs.
    """
    if sum(1 for row in band.rows if len({band.column_of(ln) for ln in row}) >= 2) < 2:
        return None
    columns: list[list[Line]] = [[] for _ in range(len(band.gaps) + 1)]
    for line in sorted(band.lines, key=lambda ln: ln.top):
        columns[band.column_of(line)].append(line)
    normal = normal_line_gap(columns)
    starts = _row_starts(band, columns, normal)
    rows = [[_cell(col, top, bottom, normal) for col in columns] for top, bottom in zip(starts, starts[1:])]
    first_row = [ln for ln in band.lines if ln.top < starts[1] - 0.5]
    return PageTable(
        page=page,
        rows=rows,
        columns=[min((ln.x0 for ln in col), default=0.0) for col in columns],
        top=min(ln.top for ln in band.lines),
        bottom=max(ln.bottom for ln in band.lines),
        header_bold=_all_bold(first_row),
    )


def _cell(column: Sequence[Line], top: float, bottom: float, normal: float) -> list[str]:
    lines = [ln for ln in column if top - 0.5 <= ln.top < bottom - 0.5]
    return cell_paragraphs(lines, normal)


def _row_starts(band: Band, columns: Sequence[Sequence[Line]], normal: float) -> list[float]:
    """Top edges of the rows, then the band's bottom edge.

    A paragraph that opens after a gap is a row start when its gap is about
    as wide as the gaps where two or more columns open at once; narrower
    gaps separate paragraphs inside a cell.
    """
    breaks = {line: _is_break(col, i, normal) for col in columns for i, line in enumerate(col)}
    candidates = []
    for row in band.rows[1:]:
        opening = [line for line in row if breaks[line]]
        gaps = [g for g in (_gap_above(line, columns, band) for line in opening) if g is not None]
        if gaps:
            candidates.append((min(line.top for line in opening), len(opening), min(gaps)))
    aligned = [gap for _, count, gap in candidates if count >= 2]
    row_gap = statistics.median(aligned) if aligned else 0.0
    starts = [min(line.top for line in band.rows[0])]
    starts += [top for top, _, gap in candidates if gap >= 0.8 * row_gap]
    if not candidates:
        # No gap marks a row anywhere: every printed row is a table row.
        starts = [min(line.top for line in row) for row in band.rows]
    return sorted(set(starts)) + [max(line.bottom for line in band.lines) + 1.0]


def _is_break(column: Sequence[Line], index: int, normal: float) -> bool:
    if index == 0:
        return True
    line, above = column[index], column[index - 1]
    return line.top - above.bottom > normal + PARAGRAPH_GAP_EMS * line.size


def _gap_above(line: Line, columns: Sequence[Sequence[Line]], band: Band) -> float | None:
    column = columns[band.column_of(line)]
    index = column.index(line)
    return line.top - column[index - 1].bottom if index else None
