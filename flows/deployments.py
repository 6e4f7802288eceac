"""Every Prefect deployment of plansift, and serving them on a schedule.

One deployment so far: the ingest flow on a cron or interval schedule,
never two runs at once. Serving needs a Prefect API: the one at
PREFECT_API_URL when that is set, otherwise a local Prefect server started
for as long as the schedule is served, with its own database beside a
SQLite warehouse (else in var/prefect).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType

from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.exceptions import InvalidNameError
from prefect.runner import Runner
from prefect.schedules import Cron, Interval, Schedule
from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings
from sqlalchemy.engine import make_url

from flows.ingest import ingest_flow
from pipeline.settings import Settings

SERVER_START_TIMEOUT = 60.0
SERVER_STOP_TIMEOUT = 15.0
SERVER_FOLDER = Path("var") / "prefect"
SERVER_LOG_TAIL_LINES = 30

# A run that falls due while the previous one is still going is cancelled
# rather than queued: every run ingests the whole of its sources, so the
# next scheduled run picks up whatever changed, and a slow run cannot pile
# up a backlog of identical runs behind it.
ONE_RUN_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


class ScheduleError(Exception):
    """A schedule that cannot be served: a bad cron or time zone, or no Prefect API."""


@dataclass(frozen=True)
class PrefectAPI:
    """The Prefect API serving uses; ``server_folder`` is set when the server is a local one started here."""

    url: str
    server_folder: Path | None = None


def ingest_schedule(cron: str | None, interval: float | None, timezone: str) -> Schedule:
    """The schedule of ``cron`` (read in ``timezone``) or of every ``interval`` seconds."""
    if timezone not in zoneinfo.available_timezones():
        raise ScheduleError(f"unknown time zone {timezone!r}; give an IANA name such as Europe/Helsinki")
    if (cron is None) == (interval is None):
        raise ScheduleError("give exactly one of a cron schedule and an interval")
    if interval is not None:
        if interval <= 0:
            raise ScheduleError(f"the interval must be a positive number of seconds, got {interval:g}")
        return Interval(interval, timezone=timezone)
    try:
        return Cron(cron, timezone=timezone)
    except ValueError as error:
        raise ScheduleError(f'--cron "{cron}" is not a cron schedule such as "0 6 * * 1-5": {error}') from None


def describe_schedule(schedule: Schedule) -> str:
    """The schedule in words, for the operator."""
    if schedule.interval is not None:
        return f"every {schedule.interval.total_seconds():g} seconds"
    return f'cron "{schedule.cron}" in {schedule.timezone}'


def ingest_deployment(sources: list[str], settings: Settings, schedule: Schedule, name: str) -> RunnerDeployment:
    """The ingest flow over ``sources`` as a deployment on ``schedule``, at most one run at a time.

    Deployment parameters are stored as JSON, so ``settings`` goes in as a
    plain dict; the flow's own parameter validation (from its type hints)
    turns it back into a ``Settings``, running its checks, for every run,
    including runs started by hand from the Prefect UI with edited values.
    """
    try:
        return ingest_flow.to_deployment(
            name,
            schedule=schedule,
            concurrency_limit=ONE_RUN_AT_A_TIME,
            parameters={"sources": list(sources), "settings": asdict(settings)},
            description=f"Ingest {', '.join(sources)} into the warehouse, {describe_schedule(schedule)}.",
            tags=["plansift"],
            # A module path, not a file path: the same entrypoint then works
            # from any working directory and for a worker on another machine.
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
    except InvalidNameError as error:
        raise ScheduleError(f"--name {name!r} cannot name a deployment: {error}") from None


def serve_schedule(
    sources: list[str],
    settings: Settings,
    cron: str | None,
    interval: float | None,
    timezone: str = "Europe/Helsinki",
    name: str = "scheduled-ingest",
) -> None:
    """Serve the scheduled ingestion of ``sources`` until SIGINT or SIGTERM.

    Raises ScheduleError before anything starts when the schedule is not
    valid, and when no Prefect API can be had.
    """
    schedule = ingest_schedule(cron, interval, timezone)
    deployment = ingest_deployment(sources, settings, schedule, name)
    with _stopped_by_sigterm(), prefect_api(settings) as api, _api_in_use(api.url):
        _announce(deployment, schedule, api)
        _serve(deployment)
    print("Stopped; the schedule stays paused until it is served again.", flush=True)


class _ServingRunner(Runner):
    """Prefect's runner, stopped by SIGTERM the same way as by Ctrl-C: its main task is cancelled."""

    _main_task: asyncio.Task[None] | None = None

    async def serve_until_stopped(self) -> None:
        self._main_task = asyncio.current_task()
        try:
            await self.start()
        except asyncio.CancelledError:
            pass  # Stopped; leaving start() has paused the schedule.

    def handle_sigterm(self, *args: object, **kwargs: object) -> None:
        # Prefect 3.8's own handler calls the runner's stop() from inside the
        # running event loop, where it only creates a coroutine, then exits
        # mid-loop and hangs.
        if self._main_task is not None:
            self._main_task.get_loop().call_soon_threadsafe(self._main_task.cancel)


