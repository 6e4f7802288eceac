"""The Prefect API a run reports to when none is configured: a server process that dies with the run.

Without PREFECT_API_URL Prefect starts a temporary server of its own, as a
child process it stops at exit. A run killed with SIGKILL never reaches
that exit, and the server lived on with nobody to stop it. The server
started here asks the kernel for SIGTERM when its parent dies (Linux's
``PR_SET_PDEATHSIG``), so it ends with the run however the run ends.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import httpx
import prefect
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

STARTUP_SECONDS = 90.0
_PR_SET_PDEATHSIG = 1


class ApiServerError(RuntimeError):
    """The temporary Prefect server did not come up."""


@contextmanager
def api_server() -> Iterator[str | None]:
    """A Prefect API for the block: the configured one (yields its URL, or None when Prefect would
    start its own on a platform without ``PR_SET_PDEATHSIG``), else this process's temporary server.

    Like Prefect's own, the server lives until the process exits: Prefect's
    log and event workers keep sending to it after a flow returns.
    """
    configured = get_current_settings().api.url
    if configured or not sys.platform.startswith("linux"):
        yield configured
        return
    url = _running_server()
    os.environ["PREFECT_API_URL"] = url  # worker processes started in the block report here too
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)


_server: tuple[subprocess.Popen[bytes], str] | None = None
_LOG = tempfile.TemporaryFile()


def _running_server() -> str:
    global _server
    if _server is not None and _server[0].poll() is None:
        return _server[1]
    port = _free_port()
    process = _start(port)
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_until_healthy(process, url)
    except ApiServerError:
        _stop(process)
        raise
    atexit.register(_stop, process)
    _server = (process, url)
    return url


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(port: int) -> subprocess.Popen[bytes]:
    # The command and environment Prefect uses for its own temporary server.
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__file__).parent.parent),
        "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ]
    environment = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }
    # Its output goes to a file, not the terminal: uvicorn prints a traceback when a stop
    # cancels its lifespan, which is how every run ends. Startup failures quote the file.
    return subprocess.Popen(  # noqa: PLW1509
        command, env=environment, preexec_fn=partial(_die_with_parent, os.getpid()),
        stdout=subprocess.DEVNULL, stderr=_LOG,
    )


def _die_with_parent(parent: int) -> None:
    # Runs in the child between fork and exec; the signal is tied to the thread that forked.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ApiServerError(
                    f"the temporary Prefect server exited with code {process.returncode}: {_log_tail()}"
                )
            try:
                if client.get(f"{url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise ApiServerError(f"the temporary Prefect server did not answer within {STARTUP_SECONDS:g} s")


def _log_tail() -> str:
    _LOG.seek(0)
    lines = _LOG.read().decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no output"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
