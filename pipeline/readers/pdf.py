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
from pipeline.readers.wide_tables import add_table
from pipeline.settings import Settings
from pipeline.source import SourceBytes

_NO_TEXT_FIX = "install tesseract-ocr and tesseract-ocr-fin to read it with OCR"
_OCR_OFF = "OCR is off (--no-ocr); without that option tesseract reads such pages"
# Pages OCR may find nothing on before the rest of a file's pages without
# a text layer are given up on (a page takes a second or more).
OCR_PROBE_PAGES = 10


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
            f"{total - settings.max_pages} pages skipped (raise --max-pages to read them)",
        )
    _assemble(pages, builder, raw.source)
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
    """OCR, or an error or warning, for pages with no text layer.

    Blank pages (nothing drawn on them) are passed over: OCR would take a
    second each to find nothing. A file of nothing but blank pages is
    refused at once.
    """
    # A page that could not be loaded was warned about already; OCR cannot load it either.
    readable = [p for p in pages if not p.problem]
    empty = [p for p in readable if not p.has_text]
    if not empty:
        return
    if len(empty) == len(readable) and all(p.blank for p in empty):
        detail = f"every page is blank, with no text or images ({_pages_read(pages, len(document))})"
        raise ReadError(raw.source, ReadFailure.NO_TEXT, detail)
    pictured = [p for p in empty if not p.blank]
    if settings.ocr and tesseract_available():
        tried = _ocr_pages(raw, document, pictured, settings, builder)
        if not any(p.has_text or p.ocr for p in readable):
            raise ReadError(raw.source, ReadFailure.NO_TEXT, _ocr_found_nothing(tried, len(pictured), settings))
        return
    why = _OCR_OFF if not settings.ocr else _NO_TEXT_FIX
    if len(empty) == len(readable):
        raise ReadError(raw.source, ReadFailure.NO_TEXT, f"no text layer on any page (scanned PDF?); {why}")
    builder.warn("no_text_pages", f"{raw.source}: no text layer on pages {_page_list(pictured)}; {why}")


def _ocr_pages(
    raw: SourceBytes,
    document: pdfium.PdfDocument,
    pages: Sequence[ScannedPage],
    settings: Settings,
    builder: DocumentBuilder,
) -> list[ScannedPage]:
    """Reads ``pages`` with OCR, at most ``settings.max_ocr_pages`` of them, and says what was left unread;
    returns the pages it tried.

    When the first ``OCR_PROBE_PAGES`` pages give no text (pictures of
    nothing, or Tesseract failing every time), the rest are not tried.
    """
    chosen = list(pages[: settings.max_ocr_pages])
    tried: list[ScannedPage] = []
    for scanned in chosen:
        if len(tried) == OCR_PROBE_PAGES and not any(p.ocr for p in tried):
            builder.warn(
                "ocr_stopped",
                f"{raw.source}: OCR found no text on the first {OCR_PROBE_PAGES} pages without a text layer; "
                f"pages {_page_list(chosen[len(tried):])} were not read",
            )
            break
        tried.append(scanned)
        try:
            scanned.ocr = _ocr_page(document, scanned.number, settings.ocr_language)
        except OcrError as error:
            builder.warn("ocr_failed", f"{raw.source}: page {scanned.number}: {error}", scanned.number)
    read = [p for p in tried if p.ocr is not None]
    if read:
        builder.warn("ocr", f"{raw.source}: pages {_page_list(read)} have no text layer and were read with OCR")
    if len(pages) > len(chosen):
        builder.warn(
            "ocr_pages_skipped",
            f"{raw.source}: pages {_page_list(pages[len(chosen):])} have no text layer and were not read: "
            f"OCR reads at most {settings.max_ocr_pages} pages of a PDF (raise --max-ocr-pages to read more)",
        )
    return tried


def _ocr_found_nothing(tried: Sequence[ScannedPage], pictured: int, settings: Settings) -> str:
    if not tried:
        return (
            f"no text layer on any page (scanned PDF?); OCR reads at most {settings.max_ocr_pages} pages of a PDF "
            "(raise --max-ocr-pages to read them)"
        )
    outcome = "failed on every page" if all(p.ocr is None for p in tried) else "found no text on any page"
    return f"no text layer, and OCR {outcome} it tried ({len(tried)} of the {pictured} without one)"


def _ocr_page(document: pdfium.PdfDocument, number: int, language: str) -> list[str]:
    try:
        page = document[number - 1]
    except pdfium.PdfiumError as error:
        raise OcrError(f"page not readable: {error}") from error
    try:
        return ocr_paragraphs(page, language)
    finally:
        page.close()


def _pages_read(pages: Sequence[ScannedPage], total: int) -> str:
    if len(pages) == total:
        return f"{total:,} pages"
    return f"the first {len(pages):,} of {total:,} pages read; raise --max-pages to read more"


def _page_list(pages: Sequence[ScannedPage]) -> str:
    """Page numbers with runs shortened: "1, 3–5, 9"."""
    runs: list[list[int]] = []
    for number in (p.number for p in pages):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def _assemble(pages: Sequence[ScannedPage], builder: DocumentBuilder, source: str) -> None:
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
    _emit(entries, heading_levels(blocks.drafts), builder, source)


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


def _emit(entries: Sequence[TextDraft | TableDraft], levels: dict, builder: DocumentBuilder, source: str) -> None:
    for entry in entries:
        if isinstance(entry, TableDraft):
            add_table(builder, entry.cell_rows(), source=source, page=entry.page, header_rows=entry.header_rows)
        elif entry.kind == "heading":
            builder.heading(entry.text, level=levels[entry.style], page=entry.page)
        elif entry.kind == "list_item":
            builder.list_item(entry.text, page=entry.page, level=entry.level)
        else:
            builder.paragraph(entry.text, page=entry.page)
