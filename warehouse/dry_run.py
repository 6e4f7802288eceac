"""A dry run: what the extractors as they are now would change, compared with what is loaded, loading nothing.

Each document is fetched and read again from its source, extracted, and
loaded into a scratch warehouse in memory, then read back the way loaded
versions are read: both sides of the diff have passed through the same
loader and reader, so only the extraction can differ. The warehouse
itself is only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

from extractors.extraction import Extraction, extract_or_fail
from extractors.registry import ruleset_version
from pipeline.batch import Failure, parse_or_fail
from pipeline.document import Document
from pipeline.fetching import FetchedSource, fetch_source
from pipeline.http_source import is_url
from pipeline.settings import Settings
from warehouse.diffs import DocumentNotFound, ExtractionDiff, find_document, require_baseline
from warehouse.loading import load_document, start_run
from warehouse.models import Base, DocumentRow, DocumentVersionRow
from warehouse.record_diff import diff_versions
from warehouse.record_sets import VersionRecords
from warehouse.review import latest_marks
from warehouse.run_evaluation import gold_answers, gold_beside, score_versions
from warehouse.snapshots import current_state, read_versions, run_state


@dataclass(frozen=True)
class Target:
    """A source to re-extract and the loaded version it is compared with (None: not loaded yet)."""

    source: str
    version_id: int | None


def dry_run(
    engine: Engine,
    settings: Settings,
    sources: list[str] | None = None,
    baseline: bool = False,
    gold: dict | None = None,
) -> tuple[ExtractionDiff, list[Failure]]:
    """Re-extracts the current documents (or ``sources``) and diffs them against the loaded state
    (or the approved baseline); returns the diff and the documents that could not be re-read."""
    with Session(engine) as session:
        if baseline:
            baseline_run = require_baseline(session)
            state, label = run_state(session, baseline_run), f"baseline run {baseline_run}"
        else:
            state, label = current_state(session), "loaded"
        targets = _targets(session, state, sources)
        loaded = read_versions(session, [t.version_id for t in targets if t.version_id is not None])
    diff = ExtractionDiff(label, "extractors now (dry run)", compared=len(targets))
    failures: list[Failure] = []
    fresh_versions: list[VersionRecords] = []
    for target, fresh in zip(targets, _re_extracted(targets, settings), strict=True):
        if isinstance(fresh, Failure):
            failures.append(fresh)
            continue
        old = loaded.get(target.version_id) if target.version_id is not None else None
        document_diff = diff_versions(old, fresh)
        if old is not None and old.sha256 != fresh.sha256:
            document_diff.notes.append("the source's bytes changed since they were loaded: this diff shows both changes")
        diff.documents.append(document_diff)
        fresh_versions.append(fresh)
    diff.documents.sort(key=lambda d: d.source)
    if gold:
        _add_quality(diff, list(loaded.values()), fresh_versions, gold)
    with Session(engine) as session:
        diff.marks = latest_marks(session, [v for d in diff.documents for c in d.changes for v in c.value_ids()])
    return diff, failures


def _targets(session: Session, state: dict[int, int], sources: list[str] | None) -> list[Target]:
    documents = dict(session.execute(select(DocumentRow.id, DocumentRow.source)).all())
    if not sources:
        return [Target(documents[d], v) for d, v in sorted(state.items(), key=lambda item: documents[item[0]])]
    targets = []
    for source in sources:
        try:
            document = find_document(session, source)
        except DocumentNotFound:
            targets.append(Target(source, None))  # not loaded yet: every record is new
            continue
        targets.append(Target(document.source, state.get(document.id)))
    return targets


def _re_extracted(targets: list[Target], settings: Settings) -> Iterator[VersionRecords | Failure]:
    scratch = create_engine("sqlite://")
    Base.metadata.create_all(scratch)
    version = ruleset_version()
    run_id = start_run(scratch, version)
    for target in targets:
        found = _read_and_extract(target.source, settings)
        if isinstance(found, Failure):
            yield found
            continue
        document, extraction = found
        load_document(scratch, run_id, version, document, extraction)
        with Session(scratch) as session:
            latest = session.scalar(
                select(func.max(DocumentVersionRow.id)).join(DocumentRow).where(DocumentRow.source == document.source)
            )
            held = read_versions(session, [latest])[latest]
        # Scratch row ids mean nothing outside this run: the fresh side has no references.
        held.records = {t: [replace(r, reference=None) for r in rs] for t, rs in held.records.items()}
        yield replace(held, version_id=None)
    scratch.dispose()


def _read_and_extract(source: str, settings: Settings) -> tuple[Document, Extraction] | Failure:
    fetched = fetch_source(source, settings)
    if isinstance(fetched, Failure):
        return fetched
    assert isinstance(fetched, FetchedSource)
    document = parse_or_fail(fetched.raw, settings)
    if isinstance(document, Failure):
        return document
    extraction = extract_or_fail(document)
    return extraction if isinstance(extraction, Failure) else (document, extraction)


def _add_quality(diff: ExtractionDiff, loaded: list[VersionRecords], fresh: list[VersionRecords], gold: dict) -> None:
    before, after = score_versions(loaded, gold), score_versions(fresh, gold)
    scores = (before.f1_by_type() if before else {}, after.f1_by_type() if after else {})
    for record_type in dict.fromkeys([*scores[0], *scores[1]]):
        diff.quality[record_type] = (scores[0].get(record_type), scores[1].get(record_type))


def gold_for(engine: Engine, sources: list[str]) -> dict:
    """Gold answers from a ``gold`` folder beside the folders the documents (or ``sources``) were read from."""
    with Session(engine) as session:
        stored = list(session.scalars(select(DocumentRow.source))) if not sources else sources
    folders = sorted({str(Path(s).parent) for s in stored if not is_url(s)})
    return gold_answers(gold_beside(folders))
