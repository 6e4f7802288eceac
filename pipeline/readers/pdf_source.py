"""Opening a PDF with PDFium, its errors turned into ReadErrors, and its metadata title."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import ReadError, ReadFailure
from pipeline.normalise import normalise_inline
from pipeline.readers.pdf_conventions import conventions
from pipeline.source import SourceBytes

_FILE_NAME = re.compile(r"\.(?:pdf|docx?|odt|indd|pptx?|xlsx?|rtf)$", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")


def open_pdf(raw: SourceBytes) -> pdfium.PdfDocument:
    """The PDF, or a ReadError saying why it cannot be opened (the error itself names the file)."""
    if not raw.data or raw.data.isspace():  # isspace, unlike strip, copies nothing
        raise ReadError(raw.source, ReadFailure.EMPTY, "file is empty")
    try:
        document = pdfium.PdfDocument(raw.data)
    except pdfium.PdfiumError as error:
        raise _open_error(raw, error) from None
    if len(document) == 0:
        document.close()
        raise ReadError(raw.source, ReadFailure.CORRUPT, "the PDF has no readable pages (damaged or truncated file?)")
    return document


def _open_error(raw: SourceBytes, error: pdfium.PdfiumError) -> ReadError:
    code = getattr(error, "err_code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return ReadError(
            raw.source,
            ReadFailure.ENCRYPTED,
            "the PDF is encrypted and needs a password to open; ask the publisher for an unprotected copy",
        )
    truncated = b"%%EOF" not in raw.data[-2048:]
    hint = "the file looks truncated (no end-of-file marker); download it again" if truncated else "the file is damaged or not a PDF"
    return ReadError(raw.source, ReadFailure.CORRUPT, f"cannot open the PDF ({error}); {hint}")


def metadata_title(document: pdfium.PdfDocument) -> str | None:
    """The metadata Title when it names the document; None for placeholders and file names."""
    try:
        title = normalise_inline(document.get_metadata_value("Title") or "")
    except pdfium.PdfiumError:
        return None
    lowered = title.lower()
    if len(_LETTERS.findall(title)) < 3 or _FILE_NAME.search(title):
        return None
    if any(lowered == p or lowered.startswith(p + " ") for p in conventions().placeholder_titles):
        return None
    return title
