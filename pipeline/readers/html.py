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
from pipeline.readers.html_tables import table_rows
from pipeline.readers.html_title import page_title
from pipeline.settings import Settings
from pipeline.source import SourceBytes

# A web page is one page; blocks carry page 1.
_PAGE = 1


def read_html(raw: SourceBytes, settings: Settings) -> Document:
    """The page's main content as headings, paragraphs, list items and tables.

    1. Decode the bytes (BOM, declared charset, UTF-8, Windows-1252).
    2. Parse, and take the title before the masthead that names the site goes.
    3. Drop site furniture: navigation, masthead, footer, cookie banners,
       language menus, scripts.
    4. Locate the main content; without one, read what is left of <body>.
    5. Walk it into blocks; a page with no text at all is refused.
    """
    decoded = _decode(raw)
    builder = DocumentBuilder()
    if decoded.warning:
        builder.warn("encoding", f"{raw.source}: {decoded.warning}")
    root = _parse(raw.source, decoded.text)
    title = page_title(root)
    remove_boilerplate(root)
    content = _main_content(raw.source, root, builder)
    sink = _BuilderSink(builder)
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


def _parse(source: str, text: str) -> HtmlElement:
    # Re-encoding lets lxml ignore the page's own charset declaration,
    # which has already been honoured (or overruled) while decoding.
    parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ReadError(source, ReadFailure.CORRUPT, f"not parseable as HTML ({error})") from None
    if root is None or root.find("body") is None:
        raise ReadError(source, ReadFailure.NO_TEXT, "the page has no <body> content")
    return root


def _main_content(source: str, root: HtmlElement, builder: DocumentBuilder) -> HtmlElement:
    content = locate_main_content(root)
    if content is not None:
        return content
    builder.warn(
        "main_content_not_found",
        f"{source}: no main content found; read the whole page body without its navigation, header and footer",
    )
    return root.find("body")


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

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
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
        self._count(self.builder.table(table_rows(element, cell_paragraphs), page=_PAGE))

    def _count(self, block: object) -> None:
        self.blocks += block is not None
