"""Raw bytes of one source with their identity: where from, hash, media type."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ReadError, ReadFailure

PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MEDIA_TYPE_BY_SUFFIX = {
    ".pdf": PDF,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".txt": TEXT,
    ".text": TEXT,
    ".tsv": TEXT,
    ".docx": DOCX,
}

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<div", b"<p>", b"<p ", b"<table", b"<meta")


@dataclass(frozen=True)
class SourceBytes:
    """What a reader receives: the bytes and what they are."""

    source: str
    data: bytes
    media_type: str
    sha256: str

    @property
    def suffix(self) -> str:
        return Path(self.source.split("?", 1)[0]).suffix.lower()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff_media_type(data: bytes) -> str | None:
    """The media type the bytes really have, from their first bytes; None if unknown."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return PDF
    if head.startswith(b"pk\x03\x04"):
        return DOCX if _is_docx(data) else None
    # Text exports of CMS pages carry stray <p> tags inside table cells; a
    # file is HTML only when markup is what it starts with.
    if head.startswith(b"<") and any(marker in head[:1024] for marker in _HTML_MARKERS):
        return HTML
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def load_source(path: Path, *, max_bytes: int) -> SourceBytes:
    """Reads a local file, refusing empty, missing and oversized ones."""
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(source, ReadFailure.NOT_FOUND, "no such file") from None
    except OSError as error:
        raise ReadError(source, ReadFailure.UNREADABLE, f"cannot read the file: {error.strerror or error}") from None
    if size > max_bytes:
        raise ReadError(
            source,
            ReadFailure.TOO_LARGE,
            f"file is {size:,} bytes, over the limit of {max_bytes:,}; raise --max-bytes to read it",
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(source, ReadFailure.UNREADABLE, f"cannot read the file: {error.strerror or error}") from None
    return source_from_bytes(source, data)


def source_from_bytes(source: str, data: bytes, *, declared_type: str | None = None) -> SourceBytes:
    """Identifies bytes from anywhere (file, HTTP body); content beats name and header."""
    if not data.strip():
        raise ReadError(source, ReadFailure.EMPTY, "file is empty")
    sniffed = sniff_media_type(data)
    by_name = MEDIA_TYPE_BY_SUFFIX.get(Path(source.split("?", 1)[0]).suffix.lower())
    media_type = sniffed or declared_type or by_name or TEXT
    return SourceBytes(source, data, media_type, sha256_of(data))
