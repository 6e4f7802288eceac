"""The warehouse in the browser: Datasette serving it read-only, described and with canned queries.

What Datasette shows is built here as data: the descriptions, facets and
sort order of the analysts' views (``warehouse.views``), the tables
described by their model docstrings, and canned queries answering the
common questions. A SQLite warehouse is served live from its own file,
opened read-only, so what an ingest commits shows on the next page load; a
PostgreSQL warehouse is first copied into a SQLite snapshot, served in
Datasette's immutable mode. Nothing served can write to the warehouse.
"""

from __future__ import annotations

import asyncio
import inspect
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Engine, Table, select, text
from sqlalchemy.exc import DBAPIError

from warehouse.connection import WarehouseURLError, open_engine, warehouse_url
from warehouse.models import Base
from warehouse.reading import read_only_engine
from warehouse.schema import alembic_config, upgrade
from warehouse.views import VIEWS, View

TITLE = "plansift warehouse"
DESCRIPTION = (
    "Projects, funding, contacts and goals read from Finnish municipal and regional plans. "
    "Start from the views (project_overview, funding_by_funder, ...) or the canned queries; "
    "the tables hold every document version with the provenance of each record. Read-only. "
    "What the last runs changed, record by record with evidence: /-/diff (?baseline=1 against the approved run, "
    "?doc=FILE for one document, ?from=RUN&to=RUN)."
)
HIDDEN_TABLES = ("alembic_version",)

# The views are correlated subqueries over every mention: a large warehouse
# needs more than Datasette's default one second for a page and its facets.
DATASETTE_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 1000,
    "default_page_size": 100,
}

SNAPSHOT_BATCH_ROWS = 1000


class BrowseError(Exception):
    """The warehouse cannot be served; the message says what to do about it."""


# -- What Datasette shows ----------------------------------------------------

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "projects_by_funder": {
        "title": "Projects a funder funds",
        "description": (
            "Which projects does the funder fund, for how much, and who is the contact? Part of a name is "
            "enough (e.g. ELY). funder_eur sums the distinct sums stated for that funder; "
            "total_funding_eur is the project's total from every funder."
        ),
        "sql": """
SELECT p.name, p.funders,
       (SELECT sum(amount_eur) FROM (SELECT DISTINCT f.funder, f.instrument, f.amount_eur FROM funding_overview f
            WHERE f.project_id = p.project_id AND f.funder LIKE '%' || :funder || '%') AS sums) AS funder_eur,
       p.total_funding_eur, p.contacts, p.coordinator, p.start_date, p.end_date, p.status, p.documents
FROM project_overview p
WHERE p.funders LIKE '%' || :funder || '%'
ORDER BY funder_eur DESC, p.name
""",
    },
    "goals_with_indicators": {
        "title": "Goals with indicators",
        "description": (
            "The goals of a publisher's plans that have at least one indicator, with their actions. "
            "Part of the publisher's name is enough; leave it empty for every publisher."
        ),
        "sql": """
SELECT publisher, document, title, section, period, objective, indicators, actions, page
FROM goal_overview
WHERE indicator_count > 0 AND (:publisher = '' OR publisher LIKE '%' || :publisher || '%')
ORDER BY publisher, document, goal_id
""",
    },
    "ended_in_year": {
        "title": "Projects that ended in a year",
        "description": "Projects whose latest stated end date falls in the year (e.g. 2024).",
        "sql": """
SELECT name, end_date, start_date, status, theme, coordinator
FROM project_timeline
WHERE substr(end_date, 1, 4) = :year
ORDER BY end_date, name
""",
    },
    "funding_by_funder_and_instrument": {
        "title": "Funding by funder and instrument",
        "description": (
            "Every funder's total per instrument, the largest first; an empty funder means the text names none."
        ),
        "sql": """
SELECT funder, instrument, projects, fundings, total_eur
FROM funding_by_funder
ORDER BY total_eur IS NULL, total_eur DESC, funder, instrument
""",
    },
    "contacts_with_projects": {
        "title": "Contacts and their projects",
        "description": "Contact persons who are named for at least one project, by organisation.",
        "sql": """
SELECT name, title, organisation, email, phone, projects, documents
FROM contact_overview
WHERE projects IS NOT NULL
ORDER BY organisation IS NULL, organisation, name
""",
    },
}


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the warehouse served under the name ``database``."""
    tables: dict[str, Any] = {view.name: view_metadata(view) for view in VIEWS}
    tables.update({table.name: table_metadata(table) for table in Base.metadata.sorted_tables})
    tables.update({name: {"hidden": True} for name in HIDDEN_TABLES})
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "databases": {
            database: {
                "description": DESCRIPTION,
                "tables": tables,
                "queries": {name: {**query, "sql": query["sql"].strip()} for name, query in CANNED_QUERIES.items()},
            }
        },
    }


def view_metadata(view: View) -> dict[str, Any]:
    """A view's description, column descriptions, facets and default order."""
    described: dict[str, Any] = {"description": view.description, "columns": dict(view.columns)}
    if view.facets:
        described["facets"] = list(view.facets)
    if view.sort:
        described["sort"] = view.sort
    return described


