"""A run killed outright leaves nothing behind: no Prefect server, no run marked running, no half-loaded document."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy import text

from warehouse.connection import open_engine

REPOSITORY = Path(__file__).resolve().parent.parent
PLANSIFT = Path(sys.executable).parent / "plansift"


def _environment() -> dict[str, str]:
    # A run of its own: no API the test session may have configured.
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}


def _server_children(process: psutil.Process) -> list[psutil.Process]:
    return [c for c in process.children(recursive=True) if "prefect.server.api.server:create_app" in " ".join(c.cmdline())]


def _wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _table(url: str, sql: str) -> list[tuple]:
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def _runs_started(path: Path) -> bool:
    # A plain reader: it must not wait for the run's write lock, and the table may not exist yet.
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            return connection.execute("SELECT count(*) FROM extraction_runs").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def test_a_killed_run_takes_its_server_with_it_and_the_next_run_finishes_the_job(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    for path in seed_paths:
        shutil.copy(path, folder / path.name)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    command = [str(PLANSIFT), "ingest", str(folder), "--db", url, "--workers", "1"]
    run = subprocess.Popen(command, cwd=REPOSITORY, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    watched = psutil.Process(run.pid)
    assert _wait_for(lambda: _server_children(watched), 90), "the run never started its Prefect server"
    servers = _server_children(watched)
    assert _wait_for(lambda: _runs_started(tmp_path / "w.db"), 120), "the run never started"
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert _wait_for(lambda: not any(s.is_running() and s.status() != psutil.STATUS_ZOMBIE for s in servers), 20), (
        "the Prefect server outlived its run"
    )
    assert _table(url, "SELECT status FROM extraction_runs") == [("running",)]

    again = subprocess.run(command, cwd=REPOSITORY, env=_environment(), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Traceback" not in again.stdout + again.stderr
    assert "run 1 was killed before it finished; it is marked aborted" in again.stderr
    assert _table(url, "SELECT id, status FROM extraction_runs ORDER BY id") == [(1, "aborted"), (2, "finished")]
    assert _table(url, "SELECT count(*) FROM current_versions") == [(len(seed_paths),)]


@pytest.mark.parametrize("runs", [2])
def test_concurrent_runs_on_one_new_warehouse_both_succeed_with_the_content_of_one(
    tmp_path: Path, seed_paths: list[Path], runs: int
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    for path in seed_paths[:2]:
        shutil.copy(path, folder / path.name)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    command = [str(PLANSIFT), "ingest", str(folder), "--db", url]
    started = [
        subprocess.Popen(command, cwd=REPOSITORY, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(runs)
    ]
    outputs = [process.communicate(timeout=600) for process in started]
    for process, (out, err) in zip(started, outputs):
        assert process.returncode == 0, out + err
        assert "Traceback" not in out + err
    assert _table(url, "SELECT count(*) FROM documents") == [(2,)]
    assert _table(url, "SELECT count(*), count(DISTINCT document_id) FROM document_versions") == [(2, 2)]
    assert sorted(_table(url, "SELECT status FROM extraction_runs")) == [("finished",)] * runs
