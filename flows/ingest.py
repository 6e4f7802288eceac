"""The ingestion flow: discover, then per document fetch -> read -> extract -> load, concurrently.

The flow only wires plain functions together. What is already loaded is
decided by the warehouse's own record (SHA-256 and extractor version per
source, HTTP validators for URLs), looked up once per run: a known
document is not parsed again, a failed one has no version and is tried
again next run. Tasks therefore use no Prefect result cache; Prefect's
default policy keys on the run id and would cache nothing across runs
anyway, and hashing whole Documents for a key would cost more than it
saves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from sqlalchemy import Engine

from extractors.extraction import Extraction, extract_or_fail
from extractors.registry import ruleset_version
from flows.api_server import api_server
from flows.progress import notify_progress
from flows.runners import task_runner, workers_report_here
from pipeline.batch import Failure, Skipped, discover_sources, parse_or_fail
from pipeline.document import Document
from pipeline.fetching import FetchedSource, Unchanged, fetch_source
from pipeline.http_source import is_url
from pipeline.settings import Settings
from pipeline.source_identity import canonical_source
from warehouse.connection import shared_engine
from warehouse.loading import (
    KnownSource,
    RunSummary,
    duplicate_sources,
    finish_run,
    known_sources,
    load_document,
    mark_aborted_runs,
    record_failure,
    record_unchanged,
    rename_sources,
    sources_without_content,
    start_run,
    withdraw_missing,
)
from warehouse.run_evaluation import evaluate_run, gold_answers, gold_beside
from warehouse.run_lock import warehouse_lock
from warehouse.schema import upgrade


@dataclass(frozen=True)
class DocumentOutcome:
    """What happened to one source in a run."""

    source: str
    outcome: str  # new, changed, unchanged, duplicate or failed
    records: int = 0
    failure: Failure | None = None


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_task(item: str, settings: Settings, known: KnownSource | None) -> FetchedSource | Unchanged | Failure:
    if known is None or not known.sha256s:
        # Nothing loaded under this extractor version: fetch whole, even if the server says unchanged.
        return fetch_source(item, settings)
    return fetch_source(item, settings, known.sha256s, known.etag, known.last_modified)


@task(name="read", cache_policy=NO_CACHE)
def read_task(fetched: FetchedSource | Unchanged | Failure, settings: Settings) -> Document | Unchanged | Failure:
    return parse_or_fail(fetched.raw, settings) if isinstance(fetched, FetchedSource) else fetched


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(document: Document | Unchanged | Failure) -> Extraction | Failure | None:
    return extract_or_fail(document) if isinstance(document, Document) else None


@task(name="load", cache_policy=NO_CACHE)
def load_task(
    db_url: str,
    run_id: int,
    extractor_version: str,
    fetched: FetchedSource | Unchanged | Failure,
    document: Document | Unchanged | Failure,
    extraction: Extraction | Failure | None,
) -> DocumentOutcome:
    return store_outcome(db_url, run_id, extractor_version, fetched, document, extraction)


@task(name="document", cache_policy=NO_CACHE)
def document_task(item: str, settings: Settings, run_id: int, version: str, known: KnownSource | None) -> DocumentOutcome:
    """One document's steps, each a task of its own, run one after the other on one worker.

    The steps are called, not submitted: a step never waits on another, so
    its time limit measures its own work only. What a step finds wrong
    with the document is its outcome; what escapes (the warehouse failing
    mid-load) the flow records as this document's failure.
    """
    limit = {"timeout_seconds": settings.document_timeout}
    try:
        fetched = fetch_task(item, settings, known)
        document = read_task.with_options(**limit)(fetched, settings)
        extraction = extract_task.with_options(**limit)(document)
    except TimeoutError as error:
        detail = f"stopped after {settings.document_timeout:g} s; raise --timeout to give it longer ({error})"
        failure = Failure(item, "timeout", detail)
        return store_outcome(settings.db_url, run_id, version, failure, failure, None)
    return load_task(settings.db_url, run_id, version, fetched, document, extraction)


def store_outcome(
    db_url: str,
    run_id: int,
    extractor_version: str,
    fetched: FetchedSource | Unchanged | Failure,
    document: Document | Unchanged | Failure,
    extraction: Extraction | Failure | None,
) -> DocumentOutcome:
    """Records one document's fate in the warehouse: its new version, 'unchanged', or its failure."""
    engine = shared_engine(db_url)
    failure = next((x for x in (document, extraction) if isinstance(x, Failure)), None)
    if failure is not None:
        record_failure(engine, run_id, failure.source, failure.reason, failure.detail)
        return DocumentOutcome(failure.source, "failed", failure=failure)
    if isinstance(document, Unchanged):
        validators = (document.etag, document.last_modified)
        seen = record_unchanged(engine, run_id, document.source, validators, extractor_version, document.sha256)
        return DocumentOutcome(document.source, seen)
    assert isinstance(fetched, FetchedSource) and isinstance(document, Document) and isinstance(extraction, Extraction)
    validators = (fetched.etag, fetched.last_modified)
    outcome, added = load_document(engine, run_id, extractor_version, document, extraction, validators)
    return DocumentOutcome(document.source, outcome, added)


