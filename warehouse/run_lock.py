"""One writer at a time per warehouse: runs and migrations wait for each other instead of colliding.

Two ingests into one warehouse used to race: both migrated a new database,
both inserted the same new source, and one failed on a unique constraint
it had no business meeting. A run therefore holds the warehouse's lock
from its migration to its last document. On SQLite the lock is an
``flock`` on a file beside the database; on PostgreSQL a session advisory
lock, scoped to the database. The operating system or the server releases
either when the holder dies, so a killed run never leaves the warehouse
locked, and whoever takes the lock next knows that every run still marked
running is dead.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

# pg_advisory_lock takes a bigint; this one is "plansift" in ASCII.
ADVISORY_KEY = 0x706C616E73696674

_held = threading.local()


@contextmanager
def warehouse_lock(engine: Engine, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Holds the warehouse's write lock for the block; ``on_wait`` is called once if another holder
    makes this one wait. Taking it again in the same thread while held is free."""
    key = engine.url.render_as_string(hide_password=False)
    depth: dict[str, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with _acquired(engine, on_wait or (lambda: None)):
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0


@contextmanager
def _acquired(engine: Engine, on_wait: Callable[[], None]) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, on_wait):
            yield
        return
    path = lock_file(engine)
    if path is None:  # an in-memory database has one connection and no other writer
        yield
        return
    with _file_lock(path, on_wait):
        yield


def lock_file(engine: Engine) -> Path | None:
    """The file a SQLite warehouse's lock is taken on, or None for an in-memory one."""
    database = engine.url.database
    if database in (None, "", ":memory:") or str(database).startswith("file::memory:"):
        return None
    return Path(f"{database}.lock")


@contextmanager
def _file_lock(path: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(engine: Engine, on_wait: Callable[[], None]) -> Iterator[None]:
    # Its own connection, in autocommit: the lock belongs to the session and must
    # not keep a transaction open for the length of a run.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if not _try_advisory(connection):
            on_wait()
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})


def _try_advisory(connection: Connection) -> bool:
    return bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar())