def table_metadata(table: Table) -> dict[str, Any]:
    """A table described by its model's docstring, each column by its type and keys."""
    return {
        "description": table_description(table),
        "columns": {column.name: column_description(column) for column in table.columns},
    }


def table_description(table: Table) -> str:
    """The first paragraph of the docstring of the model mapped to ``table``."""
    models = {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}
    docstring = inspect.getdoc(models[table.name]) if table.name in models else None
    if not docstring:
        return f"The {table.name} table."
    return " ".join(docstring.split("\n\n")[0].split())


def column_description(column: Column) -> str:
    """A column's comment when the model gives one, else its type, keys and whether it may be empty."""
    if column.comment:
        return column.comment
    parts = [str(column.type).lower()]
    if column.primary_key:
        parts.append("the row's id")
    parts.extend(f"references {key.target_fullname}" for key in column.foreign_keys)
    if column.unique:
        parts.append("unique")
    if column.nullable and not column.primary_key:
        parts.append("may be empty")
    return ", ".join(parts)


# -- Which file is served ----------------------------------------------------


def sqlite_file(db_url: str) -> Path:
    """The existing SQLite warehouse file ``db_url`` names."""
    database = warehouse_url(db_url).database
    if database in (None, "", ":memory:"):
        raise BrowseError("an in-memory SQLite database holds no warehouse; pass --db sqlite:///path/to/plansift.db")
    path = Path(database)
    if not path.is_file():
        raise BrowseError(f"no warehouse at {path}; run `plansift ingest` first, or pass --db with the warehouse's URL")
    return path


def check_revision(engine: Engine, shown_url: str) -> None:
    """Refuses a database that is not a warehouse at the migration this code expects."""
    expected = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as error:
        if "alembic_version" not in str(error):
            raise BrowseError(f"cannot read the warehouse at {shown_url}: {_first_line(error)}") from None
        found = None
    if found is None:
        raise BrowseError(f"no warehouse tables at {shown_url}; run `plansift ingest` first")
    if found != expected:
        raise BrowseError(
            f"the warehouse at {shown_url} is at migration {found}, this plansift expects {expected}; "
            "`plansift ingest` migrates an older warehouse, a newer one needs a newer plansift"
        )


def snapshot(db_url: str, path: Path) -> Path:
    """Copies the PostgreSQL warehouse at ``db_url`` into a new SQLite warehouse at ``path``."""
    if path.exists():
        raise BrowseError(f"{path} exists already; a snapshot is written to a new file")
    source = read_only_engine(db_url)
    target = open_engine(f"sqlite:///{path}")
    try:
        check_revision(source, shown(db_url))
        upgrade(target)  # tables and views, as a SQLite warehouse has them
        # One consistent view of every table, even while an ingest is loading.
        consistent = source.execution_options(isolation_level="REPEATABLE READ")
        with consistent.connect() as reading, target.begin() as writing:
            _read_times_in_utc(reading)
            for table in Base.metadata.sorted_tables:  # parents before children: foreign keys hold
                copy_rows(reading, writing, table)
    except DBAPIError as error:
        raise BrowseError(f"cannot take a snapshot of {shown(db_url)}: {_first_line(error)}") from None
    finally:
        source.dispose()
        target.dispose()
    return path


