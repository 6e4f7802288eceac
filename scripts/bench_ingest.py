"""Ingestion throughput and memory of the ingest flow's task runners, against plain function calls.

What is measured, each configuration into a fresh temporary SQLite
warehouse and a fresh copy of the documents (so nothing is "unchanged"):

1. baseline: read -> extract -> load called in a loop, one document at a
   time, no Prefect; the schema migration and the run row are timed too,
   as the flow does them as well;
2. the ingest flow (``flows.ingest.run_ingest``) on the thread runner with
   one worker and with ``--workers`` workers, and on the process and dask
   runners with ``--workers`` workers; ``dask-cluster`` (not run unless
   asked for) joins a Dask cluster that was started and warmed before the
   clock, which is what a long-lived cluster costs per run;
3. each flow configuration once more on the same, unchanged folder and
   warehouse: every document is then skipped by its SHA-256 without being
   parsed, so this shows what a scheduled run costs when nothing changed.

For each it prints documents, wall seconds (median of ``--repeat``
runs), documents per second, the ratio to the baseline (for a rerun: to
the first run of the same configuration), and memory.

Every configuration runs in a process of its own, so that its peak RSS
(``ru_maxrss``) is its own. Before the clock starts that process ingests
one throwaway document with the same configuration: Prefect's first start
(its temporary API server, 7-15 s) and the spaCy model (about 5 s, once
per process) are not in the times. Worker processes cannot be warmed that
way: the process and dask runners start new workers for every flow run,
and each loads its own model, so their times include that start.

Unless PREFECT_API_URL names a server, ``run_ingest`` points process and
Dask workers at the temporary Prefect server of the process that runs the
flow, as ``plansift ingest`` does; left alone, each worker would start one
of its own (about 10 s, on every flow run). ``--shared-server`` sets
PREFECT_API_URL before anything starts, which comes to the same.

Memory columns: ``main MiB`` is the peak RSS of the measuring process
itself, which does not include worker processes. ``workers MiB`` is the
peak of the summed RSS of its worker processes and whatever they start,
sampled every 50 ms (the measuring process's own Prefect server is left
out, the workers' temporary servers are not). ``largest child MiB`` is
``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the kernel keeps the peak of
the largest finished descendant, not a sum, so it is one process's peak.

A configuration whose measuring process fails is shown as failed, with
the last line it wrote. Each measuring process runs in a process group of
its own, and whatever of that group outlives it is stopped and named
below the table: a worker's temporary Prefect server has been seen to
outlive its worker.

Run it from the repository root::

    .venv/bin/python scripts/bench_ingest.py --documents 19
    .venv/bin/python scripts/bench_ingest.py --documents 60 --runners thread,dask-cluster --repeat 3
    .venv/bin/python scripts/bench_ingest.py --runners process,dask --shared-server

It prints numbers and judges nothing; a whole run takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

# Prefect reads its logging settings when it is first imported; the worker
# processes inherit them. Without them every task run logs a line, and the
# temporary server tries to send telemetry to a host that may be unreachable.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parent.parent
INBOX = REPO / "corpus" / "inbox"
RUNNERS = ("thread", "process", "dask", "dask-cluster")
DEFAULT_RUNNERS = ("thread", "process", "dask")
COLUMNS = (
    "configuration", "documents", "outcome", "wall s", "docs/s", "ratio", "relative to",
    "main MiB", "workers MiB", "largest child MiB",
)


@dataclass(frozen=True)
class Configuration:
    """One way of ingesting: ``baseline`` (no Prefect) or a task runner with a number of workers."""

    runner: str
    workers: int
    shared_server: bool = False

    @property
    def label(self) -> str:
        return "baseline (no Prefect)" if self.runner == "baseline" else f"{self.runner}, workers={self.workers}"

    @property
    def has_worker_processes(self) -> bool:
        return self.runner not in ("baseline", "thread")


@dataclass(frozen=True)
class Measurement:
    """What one configuration's process reports: times of every repeat, outcomes and memory."""

    runner: str
    workers: int
    shared_server: bool
    documents: int
    first_seconds: list[float]
    first_outcome: str
    rerun_seconds: list[float]
    rerun_outcome: str
    main_mib: float
    workers_mib: float | None
    largest_child_mib: float | None


