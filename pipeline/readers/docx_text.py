"""The text of one Word paragraph as its reader sees it, and where pages break in it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml import etree

# Subtrees whose text is not part of the paragraph as it reads: tracked
# deletions, moved-away text, text boxes floating beside the paragraph
# (and their legacy fallback copies), and the paragraph mark's properties.
_SKIPPED = frozenset(
    qn(tag) for tag in ("w:del", "w:moveFrom", "w:txbxContent", "w:pPr", "w:rPr", "w:instrText", "w:delText")
) | {"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_TEXT = qn("w:t")
_TAB = qn("w:tab")
_BREAK = qn("w:br")
_CARRIAGE_RETURN = qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_RENDERED_PAGE_BREAK = qn("w:lastRenderedPageBreak")


@dataclass
class ParagraphText:
    """Lines of a paragraph (split at manual line breaks) and the page breaks in it.

    ``breaks_before`` counts page breaks ahead of the first text, which move
    the paragraph itself to a later page; ``breaks_after`` those behind it.
    """

    lines: list[str] = field(default_factory=lambda: [""])
    breaks_before: int = 0
    breaks_after: int = 0

    @property
    def has_text(self) -> bool:
        return any(line.strip() for line in self.lines)


def paragraph_text(paragraph: etree._Element, *, rendered_breaks: bool) -> ParagraphText:
    """Reads ``paragraph``.

    ``rendered_breaks`` chooses which page breaks count: those Word
    recorded when it last laid the document out (real page starts), or,
    for files never laid out by Word, the hard page breaks.
    """
    result = ParagraphText()
    if not rendered_breaks and _breaks_page_before(paragraph):
        result.breaks_before += 1
    for element in _reading_order(paragraph):
        _add(result, element, rendered_breaks)
    return result


def _add(result: ParagraphText, element: etree._Element, rendered_breaks: bool) -> None:
    tag = element.tag
    if tag == _TEXT:
        result.lines[-1] += element.text or ""
    elif tag == _TAB:
        result.lines[-1] += " "
    elif tag == _NO_BREAK_HYPHEN:
        result.lines[-1] += "-"
    elif tag == _CARRIAGE_RETURN or (tag == _BREAK and element.get(qn("w:type")) in (None, "textWrapping")):
        result.lines.append("")
    elif _is_page_break(element, rendered_breaks):
        if result.has_text:
            result.breaks_after += 1
        else:
            result.breaks_before += 1


def _is_page_break(element: etree._Element, rendered_breaks: bool) -> bool:
    if rendered_breaks:
        return element.tag == _RENDERED_PAGE_BREAK
    return element.tag == _BREAK and element.get(qn("w:type")) == "page"


def _breaks_page_before(paragraph: etree._Element) -> bool:
    properties = paragraph.find(qn("w:pPr"))
    flag = properties.find(qn("w:pageBreakBefore")) if properties is not None else None
    return flag is not None and flag.get(qn("w:val"), "true") not in ("0", "false", "off")


def _reading_order(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if not isinstance(child.tag, str) or child.tag in _SKIPPED:
            continue
        yield child
        yield from _reading_order(child)
