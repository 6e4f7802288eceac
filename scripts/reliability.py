"""Reliability of plansift: bad inputs, crashes, two runs at once and write attempts, each tried and measured.

Everything goes through the command line as a user would run it (the
``plansift`` next to this interpreter, with neither PLANSIFT_DB nor
PREFECT_API_URL set), each run into a fresh warehouse: an SQLite file, or
a PostgreSQL database ``rel_<random>`` created on the local server and
dropped after. Sections:

1. reference: the first ``--documents`` documents of corpus/inbox (sorted)
   ingested into a fresh warehouse and exported (``plansift export``).
   Warehouses are compared by their exports (every file's JSON equal,
   key order aside) and ``SELECT count(*) FROM documents``.
2. bad inputs (scripts/reliability_inputs.py lists them): each given with
   a good document in one ``plansift ingest`` call, then ``plansift parse``
   on each bad file. An ingest is handled when it exits 0 or 1 within the
   time limit, below the memory limit, prints no traceback and no raw
   escape character, the good document's export equals the reference's,
   no document row lacks a version (copies of another document aside),
   nothing outlives the command, and the bad input came out as its case
   expects: refused (the output names it and a reason), loaded (as a
   document, with its text or e-mail stored whole), either, or ignored.
   A parse is handled when it ends in time and memory without traceback
   and either shows the document (exit 0) or exits non-zero naming the
   file and a reason, as the case expects. A kind is handled when all of
   its runs are. Cases where the warehouse makes a difference (something
   of the file is stored) run on every backend asked for, the others on
   the first one. Folder permissions mean nothing to root: those cases are
   not tried then, and the output says so.
3. kills: ``plansift ingest`` of the corpus SIGKILLed (the main process
   only, as a crash) at a seeded random moment in a phase: start-up
   (0.5-3 s), schema migration, extraction, loading. The phases are
   found by watching the warehouse (file or connection, alembic_version,
   the run row, document rows); each kill waits for its phase's first sign
   plus a random part of how long that phase lasted in the reference run,
   and the table says what the kill really found. Whatever the killed
   process leaves running is named and stopped. Then ``plansift ingest``
   again: the kill is survived when that exits 0 without traceback and
   the warehouse equals the reference. A run row still unfinished after
   the rerun (not marked aborted) is reported too.
4. concurrency: two ``plansift ingest`` of the corpus started together on
   one fresh warehouse; equal when both exit 0 without traceback and the
   warehouse equals the reference.
5. write attempts: ``plansift query`` with statements that would change
   the warehouse or reach past it, on the reference warehouse; refused
   when the command exits non-zero without traceback, the warehouse's
   tables, row counts (and SQLite file, PostgreSQL sequences and large
   objects) are unchanged, no file was written and no server process
   stopped.

Peak memory is the summed RSS of the command and all its descendants,
sampled every 50 ms. Corpus runs (reference, kills' reruns, concurrency)
get three times the time limit. Output goes to files, read afterwards;
COLUMNS is set wide so that a table does not wrap the names looked for.

It prints a table per section, then

    kinds tried: N, handled: M
    kills survived: K of N
    concurrent runs equal: C of D
    write attempts refused: W of X

and exits 1 when anything was not handled. Run it from the repository root::

    .venv/bin/python scripts/reliability.py
    .venv/bin/python scripts/reliability.py --backend sqlite --only empty_file,fifo,write_delete
    .venv/bin/python scripts/reliability.py --only kills --kills 4 --json kills.json

A whole run takes about an hour or more (each ``plansift ingest`` starts
its own Prefect server, ~25 s for one document).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reliability_inputs import CASES, WRITE_ATTEMPTS, Case, Corpus, Inputs, WriteAttempt  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
INBOX = REPO / "corpus" / "inbox"
PLANSIFT = Path(sys.executable).parent / "plansift"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
BACKENDS = ("sqlite", "postgresql")
SAMPLE_SECONDS = 0.05
MIB = 1024 * 1024
SECTIONS = ("bad_inputs", "kills", "concurrency", "writes")
# A clean run that fails is tried again, so that one failure does not leave the other sections without a reference.
REFERENCE_ATTEMPTS = 3
KILL_PHASES = ("start-up", "migration", "extraction", "loading")
# A line naming a refused file says why in words like these (the reader's reasons among them).
REASON_WORDS = re.compile(
    r"empty|corrupt|encrypt|unsupported|no[ _]text|too[ _]large|too big|too many|timeout|timed out|not[ _]found|"
    r"http[ _]error|unreachable|unreadable|not a regular|not a file|not_a_file|named pipe|fifo|device|socket|"
    r"symbolic link|symlink|loop|dangling|broken link|permission|denied|no such|binary|password|limit|"
    r"not a readable|refus|outside|stopped after|cannot|could not|damaged|truncated|inflate|connection",
    re.IGNORECASE,
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# -- running commands ---------------------------------------------------------------


@dataclass
class Run:
    """How one command ended and what it cost."""

    label: str
    exit_code: int | None
    seconds: float
    peak_mib: float
    timed_out: bool
    killed_at: float | None
    leftovers: list[str]
    stdout: Path
    stderr: Path

    def output(self) -> Output:
        return Output.read(self.stdout, self.stderr)


class Launched:
    """A command started in a process group of its own, its output going to files, its tree watched."""

    def __init__(self, label: str, command: list[str], cwd: Path, logs: Path) -> None:
        self.label = label
        logs.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", label)
        self.stdout, self.stderr = logs / f"{stem}.out", logs / f"{stem}.err"
        with self.stdout.open("wb") as out, self.stderr.open("wb") as err:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=command_environment(),
                start_new_session=True,
            )
        self.started = time.monotonic()
        self.ended: float | None = None
        self.peak = 0
        self.seen: dict[tuple[int, float], str] = {}
        self.timed_out = False
        self.killed_at: float | None = None
        RUNNING.append(self)

    @property
    def elapsed(self) -> float:
        return (self.ended or time.monotonic()) - self.started

    def poll(self) -> bool:
        """Samples the tree; True while the main process runs."""
        if self.ended is not None:
            return False
        self._sample()
        if self.process.poll() is not None:
            self.ended = time.monotonic()
            return False
        return True

    def _sample(self) -> None:
        try:
            root = psutil.Process(self.process.pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for member in tree:
            try:
                total += member.memory_info().rss
                key = (member.pid, member.create_time())
                if member.pid != self.process.pid and key not in self.seen:
                    self.seen[key] = process_name(member.cmdline())
            except psutil.Error:
                continue
        self.peak = max(self.peak, total)

    def kill_main(self) -> None:
        """SIGKILL to the main process alone, as a crash would end it."""
        if self.process.poll() is None:
            self.killed_at = self.elapsed
            self.process.kill()

    def kill_tree(self) -> None:
        self.timed_out = True
        for process in [*self._group(), *self._seen_alive()]:
            try:
                process.kill()
            except psutil.Error:
                continue

    def finish(self) -> Run:
        """Waits for the main process, then names and stops what it left running."""
        self.process.wait()
        self.ended = self.ended or time.monotonic()
        leftovers = stop_all(self._group() + self._seen_alive())
        RUNNING.remove(self)
        return Run(
            self.label,
            None if self.killed_at is not None or self.timed_out else self.process.returncode,
            round(self.elapsed, 2),
            round(self.peak / MIB, 1),
            self.timed_out,
            self.killed_at,
            leftovers,
            self.stdout,
            self.stderr,
        )

    def _group(self) -> list[psutil.Process]:
        found = []
        for process in psutil.process_iter():
            try:
                if os.getpgid(process.pid) == self.process.pid and process.status() != psutil.STATUS_ZOMBIE:
                    found.append(process)
            except (ProcessLookupError, psutil.Error):
                continue
        return found

    def _seen_alive(self) -> list[psutil.Process]:
        alive = []
        for pid, created in self.seen:
            try:
                process = psutil.Process(pid)
                if process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
            except psutil.Error:
                continue
        return alive


RUNNING: list[Launched] = []


def command_environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("PLANSIFT_DB", "PREFECT_API_URL")}
    environment["COLUMNS"] = "250"
    return environment


def process_name(cmdline: list[str]) -> str:
    line = " ".join(cmdline)
    if "uvicorn" in line or ("prefect" in line and "server" in line):
        return "Prefect server"
    return visible(line)[:80] or "?"


def stop_all(processes: list[psutil.Process]) -> list[str]:
    """Names what is still running after a grace of 3 s (children end on their own), and stops it."""
    unique = {p.pid: p for p in processes}
    _, alive = psutil.wait_procs(list(unique.values()), timeout=3)
    names = []
    for process in alive:
        try:
            names.append(process_name(process.cmdline()))
            process.terminate()
        except psutil.Error:
            continue
    _, stubborn = psutil.wait_procs(alive, timeout=5)
    for process in stubborn:
        try:
            process.kill()
        except psutil.Error:
            continue
    return names


def supervise(launched: list[Launched], time_limit: float, tick: Callable[[float], bool] | None = None) -> list[Run]:
    """Waits for the commands, sampling every 50 ms; kills a tree past ``time_limit``; ``tick`` may ask for a crash."""
    while any([item.poll() for item in launched]):
        elapsed = time.monotonic() - launched[0].started
        if tick is not None and tick(elapsed):
            for item in launched:
                item.kill_main()
        for item in launched:
            if item.ended is None and item.elapsed > time_limit:
                item.kill_tree()
        time.sleep(SAMPLE_SECONDS)
    return [item.finish() for item in launched]


def plansift(
    label: str,
    arguments: list[str],
    context: Context,
    cwd: Path | None = None,
    limit: float | None = None,
    tick: Callable[[float], bool] | None = None,
) -> Run:
    launched = Launched(label, [str(PLANSIFT), *arguments], cwd or context.scratch, context.logs)
    return supervise([launched], limit or context.time_limit, tick)[0]


# -- reading what a command printed -------------------------------------------------


@dataclass
class Output:
    """A command's output: whether it holds a traceback or a raw escape, and its head and tail as text."""

    traceback: bool
    raw_escape: bool
    text: str

    @classmethod
    def read(cls, *paths: Path) -> Output:
        traceback = raw_escape = False
        texts = []
        for path in paths:
            found = scan(path, (b"Traceback (most recent call last)", b"\x1b"))
            traceback |= found[0]
            raw_escape |= found[1]
            texts.append(head_and_tail(path))
        return cls(traceback, raw_escape, "\n".join(texts))

    def traceback_ending(self) -> str:
        """The exception a traceback ends with (and the log line that announced it, if any), for the table."""
        lines = self.text.splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
        if not starts:
            return ""
        first = starts[-1]
        ending = next((line for line in lines[first + 1 :] if line and not line.startswith(" ")), "")
        announced = lines[first - 1].split(" | ")[-1] if first and " | " in lines[first - 1] else ""
        return visible(ending)[:100] + (f" after {visible(announced)[:80]!r}" if announced else "")

    def names(self, name: str) -> tuple[bool, bool]:
        """Whether a line names ``name`` (its path, or its file name), and whether such a line says why."""
        keys = [visible(name)]
        base = visible(Path(name).name) if "://" not in name else ""
        if len(base) >= 5:
            keys.append(base)
        named = reason = False
        for line in self.text.splitlines():
            shown = visible(line)
            key = next((k for k in keys if k in shown), None)
            if key is None:
                continue
            named = True
            rest = shown.replace(key, " ")
            if REASON_WORDS.search(rest) or re.search(r":\s*\w[^:]{7,}", rest):
                reason = True
        return named, reason

    def last_line(self) -> str:
        lines = [visible(line).strip(" │|") for line in self.text.splitlines() if line.strip()]
        lines = [line for line in lines if line and not set(line) <= set("─━┃┏┓┗┛┡┩└┘╇┳┻┼═-+ ")]
        return lines[-1][:160] if lines else ""


