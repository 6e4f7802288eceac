"""The ingestion flow: discover -> fetch -> (skip if known) -> read -> extract -> load, one document at a time."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlalchemy import Engine

from extractors.extraction import Extraction, extract
from extractors.registry import ruleset_version
from pipeline.batch import Failure, Skipped, discover_sources, fetch_or_fail, parse_or_fail
from pipeline.document import Document
from pipeline.settings import Settings
from pipeline.source import SourceBytes
from warehouse.connection import shared_engine
from warehouse.loading import (
    RunSummary,
    finish_run,
    is_loaded,
    load_document,
    record_failure,
    record_unchanged,
    start_run,
    withdraw_missing,
)
from warehouse.schema import upgrade


# Caching across runs is decided by the warehouse record of what was loaded;
# hashing whole Documents for a cache key would cost more than it saves.
@task(name="fetch", cache_policy=NO_CACHE)
def fetch_task(path: Path, settings: Settings) -> SourceBytes | Failure:
    return fetch_or_fail(path, settings)


@task(name="read", cache_policy=NO_CACHE)
def read_task(raw: SourceBytes, settings: Settings) -> Document | Failure:
    return parse_or_fail(raw, settings)


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(document: Document) -> Extraction:
    return extract(document)


@task(name="load", cache_policy=NO_CACHE)
def load_task(db_url: str, run_id: int, extractor_version: str, document: Document, extraction: Extraction) -> tuple[str, int]:
    return load_document(shared_engine(db_url), run_id, extractor_version, document, extraction)


@flow(name="ingest", log_prints=False)
def ingest_flow(sources: list[str], settings: Settings) -> RunSummary:
    """Reads every document under ``sources`` into the warehouse at ``settings.db_url``."""
    engine = shared_engine(settings.db_url)
    upgrade(engine)
    version = ruleset_version()
    summary = RunSummary(run_id=start_run(engine, version), extractor_version=version)
    seen: set[str] = set()
    for item in discover_sources(sources):
        if isinstance(item, Skipped):
            summary.skipped.append((item.source, item.detail))
            continue
        seen.add(str(item))
        raw = fetch_task(item, settings)
        if isinstance(raw, Failure):
            _record_failure(engine, summary, raw)
            continue
        # The same bytes under the same extractor version: known, not parsed again.
        if is_loaded(engine, raw.source, raw.sha256, version):
            record_unchanged(engine, summary.run_id, raw.source)
            summary.outcomes[raw.source] = "unchanged"
            continue
        document = read_task(raw, settings)
        if isinstance(document, Failure):
            _record_failure(engine, summary, document)
            continue
        outcome, added = load_task(settings.db_url, summary.run_id, version, document, extract_task(document))
        summary.outcomes[document.source] = outcome
        summary.records_added += added
    folders = [source for source in sources if Path(source).is_dir()]
    summary.withdrawn = withdraw_missing(engine, summary.run_id, [str(Path(f)) for f in folders], seen)
    finish_run(engine, summary)
    _publish(summary)
    return summary


def _record_failure(engine: Engine, summary: RunSummary, failure: Failure) -> None:
    summary.failures.append((failure.source, failure.reason, failure.detail))
    record_failure(engine, summary.run_id, failure.source, failure.reason, failure.detail)


def _publish(summary: RunSummary) -> None:
    rows = [{"document": s, "outcome": o, "reason": ""} for s, o in summary.outcomes.items()]
    rows += [{"document": s, "outcome": "failed", "reason": f"{r}: {d}"} for s, r, d in summary.failures]
    rows += [{"document": s, "outcome": "withdrawn", "reason": "source no longer found"} for s in summary.withdrawn]
    create_table_artifact(key="ingest-summary", table=rows, description=f"Run {summary.run_id}")
