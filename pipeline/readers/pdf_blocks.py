"""Lines in reading order turned into headings, paragraphs and list items.

The body text size is the size most characters are set in; a line clearly
larger, or bold at body size, is a heading, and heading levels follow the
heading sizes from largest down. Lines of one paragraph sit at the
normal line spacing; a wider gap, an indent, a bullet or a change of font
starts a new block.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.readers.pdf_conventions import conventions
from pipeline.readers.pdf_hyphenation import join_lines
from pipeline.readers.pdf_layout import Flow
from pipeline.readers.pdf_lines import Line, has_room_for

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
    marker: str = ""

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def ends_sentence(self) -> bool:
        return self.lines[-1].rstrip().endswith(_SENTENCE_END)



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
        self._right = self._left = self._column_right = 0.0

    def close(self) -> None:
        """Ends the open block: a table or an OCR page comes next."""
        self._open = None
        self._list_indents = []

    def add_flow(self, flow: Flow) -> None:
        # Headings may run wider than the text column: lines of one flow
        # are judged against where its lines of the most common size end.
        # Whether a flow's last line was full is judged against its text
        # column, which a flow of one short line does not show by itself.
        size = Counter(line.size for line in flow.lines).most_common(1)[0][0]
        right = max(line.x1 for line in flow.lines if line.size == size)
        left = min(line.x0 for line in flow.lines)
        if left >= self._right or right <= self._left:
            # Another column: a list going on there keeps its levels,
            # its indents now measured from this column's left edge.
            self._list_indents = [x + left - self._left for x in self._list_indents]
        self._right, self._left = right, left
        self._column_right = max(right, flow.right)
        for line in flow.lines:
            self._add_line(line)

    def _add_line(self, line: Line) -> None:
        words = [w.text for w in line.words]
        heading = self._is_heading(line, words)
        style = (round(line.size * 2) / 2, line.bold)
        draft = self._open
        continues = draft is not None and self._continues(draft, line, heading, style)
        marker = not heading and self._opens_item(line, draft if continues else None)
        if draft is not None and continues and not marker:
            self._extend(draft, line)
            return
        if heading:
            draft = TextDraft("heading", line.page, style, [line.text])
        elif marker:
            draft = TextDraft("list_item", line.page, style, [" ".join(words[1:])], indent=line.words[1].x0)
            draft.level, draft.marker = self._list_level(line.x0), words[0]
        else:
            draft = TextDraft("paragraph", line.page, style, [line.text], indent=line.x0)
        if draft.kind != "list_item":
            self._list_indents = []
        draft.last, draft.right = line, self._column_right
        self.drafts.append(draft)
        self._open = draft

    def _extend(self, draft: TextDraft, line: Line) -> None:
        if draft.kind == "list_item" and _wraps_under_own_marker(draft, line):
            if draft.marker in conventions().quotation_dashes:
                # Text that wraps back under its dash is a paragraph opening with
                # a dash (a quotation in Finnish news style), not a list item.
                draft.kind, draft.lines[0] = "paragraph", f"{draft.marker} {draft.lines[0]}"
                self._list_indents = []
            else:
                # An item without a hanging indent: its text wraps under its bullet.
                draft.indent = line.x0
        if draft.kind == "list_item" and draft.last and _breaks_between(draft.last, line):
            # An item run on into a new column or page goes on at its indent there.
            draft.indent = line.x0
        draft.lines.append(line.text)
        draft.last, draft.right = line, self._column_right

    def _opens_item(self, line: Line, continued: TextDraft | None) -> bool:
        """Whether ``line`` opens a list item; ``continued`` is the open block if ``line`` reads as its next line.

        The line must start with a bullet or an enumerator, and the layout
        must agree: the line does not read as the next line of the block
        above, or that block ended a sentence, or the line repeats the
        marker of the item above where that marker stands. "e." (euros) or
        "n." (noin) wrapped to the start of a line mid-sentence is none of these.
        """
        kind = conventions().marker_kind(line.words[0].text)
        if len(line.words) < 2 or kind is None:
            return False
        if continued is None or continued.ends_sentence:
            return True
        beside = bool(self._list_indents) and abs(line.x0 - self._list_indents[-1]) <= 2.0
        return continued.kind == "list_item" and beside and conventions().marker_kind(continued.marker) == kind

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
        if _breaks_between(previous, line):
            return not heading and self._runs_on(draft, line)
        if line.top - previous.bottom > self._paragraph_gap(line, heading):
            return False
        if heading:
            return True
        if has_room_for(previous, line, self._right):
            return False
        if draft.kind == "list_item":
            return abs(line.x0 - draft.indent) <= 2.0 or _wraps_under_own_marker(draft, line)
        return line.x0 - previous.x0 <= 0.8 * line.size

    def _runs_on(self, draft: TextDraft, line: Line) -> bool:
        """Whether a paragraph cut by a column or page break goes on with ``line``.

        It does when its last line was full (the break was not the
        writer's) and ``line`` does not open a new sentence after a finished one.
        """
        previous = draft.last
        assert previous is not None
        if has_room_for(previous, line, draft.right):
            return False
        if _ENDS_IN_ADDRESS.search(previous.text):
            return False  # a contact line ("..., maija.virtanen@kunta.fi") is a record, not wrapped prose
        if draft.kind == "list_item" and line.x0 <= self._left + 2.0:
            # An item goes on in the new column only under its own text.
            return False
        return not (draft.ends_sentence and line.text[:1].isupper())

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


_ENDS_IN_ADDRESS = re.compile(r"(?:@|\(at\)|://|www\.)\S*$")


def _breaks_between(previous: Line, line: Line) -> bool:
    """Whether a column or page break stands between ``previous`` and ``line``."""
    return line.page != previous.page or line.top < previous.bottom - 2


def _wraps_under_own_marker(item: TextDraft, line: Line) -> bool:
    """Whether ``line`` is the second line of the one-line ``item``, starting under its marker.

    A quotation wraps so under its dash. Under a bullet it is an item set
    without a hanging indent, unless the line opens with a capital: then
    it is a paragraph after an item one line long.
    """
    marker_line = item.last
    if len(item.lines) != 1 or marker_line is None or _breaks_between(marker_line, line):
        return False
    if abs(line.x0 - marker_line.words[0].x0) > 2.0:
        return False
    return item.marker in conventions().quotation_dashes or not line.text[:1].isupper()


def heading_levels(drafts: Iterable[TextDraft]) -> dict[Style, int]:
    """Level of each heading style: the largest size is level 1, bold before plain."""
    styles = sorted({d.style for d in drafts if d.kind == "heading"}, key=lambda s: (-s[0], not s[1]))
    return {style: min(rank + 1, MAX_HEADING_LEVEL) for rank, style in enumerate(styles)}
