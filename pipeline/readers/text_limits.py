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
