"""Loads extraction results into the warehouse, one document per transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from extractors.records import ContactChannelRecord
from pipeline.document import Document
from warehouse.models import (
    ContactChannelRow,
    DocumentRow,
    DocumentVersionRow,
    ExtractionRunRow,
    ReaderWarningRow,
    RunFailureRow,
)

LoadOutcome = Literal["new", "changed", "unchanged"]


@dataclass
class RunSummary:
    """What one run did, per document, as data."""

    run_id: int
    extractor_version: str
    outcomes: dict[str, LoadOutcome] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    records_added: int = 0

    def count(self, outcome: LoadOutcome) -> int:
        return sum(1 for o in self.outcomes.values() if o == outcome)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def start_run(engine: Engine, extractor_version: str) -> int:
    with Session(engine) as session, session.begin():
        run = ExtractionRunRow(started_at=_now(), extractor_version=extractor_version)
        session.add(run)
        session.flush()
        return run.id


def finish_run(engine: Engine, summary: RunSummary) -> None:
    with Session(engine) as session, session.begin():
        run = session.get_one(ExtractionRunRow, summary.run_id)
        run.finished_at = _now()
        run.documents_new = summary.count("new")
        run.documents_changed = summary.count("changed")
        run.documents_unchanged = summary.count("unchanged")
        run.documents_failed = len(summary.failures)
        run.records_added = summary.records_added


def record_failure(engine: Engine, run_id: int, source: str, reason: str, detail: str) -> None:
    with Session(engine) as session, session.begin():
        session.add(RunFailureRow(run_id=run_id, source=source, reason=reason, detail=detail))


def load_document(
    engine: Engine, run_id: int, extractor_version: str, document: Document, records: dict[str, list[Any]]
) -> tuple[LoadOutcome, int]:
    """Stores a version of the document and its records, all or nothing.

    Returns the outcome and how many records were added. The same bytes read
    by the same extractor version add nothing ("unchanged").
    """
    with Session(engine) as session, session.begin():
        row = session.scalar(select(DocumentRow).where(DocumentRow.source == document.source))
        now = _now()
        if row is None:
            row = DocumentRow(source=document.source, name=document.name, first_seen=now, last_seen=now)
            session.add(row)
            session.flush()
            outcome: LoadOutcome = "new"
        else:
            row.last_seen = now
            if _has_version(session, row.id, document.sha256, extractor_version):
                return "unchanged", 0
            outcome = "changed"
        version = _add_version(session, row.id, run_id, extractor_version, document, now)
        added = _add_records(session, version.id, records)
        return outcome, added


def _has_version(session: Session, document_id: int, sha256: str, extractor_version: str) -> bool:
    query = select(func.count()).select_from(DocumentVersionRow).where(
        DocumentVersionRow.document_id == document_id,
        DocumentVersionRow.sha256 == sha256,
        DocumentVersionRow.extractor_version == extractor_version,
    )
    return bool(session.scalar(query))


def _add_version(
    session: Session, document_id: int, run_id: int, extractor_version: str, document: Document, now: datetime
) -> DocumentVersionRow:
    version = DocumentVersionRow(
        document_id=document_id,
        run_id=run_id,
        sha256=document.sha256,
        extractor_version=extractor_version,
        media_type=document.media_type,
        title=document.title,
        language=document.language,
        page_count=document.page_count,
        char_count=len(document.text),
        loaded_at=now,
    )
    session.add(version)
    session.flush()
    session.add_all(
        ReaderWarningRow(version_id=version.id, code=w.code, message=w.message, page=w.page)
        for w in document.warnings
    )
    return version


def _add_records(session: Session, version_id: int, records: dict[str, list[Any]]) -> int:
    rows = [_contact_channel_row(version_id, r) for r in records.get("contact_channels", [])]
    session.add_all(rows)
    return len(rows)


def _contact_channel_row(version_id: int, record: ContactChannelRecord) -> ContactChannelRow:
    p = record.provenance
    return ContactChannelRow(
        version_id=version_id,
        kind=record.kind,
        value=record.value,
        page=p.page,
        char_start=p.start,
        char_end=p.end,
        evidence=p.text,
        extractor=p.extractor,
        extractor_version=p.version,
        rule=p.rule,
        confidence=p.confidence,
    )
