"""Read-only access for analysts: a connection that cannot change the warehouse, and DataFrames from it."""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, create_engine, event, inspect

from warehouse.connection import warehouse_url
from warehouse.views import VIEWS


class QueryRefused(ValueError):
    """A statement that would change the warehouse, or one the database rejected."""


# Words that open a statement that only reads; anything else is refused
# before it reaches the database, which refuses it again on its own.
_READING = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*(select|with|values|explain)\b", re.IGNORECASE | re.DOTALL)


def read_only_engine(url: str) -> Engine:
    """An engine on the warehouse at ``url`` that the database itself keeps from writing."""
    parsed = warehouse_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not path.is_file():
            raise QueryRefused(f"no warehouse at {path}; run `plansift ingest` first or pass --db")
        uri = path.resolve().as_uri() + "?mode=ro"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
        event.listen(engine, "connect", _sqlite_query_only)
        return engine
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, connect_args={"options": "-c default_transaction_read_only=on"})
        event.listen(engine, "connect", _as_reader_when_superuser)
        return engine
    return create_engine(parsed)


# The role migration 20261205_0006 creates: it may read the warehouse's tables and views, nothing else.
READER_ROLE = "plansift_reader"


def superuser_name(engine: Engine) -> str | None:
    """The role the URL logs in as, when it is a PostgreSQL superuser (None otherwise, and on SQLite).

    A superuser's query can read server files (pg_read_file) or end other
    sessions whatever the transaction's read-only setting; analysts should
    log in as a role granted plansift_reader instead.
    """
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user").first()
    return str(row[0]) if row and row[1] else None


def _as_reader_when_superuser(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # A guard against accidents, not a boundary: a superuser session may switch back.
    # The boundary is a login role without superuser, granted plansift_reader.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(
            "SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper "
            "AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) "
            "AND has_table_privilege(%s, 'documents', 'SELECT')",
            (READER_ROLE, READER_ROLE),
        )
        if cursor.fetchone():
            cursor.execute(f"SET ROLE {READER_ROLE}")
    except dbapi_connection.Error:
        pass  # no documents table yet: the query itself will say so
    finally:
        cursor.close()
    dbapi_connection.commit()


def _sqlite_query_only(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # mode=ro guards the file; query_only also stops ATTACHed files and temp tables being written.
    dbapi_connection.execute("PRAGMA query_only = ON")


def run_query(engine: Engine, sql: str) -> pd.DataFrame:
    """The rows of one read-only statement as a DataFrame; a write or DDL statement is refused."""
    if not _READING.match(sql):
        raise QueryRefused(
            "only reading statements (SELECT, WITH, VALUES, EXPLAIN) run here; the warehouse is changed by "
            "`plansift ingest` alone"
        )
    with engine.connect() as connection:
        # The driver's own cursor without parameters: the SQL goes exactly as
        # written, a ':' or '%' in a literal is not taken for a placeholder.
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            if engine.dialect.name == "postgresql":
                # The extended protocol takes one statement only: "SELECT 1; COMMIT; BEGIN READ WRITE; ..."
                # cannot step out of the read-only transaction.
                cursor.execute(sql, prepare=True)
            else:
                cursor.execute(sql)
            columns = [d[0] for d in cursor.description or ()]
            return _decimals_as_floats(pd.DataFrame(cursor.fetchall(), columns=columns))
        except engine.dialect.loaded_dbapi.Error as error:
            raise QueryRefused(_first_line(error)) from None
        finally:
            cursor.close()


def _decimals_as_floats(frame: pd.DataFrame) -> pd.DataFrame:
    # PostgreSQL returns NUMERIC as Decimal, SQLite as float: analysts get the same dtype from both.
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and all(isinstance(v, Decimal) for v in values):
            frame[column] = frame[column].astype(float)
    return frame


def _first_line(error: Exception) -> str:
    message = str(error).strip()
    message = message.splitlines()[0] if message else type(error).__name__
    if "readonly" in message or "read-only" in message:
        return f"{message}: the warehouse is opened read-only; only reading statements run here"
    return message


def read_view(engine: Engine, name: str) -> pd.DataFrame:
    """A view or table as a DataFrame, in the view's natural order."""
    known = set(relation_names(engine))
    if name not in known:
        raise QueryRefused(f"no table or view {name!r}; there are: {', '.join(sorted(known))}")
    order = next((f" ORDER BY {v.sort}" for v in VIEWS if v.name == name and v.sort), "")
    with engine.connect() as connection:
        return pd.read_sql_query(f"SELECT * FROM {name}{order}", connection)


def relation_names(engine: Engine) -> list[str]:
    """The warehouse's views (analysts' first stop) then its tables, without the migration bookkeeping."""
    inspector = inspect(engine)
    views = [v.name for v in VIEWS if v.name in set(inspector.get_view_names())]
    tables = sorted(t for t in inspector.get_table_names() if t != "alembic_version")
    return views + tables


def projects(engine: Engine) -> pd.DataFrame:
    """Projects with dates, coordinator, partners, funders, total funding and contacts."""
    return read_view(engine, "project_overview")


def project_timeline(engine: Engine) -> pd.DataFrame:
    """Projects with start and end dates and years, ordered by start."""
    return read_view(engine, "project_timeline")


def contacts(engine: Engine) -> pd.DataFrame:
    """Contact persons with their organisation and projects."""
    return read_view(engine, "contact_overview")


def goals(engine: Engine) -> pd.DataFrame:
    """Goals with their actions and indicators."""
    return read_view(engine, "goal_overview")


def fundings(engine: Engine) -> pd.DataFrame:
    """Every funding sum with its project, funder, instrument and evidence."""
    return read_view(engine, "funding_overview")


def funding_by_funder(engine: Engine) -> pd.DataFrame:
    """Funding summed by funder and instrument."""
    return read_view(engine, "funding_by_funder")