# -- the documents ----------------------------------------------------------


def sample_paths(count: int) -> list[Path]:
    """The first ``count`` sample documents; beyond the inbox's size they repeat (copied under new names later)."""
    inbox = sorted(p for p in INBOX.iterdir() if p.suffix in (".txt", ".html"))
    if not inbox:
        raise SystemExit(f"no sample documents in {INBOX}")
    return [inbox[i % len(inbox)] for i in range(count)]


def copy_documents(paths: list[Path], folder: Path) -> Path:
    """A fresh folder holding ``paths``; repeats get a prefix, so each is a document of its own."""
    folder.mkdir(parents=True)
    for index, path in enumerate(paths):
        lap = index // len(set(paths))
        shutil.copy(path, folder / (path.name if lap == 0 else f"copy{lap}_{path.name}"))
    return folder


# -- one configuration, measured in its own process -------------------------


def ingest_plainly(folder: Path, db_url: str) -> Counter[str]:
    """The baseline: read -> extract -> load for each document in turn, no orchestrator."""
    from extractors.extraction import extract
    from extractors.registry import ruleset_version
    from pipeline.readers import read_file
    from pipeline.settings import Settings
    from warehouse.connection import open_engine
    from warehouse.loading import load_document, start_run
    from warehouse.schema import upgrade

    engine = open_engine(db_url)
    upgrade(engine)
    version = ruleset_version()
    run = start_run(engine, version)
    outcomes: Counter[str] = Counter()
    for path in sorted(folder.iterdir()):
        document = read_file(path, Settings())
        outcome, _ = load_document(engine, run, version, document, extract(document))
        outcomes[outcome] += 1
    engine.dispose()
    return outcomes


def ingest_with_flow(folder: Path, db_url: str, configuration: Configuration, dask_address: str | None) -> Counter[str]:
    """One run of the ingest flow over ``folder``; its outcomes, failures counted as 'failed'."""
    from flows.ingest import run_ingest
    from pipeline.settings import Settings

    runner = "dask" if configuration.runner == "dask-cluster" else configuration.runner
    settings = Settings(db_url=db_url, workers=configuration.workers)
    summary = run_ingest([str(folder)], settings, runner=runner, dask_address=dask_address)
    outcomes = Counter(summary.outcomes.values())
    outcomes["failed"] += len(summary.failures)
    return +outcomes


def describe(outcomes: Counter[str]) -> str:
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())) or "nothing"


def timed(action: Callable[[], Counter[str]]) -> tuple[float, Counter[str]]:
    start = time.perf_counter()
    outcomes = action()
    return time.perf_counter() - start, outcomes


def share_api_server() -> None:
    """Points worker processes started from now on at this process's Prefect server, unless one is configured."""
    if os.environ.get("PREFECT_API_URL"):
        return
    from prefect import get_client

    # Without an API URL, get_client starts the process's temporary server.
    with get_client(sync_client=True) as client:
        os.environ["PREFECT_API_URL"] = str(client.api_url)


def warm_worker() -> None:
    """Loads the NLP model and Prefect's client (and with it any temporary server) in a Dask worker."""
    from prefect import get_client

    from extractors.nlp import load_nlp

    load_nlp()
    with get_client(sync_client=True) as client:
        client.hello()


