"""Words of one PDF page, with position and font, read through PDFium.

PDFium reads a dense page about five times faster than pdfminer (under
pdfplumber), which is what keeps a thousand-page plan within a minute.
Coordinates are turned to the top-left origin pdfplumber also uses, so
``top`` grows down the page.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Weight 600 is "semibold" in the CSS/OpenType scale; names are the
# fallback for fonts whose descriptor gives no weight.
_BOLD_WEIGHT = 600
_BOLD_NAME_MARKS = ("bold", "black", "heavy", "semibold", "demi")
# PDFium reports a hyphen it takes for a line-end hyphenation as U+0002.
_LINE_END_HYPHEN = 2
_SPACES = frozenset(" \t\r\n\u00a0\u2002\u2003\u2009\u202f\x00")
# In its page text PDFium writes a line-end hyphen as U+FFFE and drops the
# line break after it; the hyphen ends the word on its line.
_TEXT_HYPHEN = "\ufffe"
_WORD_RUN = re.compile(r"[^\s\x00\ufffe]+\ufffe?|\ufffe")
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
    """Every word on ``page`` in content order.

    PDFium's own text, with the spaces and line breaks it infers, splits
    the words; only the first and last character of each are measured,
    which is six times fewer calls than measuring every character. A word
    whose ends do not sit on one line is measured character by character.
    """
    textpage = page.get_textpage()
    try:
        reader = _CharReader(textpage.raw, page.get_height())
        text = _page_text(textpage.raw)
        if text is None:
            return _words_from_chars([reader.char(i) for i in range(reader.count)])
        words: list[Word] = []
        for match in _WORD_RUN.finditer(text):
            words += reader.words(match.start(), match.end(), match.group())
        return words
    finally:
        textpage.close()


def _page_text(textpage: object) -> str | None:
    """The page text, one character per character index; None if that does not hold."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    return text if len(text) == count else None


class _CharReader:
    """Measures characters of one text page, caching styles per text object."""

    def __init__(self, textpage: object, height: float) -> None:
        self.textpage = textpage
        self.height = height
        self.count = pdfium_c.FPDFText_CountChars(textpage)
        self._box = pdfium_c.FS_RECTF()
        self._styles: dict[int | None, tuple[float, bool]] = {}

    def char(self, index: int) -> _Char | None:
        """The character at ``index``; None for a space or an unmeasurable one."""
        code = pdfium_c.FPDFText_GetUnicode(self.textpage, index)
        text = "-" if code == _LINE_END_HYPHEN else chr(code) if 0 < code < 0x110000 else " "
        if text in _SPACES or not pdfium_c.FPDFText_GetLooseCharBox(self.textpage, index, self._box):
            return None
        box = self._box
        size, bold = _style(self.textpage, index, self._styles)
        return _Char(text, box.left, box.right, self.height - box.top, self.height - box.bottom, size, bold)

    def words(self, start: int, end: int, text: str) -> list[Word]:
        """The word(s) in characters ``start`` to ``end``, whose text PDFium gave as ``text``."""
        first, last = self.char(start), self.char(end - 1)
        if first is None or last is None or not _continues_far(first, last):
            return _words_from_chars([self.char(i) for i in range(start, end)])
        text = text.replace(chr(_LINE_END_HYPHEN), "-").replace(_TEXT_HYPHEN, "-")
        top, bottom = min(first.top, last.top), max(first.bottom, last.bottom)
        return [Word(text, first.x0, last.x1, top, bottom, first.size, first.bold)]


def _continues_far(first: _Char, last: _Char) -> bool:
    size = max(first.size, last.size, 1.0)
    return abs(first.bottom - last.bottom) < 0.4 * size and last.x1 >= first.x0


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
