"""Reviewers' decisions, kept as rows with their history: approved baseline runs and verdicts on single values.

A value is named by the reference of the row that holds it and, for one
field, the field's name: ``P12`` is project mention 12 as a whole,
``P12.start_date`` its start date (``F`` fundings, ``C`` contacts, ``G``
goals). Diffs print these ids next to every change.
"""

from __future__ import annotations

import getpass
import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from extractors.scoring import FIELDS
from warehouse.models import (
    ContactMentionRow,
    DocumentRow,
    DocumentVersionRow,
    ExtractionRunRow,
    FundingRow,
    GoalRow,
    ProjectMentionRow,
    ReviewApprovalRow,
    ReviewMarkRow,
)
from warehouse.record_diff import record_label
from warehouse.record_sets import RECORD_TABLES, REFERENCE_LETTERS
from warehouse.snapshots import chunks, read_versions

Verdict = Literal["accepted", "rejected"]
VERDICTS: tuple[Verdict, ...] = ("accepted", "rejected")
_RECORD_TYPE_OF_LETTER = {letter: record_type for record_type, letter in REFERENCE_LETTERS.items()}
_MODELS: dict[str, Any] = {
    "projects": ProjectMentionRow, "fundings": FundingRow, "contacts": ContactMentionRow, "goals": GoalRow,
}
_VALUE_ID = re.compile(r"^([PFCG])(\d+)(?:\.(\w+))?$")


class ReviewError(ValueError):
    """A review command that cannot be carried out; the message says why and what would work."""


@dataclass(frozen=True)
class Mark:
    """The verdict that counts on one value."""

    value_id: str
    verdict: str
    value: str | None
    note: str | None
    marked_by: str
    marked_at: datetime
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "value": self.value,
            "note": self.note,
            "marked_by": self.marked_by,
            "marked_at": self.marked_at.isoformat(),
        }


@dataclass(frozen=True)
class Approval:
    """A run approved as the baseline, by whom, when and why."""

    run_id: int
    approved_by: str
    approved_at: datetime
    note: str | None


