"""Warehouse URLs: every PostgreSQL spelling works, and a database that cannot be used is said in one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from plansift.cli import app
from warehouse.connection import WarehouseUnreachable, WarehouseURLError, check_connection, open_engine, warehouse_url

runner = CliRunner()


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/test",
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg2://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    ],
)
def test_every_postgresql_spelling_means_the_driver_plansift_ships(url: str) -> None:
    assert warehouse_url(url).drivername == "postgresql+psycopg"
    assert open_engine(url).dialect.driver == "psycopg"


@pytest.mark.parametrize(
    ("url", "said"),
    [("nonsense", "is not a database URL"), ("mysql://u@h/d", "runs on SQLite or PostgreSQL, not mysql")],
)
def test_a_url_that_cannot_be_a_warehouse_is_refused_with_examples(url: str, said: str) -> None:
    with pytest.raises(WarehouseURLError, match=said) as refused:
        warehouse_url(url)
    assert "sqlite:///var/plansift.db" in str(refused.value)


@pytest.mark.postgres
def test_a_missing_database_says_how_to_create_it(postgres_server: str) -> None:
    url = postgres_server.rsplit("/", 1)[0] + "/plansift_no_such_database"
    with pytest.raises(WarehouseUnreachable) as refused:
        check_connection(url)
    message = str(refused.value)
    assert 'database "plansift_no_such_database" does not exist' in message
    assert "createdb plansift_no_such_database" in message and "\n" not in message


def test_a_server_that_does_not_answer_is_named_with_its_port() -> None:
    with pytest.raises(WarehouseUnreachable, match="127.0.0.1:9") as refused:
        check_connection("postgresql://postgres@127.0.0.1:9/x")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("command", [["query", "SELECT 1"], ["export", "out"], ["report", "r.html"], ["diff"]])
def test_commands_say_an_unusable_warehouse_in_one_line(command: list[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*command, "--db", "postgres://postgres@127.0.0.1:9/x"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot connect to the warehouse at "), result.output
    assert "Traceback" not in result.output