@contextmanager
def warm_dask_cluster(workers: int) -> Iterator[str]:
    """A local Dask cluster whose workers are warmed up before the clock starts; yields its address."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            client.run(warm_worker)
        yield cluster.scheduler_address


class WorkerMemorySampler:
    """Samples the summed RSS of this process's descendants, leaving this process's Prefect server out.

    That server is a child process too, but every configuration has it
    alike; the workers, and the temporary servers they start, are what a
    runner adds.
    """

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self._psutil = psutil
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.peak_bytes = 0

    def __enter__(self) -> WorkerMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self._interval):
            self.peak_bytes = max(self.peak_bytes, self._workers_rss())

    def _workers_rss(self) -> int:
        total = 0
        for child in self._psutil.Process().children(recursive=True):
            try:
                if not (child.ppid() == os.getpid() and "uvicorn" in child.cmdline()):
                    total += child.memory_info().rss
            except (self._psutil.NoSuchProcess, self._psutil.AccessDenied, self._psutil.ZombieProcess):
                continue  # a worker that ended between listing and reading
        return total


def measure(configuration: Configuration, documents: int, repeat: int) -> Measurement:
    """Warms up, then times ``repeat`` first runs (and, for the flow, reruns) in fresh folders and warehouses.

    Stages: 1. copy one throwaway document and ingest it with the same
    configuration (Prefect's server, imports, the model in this process);
    2. per repeat, a fresh copy of the documents and a fresh warehouse,
    a first run and then a rerun on the unchanged folder; 3. read the
    memory peaks.
    """
    paths = sample_paths(documents)
    if configuration.shared_server and configuration.runner != "baseline":
        share_api_server()  # before any worker starts, the dask-cluster's included
    with tempfile.TemporaryDirectory(prefix="plansift-bench-") as scratch_name, _dask_address(configuration) as address:
        scratch = Path(scratch_name)

        def ingest(folder: Path, db_url: str) -> Counter[str]:
            if configuration.runner == "baseline":
                return ingest_plainly(folder, db_url)
            return ingest_with_flow(folder, db_url, configuration, address)

        ingest(copy_documents(paths[:1], scratch / "warm-up"), f"sqlite:///{scratch / 'warm-up.db'}")
        first: list[tuple[float, Counter[str]]] = []
        rerun: list[tuple[float, Counter[str]]] = []
        with _sampler(configuration) as sampler:
            for lap in range(repeat):
                folder = copy_documents(paths, scratch / f"run{lap}" / "inbox")
                db_url = f"sqlite:///{scratch / f'run{lap}' / 'warehouse.db'}"
                first.append(timed(partial(ingest, folder, db_url)))
                if configuration.runner != "baseline":
                    rerun.append(timed(partial(ingest, folder, db_url)))
    return Measurement(
        runner=configuration.runner,
        workers=configuration.workers,
        shared_server=configuration.shared_server,
        documents=documents,
        first_seconds=[seconds for seconds, _ in first],
        first_outcome=describe(first[-1][1]),
        rerun_seconds=[seconds for seconds, _ in rerun],
        rerun_outcome=describe(rerun[-1][1]) if rerun else "",
        main_mib=_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024),
        workers_mib=_mib(sampler.peak_bytes) if sampler else None,
        largest_child_mib=_largest_child_mib() if configuration.has_worker_processes else None,
    )


@contextmanager
def _dask_address(configuration: Configuration) -> Iterator[str | None]:
    if configuration.runner != "dask-cluster":
        yield None
        return
    with warm_dask_cluster(configuration.workers) as address:
        yield address


@contextmanager
def _sampler(configuration: Configuration) -> Iterator[WorkerMemorySampler | None]:
    # Threads and the baseline have no worker processes; a sampling thread
    # would only take the GIL from the work being timed.
    if not configuration.has_worker_processes:
        yield None
        return
    with WorkerMemorySampler() as sampler:
        yield sampler


def _largest_child_mib() -> float:
    # Linux reports ru_maxrss in KiB. Only children that have ended and been
    # waited for count; a dask-cluster's workers have, once its block closed.
    return _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)


def _mib(size: int) -> float:
    return size / (1024 * 1024)


# -- the whole benchmark: one process per configuration, then the table -----


def configurations(runners: list[str], workers: int, shared_server: bool) -> list[Configuration]:
    """The baseline, then each runner: threads with one worker as well as ``workers``."""
    chosen = [Configuration("baseline", 1)]
    for runner in runners:
        if runner == "thread" and workers != 1:
            chosen.append(Configuration("thread", 1, shared_server))
        chosen.append(Configuration(runner, workers, shared_server))
    return chosen


@dataclass(frozen=True)
class ConfigurationResult:
    """A configuration's measurement, or why its measuring process failed; and what that process left running."""

    configuration: Configuration
    measurement: Measurement | None
    failure: str = ""
    leftovers: tuple[str, ...] = ()


def measure_in_own_process(configuration: Configuration, documents: int, repeat: int) -> ConfigurationResult:
    """Runs this script on one configuration in a fresh interpreter, in a process group of its own.

    Its output goes to files, not pipes: a process it leaves behind keeps
    a pipe open, and reading that pipe would never end. Whatever of the
    group still runs once the measuring process has ended is stopped and
    named.
    """
    with tempfile.TemporaryDirectory(prefix="plansift-bench-") as folder:
        output, log_path = Path(folder) / "measurement.json", Path(folder) / "log.txt"
        command = [
            sys.executable, str(Path(__file__).resolve()),
            "--measure", f"{configuration.runner}:{configuration.workers}",
            "--documents", str(documents), "--repeat", str(repeat), "--output", str(output),
            *(["--shared-server"] if configuration.shared_server else []),
        ]
        with log_path.open("w") as log:
            process = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                process.wait()
            finally:
                leftovers = stop_process_group(process.pid)
        if process.returncode == 0 and output.exists():
            measurement = Measurement(**json.loads(output.read_text()))
            return ConfigurationResult(configuration, measurement, leftovers=leftovers)
        return ConfigurationResult(configuration, None, _last_error(log_path, process.returncode), leftovers)


def stop_process_group(group: int) -> tuple[str, ...]:
    """Stops every process still in process group ``group`` after a moment's grace; says what each was."""
    import psutil

    left = [p for p in psutil.process_iter(["cmdline", "status"]) if _in_group(p.pid, group)]
    left = [p for p in left if p.info["status"] != psutil.STATUS_ZOMBIE]
    # Helpers such as multiprocessing's resource tracker end on their own
    # once their parent is gone; only what outlives the grace is reported.
    _, left = psutil.wait_procs(left, timeout=3)
    names = tuple(_process_name(p.info["cmdline"] or []) for p in left)
    for process in left:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            continue
    _, alive = psutil.wait_procs(left, timeout=10)
    for process in alive:
        process.kill()
    return names


def _in_group(pid: int, group: int) -> bool:
    try:
        return os.getpgid(pid) == group
    except ProcessLookupError:
        return False


def _process_name(cmdline: list[str]) -> str:
    return "Prefect temporary server" if "uvicorn" in cmdline else " ".join(cmdline)[:80]


def _last_error(log_path: Path, returncode: int | None) -> str:
    lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines() if line.strip()]
    return f"exit {returncode}: {lines[-1] if lines else 'no output'}"


