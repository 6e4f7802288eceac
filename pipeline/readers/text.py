"""Reads plain-text files (UTF-8, UTF-8 with BOM, UTF-16, Windows-1252) into a Document."""

from __future__ import annotations

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers.text_layout import TextBlock, layout_blocks
from pipeline.readers.text_limits import refuse_oversized_bytes, refuse_oversized_text
from pipeline.readers.wide_tables import add_table
from pipeline.settings import Settings
from pipeline.source import SourceBytes
from pipeline.text_decoding import decode_text


def read_text(raw: SourceBytes, settings: Settings) -> Document:
    """A text file's lines turned into sections, paragraphs, list items and tables."""
    refuse_oversized_bytes(raw.source, len(raw.data), settings)
    text, encoding = decode_text(raw.source, raw.data)
    refuse_oversized_text(raw.source, len(text), settings)
    builder = DocumentBuilder()
    if encoding not in ("utf-8", "utf-8-sig"):
        builder.warn("encoding", f"{raw.source}: not UTF-8; decoded as {encoding}")
    for block in layout_blocks(text):
        _emit(builder, block, raw.source)
    document = builder.build(source=raw.source, sha256=raw.sha256, media_type=raw.media_type, page_count=1)
    if not document.text:
        raise ReadError(raw.source, ReadFailure.EMPTY, "file has no text besides white space and site residue")
    return document


def _emit(builder: DocumentBuilder, block: TextBlock, source: str) -> None:
    if block.kind == "heading":
        builder.heading(block.text, level=block.level)
    elif block.kind == "list_item":
        builder.list_item(block.text, level=block.level, marker=block.marker)
    elif block.kind == "table":
        add_table(builder, block.rows, source=source, header_rows=block.header_rows)
    else:
        builder.paragraph(block.text)
