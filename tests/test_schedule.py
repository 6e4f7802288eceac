"""plansift schedule: the ingest deployment, its schedule, the local Prefect server, and scheduled runs end to end."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import psutil
import pytest
from typer.testing import CliRunner

from pipeline.settings import Settings
from plansift.cli import app
from tests.conftest import INBOX

T = TypeVar("T")
Served = tuple[subprocess.Popen[bytes], Path]

WEEKDAY_MORNINGS = "0 6 * * 1-5"


def _no_server(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("a Prefect server was started")


@pytest.fixture
def no_server_may_start(monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.deployments

    monkeypatch.setattr(flows.deployments, "local_prefect_server", _no_server)


# --- the schedule is checked before anything starts ---------------------------------------------------------------


@pytest.mark.usefixtures("no_server_may_start")
def test_a_cron_that_does_not_parse_is_refused_before_any_server_starts(tmp_path: Path) -> None:
    from flows.deployments import ScheduleError, serve_schedule

    with pytest.raises(ScheduleError, match=r'--cron "61 6 \* \* \*" is not a cron schedule'):
        serve_schedule([str(tmp_path)], Settings(), cron="61 6 * * *", interval=None)


@pytest.mark.usefixtures("no_server_may_start")
def test_an_unknown_time_zone_is_refused_before_any_server_starts(tmp_path: Path) -> None:
    from flows.deployments import ScheduleError, serve_schedule

    with pytest.raises(ScheduleError, match="unknown time zone 'Europe/Tampere'"):
        serve_schedule([str(tmp_path)], Settings(), cron=WEEKDAY_MORNINGS, interval=None, timezone="Europe/Tampere")


@pytest.mark.usefixtures("no_server_may_start")
def test_an_interval_must_be_positive(tmp_path: Path) -> None:
    from flows.deployments import ScheduleError, serve_schedule

    with pytest.raises(ScheduleError, match="positive number of seconds"):
        serve_schedule([str(tmp_path)], Settings(), cron=None, interval=0)


@pytest.mark.usefixtures("no_server_may_start")
def test_a_deployment_name_prefect_cannot_take_is_refused_before_any_server_starts(tmp_path: Path) -> None:
    from flows.deployments import ScheduleError, serve_schedule

    with pytest.raises(ScheduleError, match="--name 'daily/ingest' cannot name a deployment"):
        serve_schedule([str(tmp_path)], Settings(), cron=WEEKDAY_MORNINGS, interval=None, name="daily/ingest")


@pytest.mark.usefixtures("no_server_may_start")
def test_the_command_reports_a_bad_cron_and_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["schedule", str(tmp_path), "--cron", "every morning", "--db", f"sqlite:///{tmp_path / 'w.db'}"]
    )
    assert result.exit_code == 1
    assert '--cron "every morning" is not a cron schedule' in result.output


def test_a_cron_schedule_is_read_in_its_time_zone() -> None:
    from flows.deployments import describe_schedule, ingest_schedule

    schedule = ingest_schedule(WEEKDAY_MORNINGS, None, "Europe/Helsinki")
    assert (schedule.cron, schedule.timezone) == (WEEKDAY_MORNINGS, "Europe/Helsinki")
    assert describe_schedule(schedule) == 'cron "0 6 * * 1-5" in Europe/Helsinki'
    assert describe_schedule(ingest_schedule(None, 90, "UTC")) == "every 90 seconds"


# --- the deployment ---------------------------------------------------------------------------------------------------


def _deployment(tmp_path: Path, **settings: Any) -> Any:
    from flows.deployments import ingest_deployment, ingest_schedule

    schedule = ingest_schedule(WEEKDAY_MORNINGS, None, "Europe/Helsinki")
    return ingest_deployment([str(tmp_path)], Settings(**settings), schedule, "weekday-mornings")


def test_settings_travel_as_json_and_come_back_as_settings(tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", workers=3, ocr=False)
    deployment = _deployment(tmp_path, db_url=settings.db_url, workers=3, ocr=False)
    stored = json.loads(json.dumps(deployment.parameters))
    validated = ingest_flow.validate_parameters(stored)
    assert validated["settings"] == settings
    assert validated["sources"] == [str(tmp_path)]


def test_settings_from_the_ui_are_checked_like_any_settings(tmp_path: Path) -> None:
    from prefect.exceptions import ParameterTypeError

    from flows.ingest import ingest_flow

    parameters = _deployment(tmp_path).parameters
    parameters["settings"]["workers"] = 0
    with pytest.raises(ParameterTypeError, match="workers must be at least 1"):
        ingest_flow.validate_parameters(parameters)


def test_the_deployment_runs_at_most_once_at_a_time_and_drops_a_run_that_would_overlap(tmp_path: Path) -> None:
    deployment = _deployment(tmp_path)
    assert deployment.concurrency_limit == 1
    assert deployment.concurrency_options.collision_strategy.value == "CANCEL_NEW"
    assert deployment.entrypoint == "flows.ingest.ingest_flow"


def test_the_local_server_keeps_its_database_beside_a_sqlite_warehouse(tmp_path: Path) -> None:
    from flows.deployments import SERVER_FOLDER, server_folder

    assert server_folder(Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")) == tmp_path / "prefect"
    assert server_folder(Settings(db_url="postgresql+psycopg://postgres@127.0.0.1/test")) == SERVER_FOLDER


@pytest.mark.usefixtures("no_server_may_start")
def test_a_configured_prefect_api_that_does_not_answer_is_reported(tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.deployments import ScheduleError, prefect_api

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        with pytest.raises(ScheduleError, match=r"http://127.0.0.1:9/api \(PREFECT_API_URL\) does not answer"):
            with prefect_api(Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")):
                pass


def test_a_server_that_dies_at_start_is_reported_with_its_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.deployments
    from flows.deployments import ScheduleError, local_prefect_server

    # A stand-in executable that fails the way a broken server install does.
    broken = tmp_path / "prefect"
    broken.write_text("#!/bin/sh\necho 'ImportError: cannot import name create_app' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(flows.deployments, "_prefect_executable", lambda: str(broken))
    with pytest.raises(ScheduleError, match=r"exited with code 3:\nImportError: cannot import name create_app"):
        with local_prefect_server(tmp_path / "server"):
            pass


# --- the local Prefect server -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from flows.deployments import local_prefect_server

    with local_prefect_server(tmp_path_factory.mktemp("prefect-server")) as url:
        yield url


def _http(url: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def test_the_local_server_starts_and_answers_health(local_server: str) -> None:
    # Guards the fastapi pin: Prefect 3.8's server does not start with fastapi 0.155 and later.
    assert _http(f"{local_server}/health") is True


@pytest.mark.usefixtures("no_server_may_start")
def test_a_configured_prefect_api_is_used_without_starting_a_server(local_server: str, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.deployments import prefect_api

    with temporary_settings(updates={PREFECT_API_URL: local_server}):
        with prefect_api(Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")) as api:
            assert (api.url, api.server_folder) == (local_server, None)


def test_the_server_schedules_weekday_mornings_in_helsinki_time(local_server: str, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: local_server}):
        deployment_id = _deployment(tmp_path).apply()
    stored = _http(f"{local_server}/deployments/{deployment_id}")
    assert stored["global_concurrency_limit"]["limit"] == 1
    assert stored["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
    assert stored["parameters"]["settings"]["db_url"] == Settings().db_url
    try:
        _http(f"{local_server}/deployments/{deployment_id}/schedule", {"min_runs": 5, "max_runs": 5})
    except urllib.error.HTTPError as error:
        # Guards the SQLAlchemy pin: Prefect 3.8's server cannot insert scheduled runs on SQLAlchemy 2.1.
        pytest.fail(f"the Prefect server could not schedule runs ({error}); see its server.log")
    runs = _http(f"{local_server}/flow_runs/filter", {"deployments": {"id": {"any_": [str(deployment_id)]}}})
    helsinki = ZoneInfo("Europe/Helsinki")
    starts = [datetime.fromisoformat(run["expected_start_time"]).astimezone(helsinki) for run in runs]
    assert len(starts) == 5
    assert {(start.hour, start.minute) for start in starts} == {(6, 0)}
    assert all(start.weekday() < 5 for start in starts)


# --- end to end: plansift schedule --------------------------------------------------------------------------------


def _wait_for(what: str, probe: Callable[[], T | None], timeout: float, served: Served) -> T:
    process, log = served
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"plansift schedule exited with {process.returncode} waiting for {what}:\n{log.read_text()}")
        value = probe()
        if value is not None:
            return value
        time.sleep(0.5)
    server_log = log.parent / "prefect" / "server.log"
    server_said = "\n".join(server_log.read_text().splitlines()[-20:]) if server_log.exists() else "(no server log)"
    pytest.fail(f"no {what} within {timeout:g} s; plansift schedule said:\n{log.read_text()}\nserver:\n{server_said}")


def _query(db: Path, sql: str) -> list[tuple[Any, ...]] | None:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute(sql).fetchall()
    except sqlite3.Error:  # not created yet, or busy
        return None


def _documents_at_least(db: Path, count: int) -> Callable[[], int | None]:
    def probe() -> int | None:
        rows = _query(db, "SELECT count(*) FROM documents")
        return rows[0][0] if rows and rows[0][0] >= count else None

    return probe


def _finished_runs_at_least(db: Path, count: int) -> Callable[[], int | None]:
    def probe() -> int | None:
        rows = _query(db, "SELECT count(*) FROM extraction_runs WHERE finished_at IS NOT NULL")
        return rows[0][0] if rows and rows[0][0] >= count else None

    return probe


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """``plansift schedule`` every 5 s over an inbox folder, with its own Prefect server; stopped by SIGTERM."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    log = tmp_path / "schedule.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        # Sooner first runs, for a shorter test: the runner looks for due runs
        # every 2 s instead of 10 s, the server schedules a new deployment within 1 s.
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "1",
    }
    command = [str(Path(sys.executable).parent / "plansift"), "schedule", str(inbox), "--interval", "5"]
    command += ["--db", f"sqlite:///{tmp_path / 'w.db'}"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            # As a shell starts a background job: Ctrl-C's signal ignored,
            # so SIGTERM has to stop everything on its own.
            preexec_fn=_ignore_sigint,
        )
    try:
        yield process, log
    finally:
        _stop_and_check_nothing_is_left(process, log)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_and_check_nothing_is_left(process: subprocess.Popen[bytes], log: Path) -> None:
    children = psutil.Process(process.pid).children(recursive=True) if process.poll() is None else []
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        code = None
    _, left = psutil.wait_procs(children, timeout=15)
    for child in left:
        child.kill()
    assert code == 0, f"plansift schedule did not stop on SIGTERM (exit code {code}):\n{log.read_text()}"
    assert not left, f"left running after plansift schedule stopped: {[child.cmdline() for child in left]}"


