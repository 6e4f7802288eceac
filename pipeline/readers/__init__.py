"""The readers, registered once by media type, and the one entry point to them.

Each reader is a plain function ``(SourceBytes, Settings) -> Document`` that
raises :class:`pipeline.errors.ReadError` for a file it cannot read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from pipeline.document import Document, ReaderWarning
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers.text_limits import refuse_oversized_text, refuse_too_many_blocks
from pipeline.settings import Settings
from pipeline.source import DOCX, HTML, MEDIA_TYPE_BY_SUFFIX, PDF, TEXT, SourceBytes, load_source

Reader = Callable[[SourceBytes, Settings], Document]


# Registered by name and imported on first use, so that a broken optional
# dependency of one reader (say python-docx) does not stop the others.
READERS: dict[str, str] = {
    TEXT: "pipeline.readers.text:read_text",
    HTML: "pipeline.readers.html:read_html",
    PDF: "pipeline.readers.pdf:read_pdf",
    DOCX: "pipeline.readers.docx:read_docx",
}


def reader_for(media_type: str) -> Reader | None:
    """The registered reader function for ``media_type``, or None."""
    target = READERS.get(media_type)
    if target is None:
        return None
    module_name, _, function_name = target.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


READABLE_SUFFIXES: frozenset[str] = frozenset(MEDIA_TYPE_BY_SUFFIX)


def read_source(raw: SourceBytes, settings: Settings) -> Document:
    """Reads identified bytes with the reader for their media type."""
    reader = reader_for(raw.media_type)
    if reader is None:
        raise ReadError(
            raw.source,
            ReadFailure.UNSUPPORTED,
            f"cannot read media type {raw.media_type}; readable: {', '.join(sorted(READERS))}",
        )
    document = reader(raw, settings)
    # Text and web pages are refused before parsing; a PDF or Word file is
    # bounded by its pages and inflated size, and checked here once read.
    refuse_oversized_text(raw.source, len(document.text), settings)
    refuse_too_many_blocks(raw.source, sum(1 for _ in document.blocks()), settings)
    named_as = MEDIA_TYPE_BY_SUFFIX.get(raw.suffix)
    if named_as and named_as != raw.media_type:
        document.warnings.insert(
            0,
            ReaderWarning(
                "type_mismatch",
                f"{raw.source}: named {raw.suffix} but the content is {raw.media_type}; read as {raw.media_type}",
            ),
        )
    return document


def read_file(path: Path | str, settings: Settings | None = None) -> Document:
    """Reads one local file into a Document, or raises ReadError saying why not."""
    settings = settings or Settings()
    return read_source(load_source(Path(path), max_bytes=settings.max_bytes), settings)
