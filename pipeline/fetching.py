"""Getting a source's bytes, local or remote, and telling whether they are already known."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.batch import Failure
from pipeline.errors import ReadError
from pipeline.http_source import NotModified, fetch_url, is_url
from pipeline.settings import Settings
from pipeline.source import SourceBytes, load_source


@dataclass(frozen=True)
class FetchedSource:
    """New bytes to read, with the HTTP validators that came with them."""

    raw: SourceBytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def source(self) -> str:
        return self.raw.source


@dataclass(frozen=True)
class Unchanged:
    """A source whose bytes are already loaded (same SHA-256), or that the server says has not changed."""

    source: str
    etag: str | None = None
    last_modified: str | None = None
    # The bytes' SHA-256 when they were fetched; None when the server answered "not modified".
    sha256: str | None = None


def fetch_source(
    item: str | Path,
    settings: Settings,
    known_sha256s: frozenset[str] = frozenset(),
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchedSource | Unchanged | Failure:
    """The bytes of a file or URL, Unchanged when they are known, or a Failure saying why not."""
    try:
        fetched = _fetch(item, settings, etag, last_modified)
    except ReadError as error:
        return Failure(error.source, error.reason.value, error.detail)
    if isinstance(fetched, FetchedSource) and fetched.raw.sha256 in known_sha256s:
        return Unchanged(fetched.source, fetched.etag, fetched.last_modified, fetched.raw.sha256)
    return fetched


def _fetch(item: str | Path, settings: Settings, etag: str | None, last_modified: str | None) -> FetchedSource | Unchanged:
    if isinstance(item, str) and is_url(item):
        answer = fetch_url(item, settings, etag=etag, last_modified=last_modified)
        if isinstance(answer, NotModified):
            return Unchanged(item, answer.etag, answer.last_modified)
        return FetchedSource(answer.raw, answer.etag, answer.last_modified)
    return FetchedSource(load_source(Path(item), max_bytes=settings.max_bytes))
