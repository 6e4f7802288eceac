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
# UTF-16 without a byte-order mark (some Windows exports write it): in
# Finnish text nearly every character is below U+0100, so one byte of each
# pair is NUL and the other almost never is. The first kilobytes tell.
_UTF16_SAMPLE_BYTES = 4096
_UTF16_MIN_NUL_SHARE = 0.5
_UTF16_MAX_OTHER_NUL_SHARE = 0.02


def decode_text(source: str, data: bytes) -> tuple[str, str]:
    """Returns ``(text, encoding)``; raises ReadError for binary data.

    1. A byte-order mark decides (UTF-8, UTF-16, UTF-32).
    2. Without one, NUL bytes at every other position mean UTF-16 (little
       or big endian, by which position holds them).
    3. Otherwise strict UTF-8, then the single-byte Finnish fallbacks.
    4. The result must look like text: no NUL, almost no control characters.
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
    utf16 = _decode_utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    for encoding in ("utf-8", *_FALLBACK_ENCODINGS):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    encoding = _utf16_byte_order(data[:_UTF16_SAMPLE_BYTES])
    if encoding is None:
        return None
    try:
        # An odd last byte is half a character cut off; it is dropped.
        return data[: len(data) - len(data) % 2].decode(encoding), encoding
    except UnicodeDecodeError:  # unpaired surrogates: not UTF-16 after all
        return None


def _utf16_byte_order(sample: bytes) -> str | None:
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    nul_first = sample[0 : 2 * pairs : 2].count(0) / pairs
    nul_second = sample[1 : 2 * pairs : 2].count(0) / pairs
    if nul_second >= _UTF16_MIN_NUL_SHARE and nul_first <= _UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-le"
    if nul_first >= _UTF16_MIN_NUL_SHARE and nul_second <= _UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    controls += sum(1 for ch in sample if 0x7F <= ord(ch) < 0xA0)
    return bool(sample) and controls / len(sample) > _MAX_CONTROL_SHARE
