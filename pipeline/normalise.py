"""Text normalisation shared by every reader.

Readers hand raw strings to the builder, which normalises each one with
:func:`normalise_inline` before it enters ``Document.text``; spans are
therefore spans of the normalised text.
"""

from __future__ import annotations

import re
import unicodedata

# Soft hyphens and zero-width characters carry no text; PDFs and CMS
# exports scatter them inside words, where they break matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Every Unicode space (NBSP, narrow NBSP, thin space, tabs, line breaks)
# becomes one plain space: "1 234,50 €" must look the same whichever
# space the source used.
_SPACE_RUN = re.compile(r"\s+")


def normalise_inline(text: str) -> str:
    """One line of text: NFC, invisible characters dropped, spaces folded, trimmed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACE_RUN.sub(" ", text).strip()