def table_rows(results: list[ConfigurationResult]) -> list[tuple[str, ...]]:
    """One row per first run and one per rerun, with ratios of documents per second."""
    baseline = results[0].measurement
    baseline_rate = _rate(baseline.documents, baseline.first_seconds) if baseline else None
    rows: list[tuple[str, ...]] = []
    for result in results:
        m = result.measurement
        if m is None:
            rows.append((result.configuration.label, "", "failed, see below", *["-"] * (len(COLUMNS) - 3)))
            continue
        rate = _rate(m.documents, m.first_seconds)
        if m.runner == "baseline":
            ratio, reference = "1.00", "itself"
        else:
            ratio, reference = (f"{rate / baseline_rate:.2f}" if baseline_rate else "-"), "baseline"
        memory = (f"{m.main_mib:.0f}", _optional(m.workers_mib), _optional(m.largest_child_mib))
        rows.append(
            (result.configuration.label, str(m.documents), m.first_outcome, f"{statistics.median(m.first_seconds):.2f}",
             f"{rate:.2f}", ratio, reference, *memory)
        )
        if m.rerun_seconds:
            rerun_rate = _rate(m.documents, m.rerun_seconds)
            rows.append(
                ("  rerun, unchanged folder", str(m.documents), m.rerun_outcome,
                 f"{statistics.median(m.rerun_seconds):.2f}", f"{rerun_rate:.2f}", f"{rerun_rate / rate:.2f}",
                 "its first run", "", "", "")
            )
    return rows


