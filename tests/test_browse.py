"""The warehouse in Datasette: metadata from the views and models, canned queries that answer, a PostgreSQL snapshot."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd
import pytest
from sqlalchemy import Engine, select, text

from extractors.extraction import extract
from extractors.registry import ruleset_version
from pipeline.readers import read_file
from pipeline.settings import Settings
from tests.conftest import INBOX, _fresh_postgres_database
from warehouse.browse import (
    CANNED_QUERIES,
    BrowseError,
    database_name,
    datasette_app,
    metadata,
    serve,
    served_file,
    snapshot,
)
from warehouse.connection import open_engine
from warehouse.loading import load_document, start_run
from warehouse.models import Base, ProjectRow
from warehouse.schema import upgrade
from warehouse.views import VIEWS

SERVER_START_SECONDS = 30

# Funders named by role and by sum, contacts, dates, and a goal table with indicators.
SAMPLES = (
    "101_forssa_hankelista.txt",
    "108_hame_ely_rahoituspaatokset.txt",
    "111_kymenlaakso_tyoohjelma_2025.txt",
    "113_kouvola_hankkeet.html",
)


def extract_samples() -> list:
    documents = [read_file(INBOX / name, Settings()) for name in SAMPLES]
    return [(document, extract(document)) for document in documents]


def load_samples(engine: Engine, extracted: list) -> None:
    upgrade(engine)
    run = start_run(engine, ruleset_version())
    for document, extraction in extracted:
        load_document(engine, run, ruleset_version(), document, extraction)


def build_warehouse(path: Path, extracted: list | None = None) -> Path:
    """A SQLite warehouse at ``path`` loaded from the sample documents."""
    engine = open_engine(f"sqlite:///{path}")
    try:
        load_samples(engine, extracted if extracted is not None else extract_samples())
    finally:
        engine.dispose()
    return path


@pytest.fixture(scope="module")
def extracted() -> list:
    return extract_samples()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, extracted: list) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("browse") / "plansift.db", extracted)


@pytest.fixture(scope="module")
def app(warehouse: Path):
    return datasette_app(warehouse)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    yield from _fresh_postgres_database(postgres_server)


def read_sql(path: Path, sql: str, params: tuple = ()) -> pd.DataFrame:
    with sqlite3.connect(path) as connection:
        return pd.read_sql_query(sql, connection, params=params)


def get(app, path: str):
    return asyncio.run(app.client.get(path))


def rows_of(app, warehouse: Path, query: str, **params: str) -> list[dict]:
    """The rows of a canned query as Datasette answers it over HTTP."""
    response = get(app, f"/{database_name(warehouse)}/{query}.json?{urlencode({**params, '_shape': 'array'})}")
    assert response.status_code == 200, response.text
    return response.json()


def sample_parameters(warehouse: Path) -> dict[str, dict[str, str]]:
    """A value for every canned query parameter that the warehouse has rows for."""
    funder = read_sql(warehouse, "SELECT funder FROM funding_overview WHERE funder IS NOT NULL "
                                 "GROUP BY funder ORDER BY count(DISTINCT project_id) DESC, funder LIMIT 1")
    publisher = read_sql(warehouse, "SELECT publisher FROM goal_overview WHERE indicator_count > 0 "
                                    "AND publisher IS NOT NULL LIMIT 1")
    year = read_sql(warehouse, "SELECT end_year FROM project_timeline WHERE end_year IS NOT NULL "
                               "GROUP BY end_year ORDER BY count(*) DESC LIMIT 1")
    return {
        "projects_by_funder": {"funder": funder.iloc[0, 0]},
        "goals_with_indicators": {"publisher": publisher.iloc[0, 0]},
        "ended_in_year": {"year": str(year.iloc[0, 0])},
        "funding_by_funder_and_instrument": {},
        "contacts_with_projects": {},
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"plansift browse exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"plansift browse did not listen on port {port} within {SERVER_START_SECONDS} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_browse(db_url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen, int]]:
    """`plansift browse` on a free port, its output in ``log``; stopped with SIGTERM on leaving."""
    port = free_port()
    plansift = Path(sys.executable).parent / "plansift"
    command = [str(plansift), "browse", "--db", db_url, "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_port(port, process, log)
        yield process, port
    finally:
        stop(process)


def fetch_json(url: str) -> object:
    # No proxy: the server is on this machine.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=30) as response:
        return json.load(response)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- Metadata ------------------------------------------------------------------


def test_metadata_describes_every_view_with_its_columns_facets_and_sort() -> None:
    tables = metadata("plansift")["databases"]["plansift"]["tables"]
    for view in VIEWS:
        described = tables[view.name]
        assert described["description"] == view.description
        assert described["columns"] == view.columns
        assert described.get("facets", []) == list(view.facets)
        assert described.get("sort") == view.sort


def test_metadata_describes_every_table_by_its_model_docstring() -> None:
    tables = metadata("plansift")["databases"]["plansift"]["tables"]
    for table in Base.metadata.tables.values():
        assert tables[table.name]["description"], table.name
        assert set(tables[table.name]["columns"]) == {column.name for column in table.columns}
        assert all(tables[table.name]["columns"].values()), table.name
    first_paragraph = " ".join(inspect.getdoc(ProjectRow).split("\n\n")[0].split())
    assert tables["projects"]["description"] == first_paragraph
    assert "references projects.id" in tables["fundings"]["columns"]["project_id"]
    assert tables["alembic_version"] == {"hidden": True}


def test_metadata_names_the_warehouse_and_has_no_write_query() -> None:
    described = metadata("plansift")
    assert described["title"] == "plansift warehouse"
    assert described["description"]
    queries = described["databases"]["plansift"]["queries"]
    assert set(queries) == set(CANNED_QUERIES)
    assert not any(query.get("write") for query in queries.values())


# -- Datasette over a real warehouse --------------------------------------------


def test_every_view_page_shows_its_description_and_facets(app, warehouse: Path) -> None:
    database = database_name(warehouse)
    for view in VIEWS:
        page = get(app, f"/{database}/{view.name}")
        assert page.status_code == 200, view.name
        assert view.description in page.text
        answer = get(app, f"/{database}/{view.name}.json")
        assert answer.status_code == 200, answer.text
        assert set(view.facets) <= set(answer.json()["facet_results"]), view.name


@pytest.mark.parametrize("query", sorted(CANNED_QUERIES))
def test_every_canned_query_answers_with_rows(app, warehouse: Path, query: str) -> None:
    parameters = sample_parameters(warehouse)[query]
    assert rows_of(app, warehouse, query, **parameters)


def test_projects_by_funder_returns_the_projects_the_view_gives_that_funder(app, warehouse: Path) -> None:
    projects = read_sql(warehouse, "SELECT name, funders FROM project_overview")
    funders = read_sql(warehouse, "SELECT DISTINCT funder FROM funding_overview WHERE funder IS NOT NULL")["funder"]
    assert len(funders) >= 3
    for funder in funders:
        expected = projects[projects["funders"].fillna("").str.contains(funder, regex=False)]["name"]
        answered = [row["name"] for row in rows_of(app, warehouse, "projects_by_funder", funder=funder)]
        assert sorted(answered) == sorted(expected), funder


def test_goals_with_indicators_are_the_publishers_goals_that_have_indicators(app, warehouse: Path) -> None:
    goals = read_sql(warehouse, "SELECT publisher, objective, indicator_count FROM goal_overview")
    publisher = sample_parameters(warehouse)["goals_with_indicators"]["publisher"]
    expected = goals[(goals["publisher"] == publisher) & (goals["indicator_count"] > 0)]["objective"]
    answered = [row["objective"] for row in rows_of(app, warehouse, "goals_with_indicators", publisher=publisher)]
    assert answered and sorted(answered) == sorted(expected)
    everyone = rows_of(app, warehouse, "goals_with_indicators", publisher="")
    assert len(everyone) == int((goals["indicator_count"] > 0).sum())


def test_ended_in_year_lists_the_projects_ending_that_year(app, warehouse: Path) -> None:
    timeline = read_sql(warehouse, "SELECT name, end_year FROM project_timeline")
    year = sample_parameters(warehouse)["ended_in_year"]["year"]
    expected = timeline[timeline["end_year"] == int(year)]["name"]
    answered = [row["name"] for row in rows_of(app, warehouse, "ended_in_year", year=year)]
    assert answered and sorted(answered) == sorted(expected)


def test_the_served_file_cannot_be_written(app, warehouse: Path) -> None:
    before = sha256(warehouse)
    database = app.databases[database_name(warehouse)]
    # Served live, so an ingest's commits show; every read connection is opened read-only,
    # and no canned query is a writing one.
    assert database.is_mutable is True
    assert not any(q.get("write") for q in app.metadata()["databases"][database.name].get("queries", {}).values())
    with pytest.raises(Exception, match="readonly|read-only|read only"):
        asyncio.run(database.execute("DELETE FROM goal_items"))
    for query, parameters in sample_parameters(warehouse).items():
        rows_of(app, warehouse, query, **parameters)
    assert sha256(warehouse) == before
    assert read_sql(warehouse, "SELECT count(*) AS n FROM goal_items")["n"][0] > 0


def test_what_an_ingest_commits_shows_without_a_restart(tmp_path: Path, extracted: list) -> None:
    path = build_warehouse(tmp_path / "plansift.db", extracted[:1])
    served = datasette_app(path)
    count = f"/{database_name(path)}.json?sql=select+count(*)+as+n+from+current_versions&_shape=array"
    assert get(served, count).json() == [{"n": 1}]
    engine = open_engine(f"sqlite:///{path}")
    run = start_run(engine, ruleset_version())
    for document, extraction in extracted[1:]:
        load_document(engine, run, ruleset_version(), document, extraction)
    engine.dispose()
    assert get(served, count).json() == [{"n": len(extracted)}]
    listed = get(served, f"/{database_name(path)}/current_versions.json?_shape=array").json()
    assert len(listed) == len(extracted)  # the table page agrees with the count


# -- Refusals --------------------------------------------------------------------


def test_serve_refuses_a_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "plansift.db"
    with pytest.raises(BrowseError, match="plansift ingest") as refused:
        serve(f"sqlite:///{missing}", port=0)
    assert str(missing) in str(refused.value)
    assert not missing.parent.exists()


def test_a_database_without_the_warehouse_tables_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(BrowseError, match="plansift ingest"):
        served_file(f"sqlite:///{empty}", tmp_path)


def test_a_warehouse_at_another_migration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = open_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '19990101_0000'"))
    engine.dispose()
    with pytest.raises(BrowseError, match="19990101_0000"):
        served_file(f"sqlite:///{path}", tmp_path)


def test_another_kind_of_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BrowseError, match="SQLite or PostgreSQL"):
        served_file("mysql://user@127.0.0.1/plansift", tmp_path)


# -- PostgreSQL snapshot ---------------------------------------------------------


def comparable(value: object) -> object:
    # PostgreSQL gives aware datetimes and Decimals, SQLite naive UTC and floats.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def table_rows(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(comparable(value) for value in row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.postgres
def test_snapshot_of_postgres_holds_the_same_rows_and_views(postgres_url: str, extracted: list, tmp_path: Path) -> None:
    source = open_engine(postgres_url)
    load_samples(source, extracted)
    path, origin = served_file(postgres_url, tmp_path)
    copy = open_engine(f"sqlite:///{path}")
    try:
        expected, copied = table_rows(source), table_rows(copy)
        assert sum(len(rows) for rows in expected.values()) > 100
        for name, rows in expected.items():
            assert copied[name] == rows, name
        with source.connect() as reading, copy.connect() as snapshot_reading:
            revision = "SELECT version_num FROM alembic_version"
            assert snapshot_reading.execute(text(revision)).all() == reading.execute(text(revision)).all()
            # Sorted here: PostgreSQL orders by its locale, SQLite by bytes.
            projects = "SELECT name FROM project_overview"
            assert sorted(snapshot_reading.scalars(text(projects))) == sorted(reading.scalars(text(projects)))
    finally:
        source.dispose()
        copy.dispose()
    assert "snapshot" in origin and "taken at" in origin


@pytest.mark.postgres
def test_snapshot_refuses_an_empty_postgres_database(postgres_url: str, tmp_path: Path) -> None:
    with pytest.raises(BrowseError, match="plansift ingest"):
        snapshot(postgres_url, tmp_path / "snapshot.db")


@pytest.mark.postgres
def test_browse_serves_a_postgres_snapshot_and_removes_it_when_stopped(
    postgres_url: str, extracted: list, tmp_path: Path
) -> None:
    source = open_engine(postgres_url)
    try:
        load_samples(source, extracted)
        with source.connect() as connection:
            projects = connection.execute(text("SELECT name, funders FROM project_overview")).all()
            funder = connection.scalar(text(
                "SELECT funder FROM funding_overview WHERE funder IS NOT NULL "
                "GROUP BY funder ORDER BY count(DISTINCT project_id) DESC, funder LIMIT 1"))
    finally:
        source.dispose()
    expected = sorted(name for name, funders in projects if funders and funder in funders)
    assert expected
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    log = tmp_path / "browse.log"
    with running_browse(postgres_url, log, env={**os.environ, "TMPDIR": str(temporary)}) as (process, port):
        (snapshot_file,) = temporary.glob("plansift-browse-*/*.db")
        rows = fetch_json(f"http://127.0.0.1:{port}/{database_name(snapshot_file)}/projects_by_funder.json"
                          f"?funder={quote(funder)}&_shape=array")
        assert sorted(row["name"] for row in rows) == expected
    assert process.returncode == 0, log.read_text()
    assert list(temporary.iterdir()) == []  # the snapshot is gone with the server
    printed = log.read_text()
    assert "snapshot of" in printed and "taken at" in printed
    assert f"http://127.0.0.1:{port}/" in printed
