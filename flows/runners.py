"""The task runners the ingest flow can run on: threads, processes, or a Dask cluster."""

from __future__ import annotations

from typing import Any

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