def _read_times_in_utc(connection: Connection) -> None:
    # SQLite keeps no time zone: the loader stores UTC there, so the snapshot must too.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET TIME ZONE 'UTC'"))


def copy_rows(reading: Connection, writing: Connection, table: Table, batch_rows: int = SNAPSHOT_BATCH_ROWS) -> int:
    """Copies every row of ``table`` in batches; returns how many."""
    query = select(table).order_by(*table.primary_key.columns)
    result = reading.execute(query, execution_options={"yield_per": batch_rows})
    copied = 0
    for rows in result.partitions():
        writing.execute(table.insert(), [dict(row._mapping) for row in rows])
        copied += len(rows)
    return copied


def served_file(db_url: str, folder: Path) -> tuple[Path, str]:
    """The SQLite file to serve for ``db_url`` and a line saying what it is; a snapshot goes into ``folder``."""
    try:
        backend = warehouse_url(db_url).get_backend_name()
    except WarehouseURLError as error:
        raise BrowseError(str(error)) from None
    if backend == "sqlite":
        path = sqlite_file(db_url)
        engine = read_only_engine(db_url)
        try:
            check_revision(engine, str(path))
        finally:
            engine.dispose()
        return path, f"{path}, read-only; what an ingest commits shows on the next page load"
    if backend == "postgresql":
        taken = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        path = snapshot(db_url, folder / f"{warehouse_url(db_url).database or 'plansift'}.db")
        return path, f"a read-only snapshot of {shown(db_url)} taken at {taken}; restart to see later changes"
    raise BrowseError(f"cannot browse a {backend} warehouse; use SQLite or PostgreSQL")


def shown(db_url: str) -> str:
    """The URL without its password, fit to print."""
    return warehouse_url(db_url).render_as_string(hide_password=True)


# -- Serving -----------------------------------------------------------------


def database_name(db_path: Path) -> str:
    """The name Datasette gives the database in ``db_path`` (its file name without the suffix)."""
    return db_path.stem


def datasette_app(db_path: Path, *, live: bool = True) -> Any:
    """A Datasette instance serving ``db_path`` with the warehouse's metadata: ``live`` read-only
    (each query sees the last committed state, as an ingest goes on), else immutable (a snapshot)."""
    from datasette.app import Datasette  # slow to import; only the browser needs it

    from warehouse.browse_diffs import register_diff_page

    register_diff_page()
    app = Datasette(
        # Immutable mode reads without locks and caches counts: for a file an ingest
        # writes to, that showed stale and self-contradicting pages until a restart.
        files=[str(db_path)] if live else [],
        immutables=[] if live else [str(db_path)],
        metadata=metadata(database_name(db_path)),
        settings=DATASETTE_SETTINGS,
    )
    asyncio.run(app.invoke_startup())
    return app


def require_free_port(host: str, port: int) -> None:
    """Refuses a port something else listens on, before any snapshot is taken."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise BrowseError(f"cannot listen on {host}:{port} ({error.strerror}); pass another --port") from None


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serves the warehouse at ``db_url`` read-only on http://host:port/ until interrupted."""
    import uvicorn

    require_free_port(host, port)
    with stopping_cleanly(), tempfile.TemporaryDirectory(prefix="plansift-browse-") as folder:
        db_path, origin = served_file(db_url, Path(folder))
        app = datasette_app(db_path, live=warehouse_url(db_url).get_backend_name() == "sqlite")
        print(f"Serving {origin}", flush=True)
        print(f"Open http://{host}:{port}/{database_name(db_path)} (Ctrl-C stops)", flush=True)
        uvicorn.run(app.app(), host=host, port=port, log_level="warning", lifespan="on")


class _Terminated(Exception):
    """SIGTERM, raised where Python unwinds the stack."""


@contextmanager
def stopping_cleanly() -> Iterator[None]:
    """Ends Ctrl-C and SIGTERM in a normal return, after the enclosed cleanups (the snapshot's folder) ran.

    uvicorn shuts down gracefully on either signal and then raises it
    again; by default SIGTERM would end the process before any cleanup.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return

    def terminate(_signal: int, _frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    except (KeyboardInterrupt, _Terminated):
        pass  # being stopped is how serving ends
    finally:
        signal.signal(signal.SIGTERM, previous)


def _first_line(error: Exception) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__

