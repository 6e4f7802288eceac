"""Lines in reading order turned into headings, paragraphs and list items.

The body text size is the size most characters are set in; a line clearly
larger, or bold at body size, is a heading, and heading levels follow the
heading sizes from largest down. Lines of one paragraph sit at the
normal line spacing; a wider gap, an indent, a bullet or a change of font
starts a new block.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from pipeline.readers.pdf_conventions import conventions
from pipeline.readers.pdf_hyphenation import join_lines
from pipeline.readers.pdf_layout import Flow
from pipeline.readers.pdf_lines import Line

HEADING_SIZE_RATIO = 1.15
# Extra blank height, in ems, that separates two paragraphs.
PARAGRAPH_GAP_EMS = 0.3
_SENTENCE_END = (".", "!", "?", ":", ";")
MAX_HEADING_LEVEL = 6

Style = tuple[float, bool]


@dataclass
class TextDraft:
    """A heading, paragraph or list item being collected line by line."""

    kind: str
    page: int
    style: Style
    lines: list[str] = field(default_factory=list)
    indent: float = 0.0
    level: int = 1
    last: Line | None = None
    right: float = 0.0

    @property
    def text(self) -> str:
        return join_lines(self.lines)


@dataclass(frozen=True)
class BodyMetrics:
    """The document's body text: its size and the blank height between its lines."""

    size: float
    line_gap: float


def body_metrics(flows: Iterable[Flow]) -> BodyMetrics:
    """Body size and line gap of the document.

    The line gap is the narrowest gap that is common (a tenth of all gaps
    between same-size lines): in a document of many one-line paragraphs
    the most common gap is the one between paragraphs.
    """
    sizes: Counter[float] = Counter()
    gaps: Counter[float] = Counter()
    for flow in flows:
        for above, line in zip([None, *flow.lines], flow.lines):
            sizes[line.size] += len(line.text)
            if above is not None and above.size == line.size and line.top > above.bottom - 2:
                gaps[round((line.top - above.bottom) * 2) / 2] += 1
    size = sizes.most_common(1)[0][0] if sizes else 10.0
    common = [gap for gap, count in gaps.items() if count >= max(2, 0.1 * sum(gaps.values()))]
    return BodyMetrics(size, min(common) if common else 0.2 * size)


