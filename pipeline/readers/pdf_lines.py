"""Words grouped into line segments: what sits on one baseline without a wide gap.

A row of words that shares a baseline is cut wherever the gap between two
words is wider than about an em; the pieces are the segments later stages
use to see columns, table cells and the gutter of a two-column page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.readers.pdf_words import Word

# Justified prose rarely stretches a space past an em; table columns and
# page gutters are wider than that.
SEGMENT_GAP_EMS = 1.0
_MIN_SEGMENT_GAP = 6.0


@dataclass(frozen=True)
class Line:
    """A line segment: words on one baseline with no wide gap between them."""

    words: tuple[Word, ...]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The font size carrying most of the characters."""
        counts: Counter[float] = Counter()
        for word in self.words:
            counts[word.size] += len(word.text)
        return counts.most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        bold = sum(len(w.text) for w in self.words if w.bold)
        return bold * 10 >= sum(len(w.text) for w in self.words) * 9


def has_room_for(previous: Line, line: Line, right: float) -> bool:
    """Whether the first word of ``line`` would have fitted at the end of ``previous``, in a column ending at ``right``.

    If it would, the typesetter did not wrap ``previous`` there: the writer ended it.
    """
    first = line.words[0]
    return right - previous.x1 > (first.x1 - first.x0) + 0.5 * line.size


def rows_of(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped by shared baseline, top to bottom, each row left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        row = rows[-1] if rows else None
        if row and abs(word.bottom - row[-1].bottom) <= 0.35 * max(word.size, row[-1].size):
            row.append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def split_row(row: Sequence[Word], page: int) -> list[Line]:
    """One row cut into segments at every gap wider than about an em."""
    segments: list[Line] = []
    current: list[Word] = []
    for word in row:
        if current and word.x0 - current[-1].x1 > max(SEGMENT_GAP_EMS * word.size, _MIN_SEGMENT_GAP):
            segments.append(Line(tuple(current), page))
            current = []
        current.append(word)
    if current:
        segments.append(Line(tuple(current), page))
    return segments


def lines_of(words: Iterable[Word], page: int) -> list[list[Line]]:
    """The page as rows of segments, top to bottom."""
    return [split_row(row, page) for row in rows_of(words)]
