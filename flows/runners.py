"""The task runners the ingest flow can run on: threads, processes, or a Dask cluster."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect import get_client
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

RUNNERS = ("thread", "process", "dask")


def task_runner(kind: str, workers: int, dask_address: str | None = None) -> Any:
    """A fresh task runner of ``kind`` with ``workers`` workers.

    ``thread`` shares one process and one NLP model; ``process`` and
    ``dask`` give each worker process its own model, loaded once on its
    first document. ``dask`` joins the cluster at ``dask_address``, or
    starts a local one with ``workers`` worker processes.
    """
    if kind == "thread":
        return ThreadPoolTaskRunner(max_workers=workers)
    if kind == "process":
        return ProcessPoolTaskRunner(max_workers=workers)
    if kind == "dask":
        return _dask_runner(workers, dask_address)
    raise ValueError(f"unknown runner {kind!r}; use one of {', '.join(RUNNERS)}")


def _dask_runner(workers: int, address: str | None) -> Any:
    # Imported here: distributed is heavy and only this runner needs it.
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None},
    )


@contextmanager
def workers_report_here(kind: str) -> Iterator[None]:
    """Worker processes started inside the block report to this process's Prefect API.

    Without PREFECT_API_URL every process starts a temporary Prefect server
    of its own on first use: for process and Dask workers that is a server
    per worker per run (seconds each, and a start that can time out). The
    workers are pointed at this process's server instead.
    """
    if kind == "thread" or os.environ.get("PREFECT_API_URL"):
        yield
        return
    # Without an API URL, the client starts this process's temporary server.
    with get_client(sync_client=True) as client:
        os.environ["PREFECT_API_URL"] = str(client.api_url)
    try:
        yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)