def scan(path: Path, needles: tuple[bytes, ...]) -> list[bool]:
    found = [False] * len(needles)
    overlap = max(len(n) for n in needles)
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(8 * MIB):
            window = tail + chunk
            found = [f or n in window for f, n in zip(found, needles)]
            tail = window[-overlap:]
    return found


def head_and_tail(path: Path, keep: int = 2 * MIB) -> str:
    size = path.stat().st_size
    with path.open("rb") as stream:
        if size <= 2 * keep:
            data = stream.read()
        else:
            data = stream.read(keep) + b"\n...\n"
            stream.seek(size - keep)
            data += stream.read()
    return data.decode("utf-8", errors="replace")


def visible(text: str) -> str:
    """``text`` without control characters, which a terminal would act on rather than show."""
    return CONTROL_CHARACTERS.sub("", text)


# -- warehouses ------------------------------------------------------------------


@dataclass
class State:
    """What a warehouse shows of a run in progress."""

    connected: bool = False
    migrating: bool = False
    migrated: bool = False
    runs: int = 0
    finished_runs: int = 0
    documents: int = 0

    def describe(self, corpus_size: int) -> str:
        if self.migrating:
            return "schema being created"
        if not self.migrated:
            return "no schema"
        if not self.runs:
            return "schema, no run row"
        if self.finished_runs >= self.runs:
            return f"run finished, {self.documents} documents"
        return f"run open, {self.documents} of {corpus_size} documents"


