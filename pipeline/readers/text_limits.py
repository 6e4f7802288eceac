"""The cap on how much text one document may hold, checked before the costly parsing starts.

A text file or web page decodes to at least a quarter as many characters
as it has bytes (UTF-8 and UTF-32 take at most four bytes a character,
UTF-16 two or four), so bytes beyond four times the cap are refused
without decoding them at all.
"""

from __future__ import annotations

from pipeline.errors import ReadError, ReadFailure
from pipeline.settings import Settings

_MAX_BYTES_PER_CHARACTER = 4
_FIX = "raise --max-text to read it"


def refuse_oversized_bytes(source: str, size: int, settings: Settings) -> None:
    """Raises TOO_LARGE when ``size`` bytes of text cannot decode to fewer characters than the cap."""
    least = size // _MAX_BYTES_PER_CHARACTER
    if least > settings.max_text_chars:
        raise ReadError(
            source,
            ReadFailure.TOO_LARGE,
            f"the file is {size:,} bytes of text, at least {least:,} characters, "
            f"over the limit of {settings.max_text_chars:,}; {_FIX}",
        )


def refuse_oversized_text(source: str, characters: int, settings: Settings, *, what: str = "the text") -> None:
    """Raises TOO_LARGE when ``what`` (a document's text, a page's markup) of ``characters`` is over the cap."""
    if characters > settings.max_text_chars:
        raise ReadError(
            source,
            ReadFailure.TOO_LARGE,
            f"{what} is {characters:,} characters, over the limit of {settings.max_text_chars:,}; {_FIX}",
        )


def refuse_too_many_blocks(source: str, blocks: int, settings: Settings) -> None:
    """Raises TOO_LARGE for a document of more paragraphs, list items and headings than the cap.

    The language model's work and memory grow with the number of blocks more
    than with their length: 20,000 short paragraphs take a minute and most of
    a gigabyte to extract, 100,000 would take several minutes and gigabytes.
    """
    if blocks > settings.max_blocks:
        raise ReadError(
            source,
            ReadFailure.TOO_LARGE,
            f"the document has {blocks:,} paragraphs, headings and list items, over the limit of "
            f"{settings.max_blocks:,}; raise --max-paragraphs to read it",
        )
