"""Ruled tables: PDFium spots pages with ruling lines, pdfplumber reads their grid.

pdfplumber parses a page about ten times slower than PDFium, so it is only
asked about pages that draw at least two horizontal and two vertical
rules, or enough boxes to outline cells.
"""

from __future__ import annotations

import io
from typing import Sequence

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from pipeline.readers.pdf_tables import Box

# A path this thin (points) across its short side is a rule, not a shape.
RULE_THICKNESS = 2.5
MIN_RULE_LENGTH = 8.0
MIN_BOXES = 4
_PATH = pdfium_c.FPDF_PAGEOBJ_PATH


class RuleReadError(Exception):
    """pdfplumber could not read a page's rules; the page is read without ruled tables."""


def has_rules(page: pdfium.PdfPage) -> bool:
    """Whether the page draws enough lines or boxes to hold a ruled table."""
    horizontal = vertical = boxes = 0
    for obj in page.get_objects(filter=(_PATH,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if height <= RULE_THICKNESS and width >= MIN_RULE_LENGTH:
            horizontal += 1
        elif width <= RULE_THICKNESS and height >= MIN_RULE_LENGTH:
            vertical += 1
        elif width >= MIN_RULE_LENGTH and height >= MIN_RULE_LENGTH:
            boxes += 1
        if (horizontal >= 2 and vertical >= 2) or boxes >= MIN_BOXES:
            return True
    return False


class RuledTableFinder:
    """Opens the PDF in pdfplumber on first need and finds ruled tables page by page."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf: pdfplumber.PDF | None = None

    def tables(self, index: int) -> list[list[list[Box | None]]]:
        """Cell boxes, row by row, of each ruled table on page ``index`` (0-based)."""
        try:
            if self._pdf is None:
                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            page = self._pdf.pages[index]
            try:
                return [[list(row.cells) for row in table.rows] for table in page.find_tables()]
            finally:
                page.close()
        except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, IndexError) as error:
            raise RuleReadError(str(error) or type(error).__name__) from error

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def cell_boxes(table: Sequence[Sequence[Box | None]]) -> list[Box]:
    return [box for row in table for box in row if box]
