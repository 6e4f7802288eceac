"""Engines for the warehouse URL, SQLite or PostgreSQL alike."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class WarehouseURLError(ValueError):
    """A --db value that is not a usable SQLAlchemy URL."""


def open_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, foreign keys enforced."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise WarehouseURLError(
            f"--db {url!r} is not a database URL; use e.g. sqlite:///var/plansift.db "
            "or postgresql+psycopg://user@127.0.0.1:5432/dbname"
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # SQLite ignores foreign keys unless asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@lru_cache(maxsize=8)
def shared_engine(url: str) -> Engine:
    """One engine per URL per process: engines pool connections and are meant to live long."""
    return open_engine(url)
