"""Engines for the warehouse URL, SQLite or PostgreSQL alike."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

URL_EXAMPLES = "sqlite:///var/plansift.db or postgresql+psycopg://user@127.0.0.1:5432/dbname"

# Spellings of PostgreSQL URLs other tools hand out (Heroku's postgres://, libpq's
# postgresql:// meaning psycopg2, which is not installed): all mean the one driver we ship.
_POSTGRES_SPELLINGS = {"postgres", "postgresql", "postgres+psycopg", "postgresql+psycopg2", "postgres+psycopg2"}


class WarehouseURLError(ValueError):
    """A --db value that is not a usable SQLAlchemy URL."""


def warehouse_url(url: str) -> URL:
    """``url`` parsed, with every PostgreSQL spelling turned into the psycopg 3 driver plansift ships."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise WarehouseURLError(f"--db {url!r} is not a database URL; use e.g. {URL_EXAMPLES}") from None
    if parsed.drivername in _POSTGRES_SPELLINGS:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise WarehouseURLError(
            f"--db {url!r}: the warehouse runs on SQLite or PostgreSQL, not {parsed.get_backend_name()}; use e.g. {URL_EXAMPLES}"
        )
    return parsed


def open_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, foreign keys enforced, DDL transactional."""
    parsed = warehouse_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed)
    except NoSuchModuleError as error:
        raise WarehouseURLError(f"--db {url!r}: {error}; use e.g. {URL_EXAMPLES}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_connection)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connection(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # The sqlite3 module commits before every CREATE/ALTER/DROP on its own, so a
    # migration killed half-way left tables without a revision, and the warehouse
    # could not be opened again. With the module's own transaction handling off,
    # SQLAlchemy's BEGIN (below) covers DDL too: a migration lands whole or not at all.
    dbapi_connection.isolation_level = None
    # SQLite ignores foreign keys unless asked, per connection.
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
    # A writer waits for another's transaction instead of failing at once.
    dbapi_connection.execute("PRAGMA busy_timeout=60000")


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    # IMMEDIATE takes the write lock up front. Two deferred transactions that both read and
    # then write deadlock, and SQLite fails one at once ("database is locked") instead of
    # letting the busy timeout wait; an immediate one waits its turn.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@lru_cache(maxsize=8)
def shared_engine(url: str) -> Engine:
    """One engine per URL per process: engines pool connections and are meant to live long."""
    return open_engine(url)


class WarehouseUnreachable(RuntimeError):
    """The warehouse's database cannot be connected to; the message says why and what to do."""


def check_connection(url: str) -> None:
    """Connects once to a PostgreSQL warehouse, turning a refusal into one line that says the fix.

    SQLite is not tried: connecting would create the file, and commands that
    only read say themselves when there is none.
    """
    parsed = warehouse_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    engine = create_engine(parsed)
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        raise WarehouseUnreachable(describe_connection_error(parsed, error)) from None
    finally:
        engine.dispose()


def describe_connection_error(url: URL, error: Exception) -> str:
    """One line for a database error: where, what the server said, and what to do about it."""
    shown = url.render_as_string(hide_password=True)
    said = str(getattr(error, "orig", None) or error).strip()
    last = next((line.strip() for line in reversed(said.splitlines()) if line.strip() and "?" not in line), said)
    reason = last.split("FATAL:", 1)[-1].strip().removeprefix("connection failed:").strip()
    if "does not exist" in reason and "database" in reason:
        fix = f"create it (createdb {url.database}) or pass another --db"
    elif "role" in reason and "does not exist" in reason:
        fix = "put an existing role in the URL (postgresql+psycopg://ROLE@host/db)"
    elif "refused" in reason or "could not translate" in reason or "timeout" in reason.lower():
        fix = f"is PostgreSQL running and accepting connections at {url.host or 'localhost'}:{url.port or 5432}?"
    elif "password" in reason:
        fix = "check the user and password in the URL"
    else:
        fix = "check the URL given with --db"
    return f"cannot connect to the warehouse at {shown}: {reason}; {fix}"
