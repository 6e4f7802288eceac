"""Pages nested deeper than the reader can take, flattened so that their text survives.

libxml2 stops parsing at 256 levels of nesting and drops the rest of the
page, and the walkers of the HTML reader recurse once per level. A page
deeper than ``MAX_DEPTH`` is tokenised again with the standard library's
parser, which knows no depth limit, and written out without the tags
below ``MAX_DEPTH``: their text stays, in order, in the deepest element
kept. Real pages nest a few dozen levels.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from lxml import etree
from lxml.html import HtmlElement

MAX_DEPTH = 100
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# Start tags that close an open element of these kinds first, as HTML does
# implicitly; without this, pages of unclosed <p> and <li> would seem to nest.
_IMPLICITLY_CLOSED = {
    "li": frozenset({"li"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    "tr": frozenset({"tr", "td", "th"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "option": frozenset({"option"}),
    "p": frozenset({"p"}),
}
_CLOSES_PARAGRAPH = frozenset(
    {"address", "article", "aside", "blockquote", "div", "dl", "fieldset", "footer", "form", "h1", "h2", "h3",
     "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}
)
_RAW_TEXT = frozenset({"script", "style"})


def deeper_than_allowed(root: HtmlElement) -> bool:
    """True when ``root`` nests elements more than ``MAX_DEPTH`` levels deep."""
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def flatten_nesting(page: str, max_depth: int = MAX_DEPTH) -> str:
    """``page`` written out again without the tags nested below ``max_depth``; all text kept."""
    writer = _FlatteningWriter(max_depth)
    writer.feed(page)
    writer.close()
    return writer.output()


class _FlatteningWriter(HTMLParser):
    """Re-serialises tokens, keeping a tag only while fewer than ``max_depth`` elements are open."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.max_depth = max_depth
        self.open: list[str] = []
        self.parts: list[str] = []

    def output(self) -> str:
        self._close_down_to(0)
        return "".join(self.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied_by(tag)
        kept = len(self.open) < self.max_depth
        if kept:
            self.parts.append(_start_tag(tag, attrs))
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index] == tag:
                self._close_down_to(index)
                return
        # An end tag nothing opened is dropped, as browsers drop it.

    def handle_data(self, data: str) -> None:
        inside_raw_text = bool(self.open) and self.open[-1] in _RAW_TEXT
        self.parts.append(data if inside_raw_text else escape(data, quote=False))

    def _close_implied_by(self, tag: str) -> None:
        closed = _IMPLICITLY_CLOSED.get(tag, frozenset())
        while self.open and (self.open[-1] in closed or (self.open[-1] == "p" and tag in _CLOSES_PARAGRAPH)):
            self._close_down_to(len(self.open) - 1)

    def _close_down_to(self, index: int) -> None:
        while len(self.open) > index:
            tag = self.open.pop()
            if len(self.open) < self.max_depth:
                self.parts.append(f"</{tag}>")


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    written = "".join(f' {name}="{escape(value)}"' if value is not None else f" {name}" for name, value in attrs)
    return f"<{tag}{written}>"