@dataclass
class Warehouse:
    """One fresh warehouse: an SQLite file or a PostgreSQL database of its own."""

    backend: str
    url: str
    path: Path | None = None
    database: str | None = None
    _watch: Any = None

    def rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Reads without writing: SQLite opened read-only, PostgreSQL in a read-only transaction."""
        if self.backend == "sqlite":
            assert self.path is not None
            connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
            try:
                return connection.execute(sql.replace("%s", "?"), parameters).fetchall()
            finally:
                connection.close()
        import psycopg

        with psycopg.connect(self._libpq_url(), autocommit=True) as connection:
            connection.execute("SET default_transaction_read_only = on")
            return connection.execute(sql, parameters).fetchall()

    def scalar(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        rows = self.rows(sql, parameters)
        return rows[0][0] if rows else None

    def columns(self, table: str) -> list[str]:
        if self.backend == "sqlite":
            return [row[1] for row in self.rows(f"PRAGMA table_info({table})")]
        sql = "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s"
        return [row[0] for row in self.rows(sql, (table,))]

    def tables(self) -> list[tuple[str, str]]:
        if self.backend == "sqlite":
            return [
                (r[0], r[1])
                for r in self.rows("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
            ]
        sql = "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        return [(r[0], r[1]) for r in self.rows(sql)]

    def state(self) -> State | None:
        """What the warehouse shows now, or None when it cannot be read at this moment (locked)."""
        try:
            if self.backend == "sqlite":
                return self._sqlite_state()
            return self._postgres_state()
        except Exception:  # noqa: BLE001 - a warehouse mid-migration may refuse a reader; try again next tick
            return None

    def _sqlite_state(self) -> State:
        assert self.path is not None
        if not self.path.exists():
            return State()
        names = {row[0] for row in self.rows("SELECT name FROM sqlite_master")}
        state = self._counts(State(connected=True), names)
        # The file appears with the migration's first connection; its transaction is invisible till it commits.
        state.migrating = not state.migrated
        return state

    def _postgres_state(self) -> State:
        import psycopg

        if self._watch is None or self._watch.closed:
            self._watch = psycopg.connect(self._libpq_url(), autocommit=True, connect_timeout=3)
        watch = self._watch
        others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        state = State(connected=bool(watch.execute(others).fetchone()[0]))
        names = {
            r[0]
            for r in watch.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        }
        state.connected = state.connected or bool(names)
        state = self._counts(state, names, watch)
        # DDL in flight holds exclusive locks on the relations it creates, committed or not.
        ddl = (
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE d.datname = current_database() AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid()"
        )
        state.migrating = not state.migrated and bool(watch.execute(ddl).fetchone()[0])
        return state

    def _counts(self, state: State, names: set[str], connection: Any = None) -> State:
        def one(sql: str) -> int:
            if connection is None:
                return int(self.scalar(sql) or 0)
            return int(connection.execute(sql).fetchone()[0] or 0)

        if "alembic_version" in names:
            state.migrated = one("SELECT count(*) FROM alembic_version") > 0
        if state.migrated and "extraction_runs" in names:
            state.runs = one("SELECT count(*) FROM extraction_runs")
            state.finished_runs = one("SELECT count(*) FROM extraction_runs WHERE finished_at IS NOT NULL")
            state.documents = one("SELECT count(*) FROM documents")
        return state

    def close_watch(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _libpq_url(self) -> str:
        return self.url.replace("postgresql+psycopg://", "postgresql://")


class Warehouses:
    """Makes fresh warehouses and removes every one it made."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: list[Warehouse] = []

    def fresh(self, backend: str, label: str) -> Warehouse:
        if backend == "sqlite":
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{label}-{uuid.uuid4().hex[:6]}.db"
            warehouse = Warehouse(backend, f"sqlite:///{path}", path=path)
        else:
            name = f"rel_{uuid.uuid4().hex[:12]}"
            with admin_connection() as connection:
                connection.execute(f'CREATE DATABASE "{name}"')
            warehouse = Warehouse(backend, POSTGRES_URL.format(name=name), database=name)
        self.made.append(warehouse)
        return warehouse

    def drop(self, warehouse: Warehouse) -> None:
        warehouse.close_watch()
        if warehouse in self.made:
            self.made.remove(warehouse)
        if warehouse.database:
            with admin_connection() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{warehouse.database}" WITH (FORCE)')
        elif warehouse.path is not None:
            for path in warehouse.path.parent.glob(f"{warehouse.path.name}*"):
                path.unlink(missing_ok=True)

    def drop_all(self) -> None:
        for warehouse in list(self.made):
            try:
                self.drop(warehouse)
            except Exception as error:  # noqa: BLE001 - clean up the rest, say what stayed
                print(f"could not drop {warehouse.database or warehouse.path}: {error}", file=sys.stderr)


@contextmanager
def admin_connection() -> Iterator[Any]:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5) as connection:
        yield connection


def documents_without_version(warehouse: Warehouse) -> int:
    """Document rows with no version at all: half-written, unless the row is a copy of another document."""
    copies = " AND d.duplicate_of IS NULL" if "duplicate_of" in warehouse.columns("documents") else ""
    return int(
        warehouse.scalar(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            f"(SELECT 1 FROM document_versions v WHERE v.document_id = d.id){copies}"
        )
        or 0
    )


def unfinished_runs(warehouse: Warehouse) -> int:
    """Run rows neither finished nor marked aborted."""
    columns = warehouse.columns("extraction_runs")
    rows = warehouse.rows(f"SELECT {', '.join(columns)} FROM extraction_runs")
    left = 0
    for row in rows:
        values = dict(zip(columns, row))
        marked = any(("abort" in name and values[name]) or ("abort" in str(values[name]).lower()) for name in columns)
        left += values.get("finished_at") is None and not marked
    return left


def stored_text(warehouse: Warehouse, name: str) -> str:
    rows = warehouse.rows(
        "SELECT t.text FROM version_texts t JOIN document_versions v ON v.id = t.version_id "
        "JOIN documents d ON d.id = v.document_id WHERE d.name = %s",
        (name,),
    )
    return "\n".join(row[0] or "" for row in rows)


