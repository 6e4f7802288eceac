"""Words of one PDF page, with position and font, read through PDFium.

PDFium reads a dense page about ten times faster than pdfminer, which is
what keeps a thousand-page plan within a minute; pdfplumber is used only
for pages that carry ruling lines (see :mod:`pipeline.readers.pdf_tables`).
Coordinates are turned to the top-left origin pdfplumber also uses, so
``top`` grows down the page.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Weight 600 is "semibold" in the CSS/OpenType scale; names are the
# fallback for fonts whose descriptor gives no weight.
_BOLD_WEIGHT = 600
_BOLD_NAME_MARKS = ("bold", "black", "heavy", "semibold", "demi")
_SPACES = frozenset(" \t\r\n\u00a0\u2002\u2003\u2009\u202f\ufffe\x00")
# A horizontal gap wider than this share of the font size ends a word.
_WORD_GAP = 0.18


@dataclass(frozen=True)
class Word:
    """A run of characters without a gap, in one font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


def page_words(page: pdfium.PdfPage) -> list[Word]:
    """Every word on ``page`` in content order."""
    textpage = page.get_textpage()
    try:
        chars = _page_chars(textpage.raw, page.get_height())
    finally:
        textpage.close()
    return _words_from_chars(chars)


def _page_chars(textpage: object, height: float) -> list[_Char | None]:
    """Characters with boxes; None marks a space or line break between them."""
    box = pdfium_c.FS_RECTF()
    styles: dict[int | None, tuple[float, bool]] = {}
    chars: list[_Char | None] = []
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        text = chr(code) if 0 < code < 0x110000 else " "
        if text in _SPACES or not pdfium_c.FPDFText_GetLooseCharBox(textpage, index, box):
            chars.append(None)
            continue
        size, bold = _style(textpage, index, styles)
        chars.append(_Char(text, box.left, box.right, height - box.top, height - box.bottom, size, bold))
    return chars


def _style(textpage: object, index: int, cache: dict[int | None, tuple[float, bool]]) -> tuple[float, bool]:
    # Style lookups cost several calls each; a text object shares one font,
    # so they are made once per object rather than once per character.
    obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
    key = ctypes.cast(obj, ctypes.c_void_p).value
    if key not in cache:
        size = round(pdfium_c.FPDFText_GetFontSize(textpage, index), 1)
        cache[key] = (size, _is_bold(textpage, index, obj))
    return cache[key]


def _is_bold(textpage: object, index: int, obj: object) -> bool:
    if pdfium_c.FPDFText_GetFontWeight(textpage, index) >= _BOLD_WEIGHT:
        return True
    font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
    if not font:
        return False
    buffer = ctypes.create_string_buffer(256)
    length = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    name = buffer.raw[: max(length - 1, 0)].decode("latin-1").lower()
    return any(mark in name for mark in _BOLD_NAME_MARKS)


def _words_from_chars(chars: list[_Char | None]) -> list[Word]:
    words: list[Word] = []
    run: list[_Char] = []
    for char in chars:
        if char is None or (run and not _continues(run[-1], char)):
            if run:
                words.append(_word(run))
            run = []
        if char is not None:
            run.append(char)
    if run:
        words.append(_word(run))
    return words


def _continues(previous: _Char, char: _Char) -> bool:
    size = max(previous.size, char.size, 1.0)
    same_line = abs(previous.bottom - char.bottom) < 0.4 * size
    gap = char.x0 - previous.x1
    return same_line and -0.3 * size < gap < _WORD_GAP * size


def _word(run: list[_Char]) -> Word:
    first = run[0]
    return Word(
        text="".join(c.text for c in run),
        x0=min(c.x0 for c in run),
        x1=max(c.x1 for c in run),
        top=min(c.top for c in run),
        bottom=max(c.bottom for c in run),
        size=first.size,
        bold=sum(c.bold for c in run) * 2 > len(run),
    )
