"""Analysts' access: read-only connections, `plansift query` and `plansift export` of tables and views."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from plansift.cli import app
from warehouse.connection import open_engine
from warehouse.loading import load_document, start_run
from warehouse.models import ProjectRow
from warehouse.reading import QueryRefused, read_only_engine, read_view, relation_names, run_query
from warehouse.schema import upgrade
from warehouse.table_export import WORKBOOK, export_tables
from warehouse.views import VIEWS

from .warehouse_samples import contact, document, extraction, funding, project

runner = CliRunner()


def sample() -> object:
    return extraction(
        projects=(project("Kaupunki taskussa", start_date="2020-01", end_date="2021-11", coordinator="Hämeenlinnan kaupunki"),),
        fundings=(funding("Kaupunki taskussa", 112200, funder="Valtiovarainministeriö", instrument="valtionavustus"),),
        contacts=(contact("Anna Virtanen", email="anna@hameenlinna.fi", project="Kaupunki taskussa"),),
    )


@pytest.fixture
def loaded(db_url) -> str:
    engine = open_engine(db_url)
    upgrade(engine)
    load_document(engine, start_run(engine, "test"), "test", document("inbox/lista.txt"), sample())
    engine.dispose()
    return db_url


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM projects",
        "WITH gone AS (SELECT 1) DELETE FROM projects",
        "DROP VIEW project_overview",
        "SELECT 1; DROP TABLE projects",
        "  -- a comment first\n UPDATE projects SET name = 'x'",
    ],
)
def test_writes_and_ddl_are_refused_and_nothing_changes(loaded, statement) -> None:
    engine = read_only_engine(loaded)
    with pytest.raises(QueryRefused):
        run_query(engine, statement)
    engine.dispose()
    writable = open_engine(loaded)
    with Session(writable) as session:
        assert session.scalar(select(func.count()).select_from(ProjectRow)) == 1
    assert "project_overview" in relation_names(writable)
    writable.dispose()


def test_the_database_itself_refuses_a_write_that_gets_past_the_first_word(loaded) -> None:
    # A CTE that writes starts with WITH; only the read-only connection stops it.
    engine = read_only_engine(loaded)
    with pytest.raises(QueryRefused, match="read-only|readonly"):
        run_query(engine, "WITH gone AS (SELECT 1) DELETE FROM projects")
    engine.dispose()


def test_a_query_with_percent_and_colon_in_literals_runs_as_written(loaded) -> None:
    engine = read_only_engine(loaded)
    frame = run_query(engine, "SELECT name, 'a:b' AS tag FROM project_overview WHERE name LIKE '%taskussa%'")
    assert frame.to_dict("records") == [{"name": "Kaupunki taskussa", "tag": "a:b"}]
    engine.dispose()


def test_a_bad_query_says_what_the_database_said(loaded) -> None:
    engine = read_only_engine(loaded)
    with pytest.raises(QueryRefused, match="nope"):
        run_query(engine, "SELECT nope FROM projects")
    engine.dispose()


def test_a_missing_sqlite_warehouse_says_to_ingest_first(tmp_path: Path) -> None:
    with pytest.raises(QueryRefused, match="plansift ingest"):
        read_only_engine(f"sqlite:///{tmp_path / 'none.db'}")
    assert not (tmp_path / "none.db").exists()


def test_relation_names_lead_with_the_views(loaded) -> None:
    names = relation_names(open_engine(loaded))
    assert names[: len(VIEWS)] == [v.name for v in VIEWS]
    assert "alembic_version" not in names and "fundings" in names


@pytest.mark.parametrize("format", ["csv", "parquet", "xlsx"])
def test_export_writes_every_view_and_table_whole(loaded, tmp_path: Path, format: str) -> None:
    engine = read_only_engine(loaded)
    written = export_tables(engine, tmp_path, format)
    names = relation_names(engine)
    if format == "xlsx":
        assert written == [tmp_path / WORKBOOK]
        sheets = pd.read_excel(written[0], sheet_name=None)
        assert list(sheets) == [n[:31] for n in names]
        assert sheets["project_overview"]["name"].tolist() == ["Kaupunki taskussa"]
    else:
        assert [p.name for p in written] == [f"{n}.{format}" for n in names]
        read = pd.read_csv if format == "csv" else pd.read_parquet
        for path, name in zip(written, names, strict=True):
            assert len(read(path)) == len(read_view(engine, name)), name
    engine.dispose()


def test_export_of_an_unknown_table_names_the_ones_there_are(loaded, tmp_path: Path) -> None:
    with pytest.raises(QueryRefused, match="project_overview"):
        export_tables(read_only_engine(loaded), tmp_path, "csv", ["projekts"])


def test_cli_query_prints_a_table_and_writes_csv_json_and_parquet(loaded, tmp_path: Path) -> None:
    sql = "SELECT name, total_funding_eur FROM project_overview"
    shown = runner.invoke(app, ["query", sql, "--db", loaded])
    assert shown.exit_code == 0, shown.output
    assert "Kaupunki taskussa" in shown.output and "1 row(s)" in shown.output
    as_csv = runner.invoke(app, ["query", sql, "--db", loaded, "--format", "csv"])
    assert pd.read_csv(io.StringIO(as_csv.stdout)).to_dict("records") == [
        {"name": "Kaupunki taskussa", "total_funding_eur": 112200}
    ]
    as_json = runner.invoke(app, ["query", sql, "--db", loaded, "--format", "json"])
    assert json.loads(as_json.stdout) == [{"name": "Kaupunki taskussa", "total_funding_eur": 112200.0}]
    target = tmp_path / "out" / "p.parquet"
    as_parquet = runner.invoke(app, ["query", sql, "--db", loaded, "--format", "parquet", "-o", str(target)])
    assert as_parquet.exit_code == 0, as_parquet.output
    assert pd.read_parquet(target).to_dict("records") == [{"name": "Kaupunki taskussa", "total_funding_eur": 112200.0}]


def test_cli_query_refuses_a_write_with_exit_code_1(loaded) -> None:
    result = runner.invoke(app, ["query", "DELETE FROM projects", "--db", loaded])
    assert result.exit_code == 1
    assert "only reading statements" in result.output


def test_cli_query_parquet_to_stdout_is_refused(loaded) -> None:
    result = runner.invoke(app, ["query", "SELECT 1", "--db", loaded, "--format", "parquet"])
    assert result.exit_code == 2
    assert "--output" in result.output


def test_cli_export_tables_and_a_bad_format(loaded, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path), "--db", loaded, "--format", "csv", "--table", "project_overview"])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "project_overview.csv")["coordinator"].tolist() == ["Hämeenlinnan kaupunki"]
    bad = runner.invoke(app, ["export", str(tmp_path), "--db", loaded, "--format", "xml"])
    assert bad.exit_code == 2 and "xlsx" in bad.output


def test_several_statements_cannot_step_out_of_the_read_only_transaction(loaded) -> None:
    engine = read_only_engine(loaded)
    with pytest.raises(QueryRefused):
        run_query(engine, "SELECT 1; COMMIT; BEGIN READ WRITE; DELETE FROM fundings; COMMIT")
    engine.dispose()
    writable = open_engine(loaded)
    with writable.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM fundings").scalar() == 1
    writable.dispose()


# -- Who queries run as on PostgreSQL ---------------------------------------------------------


@pytest.fixture
def postgres_loaded(loaded: str) -> str:
    assert loaded.startswith("postgresql"), "roles are PostgreSQL's"
    return loaded


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize(
    "statement",
    ["SELECT pg_read_file('/etc/hostname')", "SELECT * FROM pg_ls_dir('.')", "SELECT pg_read_binary_file('/etc/hostname')"],
)
def test_a_superuser_url_queries_as_the_reader_role_which_reads_no_server_files(postgres_loaded: str, statement: str) -> None:
    with pytest.raises(QueryRefused, match="permission denied"):
        run_query(read_only_engine(postgres_loaded), statement)
    assert run_query(read_only_engine(postgres_loaded), "SELECT count(*) AS n FROM project_overview")["n"][0] == 1


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_an_analyst_login_in_the_reader_role_reads_the_views_and_nothing_else(postgres_loaded: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(postgres_loaded, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP ROLE IF EXISTS plansift_test_analyst"))
        connection.execute(text("CREATE ROLE plansift_test_analyst LOGIN IN ROLE plansift_reader"))
    analyst = postgres_loaded.replace("postgres@", "plansift_test_analyst@")
    try:
        engine = read_only_engine(analyst)
        assert run_query(engine, "SELECT count(*) AS n FROM funding_by_funder")["n"][0] >= 1
        with pytest.raises(QueryRefused, match="permission denied"):
            run_query(engine, "SELECT pg_read_file('/etc/hostname')")
        with pytest.raises(QueryRefused, match="permission denied"):
            run_query(engine, "SELECT set_config('role', 'postgres', false)")
        from warehouse.reading import superuser_name

        assert superuser_name(engine) is None
        engine.dispose()
        result = runner.invoke(app, ["query", "SELECT 1 AS one", "--db", analyst])
        assert result.exit_code == 0 and "warning" not in result.output
    finally:
        with admin.connect() as connection:
            connection.execute(text("DROP OWNED BY plansift_test_analyst"))
            connection.execute(text("DROP ROLE IF EXISTS plansift_test_analyst"))
        admin.dispose()


def test_query_warns_when_the_url_logs_in_as_a_superuser(loaded: str) -> None:
    result = runner.invoke(app, ["query", "SELECT 1 AS one", "--db", loaded])
    assert result.exit_code == 0
    if loaded.startswith("postgresql"):
        assert "warning: connected as the PostgreSQL superuser postgres" in result.stderr
        assert "CREATE ROLE analyst LOGIN IN ROLE plansift_reader" in result.stderr
    else:
        assert result.stderr == ""
    assert "warning" not in result.stdout
