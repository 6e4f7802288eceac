"""The PDF reader: text in reading order, headings, lists and tables, page by page.

PDFium reads the words and ruling lines (fast enough for thousand-page
plans), pdfplumber's grid finder turns ruling lines into table cells, and
Tesseract reads pages that have no text layer when it is installed and
OCR is on.
"""

from __future__ import annotations

from collections.abc import Sequence

import pypdfium2 as pdfium

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers.ocr import OcrError, ocr_paragraphs, tesseract_available
from pipeline.readers.pdf_blocks import TextBlocks, TextDraft, body_metrics, heading_levels
from pipeline.readers.pdf_layout import Flow, PageItem, page_items
from pipeline.readers.pdf_margins import PageLines, drop_page_furniture
from pipeline.readers.pdf_pages import ScannedPage, scan_page
from pipeline.readers.pdf_source import metadata_title, open_pdf
from pipeline.readers.pdf_stitch import TableDraft
from pipeline.readers.pdf_tables import PageTable
from pipeline.settings import Settings
from pipeline.source import SourceBytes

_NO_TEXT_FIX = "install tesseract-ocr and tesseract-ocr-fin to read it with OCR"


def read_pdf(raw: SourceBytes, settings: Settings) -> Document:
    """Reads a PDF into a Document, or raises ReadError saying why it cannot.

    1. Open the file with PDFium (damaged, encrypted and empty files stop here).
    2. Read the words and ruled tables of the first ``settings.max_pages`` pages.
    3. OCR the pages without a text layer, or say why they stay empty.
    4. Drop running headers, footers and page numbers.
    5. Lay each page out: columns, unruled tables, reading order.
    6. Group lines into blocks, stitch tables over page breaks, build.
    """
    document = open_pdf(raw)
    builder = DocumentBuilder()
    try:
        total = len(document)
        pages = _scan_pages(raw, document, min(total, settings.max_pages), builder)
        _read_textless_pages(raw, document, pages, settings, builder)
        title = metadata_title(document)
    finally:
        document.close()
    if total > settings.max_pages:
        builder.warn(
            "pages_skipped",
            f"{raw.source}: read the first {settings.max_pages} of {total} pages; "
            f"{total - settings.max_pages} pages skipped (raise max_pages to read them)",
        )
    _assemble(pages, builder)
    return builder.build(
        source=raw.source, sha256=raw.sha256, media_type=raw.media_type, title=title, page_count=total
    )


def _scan_pages(
    raw: SourceBytes, document: pdfium.PdfDocument, count: int, builder: DocumentBuilder
) -> list[ScannedPage]:
    """Every page scanned; a page PDFium cannot load is warned about, and if none loads the file is refused."""
    pages = [_scan_one(document, number) for number in range(1, count + 1)]
    for scanned in pages:
        if scanned.problem:
            builder.warn("page_problem", f"{raw.source}: page {scanned.number}: {scanned.problem}", scanned.number)
    if pages and all(p.problem for p in pages):
        raise ReadError(
            raw.source,
            ReadFailure.CORRUPT,
            f"no page of the PDF can be read ({pages[0].problem}); the file is damaged, download or export it again",
        )
    return pages


def _scan_one(document: pdfium.PdfDocument, number: int) -> ScannedPage:
    # Loading the page object can fail as well as reading it: a damaged
    # page dictionary is only found when PDFium loads the page.
    page = None
    try:
        page = document[number - 1]
        return scan_page(page, number)
    except pdfium.PdfiumError as error:
        return ScannedPage(number, 0.0, 0.0, problem=f"page not readable: {error}")
    finally:
        if page is not None:
            page.close()


