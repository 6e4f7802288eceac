"""Finding the files of a batch and reading each one without stopping the others."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.http_source import is_url, read_url_list
from pipeline.readers import READABLE_SUFFIXES, read_source
from pipeline.settings import Settings
from pipeline.source import SourceBytes, load_source


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed, with a typed reason and a message naming it."""

    source: str
    reason: str
    detail: str

    @property
    def message(self) -> str:
        return f"{self.source}: {self.detail}"


@dataclass(frozen=True)
class Skipped:
    """A file the batch passed over on purpose (not a readable type)."""

    source: str
    detail: str


def discover_sources(paths: Iterable[Path | str]) -> Iterator[Path | str | Skipped]:
    """What ``paths`` name, in order: files under folders (recursively, sorted; unreadable types as
    Skipped), named files, URLs, and the URLs of a URL-list file (one http(s) URL per line)."""
    for raw in paths:
        if isinstance(raw, str) and is_url(raw):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _folder(path)
            continue
        # A named file is read whatever its suffix: the reader sniffs its content.
        urls = read_url_list(path) if path.is_file() else None
        yield from urls if urls else [path]


def _folder(path: Path) -> Iterator[Path | Skipped]:
    for child in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)):
        yield child if child.suffix.lower() in READABLE_SUFFIXES else Skipped(
            str(child), f"not a readable type ({child.suffix or 'no suffix'})"
        )


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_or_fail(path: Path | str, settings: Settings) -> Document | Failure:
    """The Document, or a Failure saying why not; a reader bug is a failure too, not a crash."""
    try:
        raw = load_source(Path(path), max_bytes=settings.max_bytes)
    except ReadError as error:
        return Failure(error.source, error.reason.value, error.detail)
    return parse_or_fail(raw, settings)


def parse_or_fail(raw: SourceBytes, settings: Settings) -> Document | Failure:
    """The Document read from ``raw``, or a Failure; a reader bug is a failure too, not a crash."""
    try:
        return read_source(raw, settings)
    except ReadError as error:
        return Failure(error.source, error.reason.value, error.detail)
    except Exception as error:  # noqa: BLE001 - recorded as data, never dropped
        return Failure(raw.source, "reader_error", f"reader failed: {type(error).__name__}: {error}")


__all__ = ["Failure", "Skipped", "ReadFailure", "discover_sources", "parse_or_fail", "read_or_fail"]
