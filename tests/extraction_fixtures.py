"""Small documents for the extractor tests, written block by block, and their extraction results.

A document is given as a list of block tuples in reading order:

* ``("heading", level, text)``
* ``("paragraph", text)``
* ``("list_item", text, marker)``
* ``("table", rows, header_rows)``: rows of cells, a cell a str or a list of
  str (one per paragraph, as an HTML cell with several <p>).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from extractors.nlp import analyse
from extractors.registry import run_extractors
from pipeline.builder import DocumentBuilder
from pipeline.document import Document

BlockSpec = tuple[Any, ...]


def build_document(blocks: Sequence[BlockSpec], *, source: str = "testi.txt", title: str | None = None) -> Document:
    """A Document made with DocumentBuilder, as a reader would make it."""
    builder = DocumentBuilder()
    for spec in blocks:
        kind = spec[0]
        if kind == "heading":
            builder.heading(spec[2], level=spec[1])
        elif kind == "paragraph":
            builder.paragraph(spec[1])
        elif kind == "list_item":
            builder.list_item(spec[1], marker=spec[2] if len(spec) > 2 else None)
        elif kind == "table":
            builder.table(spec[1], header_rows=spec[2] if len(spec) > 2 else 1)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    sha = hashlib.sha256(repr(list(blocks)).encode()).hexdigest()
    return builder.build(source=source, sha256=sha, media_type="text/plain", title=title, language="fi")


def paragraphs(*texts: str) -> Document:
    """A document of plain paragraphs."""
    return build_document([("paragraph", t) for t in texts])


def extract(blocks: Sequence[BlockSpec], **kwargs: Any) -> dict[str, Any]:
    """Every registered extractor's result for the document of ``blocks``."""
    return run_extractors(build_document(blocks, **kwargs))


def organisation_names(*texts: str) -> list[str]:
    """Names of the organisations found in a document of these paragraphs, in text order."""
    from extractors.organisations import find_organisations

    return [m.name for m in find_organisations(analyse(paragraphs(*texts)))]


def by_name(records: Sequence[Any], name: str) -> Any:
    """The one record called ``name``; fails listing the names there are."""
    found = [r for r in records if r.name == name]
    assert len(found) == 1, f"expected one record named {name!r}, got {[r.name for r in records]}"
    return found[0]