def fingerprint(warehouse: Warehouse) -> dict[str, Any]:
    """What a write would change: relations, row counts, the SQLite file, PostgreSQL's sequences and large objects."""
    relations = warehouse.tables()
    counts = {
        name: warehouse.scalar(f'SELECT count(*) FROM "{name}"')
        for name, kind in relations
        if kind.lower() in ("table", "base table")
    }
    print_ = {"relations": relations, "counts": counts}
    if warehouse.path is not None:
        print_["sha256"] = hashlib.sha256(warehouse.path.read_bytes()).hexdigest()
    else:
        print_["sequences"] = warehouse.rows("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
        print_["large_objects"] = warehouse.scalar("SELECT count(*) FROM pg_largeobject_metadata")
    return print_


# -- the shared setting of one script run -----------------------------------------


@dataclass
class Context:
    scratch: Path
    logs: Path
    warehouses: Warehouses
    corpus: Corpus
    corpus_folder: Path
    time_limit: float
    memory_mib: float
    root: bool
    references: dict[str, Reference] = field(default_factory=dict)
    # Every clean run tried, failed ones included: a clean run may fail too, and that is a finding.
    reference_attempts: list[Reference] = field(default_factory=list)
    counter: int = 0

    def label(self, text: str) -> str:
        self.counter += 1
        return f"{self.counter:03d}-{text}"


@dataclass
class Reference:
    """The clean run of one backend: its export, its count of documents, its phases' times."""

    backend: str
    warehouse: Warehouse
    run: Run
    documents: int
    export: dict[str, Any] | None
    timeline: dict[str, float]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def export(warehouse: Warehouse, context: Context, label: str) -> tuple[dict[str, Any] | None, str]:
    """Every exported document's JSON by file name, or None and why."""
    out = context.scratch / "exports" / context.label(label)
    run = plansift(context.label(f"export-{label}"), ["export", str(out), "--db", warehouse.url], context)
    if run.exit_code != 0:
        return None, f"export exit {run.exit_code}: {run.output().last_line()}"
    files = {path.name: json.loads(path.read_text("utf-8")) for path in sorted(out.glob("*.json"))}
    shutil.rmtree(out, ignore_errors=True)
    return files, ""


def compare_with_reference(warehouse: Warehouse, reference: Reference, context: Context, label: str) -> list[str]:
    """Why the warehouse differs from the reference (export and count of documents); empty when equal."""
    exported, why = export(warehouse, context, label)
    if exported is None:
        return [why]
    problems = []
    if exported != reference.export:
        differing = sorted(set(exported) ^ set(reference.export or {}))
        differing += [n for n in exported if n in (reference.export or {}) and exported[n] != reference.export[n]]
        problems.append(f"export differs ({', '.join(differing[:3])})")
    count = warehouse.scalar("SELECT count(*) FROM documents")
    if count != reference.documents:
        problems.append(f"{count} documents, reference {reference.documents}")
    return problems


def ingest_corpus(
    warehouse: Warehouse, context: Context, label: str, tick: Callable[[float], bool] | None = None
) -> Run:
    return plansift(
        context.label(label),
        ["ingest", str(context.corpus_folder), "--db", warehouse.url],
        context,
        limit=3 * context.time_limit,
        tick=tick,
    )


def reference_run(backend: str, context: Context) -> Reference:
    warehouse = context.warehouses.fresh(backend, "reference")
    timeline: dict[str, float] = {}

    def watch(elapsed: float) -> bool:
        state = warehouse.state()
        if state is not None:
            for key, reached in (
                ("connected", state.connected),
                ("migrating", state.migrating),
                ("migrated", state.migrated),
                ("run", state.runs > 0),
                ("document", state.documents > 0),
                ("finished", state.finished_runs > 0),
            ):
                if reached:
                    timeline.setdefault(key, round(elapsed, 2))
        return False

    run = ingest_corpus(warehouse, context, f"reference-{backend}", tick=watch)
    warehouse.close_watch()
    timeline.setdefault("end", run.seconds)
    output = run.output()
    problems = run_problems(run, output, context, allowed=(0,))
    exported, why = export(warehouse, context, f"reference-{backend}")
    if exported is None:
        problems.append(why)
    try:
        documents = int(warehouse.scalar("SELECT count(*) FROM documents") or 0)
    except Exception as error:  # noqa: BLE001 - a run that never made the schema
        documents = 0
        problems.append(f"warehouse unreadable: {error}")
    if documents != len(context.corpus.documents):
        problems.append(f"{documents} documents of {len(context.corpus.documents)}")
    return Reference(backend, warehouse, run, documents or 0, exported, timeline, problems)


def run_problems(run: Run, output: Output, context: Context, allowed: tuple[int, ...] = (0, 1)) -> list[str]:
    """What is wrong with how a command ended, whatever it was asked to do."""
    problems = []
    if run.timed_out:
        problems.append(f"still running after {run.seconds:.0f} s, killed")
    elif run.exit_code not in allowed:
        problems.append(f"exit {run.exit_code}: {output.last_line()}")
    if run.peak_mib >= context.memory_mib:
        problems.append(f"peak {run.peak_mib:.0f} MiB")
    if output.traceback:
        ending = output.traceback_ending()
        problems.append(f"traceback ({ending})" if ending else "traceback")
    if output.raw_escape:
        problems.append("raw escape character in output")
    if run.leftovers:
        problems.append(f"left running: {', '.join(run.leftovers)}")
    return problems


# -- 2. bad inputs ---------------------------------------------------------------


@dataclass
class CaseResult:
    case: str
    backend: str
    expect: str
    exit_code: int | None
    seconds: float
    peak_mib: float
    timed_out: bool
    traceback: bool
    named: bool
    reason: bool
    good_loaded: bool
    documents: int | None
    without_version: int | None
    handled: bool
    problems: list[str]
    says: str


@dataclass
class ParseResult:
    case: str
    file: str
    expect: str
    exit_code: int | None
    seconds: float
    peak_mib: float
    timed_out: bool
    traceback: bool
    named: bool
    reason: bool
    handled: bool
    problems: list[str]
    says: str


@dataclass
class KindResult:
    case: str
    what: str
    tried: bool
    handled: bool
    note: str = ""


def build_inputs(case: Case, context: Context) -> Inputs:
    folder = context.scratch / "cases" / case.name
    folder.mkdir(parents=True)
    return case.build(folder, context.corpus)


def try_case_ingest(case: Case, inputs: Inputs, backend: str, context: Context) -> CaseResult:
    reference = context.references[backend]
    warehouse = context.warehouses.fresh(backend, case.name)
    cwd = inputs.cwd or context.scratch
    runs = [
        plansift(
            context.label(f"{case.name}-{backend}"), ["ingest", *inputs.sources, "--db", warehouse.url], context, cwd
        )
    ]
    if inputs.second_call is not None and runs[0].exit_code is not None:
        runs.append(
            plansift(
                context.label(f"{case.name}-{backend}-2"),
                ["ingest", *inputs.second_call, "--db", warehouse.url],
                context,
                cwd,
            )
        )
    outputs = [run.output() for run in runs]
    problems = [p for run, output in zip(runs, outputs) for p in run_problems(run, output, context)]
    text = Output(
        any(o.traceback for o in outputs), any(o.raw_escape for o in outputs), "\n".join(o.text for o in outputs)
    )
    try:
        checks = warehouse_checks(case, inputs, warehouse, reference, context, text)
    finally:
        context.warehouses.drop(warehouse)
    problems += checks.problems
    last = runs[-1]
    return CaseResult(
        case.name,
        backend,
        case.expect,
        last.exit_code,
        round(sum(r.seconds for r in runs), 2),
        max(r.peak_mib for r in runs),
        any(r.timed_out for r in runs),
        text.traceback,
        checks.named,
        checks.reason,
        checks.good_loaded,
        checks.documents,
        checks.without_version,
        not problems,
        problems,
        text.last_line(),
    )


@dataclass
class Checks:
    named: bool = False
    reason: bool = False
    good_loaded: bool = False
    documents: int | None = None
    without_version: int | None = None
    problems: list[str] = field(default_factory=list)


def warehouse_checks(
    case: Case, inputs: Inputs, warehouse: Warehouse, reference: Reference, context: Context, output: Output
) -> Checks:
    """The good document's export, the counts, and what the case expects of its bad input."""
    checks = Checks()
    naming = [output.names(bad) for bad in inputs.bad]
    checks.named = all(n for n, _ in naming)
    checks.reason = all(r for _, r in naming)
    try:
        checks.documents = int(warehouse.scalar("SELECT count(*) FROM documents") or 0)
        checks.without_version = documents_without_version(warehouse)
    except Exception as error:  # noqa: BLE001 - a warehouse the run never created, or broke
        checks.problems.append(f"warehouse unreadable: {visible(str(error)).splitlines()[0][:100]}")
        return checks
    if inputs.equals_reference:
        differences = compare_with_reference(warehouse, reference, context, case.name)
        checks.good_loaded = not differences
        checks.problems += differences
    else:
        exported, why = export(warehouse, context, case.name)
        good = f"{context.corpus.good.stem}.json"
        checks.good_loaded = exported is not None and exported.get(good) == (reference.export or {}).get(good)
        if exported is None:
            checks.problems.append(why)
        elif not checks.good_loaded:
            checks.problems.append(
                "good document missing" if good not in exported else "good document differs from the reference"
            )
    if checks.without_version:
        checks.problems.append(f"{checks.without_version} document row(s) without a version")
    checks.problems += expectation_problems(case, inputs, warehouse, checks, context, output)
    return checks


def expectation_problems(
    case: Case, inputs: Inputs, warehouse: Warehouse, checks: Checks, context: Context, output: Output
) -> list[str]:
    problems = []
    loaded = (checks.documents or 0) > 1
    if case.expect == "refused":
        if not checks.named:
            problems.append("bad input not named")
        elif not checks.reason:
            problems.append("no reason given")
    elif case.expect == "either" and not loaded and not (checks.named and checks.reason):
        problems.append("neither loaded nor refused with a named reason")
    elif case.expect == "loaded" and not checks.named:
        problems.append("document not named as it is")
    if checks.documents not in inputs.documents:
        expected = " or ".join(map(str, inputs.documents))
        problems.append(f"{checks.documents} documents, expected {expected}")
    problems += [f"{text!r} not printed literally" for text in inputs.literal if text not in output.text]
    for name, sentence in inputs.texts.items():
        if sentence not in stored_text(warehouse, name):
            problems.append(f"text of {visible(name)!r} lacks {sentence[:30]!r}")
    if inputs.emails:
        problems += email_problems(inputs.emails, warehouse, context)
    return problems


def email_problems(emails: list[str], warehouse: Warehouse, context: Context) -> list[str]:
    """E-mails looked up as an analyst would: ``plansift query`` on the contacts table."""
    run = plansift(
        context.label("query-emails"),
        ["query", "SELECT email FROM contacts", "--format", "json", "--db", warehouse.url],
        context,
    )
    if run.exit_code != 0:
        return [f"contacts query failed: {run.output().last_line()}"]
    try:
        stored = {row.get("email") for row in json.loads(run.stdout.read_text("utf-8") or "[]")}
    except (json.JSONDecodeError, AttributeError):
        return ["contacts query printed no JSON records"]
    problems = []
    for email in emails:
        if email not in stored:
            cut = sorted(s for s in stored if s and email.endswith(s))
            problems.append(f"e-mail {email!r} not stored whole" + (f" (stored {cut[0]!r})" if cut else ""))
    return problems


def try_case_parse(case: Case, inputs: Inputs, context: Context) -> list[ParseResult]:
    results = []
    for file in inputs.parse:
        run = plansift(context.label(f"parse-{case.name}"), ["parse", file], context, inputs.cwd)
        output = run.output()
        problems = run_problems(run, output, context, allowed=(0, 1, 2))
        named, reason = output.names(file)
        expectation = case.parse_expectation
        shown = run.exit_code == 0
        if expectation == "refused" and run.exit_code == 0:
            problems.append("shown as a document")
        if expectation == "loaded" and run.exit_code not in (0, None):
            problems.append(f"refused: {output.last_line()}")
        if run.exit_code not in (0, None) and not (named and reason):
            problems.append("message does not name the file and a reason")
        if shown:
            problems += [f"{text!r} not printed literally" for text in inputs.parse_literal if text not in output.text]
        results.append(
            ParseResult(
                case.name,
                visible(file),
                expectation,
                run.exit_code,
                run.seconds,
                run.peak_mib,
                run.timed_out,
                output.traceback,
                named,
                reason,
                not problems,
                problems,
                output.last_line(),
            )
        )
    return results


def bad_inputs(
    cases: list[Case], backends: list[str], context: Context
) -> tuple[list[CaseResult], list[ParseResult], list[KindResult]]:
    ingests: list[CaseResult] = []
    parses: list[ParseResult] = []
    kinds: list[KindResult] = []
    for case in cases:
        if case.needs_non_root and context.root:
            kinds.append(
                KindResult(case.name, case.what, False, False, "not tried: running as root, permissions not enforced")
            )
            continue
        print(f"bad input: {case.name} ...", file=sys.stderr, flush=True)
        try:
            inputs = build_inputs(case, context)
        except Exception as error:  # noqa: BLE001 - a case that cannot be made is reported, the rest go on
            kinds.append(
                KindResult(case.name, case.what, False, False, f"not tried: could not make the input: {error}")
            )
            continue
        chosen = [b for b in (backends if case.warehouse_matters else backends[:1]) if context.references[b].ok]
        try:
            mine = [try_case_ingest(case, inputs, backend, context) for backend in chosen]
            parsed = try_case_parse(case, inputs, context)
        except Exception as error:  # noqa: BLE001 - the script's own fault in one case must not lose the others
            kinds.append(KindResult(case.name, case.what, True, False, harness_error(case.name, error)))
            continue
        ingests += mine
        parses += parsed
        handled = bool(mine) and all(r.handled for r in mine) and all(p.handled for p in parsed)
        kinds.append(KindResult(case.name, case.what, True, handled))
        if case.name not in KEEP_INPUTS:
            remove_folder(context.scratch / "cases" / case.name)
    return ingests, parses, kinds


KEEP_INPUTS: set[str] = set()


def harness_error(what: str, error: Exception) -> str:
    """Prints the script's own failure in full and says it in one line for the table."""
    import traceback

    print(f"the script failed on {what}:", file=sys.stderr)
    traceback.print_exception(error, file=sys.stderr)
    return f"script error: {type(error).__name__}: {visible(str(error))[:100]}"


# -- 3. kills ----------------------------------------------------------------------


@dataclass
class KillResult:
    backend: str
    number: int
    phase: str
    planned_s: float | None
    killed_at: float | None
    found: str
    leftovers: list[str]
    rerun_exit: int | None
    rerun_seconds: float
    unfinished_runs: int | None
    survived: bool
    problems: list[str]


class KillPlan:
    """When to kill: the phase's first sign in the warehouse, then a random part of the phase's length."""

    SIGNS = {"migration": "migrating", "extraction": "run", "loading": "document"}
    ENDS = {"migration": "migrated", "extraction": "document", "loading": "finished"}

    def __init__(self, phase: str, rng: random.Random, warehouse: Warehouse, timeline: dict[str, float]) -> None:
        self.phase = phase
        self.warehouse = warehouse
        if phase == "start-up":
            self.delay = rng.uniform(0.5, 3.0)
        else:
            sign, end = self.SIGNS[phase], self.ENDS[phase]
            length = max(0.05, timeline.get(end, 0.0) - timeline.get(sign, 0.0))
            self.delay = rng.uniform(0.0, length)
        self.sign_at: float | None = 0.0 if phase == "start-up" else None

    def __call__(self, elapsed: float) -> bool:
        if self.sign_at is None:
            state = self.warehouse.state()
            if state is not None and self._sign(state):
                self.sign_at = elapsed
        return self.sign_at is not None and elapsed >= self.sign_at + self.delay

    def _sign(self, state: State) -> bool:
        return {"migration": state.migrating, "extraction": state.runs > 0, "loading": state.documents > 0}[self.phase]


def kills(count: int, seed: int, backends: list[str], context: Context) -> list[KillResult]:
    rng = random.Random(seed)
    results = []
    for backend in backends:
        reference = context.references[backend]
        if not reference.ok:
            continue
        for number in range(1, count + 1):
            phase = KILL_PHASES[(number - 1) % len(KILL_PHASES)]
            print(f"kill {number} of {count} ({phase}, {backend}) ...", file=sys.stderr, flush=True)
            try:
                results.append(one_kill(number, phase, rng, reference, context))
            except Exception as error:  # noqa: BLE001 - reported as that kill's problem, the others go on
                note = harness_error(f"kill {number}", error)
                results.append(KillResult(backend, number, phase, None, None, "", [], None, 0.0, None, False, [note]))
    return results


def one_kill(number: int, phase: str, rng: random.Random, reference: Reference, context: Context) -> KillResult:
    warehouse = context.warehouses.fresh(reference.backend, f"kill{number}")
    plan = KillPlan(phase, rng, warehouse, reference.timeline)
    try:
        killed = ingest_corpus(warehouse, context, f"kill{number}-{reference.backend}", tick=plan)
        warehouse.close_watch()
        state = warehouse.state()
        warehouse.close_watch()
        if state is not None:
            state.migrating = False  # nothing is in flight once the process is gone
        found = (
            "unreadable (locked or mid-recovery)" if state is None else state.describe(len(context.corpus.documents))
        )
        if killed.killed_at is None:
            found = f"ended before the kill (exit {killed.exit_code}); {found}"
        rerun = ingest_corpus(warehouse, context, f"rerun{number}-{reference.backend}")
        output = rerun.output()
        problems = run_problems(rerun, output, context, allowed=(0,))
        problems += compare_with_reference(warehouse, reference, context, f"kill{number}")
        unfinished = unfinished_runs(warehouse) if rerun.exit_code is not None else None
    finally:
        context.warehouses.drop(warehouse)
    survived = not problems
    planned = None if plan.sign_at is None else round(plan.sign_at + plan.delay, 2)
    if killed.leftovers:
        problems.append(f"left running after the kill: {', '.join(killed.leftovers)}")
    if unfinished:
        problems.append(f"{unfinished} run row(s) neither finished nor marked aborted")
    return KillResult(
        reference.backend,
        number,
        phase,
        planned,
        None if killed.killed_at is None else round(killed.killed_at, 2),
        found,
        killed.leftovers,
        rerun.exit_code,
        rerun.seconds,
        unfinished,
        survived,
        problems,
    )


# -- 4. concurrency ---------------------------------------------------------------


@dataclass
class ConcurrentResult:
    backend: str
    number: int
    exit_codes: list[int | None]
    seconds: float
    peak_mib: float
    equal: bool
    problems: list[str]


def concurrency(repeats: int, backends: list[str], context: Context) -> list[ConcurrentResult]:
    results = []
    for backend in backends:
        reference = context.references[backend]
        if not reference.ok:
            continue
        for number in range(1, repeats + 1):
            print(f"two runs at once {number} of {repeats} ({backend}) ...", file=sys.stderr, flush=True)
            try:
                results.append(two_at_once(number, reference, context))
            except Exception as error:  # noqa: BLE001 - reported as that pair's problem, the others go on
                results.append(ConcurrentResult(backend, number, [], 0.0, 0.0, False, [harness_error("a pair", error)]))
    return results


def two_at_once(number: int, reference: Reference, context: Context) -> ConcurrentResult:
    """Two ingests of the corpus started together on one fresh warehouse, then compared with the reference."""
    backend = reference.backend
    warehouse = context.warehouses.fresh(backend, f"together{number}")
    try:
        command = [str(PLANSIFT), "ingest", str(context.corpus_folder), "--db", warehouse.url]
        labels = [context.label(f"together{number}-{backend}-{side}") for side in ("a", "b")]
        runs = supervise(
            [Launched(label, command, context.scratch, context.logs) for label in labels], 3 * context.time_limit
        )
        problems = [
            f"{side}: {p}" for side, run in zip("ab", runs) for p in run_problems(run, run.output(), context, (0,))
        ]
        if all(run.exit_code is not None for run in runs):
            problems += compare_with_reference(warehouse, reference, context, f"together{number}")
    finally:
        context.warehouses.drop(warehouse)
    return ConcurrentResult(
        backend,
        number,
        [r.exit_code for r in runs],
        max(r.seconds for r in runs),
        round(sum(r.peak_mib for r in runs), 1),
        not problems,
        problems,
    )


# -- 5. write attempts ---------------------------------------------------------------


@dataclass
class WriteResult:
    name: str
    backend: str
    sql: str
    exit_code: int | None
    refused: bool
    problems: list[str]
    says: str


def write_attempts(attempts: list[WriteAttempt], backends: list[str], context: Context) -> list[WriteResult]:
    results = []
    for backend in backends:
        reference = context.references[backend]
        if not reference.ok:
            continue
        warehouse = reference.warehouse
        for attempt in attempts:
            if attempt.backend not in ("any", backend):
                continue
            print(f"write attempt: {attempt.name} ({backend}) ...", file=sys.stderr, flush=True)
            results.append(one_write(attempt, warehouse, fingerprint(warehouse), context))
        if any(r.backend == backend for r in results):
            problems = compare_with_reference(warehouse, reference, context, f"writes-{backend}")
            if problems:
                results.append(WriteResult("(warehouse afterwards)", backend, "", None, False, problems, ""))
    return results


def one_write(attempt: WriteAttempt, warehouse: Warehouse, before: dict[str, Any], context: Context) -> WriteResult:
    target = Path(tempfile.gettempdir()) / f"rel_{uuid.uuid4().hex[:10]}.out"
    victim = victim_connection(warehouse) if attempt.terminates else None
    sql = attempt.sql.format(file=target, pid=victim.info.backend_pid if victim else 0)
    try:
        run = plansift(context.label(attempt.name), ["query", sql, "--db", warehouse.url], context)
        output = run.output()
        problems = run_problems(run, output, context, allowed=(1, 2))
        if run.exit_code == 0:
            problems.append("ran")
        if fingerprint(warehouse) != before:
            problems.append("warehouse changed")
        if attempt.creates_file and target.exists():
            problems.append(f"wrote {target.name}")
        if victim is not None and not connection_alive(victim):
            problems.append("another connection's server process was stopped")
    finally:
        target.unlink(missing_ok=True)
        if victim is not None:
            victim.close()
    return WriteResult(attempt.name, warehouse.backend, sql, run.exit_code, not problems, problems, output.last_line())


def victim_connection(warehouse: Warehouse) -> Any:
    import psycopg

    return psycopg.connect(warehouse.url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def connection_alive(connection: Any) -> bool:
    try:
        connection.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure: the server process is gone
        return False


# -- printing ---------------------------------------------------------------------


def table(title: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    cells = [tuple(cell_text(c) for c in row) for row in rows]
    widths = [max([len(columns[i]), *(len(row[i]) for row in cells)]) for i in range(len(columns))]
    lines = [title, "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) if rows else f"{title}\n(none)"


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, list):
        return "; ".join(map(str, value)) if value else ""
    return visible(str(value))


def report(results: Results, context: Context) -> str:
    parts = [
        table(
            "Reference (clean runs)",
            ("backend", "exit", "s", "MiB", "documents", "phases (s after start)", "problems"),
            [
                (
                    r.backend,
                    r.run.exit_code,
                    r.run.seconds,
                    r.run.peak_mib,
                    r.documents,
                    ", ".join(f"{k} {v:g}" for k, v in r.timeline.items()),
                    r.problems,
                )
                for r in context.reference_attempts
            ],
        ),
        table(
            "Bad inputs: plansift ingest (the bad input beside a good document)",
            (
                "case",
                "backend",
                "expect",
                "exit",
                "s",
                "MiB",
                "tb",
                "named",
                "reason",
                "good",
                "docs",
                "handled",
                "problems",
            ),
            [
                (
                    r.case,
                    r.backend,
                    r.expect,
                    r.exit_code,
                    r.seconds,
                    r.peak_mib,
                    r.traceback,
                    r.named,
                    r.reason,
                    r.good_loaded,
                    r.documents,
                    r.handled,
                    r.problems,
                )
                for r in results.ingests
            ],
        ),
        table(
            "Bad inputs: plansift parse FILE",
            ("case", "expect", "exit", "s", "MiB", "tb", "named", "reason", "handled", "problems"),
            [
                (
                    r.case,
                    r.expect,
                    r.exit_code,
                    r.seconds,
                    r.peak_mib,
                    r.traceback,
                    r.named,
                    r.reason,
                    r.handled,
                    r.problems,
                )
                for r in results.parses
            ],
        ),
        table(
            "Bad inputs: kinds",
            ("case", "what", "tried", "handled", "note"),
            [(k.case, k.what, k.tried, k.handled, k.note) for k in results.kinds],
        ),
        table(
            "Kills (SIGKILL to the main process, then ingest again)",
            (
                "backend",
                "#",
                "phase",
                "planned s",
                "killed at s",
                "found",
                "left running",
                "rerun exit",
                "rerun s",
                "unfinished runs",
                "survived",
                "problems",
            ),
            [
                (
                    r.backend,
                    r.number,
                    r.phase,
                    r.planned_s,
                    r.killed_at,
                    r.found,
                    r.leftovers,
                    r.rerun_exit,
                    r.rerun_seconds,
                    r.unfinished_runs,
                    r.survived,
                    r.problems,
                )
                for r in results.kills
            ],
        ),
        table(
            "Two ingests at once on one fresh warehouse",
            ("backend", "#", "exits", "s", "MiB (both)", "equal", "problems"),
            [
                (r.backend, r.number, ", ".join(map(str, r.exit_codes)), r.seconds, r.peak_mib, r.equal, r.problems)
                for r in results.concurrent
            ],
        ),
        table(
            "Write attempts through plansift query",
            ("attempt", "backend", "exit", "refused", "problems", "says"),
            [(r.name, r.backend, r.exit_code, r.refused, r.problems, r.says[:70]) for r in results.writes],
        ),
    ]
    return "\n\n".join(parts)


@dataclass
class Results:
    ingests: list[CaseResult] = field(default_factory=list)
    parses: list[ParseResult] = field(default_factory=list)
    kinds: list[KindResult] = field(default_factory=list)
    kills: list[KillResult] = field(default_factory=list)
    concurrent: list[ConcurrentResult] = field(default_factory=list)
    writes: list[WriteResult] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        tried = [k for k in self.kinds if k.tried]
        attempts = [w for w in self.writes if w.sql]
        return {
            "kinds_tried": len(tried),
            "kinds_handled": sum(k.handled for k in tried),
            "kills": len(self.kills),
            "kills_survived": sum(k.survived for k in self.kills),
            "kills_leaving_processes": sum(bool(k.leftovers) for k in self.kills),
            "kills_leaving_unfinished_runs": sum(bool(k.unfinished_runs) for k in self.kills),
            "concurrent_runs": len(self.concurrent),
            "concurrent_equal": sum(c.equal for c in self.concurrent),
            "write_attempts": len(attempts),
            "writes_refused": sum(w.refused for w in attempts),
        }

    def all_handled(self, context: Context) -> bool:
        counts = self.summary()
        return (
            all(r.ok for r in context.reference_attempts)
            and counts["kinds_handled"] == counts["kinds_tried"]
            and all(not k.problems for k in self.kills)
            and counts["concurrent_equal"] == counts["concurrent_runs"]
            and all(w.refused for w in self.writes)
        )


def summary_lines(results: Results) -> list[str]:
    s = results.summary()
    return [
        f"kills leaving processes running: {s['kills_leaving_processes']} of {s['kills']}; "
        "leaving a run neither finished nor aborted after the rerun: "
        f"{s['kills_leaving_unfinished_runs']} of {s['kills']}",
        "",
        f"kinds tried: {s['kinds_tried']}, handled: {s['kinds_handled']}",
        f"kills survived: {s['kills_survived']} of {s['kills']}",
        f"concurrent runs equal: {s['concurrent_equal']} of {s['concurrent_runs']}",
        f"write attempts refused: {s['writes_refused']} of {s['write_attempts']}",
    ]


# -- the whole script ----------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--kills", type=int, default=10, help="crashes per backend (default 10)")
    parser.add_argument("--concurrent", type=int, default=3, help="pairs of simultaneous runs per backend (default 3)")
    parser.add_argument("--only", help="comma-separated case names (or sections: " + ", ".join(SECTIONS) + ")")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument(
        "--keep", type=Path, help="keep the inputs, SQLite warehouses and outputs in a new folder under this one"
    )
    parser.add_argument("--documents", type=int, default=5, help="corpus size: the first N of corpus/inbox (default 5)")
    parser.add_argument(
        "--time-limit", type=float, default=120.0, help="seconds per command before it is killed (default 120)"
    )
    parser.add_argument(
        "--memory-limit", type=float, default=1024.0, help="MiB the command's process tree may reach (default 1024)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the kills' moments (default 1)")
    arguments = parser.parse_args(argv)
    known = {c.name for c in CASES} | {w.name for w in WRITE_ATTEMPTS} | set(SECTIONS)
    arguments.only = [n.strip() for n in arguments.only.split(",") if n.strip()] if arguments.only else None
    unknown = sorted(set(arguments.only or ()) - known)
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if arguments.documents < 1 or arguments.kills < 0 or arguments.concurrent < 0:
        parser.error("--documents must be at least 1, --kills and --concurrent not negative")
    return arguments


def chosen(only: list[str] | None, section: str, name: str | None = None) -> bool:
    return only is None or section in only or (name is not None and name in only)


def corpus_folder(scratch: Path, size: int) -> tuple[Corpus, Path]:
    folder = scratch / "corpus"
    folder.mkdir(parents=True)
    sources = sorted(p for p in INBOX.iterdir() if p.is_file())[:size]
    copies = [Path(shutil.copy(p, folder / p.name)) for p in sources]
    return Corpus(copies), folder


def check_postgres() -> None:
    try:
        with admin_connection() as connection:
            connection.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - said plainly, then stop
        raise SystemExit(f"PostgreSQL is not reachable at {POSTGRES_ADMIN} ({error}); use --backend sqlite") from None


def run_sections(arguments: argparse.Namespace, context: Context, backends: list[str]) -> Results:
    only = arguments.only
    for backend in backends:
        for attempt in range(1, REFERENCE_ATTEMPTS + 1):
            print(f"reference run ({backend}, attempt {attempt}) ...", file=sys.stderr, flush=True)
            reference = reference_run(backend, context)
            context.reference_attempts.append(reference)
            context.references[backend] = reference
            if reference.ok:
                break
            context.warehouses.drop(reference.warehouse)
    results = Results()
    cases = [c for c in CASES if chosen(only, "bad_inputs", c.name)]
    results.ingests, results.parses, results.kinds = bad_inputs(cases, backends, context)
    if chosen(only, "kills"):
        results.kills = kills(arguments.kills, arguments.seed, backends, context)
    if chosen(only, "concurrency"):
        results.concurrent = concurrency(arguments.concurrent, backends, context)
    attempts = [w for w in WRITE_ATTEMPTS if chosen(only, "writes", w.name)]
    results.writes = write_attempts(attempts, backends, context)
    return results


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    backends = list(BACKENDS) if arguments.backend == "both" else [arguments.backend]
    if "postgresql" in backends:
        check_postgres()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    if arguments.keep:
        arguments.keep.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=time.strftime("run-%Y%m%d-%H%M%S-"), dir=arguments.keep.resolve()))
    else:
        scratch = Path(tempfile.mkdtemp(prefix="plansift-rel-"))
    if arguments.keep:
        KEEP_INPUTS.update(c.name for c in CASES)
    warehouses = Warehouses(scratch / "warehouses")
    try:
        corpus, folder = corpus_folder(scratch, arguments.documents)
        context = Context(
            scratch,
            scratch / "logs",
            warehouses,
            corpus,
            folder,
            arguments.time_limit,
            arguments.memory_limit,
            os.geteuid() == 0,
        )
        results = run_sections(arguments, context, backends)
    finally:
        for launched in list(RUNNING):
            launched.kill_tree()
            launched.finish()
        warehouses.drop_all()
        if not arguments.keep:
            remove_folder(scratch)
    seconds = time.monotonic() - started
    print(report(results, context))
    print()
    if any(k.note.startswith("not tried: running as root") for k in results.kinds):
        print("running as root: the permission cases were not tried")
    print(f"total time: {seconds:.0f} s")
    for line in summary_lines(results):
        print(line)
    if arguments.json:
        arguments.json.write_text(
            json.dumps(figures(arguments, context, results, seconds), ensure_ascii=False, indent=1, default=str)
        )
    return 0 if results.all_handled(context) else 1


def figures(arguments: argparse.Namespace, context: Context, results: Results, seconds: float) -> dict[str, Any]:
    references: dict[str, list[dict[str, Any]]] = {}
    for r in context.reference_attempts:
        references.setdefault(r.backend, []).append(
            {
                "exit_code": r.run.exit_code,
                "seconds": r.run.seconds,
                "peak_mib": r.run.peak_mib,
                "documents": r.documents,
                "timeline": r.timeline,
                "problems": r.problems,
            }
        )
    return {
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(arguments).items()},
        "root": context.root,
        "seconds": round(seconds, 1),
        "corpus": [p.name for p in context.corpus.documents],
        "reference": references,
        "bad_inputs": [asdict(r) for r in results.ingests],
        "parse": [asdict(r) for r in results.parses],
        "kinds": [asdict(k) for k in results.kinds],
        "kills": [asdict(k) for k in results.kills],
        "concurrency": [asdict(c) for c in results.concurrent],
        "writes": [asdict(w) for w in results.writes],
        "summary": results.summary(),
    }


def remove_folder(folder: Path) -> None:
    # Cases leave folders without permissions; give them back before removing.
    for path in folder.rglob("*"):
        try:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o700)
        except OSError:
            continue
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
