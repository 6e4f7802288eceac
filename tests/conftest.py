"""Fixtures shared by the whole suite: sample paths, warehouse URLs, the Prefect harness."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
INBOX = REPO / "corpus" / "inbox"
GOLD = REPO / "corpus" / "gold"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pytest_configure(config: pytest.Config) -> None:
    # The test machines have no route to the internet; Prefect would try
    # to send telemetry from its temporary server and log the failure.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(INBOX.glob("00[0-9]_*.txt"))
    assert len(paths) == 5, "the five sample documents belong in corpus/inbox"
    return paths


def _postgres_available() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means: no server to test against
        return False


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of the local PostgreSQL server.

    The suite's runner starts the server; when it is not reachable the
    PostgreSQL half of the warehouse tests fails loudly rather than being
    skipped, unless PLANSIFT_SKIP_POSTGRES=1 says so explicitly.
    """
    if _postgres_available():
        return POSTGRES_ADMIN_URL
    if os.environ.get("PLANSIFT_SKIP_POSTGRES") == "1":
        pytest.skip("PostgreSQL not reachable and PLANSIFT_SKIP_POSTGRES=1")
    pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432; start it (see README) or set PLANSIFT_SKIP_POSTGRES=1")


def _fresh_postgres_database(admin_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"plansift_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        from warehouse.connection import shared_engine

        shared_engine.cache_clear()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty warehouse database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'warehouse.db'}"
        return
    yield from _fresh_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