@flow(name="ingest", log_prints=False)
def ingest_flow(sources: list[str], settings: Settings) -> RunSummary:
    """Reads every document under ``sources`` into the warehouse at ``settings.db_url``.

    The run holds the warehouse's write lock throughout: a second run on the
    same warehouse waits for it, and runs it finds unfinished were killed.
    """
    engine = shared_engine(settings.db_url)
    with warehouse_lock(engine, on_wait=_say_waiting):
        upgrade(engine)
        aborted = mark_aborted_runs(engine)
        version = ruleset_version()
        summary = RunSummary(run_id=start_run(engine, version), extractor_version=version, aborted_runs=aborted)
        items = _discover(sources, summary)
        known = _known_by_canonical_name(engine, version, items)
        _process(items, settings, summary, known)
        # A copy whose original changed in this run was released after it was seen as a copy.
        _process(sources_without_content(engine, items), settings, summary, {})
        folders = [canonical_source(source) for source in sources if not is_url(source) and Path(source).is_dir()]
        summary.withdrawn = withdraw_missing(engine, summary.run_id, folders, set(items))
        summary.duplicates = {s: o for s, o in duplicate_sources(engine).items() if s in summary.outcomes}
        summary.outcomes.update(dict.fromkeys(summary.duplicates, "duplicate"))
        finish_run(engine, summary)
    _evaluate(engine, summary, [*map(Path, settings.gold_dirs), *gold_beside(sources)])
    _publish(summary)
    return summary


def _process(items: list[str], settings: Settings, summary: RunSummary, known: dict[str, KnownSource]) -> None:
    window = _in_window(items, settings, summary.run_id, summary.extractor_version, known)
    for done, (future, item) in enumerate(window, start=1):
        result = _outcome(future, item, settings.db_url, summary.run_id)
        _tally(summary, result)
        notify_progress(done, len(items), result.source)


def _say_waiting() -> None:
    print("Another plansift run is writing to this warehouse; waiting for it to finish.", file=sys.stderr, flush=True)


def _known_by_canonical_name(engine: Engine, version: str, items: list[str]) -> dict[str, KnownSource]:
    """What the warehouse holds of each source, after renaming documents an older plansift stored under
    another spelling of a name this run uses (a relative path, an upper-case host)."""
    known = known_sources(engine, version)
    wanted = set(items)
    renames = {s: c for s in known if (c := canonical_source(s)) != s and c in wanted and c not in known}
    if not renames:
        return known
    rename_sources(engine, renames)
    return known_sources(engine, version)