def _serve(deployment: RunnerDeployment) -> None:
    runner = _ServingRunner(name=deployment.name, pause_on_shutdown=True)
    runner.add_deployment(deployment)
    try:
        asyncio.run(runner.serve_until_stopped())
    except KeyboardInterrupt:
        pass  # Ctrl-C: asyncio has cancelled the runner as above, then says so.


@contextmanager
def prefect_api(settings: Settings) -> Iterator[PrefectAPI]:
    """The configured Prefect API, or a local server started for the duration."""
    configured = PREFECT_API_URL.value()
    if configured:
        _check_answers(configured)
        yield PrefectAPI(url=configured)
        return
    folder = server_folder(settings)
    with local_prefect_server(folder) as url:
        yield PrefectAPI(url=url, server_folder=folder)


def _check_answers(url: str) -> None:
    # Prefect's own client, so that the API's authentication settings apply.
    with temporary_settings(updates={PREFECT_API_URL: url}), get_client(sync_client=True) as client:
        error = client.api_healthcheck()
    if error is not None:
        raise ScheduleError(f"the Prefect API at {url} (PREFECT_API_URL) does not answer: {error}")


def server_folder(settings: Settings) -> Path:
    """Where a local Prefect server keeps its database: beside a SQLite warehouse, else under var/."""
    url = make_url(settings.db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).parent / "prefect"
    return SERVER_FOLDER


@contextmanager
def local_prefect_server(folder: Path, timeout: float = SERVER_START_TIMEOUT) -> Iterator[str]:
    """A Prefect server on a free local port with its database in ``folder``; yields its API URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log_path = folder / "server.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [_prefect_executable(), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=_server_environment(folder),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: a Ctrl-C in the terminal reaches only the
            # serving process, which stops the server itself once the runner
            # has paused the schedule through it.
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/api"
        _wait_until_healthy(url, process, log_path, timeout)
        yield url
    finally:
        _stop(process)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prefect_executable() -> str:
    # The prefect of this environment, whatever PATH says.
    return str(Path(sys.executable).parent / "prefect")


def _server_environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    # Everything of this server stays in its folder. A server on another
    # database (PostgreSQL) is one started on its own and given by PREFECT_API_URL.
    env["PREFECT_HOME"] = str(folder.resolve())
    env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{(folder / 'prefect.db').resolve()}"
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return env


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ScheduleError(f"the local Prefect server exited with code {process.returncode}:\n{_tail(log_path)}")
        if _answers_health(url):
            return
        time.sleep(0.25)
    raise ScheduleError(f"the local Prefect server did not answer at {url} within {timeout:g} s:\n{_tail(log_path)}")


def _answers_health(url: str) -> bool:
    # A proxy from the environment must not stand between us and a loopback server.
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(log_path: Path) -> str:
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[-SERVER_LOG_TAIL_LINES:]) or "(the server wrote nothing)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


@contextmanager
def _api_in_use(url: str) -> Iterator[None]:
    # The settings context reaches this thread; the environment reaches
    # Prefect's own threads and the processes the runner spawns for runs.
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    # Until the runner installs its own handler, SIGTERM would end the
    # process without unwinding, leaving the local server running.
    def exit_cleanly(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, exit_cleanly)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _announce(deployment: RunnerDeployment, schedule: Schedule, api: PrefectAPI) -> None:
    where = f"local server, database in {api.server_folder}" if api.server_folder else "PREFECT_API_URL"
    lines = [
        f"Serving deployment '{deployment.flow_name}/{deployment.name}', at most one run at a time",
        f"  schedule:    {describe_schedule(schedule)}",
        f"  sources:     {', '.join(deployment.parameters['sources'])}",
        f"  warehouse:   {make_url(deployment.parameters['settings']['db_url']).render_as_string(hide_password=True)}",
        f"  Prefect API: {api.url} ({where})",
    ]
    ui_url = PREFECT_UI_URL.value()
    if ui_url:
        lines.append(f"  Prefect UI:  {ui_url}/deployments")
    lines.append("Stop with Ctrl-C.")
    print("\n".join(lines), flush=True)