class TextBlocks:
    """Collects drafts across flows and pages, in reading order."""

    def __init__(self, metrics: BodyMetrics) -> None:
        self.metrics = metrics
        self.drafts: list[TextDraft] = []
        self._open: TextDraft | None = None
        self._list_indents: list[float] = []
        self._right = self._left = 0.0

    def close(self) -> None:
        """Ends the open block: a table or an OCR page comes next."""
        self._open = None
        self._list_indents = []

    def add_flow(self, flow: Flow) -> None:
        # Headings may run wider than the text column; its right edge is
        # where lines of the most common size end.
        size = Counter(line.size for line in flow.lines).most_common(1)[0][0]
        self._right = max(line.x1 for line in flow.lines if line.size == size)
        self._left = min(line.x0 for line in flow.lines)
        for line in flow.lines:
            self._add_line(line)

    def _add_line(self, line: Line) -> None:
        words = [w.text for w in line.words]
        heading = self._is_heading(line, words)
        marker = not heading and len(words) > 1 and conventions().is_list_marker(words[0])
        style = (round(line.size * 2) / 2, line.bold)
        draft = self._open
        if draft is not None and not marker and self._continues(draft, line, heading, style):
            self._extend(draft, line)
            return
        if heading:
            draft = TextDraft("heading", line.page, style, [line.text])
        elif marker:
            draft = TextDraft("list_item", line.page, style, [" ".join(words[1:])], indent=line.words[1].x0)
            draft.level = self._list_level(line.x0)
        else:
            draft = TextDraft("paragraph", line.page, style, [line.text], indent=line.x0)
        if draft.kind != "list_item":
            self._list_indents = []
        draft.last, draft.right = line, self._right
        self.drafts.append(draft)
        self._open = draft

    def _extend(self, draft: TextDraft, line: Line) -> None:
        if draft.kind == "list_item" and len(draft.lines) == 1 and draft.last and _wraps_under_marker(draft.last, line):
            # Text that wraps back under its dash is a paragraph opening with
            # a dash (a quotation in Finnish news style), not a list item.
            draft.kind, draft.lines[0] = "paragraph", f"{draft.last.words[0].text} {draft.lines[0]}"
            self._list_indents = []
        draft.lines.append(line.text)
        draft.last, draft.right = line, self._right

    def _is_heading(self, line: Line, words: Sequence[str]) -> bool:
        body = self.metrics.size
        if line.size >= body * HEADING_SIZE_RATIO:
            return True
        return line.bold and line.size >= body * 0.95 and not conventions().is_list_marker(words[0])

    def _continues(self, draft: TextDraft, line: Line, heading: bool, style: Style) -> bool:
        if (draft.kind == "heading") != heading or draft.style != style:
            return False
        previous = draft.last
        assert previous is not None
        if line.page != previous.page or line.top < previous.bottom - 2:
            return not heading and self._runs_on(draft, line)
        if line.top - previous.bottom > self._paragraph_gap(line, heading):
            return False
        if heading:
            return True
        if _has_room_for(previous, line, self._right):
            return False
        if draft.kind == "list_item":
            return abs(line.x0 - draft.indent) <= 2.0 or (len(draft.lines) == 1 and _wraps_under_marker(previous, line))
        return line.x0 - previous.x0 <= 0.8 * line.size

    def _runs_on(self, draft: TextDraft, line: Line) -> bool:
        """Whether a paragraph cut by a column or page break goes on with ``line``.

        It does when its last line was full (the break was not the
        writer's) and ``line`` does not open a new sentence after a finished one.
        """
        previous = draft.last
        assert previous is not None
        if _has_room_for(previous, line, draft.right):
            return False
        if draft.kind == "list_item" and line.x0 <= self._left + 2.0:
            # An item goes on in the new column only under its own text.
            return False
        finished = draft.lines[-1].rstrip().endswith(_SENTENCE_END)
        return not (finished and line.text[:1].isupper())

    def _paragraph_gap(self, line: Line, heading: bool) -> float:
        if heading:
            return 0.5 * line.size
        return self.metrics.line_gap + PARAGRAPH_GAP_EMS * line.size

    def _list_level(self, x0: float) -> int:
        while self._list_indents and self._list_indents[-1] > x0 + 2.0:
            self._list_indents.pop()
        if not self._list_indents or x0 > self._list_indents[-1] + 2.0:
            self._list_indents.append(x0)
        return len(self._list_indents)


def _has_room_for(previous: Line, line: Line, right: float) -> bool:
    """Whether the first word of ``line`` would have fitted at the end of ``previous``.

    If it would, the line was broken on purpose: a paragraph or item ends there.
    """
    first = line.words[0]
    return right - previous.x1 > (first.x1 - first.x0) + 0.5 * line.size


def _wraps_under_marker(marker_line: Line, line: Line) -> bool:
    """Whether ``line`` is the next line of ``marker_line``'s text, starting under its marker."""
    same_flow = line.page == marker_line.page and line.top > marker_line.bottom - 2
    return same_flow and len(marker_line.words) > 1 and abs(line.x0 - marker_line.words[0].x0) <= 2.0


def heading_levels(drafts: Iterable[TextDraft]) -> dict[Style, int]:
    """Level of each heading style: the largest size is level 1, bold before plain."""
    styles = sorted({d.style for d in drafts if d.kind == "heading"}, key=lambda s: (-s[0], not s[1]))
    return {style: min(rank + 1, MAX_HEADING_LEVEL) for rank, style in enumerate(styles)}
