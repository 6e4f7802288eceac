"""One settings object for the whole product; built explicitly, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

DB_URL_VARIABLE = "PLANSIFT_DB"
DEFAULT_DB_PATH = Path("var") / "plansift.db"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every tunable of the product.

    ``db_url`` is an SQLAlchemy URL; ``max_pages`` caps how much of one PDF
    is read (the rest is reported, not silently dropped); ``ocr`` lets the
    PDF reader call Tesseract for pages without a text layer when it is
    installed; ``document_timeout`` bounds one document's reading and
    extraction in seconds. ``workers`` documents are processed at once.
    ``http_timeout`` (seconds per request), ``http_retries`` and
    ``http_backoff`` (the first wait in seconds, doubled each retry) govern
    fetching from URLs. ``gold_dirs`` are folders of gold answers a run is
    scored against, besides a ``gold`` folder next to an ingested folder.
    """

    db_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    ocr: bool = True
    ocr_language: str = "fin"
    document_timeout: float = 300.0
    workers: int = 2
    http_timeout: float = 30.0
    http_retries: int = 3
    http_backoff: float = 1.0
    gold_dirs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, got {self.max_pages}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, got {self.max_bytes}")
        if self.document_timeout <= 0:
            raise ValueError(f"document_timeout must be positive, got {self.document_timeout}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.http_timeout <= 0 or self.http_retries < 0 or self.http_backoff < 0:
            raise ValueError("http_timeout must be positive, http_retries and http_backoff not negative")

    def with_options(self, **changes: object) -> Settings:
        """A copy with ``changes``; None values keep the current setting."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = env.get(DB_URL_VARIABLE)
        return cls(db_url=url) if url else cls()