@pytest.mark.slow
def test_scheduled_runs_load_the_folder_again_and_again_one_at_a_time(served: Served, tmp_path: Path) -> None:
    log = served[1]
    db = tmp_path / "w.db"
    *first_batch, later = sorted(INBOX.glob("*.txt"))
    # Enough documents that the first run outlasts the 5 s interval: later
    # runs fall due while it is still going, and must not start beside it.
    for path in first_batch:
        shutil.copy(path, tmp_path / "inbox" / path.name)

    _wait_for("the first documents loaded by a scheduled run", _documents_at_least(db, len(first_batch)), 75, served)
    banner = log.read_text()
    assert "Serving deployment 'ingest/scheduled-ingest'" in banner and "every 5 seconds" in banner
    assert "Prefect API: http://127.0.0.1:" in banner and "Prefect UI:" in banner

    shutil.copy(later, tmp_path / "inbox" / later.name)
    _wait_for("a later document loaded by a later run", _documents_at_least(db, len(first_batch) + 1), 45, served)

    # The document is in before its run has finished.
    _wait_for("a second finished run", _finished_runs_at_least(db, 2), 30, served)
    rows = _query(db, "SELECT started_at, finished_at FROM extraction_runs ORDER BY started_at") or []
    runs = [(datetime.fromisoformat(start), finish and datetime.fromisoformat(finish)) for start, finish in rows]
    for (_, finished_at), (next_started_at, _) in zip(runs, runs[1:]):
        assert finished_at is not None and finished_at <= next_started_at, f"runs overlapped: {rows}"
