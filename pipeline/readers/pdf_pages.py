"""One PDF page read into rows of line segments and ruled tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.readers.pdf_lines import Line, lines_of
from pipeline.readers.pdf_rules import cell_boxes, ruled_grids
from pipeline.readers.pdf_tables import PageTable, inside_any, ruled_table
from pipeline.readers.pdf_words import page_words


@dataclass
class ScannedPage:
    """What one page holds before layout; ``ocr`` is set for pages read by OCR."""

    number: int
    width: float
    height: float
    rows: list[list[Line]] = field(default_factory=list)
    ruled: list[PageTable] = field(default_factory=list)
    ocr: list[str] | None = None
    problem: str | None = None
    # Nothing drawn at all: no text, no image, no line. OCR has nothing to read.
    blank: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.rows or self.ruled)


def scan_page(page: pdfium.PdfPage, number: int) -> ScannedPage:
    """Words of the page, with those in ruled tables taken out into the tables."""
    scanned = ScannedPage(number, page.get_width(), page.get_height())
    words = page_words(page)
    if words:
        grids = ruled_grids(page)
        tables = [(grid, ruled_table(grid, words, number)) for grid in grids]
        tables = [(grid, table) for grid, table in tables if table is not None]
        boxes = [box for grid, _ in tables for box in cell_boxes(grid)]
        words = [w for w in words if not inside_any(w, boxes)]
        scanned.ruled = [table for _, table in tables]
    scanned.rows = lines_of(words, number)
    scanned.blank = not words and pdfium_c.FPDFPage_CountObjects(page.raw) == 0
    return scanned
