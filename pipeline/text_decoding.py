"""Turns the bytes of a text file into str, refusing binary data."""

from __future__ import annotations

import codecs

from pipeline.errors import ReadError, ReadFailure

# Share of control characters above which bytes are not text. Real text
# files have none besides tab, newline, carriage return and form feed.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Finnish text that is not UTF-8 is, in practice, Windows-1252 (a superset
# of Latin-1 that also has €, en dash and curly quotes); ISO-8859-15 puts €
# at 0xA4, which Windows-1252 reads as ¤, a character no plan uses.
_FALLBACK_ENCODINGS = ("cp1252", "iso-8859-15", "latin-1")


def decode_text(source: str, data: bytes) -> tuple[str, str]:
    """Returns ``(text, encoding)``; raises ReadError for binary data.

    1. A byte-order mark decides (UTF-8, UTF-16, UTF-32).
    2. Otherwise strict UTF-8, then the single-byte Finnish fallbacks.
    3. The result must look like text: no NUL, almost no control characters.
    """
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise ReadError(
            source,
            ReadFailure.UNSUPPORTED,
            "content is binary data, not text; check that the file is what its name says",
        )
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    for encoding in ("utf-8", *_FALLBACK_ENCODINGS):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    controls += sum(1 for ch in sample if 0x7F <= ord(ch) < 0xA0)
    return bool(sample) and controls / len(sample) > _MAX_CONTROL_SHARE
