"""One writer at a time: the warehouse lock, runs killed mid-way, migrations that land whole or not at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from warehouse.connection import open_engine
from warehouse.loading import RunSummary, finish_run, mark_aborted_runs, start_run
from warehouse.models import Base, ExtractionRunRow
from warehouse.run_lock import lock_file, warehouse_lock
from warehouse.schema import downgrade, is_current, upgrade

REPOSITORY = Path(__file__).resolve().parent.parent


def test_a_second_holder_waits_until_the_first_lets_go(db_url: str) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    events: list[str] = []
    first_holds = threading.Event()

    def second() -> None:
        first_holds.wait()
        with warehouse_lock(open_engine(db_url), on_wait=lambda: events.append("waited")):
            events.append("second in")

    thread = threading.Thread(target=second)
    thread.start()
    with warehouse_lock(engine):
        first_holds.set()
        time.sleep(0.5)
        events.append("first out")
    thread.join(timeout=30)
    assert events == ["waited", "first out", "second in"]


def test_the_lock_is_taken_again_freely_by_its_holder(db_url: str) -> None:
    engine = open_engine(db_url)
    waits: list[str] = []
    with warehouse_lock(engine), warehouse_lock(engine, on_wait=lambda: waits.append("waited")):
        upgrade(engine)  # takes the lock itself
    assert waits == []


def _hold_lock_script(db_url: str, ready: Path) -> str:
    return textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from warehouse.connection import open_engine
        from warehouse.run_lock import warehouse_lock
        with warehouse_lock(open_engine({db_url!r})):
            Path({str(ready)!r}).write_text("held")
            time.sleep(600)
        """
    )


def test_a_killed_holder_leaves_the_warehouse_unlocked(db_url: str, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", _hold_lock_script(db_url, ready)], cwd=REPOSITORY)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the holder never took the lock"
        waits: list[str] = []
        threading.Timer(1.0, lambda: holder.send_signal(signal.SIGKILL)).start()
        with warehouse_lock(open_engine(db_url), on_wait=lambda: waits.append("waited")):
            assert holder.wait(timeout=30) == -signal.SIGKILL
        assert waits == ["waited"]
    finally:
        holder.kill()
        holder.wait()


def test_runs_left_running_are_marked_aborted_and_finished_ones_are_not(db_url: str) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    killed = start_run(engine, "v1")
    done = start_run(engine, "v1")
    finish_run(engine, RunSummary(run_id=done, extractor_version="v1"))
    assert mark_aborted_runs(engine) == [killed]
    with Session(engine) as session:
        runs = {r.id: r for r in session.scalars(select(ExtractionRunRow))}
    assert runs[killed].status == "aborted" and runs[killed].finished_at is not None
    assert runs[done].status == "finished"
    assert mark_aborted_runs(engine) == []


def test_an_in_memory_database_needs_no_lock_file() -> None:
    assert lock_file(open_engine("sqlite://")) is None
    with warehouse_lock(open_engine("sqlite://")):
        pass


# -- Migrations ------------------------------------------------------------------------------


def test_a_migration_that_fails_half_way_leaves_the_sqlite_warehouse_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import op

    engine = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    created: list[str] = []
    real_create_table = op.create_table

    def create_then_fail(name: str, *columns: object, **options: object) -> object:
        created.append(name)
        if len(created) == 3:
            raise RuntimeError("killed mid-migration")
        return real_create_table(name, *columns, **options)

    monkeypatch.setattr(op, "create_table", create_then_fail)
    with pytest.raises(RuntimeError, match="killed mid-migration"):
        upgrade(engine)
    assert len(created) == 3
    assert inspect(engine).get_table_names() == []  # the two tables made before the failure are gone too
    monkeypatch.undo()
    upgrade(engine)
    assert is_current(engine)


def test_a_warehouse_broken_by_an_older_killed_migration_is_migrated_again(tmp_path: Path) -> None:
    # What an older plansift left: some empty tables, no revision.
    engine = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables[:4]:
            table.create(connection)
    upgrade(engine)
    assert is_current(engine)


def test_tables_holding_rows_are_never_dropped_to_migrate_again(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE documents (id INTEGER PRIMARY KEY, source TEXT)"))
        connection.execute(text("INSERT INTO documents (source) VALUES ('keep me')"))
    with pytest.raises(Exception, match="already exists"):
        upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT source FROM documents")).scalar() == "keep me"


def test_sigkill_at_any_moment_of_the_first_migration_never_breaks_the_warehouse(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    script = f"from warehouse.connection import open_engine; from warehouse.schema import upgrade; upgrade(open_engine('sqlite:///{path}'))"
    for delay in (0.3, 0.6, 0.9, 1.2, 1.6, 2.0):
        path.unlink(missing_ok=True)
        process = subprocess.Popen([sys.executable, "-c", script], cwd=REPOSITORY)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        engine = open_engine(f"sqlite:///{path}")
        upgrade(engine)
        assert is_current(engine), f"not migrated after a kill at {delay} s"
        engine.dispose()


def test_downgrade_and_upgrade_again_keep_the_new_columns_working(db_url: str) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    downgrade(engine, "20261204_0005")
    assert "is_total" not in {c["name"] for c in inspect(engine).get_columns("fundings")}
    upgrade(engine)
    assert {"is_total"} <= {c["name"] for c in inspect(engine).get_columns("fundings")}
    assert {"duplicate_of"} <= {c["name"] for c in inspect(engine).get_columns("documents")}
    assert {"status"} <= {c["name"] for c in inspect(engine).get_columns("extraction_runs")}
