"""Text of a scanned page, read with Tesseract.

Tesseract groups what it reads into blocks, paragraphs and lines; each
paragraph becomes one paragraph of text, its lines joined the way printed
lines are (see :mod:`pipeline.readers.pdf_hyphenation`).
"""

from __future__ import annotations

import shutil
from collections import defaultdict

import pypdfium2 as pdfium
import pytesseract

from pipeline.readers.pdf_hyphenation import join_lines

# 300 dpi is what Tesseract's models were trained on.
OCR_DPI = 300
PAGE_TIMEOUT_SECONDS = 120


class OcrError(Exception):
    """Tesseract failed on a page; the message says why."""


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_paragraphs(page: pdfium.PdfPage, language: str) -> list[str]:
    """The paragraphs Tesseract reads on ``page``, top to bottom."""
    try:
        image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
    except pdfium.PdfiumError as error:
        raise OcrError(f"page cannot be rendered for OCR: {error}") from error
    try:
        data = pytesseract.image_to_data(
            image, lang=language, output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT_SECONDS
        )
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError) as error:
        raise OcrError(f"tesseract failed (language {language!r}): {error}") from error
    lines: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    for index, word in enumerate(data["text"]):
        if word and word.strip():
            key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
            lines[key].append(word.strip())
    paragraphs: dict[tuple[int, int], list[str]] = defaultdict(list)
    for (block, par, _), words in sorted(lines.items()):
        paragraphs[(block, par)].append(" ".join(words))
    return [join_lines(p) for _, p in sorted(paragraphs.items())]