def reviewer() -> str:
    """Who is reviewing: the login name, as the operating system knows it."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _now() -> datetime:
    return datetime.now(UTC)


def approve_run(engine: Engine, run_id: int | None = None, by: str | None = None, note: str | None = None) -> Approval:
    """Marks ``run_id`` (default: the latest finished run) as the approved baseline; earlier approvals stay as history."""
    with Session(engine) as session, session.begin():
        if run_id is None:
            run_id = session.scalar(
                select(ExtractionRunRow.id).where(ExtractionRunRow.finished_at.is_not(None)).order_by(ExtractionRunRow.id.desc())
            )
            if run_id is None:
                raise ReviewError("no finished run to approve; run `plansift ingest` first")
        elif session.get(ExtractionRunRow, run_id) is None:
            raise ReviewError(f"there is no run {run_id}; `plansift review list` shows the runs")
        row = ReviewApprovalRow(run_id=run_id, approved_by=by or reviewer(), approved_at=_now(), note=note)
        session.add(row)
        return Approval(row.run_id, row.approved_by, row.approved_at, row.note)


def baseline_run(session: Session) -> int | None:
    """The run approved last, or None."""
    return session.scalar(select(ReviewApprovalRow.run_id).order_by(ReviewApprovalRow.id.desc()).limit(1))


def approvals(engine: Engine) -> list[Approval]:
    """Every approval, newest first; the first is the baseline."""
    with Session(engine) as session:
        rows = session.scalars(select(ReviewApprovalRow).order_by(ReviewApprovalRow.id.desc()))
        return [Approval(r.run_id, r.approved_by, r.approved_at, r.note) for r in rows]


def parse_value_id(value_id: str) -> tuple[str, int, str | None]:
    """(record type, row id, field or None) of an id such as ``P12.start_date``."""
    match = _VALUE_ID.match(value_id.strip())
    if match is None:
        raise ReviewError(
            f"{value_id!r} is not a value id; diffs print them, e.g. P12 (project mention 12) or F3.amount_eur"
        )
    record_type = _RECORD_TYPE_OF_LETTER[match.group(1)]
    field = match.group(3)
    if field is not None and field not in FIELDS[record_type]:
        raise ReviewError(f"{record_type} have no field {field!r}; they have {', '.join(FIELDS[record_type])}")
    return record_type, int(match.group(2)), field


def mark_value(engine: Engine, value_id: str, verdict: Verdict, note: str | None = None, by: str | None = None) -> Mark:
    """Records a verdict on one stored value (or a whole record); the value as it is now is kept with it."""
    if verdict not in VERDICTS:
        raise ReviewError(f"a verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
    record_type, row_id, field = parse_value_id(value_id)
    table = RECORD_TABLES[record_type]
    with Session(engine) as session, session.begin():
        version_id = _version_of(session, record_type, row_id)
        record = next(
            r for r in read_versions(session, [version_id])[version_id].records[record_type] if r.reference == value_id.split(".")[0]
        )
        value = record.values.get(field) if field else record_label(record_type, record.values)
        shown = value if isinstance(value, str) or value is None else json.dumps(value, ensure_ascii=False)
        row = ReviewMarkRow(
            record_table=table, record_id=row_id, version_id=version_id, field=field, value=shown,
            verdict=verdict, note=note, marked_by=by or reviewer(), marked_at=_now(),
        )
        session.add(row)
        return Mark(value_id, verdict, shown, note, row.marked_by, row.marked_at)


def _version_of(session: Session, record_type: str, row_id: int) -> int:
    model = _MODELS[record_type]
    version_id = session.scalar(select(model.version_id).where(model.id == row_id))
    if version_id is None:
        raise ReviewError(f"there is no {record_type[:-1]} {REFERENCE_LETTERS[record_type]}{row_id} in the warehouse")
    return version_id


def value_id_of(row: ReviewMarkRow) -> str:
    letter = REFERENCE_LETTERS[next(t for t, table in RECORD_TABLES.items() if table == row.record_table)]
    return f"{letter}{row.record_id}" + (f".{row.field}" if row.field else "")


def latest_marks(session: Session, value_ids: list[str]) -> dict[str, Mark]:
    """The verdict that counts (the latest) for each of ``value_ids`` that has one."""
    wanted = set(value_ids)
    by_table: dict[str, set[int]] = {}
    for value_id in wanted:
        record_type, row_id, _ = parse_value_id(value_id)
        by_table.setdefault(RECORD_TABLES[record_type], set()).add(row_id)
    found: dict[str, Mark] = {}
    for table, ids in by_table.items():
        for chunk in chunks(sorted(ids)):
            query = (
                select(ReviewMarkRow)
                .where(ReviewMarkRow.record_table == table, ReviewMarkRow.record_id.in_(chunk))
                .order_by(ReviewMarkRow.id)
            )
            for row in session.scalars(query):
                value_id = value_id_of(row)
                if value_id in wanted:
                    found[value_id] = _mark(value_id, row)
    return found


def _mark(value_id: str, row: ReviewMarkRow) -> Mark:
    return Mark(value_id, row.verdict, row.value, row.note, row.marked_by, row.marked_at)


def marks(engine: Engine, verdict: str | None = "rejected", history: bool = False) -> list[Mark]:
    """The verdicts that count (every verdict with ``history``), oldest first, of one kind or all (None),
    each with the source of the document it is about."""
    query = (
        select(ReviewMarkRow, DocumentRow.source)
        .join(DocumentVersionRow, DocumentVersionRow.id == ReviewMarkRow.version_id)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .order_by(ReviewMarkRow.id)
    )
    with Session(engine) as session:
        rows = list(session.execute(query))
    latest: dict[str, Mark] = {}
    every: list[Mark] = []
    for row, source in rows:
        mark = replace(_mark(value_id_of(row), row), source=source)
        latest.pop(mark.value_id, None)
        latest[mark.value_id] = mark
        every.append(mark)
    chosen = every if history else list(latest.values())
    return [m for m in chosen if verdict is None or m.verdict == verdict]
