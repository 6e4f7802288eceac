"""Reads an HTML page's main content into a Document."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers.html_blocks import cell_paragraphs, inline_text, walk_blocks
from pipeline.readers.html_boilerplate import remove_boilerplate
from pipeline.readers.html_encoding import DecodedPage, decode_html
from pipeline.readers.html_main_content import locate_main_content
from pipeline.readers.html_nesting import MAX_DEPTH, deeper_than_allowed, flatten_nesting
from pipeline.readers.html_tables import is_layout_table, table_rows
from pipeline.readers.html_title import page_title
from pipeline.readers.text_limits import refuse_oversized_bytes, refuse_oversized_text
from pipeline.readers.wide_tables import add_table
from pipeline.settings import Settings
from pipeline.source import SourceBytes

# A web page is one page; blocks carry page 1.
_PAGE = 1
# Judging the main content takes time that grows faster than the page
# (about 1 s at 20,000 elements, 25 s at 85,000); the longest real pages
# have a few thousand elements.
MAX_JUDGED_ELEMENTS = 20_000
_TABLE_PARTS = frozenset({"tr", "thead", "tbody", "tfoot"})


def read_html(raw: SourceBytes, settings: Settings) -> Document:
    """The page's main content as headings, paragraphs, list items and tables.

    1. Decode the bytes (BOM, declared charset, UTF-8, Windows-1252).
    2. Parse, and take the title before the masthead that names the site goes.
    3. Drop site furniture: navigation, masthead, footer, cookie banners,
       language menus, scripts.
    4. Locate the main content; without one, read what is left of <body>.
    5. Walk it into blocks; a page with no text at all is refused.
    """
    refuse_oversized_bytes(raw.source, len(raw.data), settings)
    decoded = _decode(raw)
    # The markup counts: parsing takes time and memory by the page's length, not its text's.
    refuse_oversized_text(raw.source, len(decoded.text), settings, what="the page, markup included,")
    builder = DocumentBuilder()
    if decoded.warning:
        builder.warn("encoding", f"{raw.source}: {decoded.warning}")
    root = _parse(raw.source, decoded.text, builder)
    title = page_title(root)
    remove_boilerplate(root)
    content = _main_content(raw.source, root, builder)
    sink = _BuilderSink(builder, raw.source)
    _emit_page_heading(root, content, sink)
    walk_blocks(content, sink)
    if not sink.blocks:
        raise ReadError(raw.source, ReadFailure.NO_TEXT, "the page has no text besides site navigation and scripts")
    return builder.build(
        source=raw.source, sha256=raw.sha256, media_type=raw.media_type, title=title, page_count=_PAGE
    )


def _decode(raw: SourceBytes) -> DecodedPage:
    try:
        return decode_html(raw.source, raw.data)
    except ReadError:
        raise ReadError(
            raw.source,
            ReadFailure.CORRUPT,
            "starts like HTML but the rest is binary data; the file is damaged or is not a web page",
        ) from None


def _parse(source: str, text: str, builder: DocumentBuilder) -> HtmlElement:
    root = _parse_markup(source, text)
    if root is not None and deeper_than_allowed(root):
        builder.warn(
            "deep_nesting",
            f"{source}: elements nest more than {MAX_DEPTH} levels deep; the structure below that depth "
            "was flattened, its text kept",
        )
        root = _parse_markup(source, flatten_nesting(text))
    if root is None or root.find("body") is None:
        raise ReadError(source, ReadFailure.NO_TEXT, "the page has no <body> content")
    return root


def _parse_markup(source: str, text: str) -> HtmlElement | None:
    # Re-encoding lets lxml ignore the page's own charset declaration,
    # which has already been honoured (or overruled) while decoding.
    parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ReadError(source, ReadFailure.CORRUPT, f"not parseable as HTML ({error})") from None


def _main_content(source: str, root: HtmlElement, builder: DocumentBuilder) -> HtmlElement:
    elements = sum(1 for _ in root.iter())
    if elements > MAX_JUDGED_ELEMENTS:
        builder.warn(
            "main_content_not_judged",
            f"{source}: the page has {elements:,} elements, too many to judge which are its main content "
            f"(over {MAX_JUDGED_ELEMENTS:,}); read the whole page body without its navigation, header and footer",
        )
        return root.find("body")
    content = locate_main_content(root)
    if content is not None:
        return _whole_data_table(content)
    builder.warn(
        "main_content_not_found",
        f"{source}: no main content found; read the whole page body without its navigation, header and footer",
    )
    return root.find("body")


def _whole_data_table(content: HtmlElement) -> HtmlElement:
    """The data table around ``content`` when the content found is rows of it, else ``content``.

    When the judged text is all in one row, the row is what holds it; read
    on its own its cells would become loose paragraphs, and a table of
    thousands of columns thousands of them.
    """
    if content.tag not in _TABLE_PARTS:
        return content
    table = next(content.iterancestors("table"), None)
    return table if table is not None and not is_layout_table(table) else content


def _emit_page_heading(root: HtmlElement, content: HtmlElement, sink: _BuilderSink) -> None:
    """Puts the page's single <h1> first when the content element lacks it.

    Many templates place the <h1> in a banner above the article body; it
    still names what follows.
    """
    headings = root.findall(".//h1")
    if len(headings) != 1:
        return
    heading = headings[0]
    if heading is content or content in heading.iterancestors():
        return
    if _precedes(heading, content):
        sink.heading(inline_text(heading), 1)


def _precedes(first: HtmlElement, second: HtmlElement) -> bool:
    for element in first.getroottree().getroot().iter():
        if element is first:
            return True
        if element is second:
            return False
    return False


class _BuilderSink:
    """Feeds walked blocks to the DocumentBuilder and counts what it kept."""

    def __init__(self, builder: DocumentBuilder, source: str) -> None:
        self.builder = builder
        self.source = source
        self.blocks = 0

    def heading(self, text: str, level: int) -> None:
        self._count(self.builder.heading(text, level=level, page=_PAGE))

    def paragraph(self, text: str) -> None:
        self._count(self.builder.paragraph(text, page=_PAGE))

    def list_item(self, text: str, level: int, marker: str | None) -> None:
        self._count(self.builder.list_item(text, level=level, page=_PAGE, marker=marker))

    def table(self, element: HtmlElement) -> None:
        caption = element.find("caption")
        if caption is not None:
            self.paragraph(inline_text(caption))
        grid = table_rows(element, cell_paragraphs)
        block = add_table(
            self.builder, grid.rows, source=self.source, page=_PAGE, width=grid.width, row_count=grid.row_count
        )
        self._count(block)

    def _count(self, block: object) -> None:
        self.blocks += block is not None