def _read_textless_pages(
    raw: SourceBytes,
    document: pdfium.PdfDocument,
    pages: Sequence[ScannedPage],
    settings: Settings,
    builder: DocumentBuilder,
) -> None:
    """OCR, or an error or warning, for pages with no text layer."""
    # A page that could not be loaded was warned about already; OCR cannot load it either.
    empty = [p for p in pages if not p.has_text and not p.problem]
    if not empty:
        return
    if settings.ocr and tesseract_available():
        failed = _ocr_pages(raw, document, empty, settings.ocr_language, builder)
        if len(failed) == len(empty) and not any(p.has_text for p in pages):
            raise ReadError(raw.source, ReadFailure.NO_TEXT, "no text layer and OCR failed on every page")
        return
    if len(empty) == sum(1 for p in pages if not p.problem):
        raise ReadError(
            raw.source,
            ReadFailure.NO_TEXT,
            f"no text layer on any page (scanned PDF?); {_NO_TEXT_FIX}",
        )
    why = "OCR is off" if not settings.ocr else _NO_TEXT_FIX
    builder.warn("no_text_pages", f"{raw.source}: no text layer on pages {_page_list(empty)}; {why}")


def _ocr_pages(
    raw: SourceBytes,
    document: pdfium.PdfDocument,
    pages: Sequence[ScannedPage],
    language: str,
    builder: DocumentBuilder,
) -> list[ScannedPage]:
    """Reads ``pages`` with OCR; returns those it failed on."""
    failed = []
    for scanned in pages:
        try:
            scanned.ocr = _ocr_page(document, scanned.number, language)
        except OcrError as error:
            failed.append(scanned)
            builder.warn("ocr_failed", f"{raw.source}: page {scanned.number}: {error}", scanned.number)
    read = [p for p in pages if p not in failed]
    if read:
        builder.warn("ocr", f"{raw.source}: pages {_page_list(read)} have no text layer and were read with OCR")
    return failed


def _ocr_page(document: pdfium.PdfDocument, number: int, language: str) -> list[str]:
    try:
        page = document[number - 1]
    except pdfium.PdfiumError as error:
        raise OcrError(f"page not readable: {error}") from error
    try:
        return ocr_paragraphs(page, language)
    finally:
        page.close()


def _page_list(pages: Sequence[ScannedPage]) -> str:
    return ", ".join(str(p.number) for p in pages)


def _assemble(pages: Sequence[ScannedPage], builder: DocumentBuilder) -> None:
    """Stages 4 to 6: furniture out, layout, blocks, tables stitched, into the builder."""
    kept = drop_page_furniture([PageLines(p.number, p.height, p.rows) for p in pages])
    laid_out = [
        (scanned, page_items(lines.rows, scanned.ruled, scanned.width, scanned.number))
        for scanned, lines in zip(pages, kept)
    ]
    blocks = TextBlocks(body_metrics(i for _, items in laid_out for i in items if isinstance(i, Flow)))
    entries: list[TextDraft | TableDraft] = []
    for scanned, items in laid_out:
        if scanned.ocr is not None:
            entries += _ocr_drafts(scanned, blocks)
        for item in items:
            _add_item(item, blocks, entries)
    _emit(entries, heading_levels(blocks.drafts), builder)


def _ocr_drafts(scanned: ScannedPage, blocks: TextBlocks) -> list[TextDraft]:
    blocks.close()
    return [TextDraft("paragraph", scanned.number, (0.0, False), [text]) for text in scanned.ocr or []]


def _add_item(item: PageItem, blocks: TextBlocks, entries: list[TextDraft | TableDraft]) -> None:
    if isinstance(item, PageTable):
        blocks.close()
        last = entries[-1] if entries else None
        if isinstance(last, TableDraft) and last.continues_with(item):
            last.extend(item)
        else:
            entries.append(TableDraft.start(item))
        return
    before = len(blocks.drafts)
    blocks.add_flow(item)
    entries += blocks.drafts[before:]


def _emit(entries: Sequence[TextDraft | TableDraft], levels: dict, builder: DocumentBuilder) -> None:
    for entry in entries:
        if isinstance(entry, TableDraft):
            builder.table(entry.cell_rows(), page=entry.page, header_rows=entry.header_rows)
        elif entry.kind == "heading":
            builder.heading(entry.text, level=levels[entry.style], page=entry.page)
        elif entry.kind == "list_item":
            builder.list_item(entry.text, page=entry.page, level=entry.level)
        else:
            builder.paragraph(entry.text, page=entry.page)