def incidents(results: list[ConfigurationResult]) -> list[str]:
    """What went wrong besides the numbers: failed configurations, processes left running."""
    lines = [f"{r.configuration.label} failed: {r.failure}" for r in results if r.measurement is None]
    for result in results:
        if result.leftovers:
            counted = ", ".join(f"{count} x {name}" for name, count in Counter(result.leftovers).items())
            label = result.configuration.label
            lines.append(f"{label}: still running after its measuring process ended, so stopped: {counted}")
    return lines


def _rate(documents: int, seconds: list[float]) -> float:
    return documents / statistics.median(seconds)


def _optional(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def format_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    numeric = set(range(1, len(COLUMNS))) - {2, 6}

    def line(cells: tuple[str, ...]) -> str:
        aligned = (c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(aligned).rstrip()

    return "\n".join([line(COLUMNS), "  ".join("-" * w for w in widths), *map(line, rows)])


def preamble(documents: int, repeat: int, shared_server: bool) -> str:
    if os.environ.get("PREFECT_API_URL"):
        servers = "Flows and workers report to the Prefect server at PREFECT_API_URL."
    elif shared_server:
        servers = "Worker processes report to the Prefect server of the process that measures (--shared-server)."
    else:
        servers = (
            "PREFECT_API_URL is not set: as under `plansift ingest`, worker processes report to the temporary "
            "Prefect server of the process that runs the flow."
        )
    return "\n".join([
        f"plansift ingestion: {documents} documents from corpus/inbox, median of {repeat} run(s), "
        f"{os.cpu_count()} CPU cores, SQLite warehouse.",
        "Each configuration runs in its own process and is warmed up first with one throwaway document, so "
        "Prefect's start (7-15 s) and the spaCy model load (~5 s) of that process are not timed. The process and "
        "dask runners start fresh worker processes on every flow run; their times include the workers' start and "
        "model load.",
        servers,
    ])


FOOTNOTE = (
    "ratio: documents/s divided by the baseline's (a rerun: by its configuration's first run).\n"
    "main MiB: peak RSS of the measuring process (ru_maxrss), worker processes not included.\n"
    "workers MiB: peak of the summed RSS of the worker processes and what they start, sampled every 50 ms\n"
    "  (the measuring process's own Prefect server left out).\n"
    "largest child MiB: RUSAGE_CHILDREN ru_maxrss, the peak of the single largest finished descendant, not a sum."
)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=19, help="how many documents (repeated beyond the inbox's)")
    parser.add_argument(
        "--runners", default=",".join(DEFAULT_RUNNERS), help=f"comma-separated, of {', '.join(RUNNERS)}"
    )
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per configuration; the median is shown")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel configurations")
    parser.add_argument(
        "--shared-server", action="store_true", help="point worker processes at one Prefect server instead of their own"
    )
    # In the process that measures one configuration: RUNNER:WORKERS, and where its measurement goes.
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    runners = [r.strip() for r in arguments.runners.split(",") if r.strip()]
    unknown = sorted(set(runners) - set(RUNNERS))
    if unknown:
        parser.error(f"unknown runner(s) {', '.join(unknown)}; use some of {', '.join(RUNNERS)}")
    if arguments.documents < 1 or arguments.repeat < 1 or arguments.workers < 1:
        parser.error("--documents, --repeat and --workers must be at least 1")
    arguments.runners = runners
    return arguments


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    if arguments.measure:
        runner, workers = arguments.measure.split(":")
        configuration = Configuration(runner, int(workers), arguments.shared_server)
        measurement = json.dumps(asdict(measure(configuration, arguments.documents, arguments.repeat)))
        if arguments.output:
            Path(arguments.output).write_text(measurement)
        else:
            print(measurement)
        return
    print(preamble(arguments.documents, arguments.repeat, arguments.shared_server), flush=True)
    results = []
    for configuration in configurations(arguments.runners, arguments.workers, arguments.shared_server):
        print(f"measuring {configuration.label} ...", file=sys.stderr, flush=True)
        results.append(measure_in_own_process(configuration, arguments.documents, arguments.repeat))
    print()
    print(format_table(table_rows(results)))
    print()
    print(FOOTNOTE)
    for line in incidents(results):
        print(line)


if __name__ == "__main__":
    main()
