"""Bytes of a web page to text, honouring the charset the page declares."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from pipeline.text_decoding import decode_text

# The HTML "prescan" looks for a declaration in the first 1024 bytes;
# pages with long comments or inline styles before <meta> are common in
# old CMS templates, so look a little further.
_PRESCAN_BYTES = 4096
# Matches both <meta charset="x"> and the older
# <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# The WHATWG Encoding Standard decodes pages labelled Latin-1 or ASCII as
# windows-1252: such pages routinely carry €, – and curly quotes from it.
_WHATWG_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252"}
_BOM_ENCODINGS = frozenset({"utf-8-sig", "utf-16", "utf-32"})


@dataclass(frozen=True)
class DecodedPage:
    """The page as text, the codec that produced it and why, if it was a guess."""

    text: str
    encoding: str
    warning: str | None = None


def decode_html(source: str, data: bytes) -> DecodedPage:
    """Decodes a page; raises ReadError for binary data.

    1. ``decode_text`` reads a byte-order mark, else strict UTF-8, else the
       single-byte fallbacks, and refuses bytes that are not text.
    2. Without a BOM, bytes that are valid UTF-8 stay UTF-8 even when the
       page declares another charset: multi-byte UTF-8 sequences do not
       occur by accident in Windows-1252 text, but stale declarations do.
    3. Otherwise the declared charset wins when the bytes decode with it.
    """
    text, found = decode_text(source, data)
    declared = declared_charset(data)
    if found in _BOM_ENCODINGS or declared == found:
        return DecodedPage(text, found)
    if found == "utf-8":
        if declared is None or data.isascii():
            return DecodedPage(text, found)
        return DecodedPage(text, found, f"page declares {declared} but its bytes are UTF-8; read as UTF-8")
    return _decode_declared(data, text, found, declared)


def declared_charset(data: bytes) -> str | None:
    """The Python codec of the charset a <meta> tag or XML declaration names, if any."""
    head = data[:_PRESCAN_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return _WHATWG_SUPERSETS.get(name, name)


def _decode_declared(data: bytes, text: str, found: str, declared: str | None) -> DecodedPage:
    if declared is None:
        return DecodedPage(text, found, f"page declares no charset and is not UTF-8; read as {found}")
    try:
        return DecodedPage(data.decode(declared), declared)
    except UnicodeDecodeError:
        return DecodedPage(text, found, f"page declares {declared} but its bytes are not {declared}; read as {found}")
