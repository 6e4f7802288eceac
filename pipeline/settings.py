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

    ``db_url`` is an SQLAlchemy URL; ``max_bytes`` caps the size of one
    file or download, and of a Word file once inflated; ``max_text_chars``
    caps the text one document may decode to (a text or web page over it
    is refused before it is parsed); ``max_blocks`` caps its paragraphs,
    headings and list items; ``max_pages`` caps how much of one PDF
    is read (the rest is reported, not silently dropped); ``ocr`` lets the
    PDF reader call Tesseract for pages without a text layer when it is
    installed, for at most ``max_ocr_pages`` pages of one PDF (a page takes
    seconds); ``document_timeout`` bounds one document's reading and
    extraction in seconds. ``workers`` documents are processed at once.
    ``http_timeout`` (seconds per request), ``http_retries`` and
    ``http_backoff`` (the first wait in seconds, doubled each retry) govern
    fetching from URLs. ``gold_dirs`` are folders of gold answers a run is
    scored against, besides a ``gold`` folder next to an ingested folder.
    """

    db_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    max_bytes: int = 200 * 1024 * 1024
    # The longest real plan in the corpus is under 30,000 characters and a
    # 2,000-page PDF rarely passes 10 million; 20 million keeps a wide margin
    # and memory under 1 GiB (19 million took 270 MB as a text file and
    # 600 MB as a web page).
    max_text_chars: int = 20_000_000
    # Real plans in the corpus have at most a few hundred blocks; 20,000 keeps
    # extraction near a minute and under 1 GiB (see pipeline/readers/text_limits.py).
    max_blocks: int = 20_000
    max_pages: int = 2000
    ocr: bool = True
    max_ocr_pages: int = 100
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
        if self.max_blocks < 1:
            raise ValueError(f"max_blocks must be at least 1, got {self.max_blocks}")
        if self.max_text_chars < 1:
            raise ValueError(f"max_text_chars must be at least 1, got {self.max_text_chars}")
        if self.max_ocr_pages < 0:
            raise ValueError(f"max_ocr_pages must not be negative, got {self.max_ocr_pages}")
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
