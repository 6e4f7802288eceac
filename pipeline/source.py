"""Raw bytes of one source with their identity: where from, hash, media type."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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

# What a path is when it is not a regular file, as an error says it.
_SPECIAL_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_READ_CHUNK = 1024 * 1024
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
    """Reads a local regular file, refusing missing, empty, oversized ones and anything not a file.

    A named pipe is never opened (opening one blocks until a writer comes)
    and a device never read (/dev/zero has no end); at most
    ``max_bytes + 1`` bytes are read, so a file growing while it is read
    cannot take memory without bound.
    """
    source = str(path)
    status = _status(path)
    _refuse_special(source, status.st_mode)
    if status.st_size > max_bytes:
        raise ReadError(
            source,
            ReadFailure.TOO_LARGE,
            f"file is {status.st_size:,} bytes, over the limit of {max_bytes:,}; raise --max-bytes to read it",
        )
    try:
        data = _read_regular_file(path, status, max_bytes + 1)
    except OSError as error:
        raise ReadError(source, ReadFailure.UNREADABLE, f"cannot read the file: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise ReadError(
            source,
            ReadFailure.TOO_LARGE,
            f"file grew past the limit of {max_bytes:,} bytes while being read; raise --max-bytes to read it",
        )
    return source_from_bytes(source, data)


def _status(path: Path) -> os.stat_result:
    source = str(path)
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            detail = f"symbolic link to {_link_target(path)}, which does not exist"
            raise ReadError(source, ReadFailure.NOT_FOUND, detail) from None
        raise ReadError(source, ReadFailure.NOT_FOUND, "no such file or folder") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            detail = "symbolic link loop: the link leads back to itself"
            raise ReadError(source, ReadFailure.UNREADABLE, detail) from None
        raise ReadError(source, ReadFailure.UNREADABLE, f"cannot read the file: {error.strerror or error}") from None


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "a target that cannot be read"


def _refuse_special(source: str, mode: int) -> None:
    kind = special_file_kind(mode)
    if kind is not None:
        raise ReadError(source, ReadFailure.NOT_A_FILE, f"not a regular file: {kind}")


def special_file_kind(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file ("a named pipe"), else None."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in _SPECIAL_KINDS:
        if test(mode):
            return kind
    return "a file of an unknown kind"


def _read_regular_file(path: Path, status: os.stat_result, limit: int) -> bytes:
    # O_NONBLOCK: should the path have been swapped for a named pipe since
    # it was looked at, opening it returns at once instead of waiting.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb", buffering=0) as stream:
        _refuse_special(str(path), os.fstat(descriptor).st_mode)
        return _read_at_most(stream, limit, expected=status.st_size)


def _read_at_most(stream: BinaryIO, limit: int, *, expected: int) -> bytes:
    """Up to ``limit`` bytes; the file's size asked for first, so a whole file is read in one piece."""
    chunks: list[bytes] = []
    size = 0
    want = min(limit, expected + 1)
    while size < limit:
        chunk = stream.read(max(want - size, min(_READ_CHUNK, limit - size)))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def source_from_bytes(source: str, data: bytes, *, declared_type: str | None = None) -> SourceBytes:
    """Identifies bytes from anywhere (file, HTTP body); content beats name and header."""
    # isspace, unlike strip, copies nothing (and is False for b"").
    if not data or data.isspace():
        raise ReadError(source, ReadFailure.EMPTY, "file is empty")
    sniffed = sniff_media_type(data)
    by_name = MEDIA_TYPE_BY_SUFFIX.get(Path(source.split("?", 1)[0]).suffix.lower())
    media_type = sniffed or declared_type or by_name or TEXT
    return SourceBytes(source, data, media_type, sha256_of(data))
