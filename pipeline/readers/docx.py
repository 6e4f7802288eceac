"""Reads a Word (.docx) document's body into a Document."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from pipeline.builder import DocumentBuilder, RawCell
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers.docx_numbering import ListMarkers
from pipeline.readers.docx_package import check_package_sizes
from pipeline.readers.docx_styles import StyleBook
from pipeline.readers.docx_tables import table_rows
from pipeline.readers.docx_text import ParagraphText, paragraph_text
from pipeline.readers.wide_tables import add_table
from pipeline.settings import Settings
from pipeline.source import SourceBytes

_PARAGRAPH = qn("w:p")
_TABLE = qn("w:tbl")
# Containers whose children belong to the flow they stand in: content
# controls and custom XML markup.
_CONTENT_CONTROL = qn("w:sdt")
_CUSTOM_XML = qn("w:customXml")
_TOC_GALLERY = "Table of Contents"
# What python-docx and the zip and XML layers under it raise for a file
# that is not a well-formed Word package.
_DAMAGED = (
    zipfile.BadZipFile,
    KeyError,
    PackageNotFoundError,
    etree.XMLSyntaxError,
    zlib.error,
    EOFError,
    NotImplementedError,
)


def read_docx(raw: SourceBytes, settings: Settings) -> Document:
    """The document body as headings, paragraphs, list items and tables.

    1. Check the zip's declared sizes before inflating anything (a zip
       bomb is refused), then open the package; a damaged zip or a missing
       part is refused.
    2. Walk the body in order, so tables stand between the paragraphs they
       stand between in the file; content controls are opened, tables of
       contents skipped (they repeat the headings).
    3. Each paragraph becomes what its style and properties say; pages are
       counted from the page breaks Word recorded.
    4. The title is the document properties' title, else the first
       top-level heading (the Title style counts as one).
    """
    check_package_sizes(raw, settings.max_bytes)
    document = _open(raw)
    body = document.element.body
    reader = _BodyReader(
        raw.source,
        StyleBook(document.styles.element),
        ListMarkers(_numbering(document)),
        rendered_breaks=_has_rendered_breaks(body),
    )
    reader.read(_flow(body))
    _warn_about_unread_content(raw.source, body, reader.builder)
    if not reader.blocks:
        raise ReadError(raw.source, ReadFailure.NO_TEXT, "the document has no text in its body")
    title = (document.core_properties.title or "").strip() or None
    return reader.builder.build(
        source=raw.source, sha256=raw.sha256, media_type=raw.media_type, title=title, page_count=reader.page
    )


def _open(raw: SourceBytes) -> docx.document.Document:
    try:
        return docx.Document(io.BytesIO(raw.data))
    except _DAMAGED as error:
        raise ReadError(
            raw.source,
            ReadFailure.CORRUPT,
            f"damaged Word file ({type(error).__name__}: {error}); open and re-save it in Word, or export it again",
        ) from None
    except ValueError as error:
        # python-docx refuses packages whose main part is not a document,
        # such as templates (.dotx) and macro-enabled files (.docm).
        raise ReadError(
            raw.source, ReadFailure.UNSUPPORTED, f"{error}; save it as a Word document (.docx)"
        ) from None


def _numbering(document: docx.document.Document) -> etree._Element | None:
    """The list definitions; a file without lists may have no numbering part at all."""
    try:
        return document.part.numbering_part.element
    except NotImplementedError:
        # python-docx cannot create a missing numbering part and says so this way.
        return None


def _warn_about_unread_content(source: str, body: etree._Element, builder: DocumentBuilder) -> None:
    """Text boxes float beside the flow and embedded chunks are foreign formats; neither is read."""
    if next(body.iter(qn("w:txbxContent")), None) is not None:
        builder.warn("text_boxes_skipped", f"{source}: text in text boxes and shapes is not read")
    if next(body.iter(qn("w:altChunk")), None) is not None:
        builder.warn("embedded_content_skipped", f"{source}: embedded documents (altChunk) are not read")


def _has_rendered_breaks(body: etree._Element) -> bool:
    return next(body.iter(qn("w:lastRenderedPageBreak")), None) is not None


def _flow(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body or cell in reading order."""
    for child in container:
        if child.tag in (_PARAGRAPH, _TABLE):
            yield child
        elif child.tag == _CONTENT_CONTROL and not _is_table_of_contents(child):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _flow(content)
        elif child.tag == _CUSTOM_XML:
            yield from _flow(child)


def _is_table_of_contents(control: etree._Element) -> bool:
    gallery = control.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and gallery.get(qn("w:val")) == _TOC_GALLERY


class _BodyReader:
    """Feeds body paragraphs and tables to the builder, keeping count of pages."""

    def __init__(self, source: str, styles: StyleBook, markers: ListMarkers, *, rendered_breaks: bool) -> None:
        self.source = source
        self.builder = DocumentBuilder()
        self.styles = styles
        self.markers = markers
        self.rendered_breaks = rendered_breaks
        self.page = 1
        self.blocks = 0

    def read(self, flow: Iterator[etree._Element]) -> None:
        for element in flow:
            if element.tag == _TABLE:
                self._table(element)
            else:
                self._paragraph(element)

    def _paragraph(self, paragraph: etree._Element) -> None:
        text = self._text(paragraph)
        role = self.styles.role(paragraph)
        if role.kind == "heading":
            self._count(self.builder.heading(" ".join(text.lines), level=role.level, page=self.page))
        elif role.kind == "list_item":
            marker = self.markers.next_marker(*role.numbering) if role.numbering else None
            block = self.builder.list_item(" ".join(text.lines), level=role.level, page=self.page, marker=marker)
            self._count(block)
        elif role.kind == "paragraph":
            for line in text.lines:
                self._count(self.builder.paragraph(line, page=self.page))
        self.page += text.breaks_after

    def _table(self, table: etree._Element) -> None:
        start = self.page
        rows = table_rows(table, self._cell)
        # Empty cells (merged, skipped columns) stand on the page of the
        # cell before them, so pages never run backwards through the table.
        first = next((cell.page for row in rows for cell in row if cell.page), start)
        page = first
        for cell in (cell for row in rows for cell in row):
            page = cell.page = cell.page or page
        self._count(add_table(self.builder, rows, source=self.source, page=first))

    def _cell(self, cell: etree._Element) -> RawCell:
        page: int | None = None
        lines: list[str] = []
        for element in _flow(cell):
            nested = [element] if element.tag == _PARAGRAPH else list(element.iter(_PARAGRAPH))
            for paragraph in nested:
                text = self._text(paragraph)
                page = page or self.page
                lines.extend(text.lines)
                self.page += text.breaks_after
        return RawCell(lines, page=page or self.page)

    def _text(self, paragraph: etree._Element) -> ParagraphText:
        text = paragraph_text(paragraph, rendered_breaks=self.rendered_breaks)
        self.page += text.breaks_before
        return text

    def _count(self, block: object) -> None:
        self.blocks += block is not None
