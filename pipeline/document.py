"""The one document model every reader produces and every extractor reads.

A Document is a normalised full text plus a tree of sections. Every block,
table cell and cell paragraph records the page it came from and its exact
character span in ``Document.text``, so ``doc.text[b.start:b.end] == b.text``
holds for all of them: any value an extractor finds in a block can be traced
back to page and characters.

Documents are built only through :class:`pipeline.builder.DocumentBuilder`,
which is what keeps the spans exact; this module holds the plain data and
its JSON round-trip.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]
BLOCK_KINDS: tuple[str, ...] = ("heading", "paragraph", "list_item", "table")


@dataclass(frozen=True)
class TextSpan:
    """A stretch of ``Document.text``: ``text == doc.text[start:end]``."""

    text: str
    start: int
    end: int
    page: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span {self.start}..{self.end} does not fit text of length {len(self.text)}"
            )
        if self.page < 1:
            raise ValueError(f"page numbers start at 1, got {self.page}")

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "page": self.page}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextSpan:
        return cls(data["text"], data["start"], data["end"], data["page"])


@dataclass(frozen=True)
class Cell:
    """One table cell; ``paragraphs`` keeps each <p>/line of the cell apart."""

    row: int
    col: int
    span: TextSpan
    paragraphs: tuple[TextSpan, ...]
    is_header: bool = False

    @property
    def text(self) -> str:
        return self.span.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "col": self.col,
            "is_header": self.is_header,
            "span": self.span.to_dict(),
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cell:
        return cls(
            row=data["row"],
            col=data["col"],
            span=TextSpan.from_dict(data["span"]),
            paragraphs=tuple(TextSpan.from_dict(p) for p in data["paragraphs"]),
            is_header=data["is_header"],
        )


@dataclass(frozen=True)
class Table:
    """Rows of cells; a header row has ``is_header`` cells."""

    rows: tuple[tuple[Cell, ...], ...]

    @property
    def header(self) -> tuple[Cell, ...]:
        return self.rows[0] if self.rows and all(c.is_header for c in self.rows[0]) else ()

    @property
    def body(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows[1:] if self.header else self.rows

    def cells(self) -> Iterator[Cell]:
        for row in self.rows:
            yield from row

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [[c.to_dict() for c in row] for row in self.rows]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        return cls(tuple(tuple(Cell.from_dict(c) for c in row) for row in data["rows"]))


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or table, with its exact span.

    ``level`` is the heading level (1 = top) for headings and the nesting
    depth (1 = top) for list items; 0 otherwise. ``marker`` is a list item's
    bullet or number as written ("•", "-", "1."), which tells two adjacent
    lists apart.
    """

    kind: BlockKind
    span: TextSpan
    level: int = 0
    table: Table | None = None
    marker: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}; expected one of {BLOCK_KINDS}")
        if (self.kind == "table") != (self.table is not None):
            raise ValueError("a table block, and only a table block, carries a table")

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def page(self) -> int:
        return self.span.page

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "level": self.level, "span": self.span.to_dict()}
        if self.table is not None:
            data["table"] = self.table.to_dict()
        if self.marker is not None:
            data["marker"] = self.marker
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        table = Table.from_dict(data["table"]) if "table" in data else None
        return cls(data["kind"], TextSpan.from_dict(data["span"]), data["level"], table, data.get("marker"))


@dataclass
class Section:
    """A heading and what stands under it until the next heading of its level or above.

    The root section of a document has no heading and level 0; it holds the
    text before the first heading.
    """

    heading: Block | None
    level: int
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        return self.heading.text if self.heading else None

    def walk(self) -> Iterator[Section]:
        yield self
        for sub in self.subsections:
            yield from sub.walk()

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading.to_dict() if self.heading else None,
            "level": self.level,
            "blocks": [b.to_dict() for b in self.blocks],
            "subsections": [s.to_dict() for s in self.subsections],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            heading=Block.from_dict(data["heading"]) if data["heading"] else None,
            level=data["level"],
            blocks=[Block.from_dict(b) for b in data["blocks"]],
            subsections=[cls.from_dict(s) for s in data["subsections"]],
        )


@dataclass(frozen=True)
class ReaderWarning:
    """Something the reader noticed and worked around; ``page`` is None for the whole file."""

    code: str
    message: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "page": self.page}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReaderWarning:
        return cls(data["code"], data["message"], data.get("page"))


@dataclass
class Document:
    """A read document: identity, normalised text, section tree, warnings."""

    source: str
    sha256: str
    media_type: str
    title: str | None
    language: str | None
    page_count: int
    text: str
    root: Section
    page_starts: tuple[int, ...] = (0,)
    warnings: list[ReaderWarning] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The source's file name (last path or URL segment)."""
        tail = self.source.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]
        return tail or self.source

    def sections(self) -> Iterator[Section]:
        """Every section, depth first, root included."""
        return self.root.walk()

    def blocks(self) -> Iterator[tuple[Section, Block]]:
        """Every block in reading order with the section it stands in."""
        for section in self.sections():
            if section.heading is not None:
                yield section, section.heading
            for block in section.blocks:
                yield section, block

    def tables(self) -> Iterator[Table]:
        for _, block in self.blocks():
            if block.table is not None:
                yield block.table

    def page_at(self, offset: int) -> int:
        """The 1-based page holding character ``offset`` of ``text``."""
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} outside text of length {len(self.text)}")
        return bisect.bisect_right(self.page_starts, offset)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "title": self.title,
            "language": self.language,
            "page_count": self.page_count,
            "page_starts": list(self.page_starts),
            "text": self.text,
            "root": self.root.to_dict(),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            source=data["source"],
            sha256=data["sha256"],
            media_type=data["media_type"],
            title=data["title"],
            language=data["language"],
            page_count=data["page_count"],
            text=data["text"],
            root=Section.from_dict(data["root"]),
            page_starts=tuple(data["page_starts"]),
            warnings=[ReaderWarning.from_dict(w) for w in data["warnings"]],
        )