def run_ingest(sources: list[str], settings: Settings, runner: str = "thread", dask_address: str | None = None) -> RunSummary:
    """The ingest flow on the chosen task runner with ``settings.workers`` workers."""
    chosen = task_runner(runner, settings.workers, dask_address)
    with api_server(), workers_report_here(runner):
        return ingest_flow.with_options(task_runner=chosen)(sources, settings)


def _discover(sources: list[str], summary: RunSummary) -> list[str]:
    """The run's sources by canonical name, each once, however many spellings named it."""
    items: list[str] = []
    for item in discover_sources(sources):
        if isinstance(item, Skipped):
            summary.skipped.append((item.source, item.detail))
        else:
            items.append(canonical_source(item))
    return list(dict.fromkeys(items))


def _in_window(
    items: list[str], settings: Settings, run_id: int, version: str, known: dict[str, KnownSource]
) -> Iterator[tuple[PrefectFuture[DocumentOutcome], str]]:
    """Finished document tasks as they finish, with at most ``settings.workers`` under way at once,
    whatever task runner the flow was given (a deployment's default one has no bound)."""
    waiting = iter(items)
    pending: dict[PrefectFuture[DocumentOutcome], str] = {}
    while True:
        while len(pending) < settings.workers and (item := next(waiting, None)) is not None:
            pending[document_task.submit(item, settings, run_id, version, known.get(item))] = item
        if not pending:
            return
        future = next(as_completed(list(pending)))
        yield future, pending.pop(future)


def _outcome(future: PrefectFuture[DocumentOutcome], source: str, db_url: str, run_id: int) -> DocumentOutcome:
    """The document's outcome; a document task that failed all the same (a worker lost, the
    warehouse unreachable while loading) is recorded as that document's failure, not the run's."""
    result = future.result(raise_on_failure=False)
    if isinstance(result, DocumentOutcome):
        return result
    detail = f"{source}: {type(result).__name__}: {result}" if isinstance(result, BaseException) else f"{source}: {result}"
    failure = Failure(source, "task_failed", detail)
    try:
        record_failure(shared_engine(db_url), run_id, source, failure.reason, detail)
    except Exception:  # noqa: BLE001 - the summary still names it when the warehouse cannot
        pass
    return DocumentOutcome(source, "failed", failure=failure)


def _tally(summary: RunSummary, result: DocumentOutcome) -> None:
    if result.failure is not None:
        summary.failures.append((result.failure.source, result.failure.reason, result.failure.detail))
    else:
        summary.outcomes[result.source] = result.outcome  # type: ignore[assignment]
        summary.records_added += result.records
        if result.outcome == "changed":
            summary.records_changed += result.records


def _evaluate(engine: Engine, summary: RunSummary, gold_dirs: list[Path]) -> None:
    """Scores the run against the gold answers there are, kept with the run; a bad gold file is reported, not fatal."""
    try:
        score = evaluate_run(engine, summary.run_id, gold_answers(gold_dirs))
    except (OSError, ValueError, KeyError, TypeError) as error:
        summary.evaluation_error = f"gold answers in {', '.join(map(str, gold_dirs))} could not be used: {error}"
        return
    if score is not None:
        summary.evaluation = score.f1_by_type()


def _publish(summary: RunSummary) -> None:
    rows = [{"document": s, "outcome": o, "reason": ""} for s, o in summary.outcomes.items()]
    rows += [{"document": s, "outcome": "failed", "reason": f"{r}: {d}"} for s, r, d in summary.failures]
    rows += [{"document": s, "outcome": "withdrawn", "reason": "source no longer found"} for s in summary.withdrawn]
    counts = (
        f"new {summary.count('new')}, changed {summary.count('changed')}, unchanged {summary.count('unchanged')}, "
        f"failed {len(summary.failures)}, withdrawn {len(summary.withdrawn)}; records added {summary.records_added} "
        f"({summary.records_changed} for changed documents)"
    )
    create_table_artifact(key="ingest-summary", table=rows, description=f"Run {summary.run_id}: {counts}")
