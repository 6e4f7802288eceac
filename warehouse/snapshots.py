"""Reads what versions of documents hold, many at once, and which version each run saw.

A diff of two runs over a thousand documents must not re-parse anything or
ask the database once per record: every table is read with one query per
chunk of versions, and the records are assembled in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.models import (
    ContactMentionRow,
    DocumentRow,
    DocumentVersionRow,
    ExtractionWarningRow,
    FundingRow,
    GoalItemRow,
    GoalRow,
    OrganisationRow,
    ProjectContactRow,
    ProjectMentionRow,
    ProjectOrganisationRow,
    ReaderWarningRow,
    RunDocumentRow,
    VersionTextRow,
)
from warehouse.record_sets import REFERENCE_LETTERS, Evidence, StoredRecord, VersionRecords, WarningNote, with_context

T = TypeVar("T")

# SQLite allows 999 bound parameters in old builds; stay well under.
CHUNK = 500

# A run's outcomes that say which version of a source it left current.
_STATE_OUTCOMES = ("new", "changed", "unchanged", "withdrawn", "duplicate")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def run_state(session: Session, run_id: int) -> dict[int, int]:
    """Document id -> the version current after run ``run_id`` (withdrawn documents left out)."""
    ids = dict(session.execute(select(DocumentRow.source, DocumentRow.id)).all())
    query = (
        select(RunDocumentRow.source, RunDocumentRow.outcome, RunDocumentRow.version_id)
        .where(RunDocumentRow.run_id <= run_id, RunDocumentRow.outcome.in_(_STATE_OUTCOMES))
        .order_by(RunDocumentRow.id)
    )
    state: dict[int, int] = {}
    for source, outcome, version_id in session.execute(query):
        document_id = ids.get(source)
        if document_id is None:
            continue
        if outcome in ("withdrawn", "duplicate"):
            state.pop(document_id, None)
        elif version_id is not None:
            state[document_id] = version_id
    return state


def current_state(session: Session) -> dict[int, int]:
    """Document id -> its latest version, for every document not withdrawn: what the views show."""
    query = (
        select(DocumentVersionRow.document_id, func.max(DocumentVersionRow.id))
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(DocumentRow.withdrawn_at.is_(None), DocumentRow.duplicate_of.is_(None))
        .group_by(DocumentVersionRow.document_id)
    )
    return dict(session.execute(query).all())


def read_versions(session: Session, version_ids: Iterable[int], context: bool = True) -> dict[int, VersionRecords]:
    """Version id -> everything it holds (records with evidence and references, warnings).

    With ``context`` each record's evidence gets the sentence around it, which
    means reading the versions' whole texts; an export needs only the values.
    """
    ids = sorted(set(version_ids))
    found: dict[int, VersionRecords] = {}
    for chunk in chunks(ids):
        found.update(_read_chunk(session, chunk, context))
    return found


def _read_chunk(session: Session, ids: list[int], context: bool) -> dict[int, VersionRecords]:
    query = (
        select(DocumentVersionRow.id, DocumentVersionRow.sha256, DocumentRow.source, DocumentRow.name)
        .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        .where(DocumentVersionRow.id.in_(ids))
    )
    found = {
        version_id: VersionRecords(source=source, name=name, version_id=version_id, sha256=sha256)
        for version_id, sha256, source, name in session.execute(query)
    }
    for version_id, record in _projects(session, ids):
        found[version_id].records["projects"].append(record)
    for version_id, record in _fundings(session, ids):
        found[version_id].records["fundings"].append(record)
    for version_id, record in _contacts(session, ids):
        found[version_id].records["contacts"].append(record)
    for version_id, record in _goals(session, ids):
        found[version_id].records["goals"].append(record)
    for version_id, warning in _warnings(session, ids):
        found[version_id].warnings.append(warning)
    if context:
        _add_contexts(session, found)
    return found


def _add_contexts(session: Session, found: dict[int, VersionRecords]) -> None:
    """Each record's evidence with the sentence around it; versions loaded before texts were kept go without."""
    query = select(VersionTextRow.version_id, VersionTextRow.text).where(VersionTextRow.version_id.in_(list(found)))
    for version_id, text in session.execute(query):
        held = found[version_id]
        held.records = {
            t: [replace(r, evidence=with_context(r.evidence, text)) if r.evidence else r for r in records]
            for t, records in held.records.items()
        }


def _evidence(row: Any) -> Evidence:
    return Evidence(row.page, row.char_start, row.char_end, row.evidence, row.rule)


def _record(record_type: str, row: Any, values: dict[str, Any]) -> StoredRecord:
    return StoredRecord(record_type, values, _evidence(row), f"{REFERENCE_LETTERS[record_type]}{row.id}")


def _projects(session: Session, ids: list[int]) -> Iterator[tuple[int, StoredRecord]]:
    mentions = list(session.scalars(select(ProjectMentionRow).where(ProjectMentionRow.version_id.in_(ids)).order_by(ProjectMentionRow.id)))
    mention_ids = [m.id for m in mentions]
    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    contacts: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(mention_ids):
        query = (
            select(ProjectOrganisationRow.mention_id, ProjectOrganisationRow.role, OrganisationRow.name)
            .join(OrganisationRow, OrganisationRow.id == ProjectOrganisationRow.organisation_id)
            .where(ProjectOrganisationRow.mention_id.in_(chunk))
            .order_by(ProjectOrganisationRow.role, ProjectOrganisationRow.position)
        )
        for mention_id, role, name in session.execute(query):
            roles[mention_id][role].append(name)
        query = (
            select(ProjectContactRow.project_mention_id, ContactMentionRow.email, ContactMentionRow.name)
            .join(ContactMentionRow, ContactMentionRow.id == ProjectContactRow.contact_mention_id)
            .where(ProjectContactRow.project_mention_id.in_(chunk))
            .order_by(ProjectContactRow.position)
        )
        for mention_id, email, name in session.execute(query):
            contacts[mention_id].append(email or name)
    for m in mentions:
        held = roles[m.id]
        values = {
            "name": m.name,
            "start_date": m.start_date,
            "end_date": m.end_date,
            "status": m.status,
            "theme": m.theme,
            "coordinator": held["coordinator"][0] if held["coordinator"] else None,
            "partners": list(held["partner"]),
            "funders": list(held["funder"]),
            "contacts": contacts[m.id],
        }
        yield m.version_id, _record("projects", m, values)


def _fundings(session: Session, ids: list[int]) -> Iterator[tuple[int, StoredRecord]]:
    query = (
        select(FundingRow, OrganisationRow.name)
        .outerjoin(OrganisationRow, OrganisationRow.id == FundingRow.funder_id)
        .where(FundingRow.version_id.in_(ids))
        .order_by(FundingRow.id)
    )
    for funding, funder in session.execute(query):
        values = {
            "project": funding.project_name,
            "funder": funder,
            "amount_eur": plain_number(funding.amount_eur),
            "qualifier": funding.qualifier,
            "instrument": funding.instrument,
        }
        yield funding.version_id, _record("fundings", funding, values)


def plain_number(value: Decimal | float | None) -> int | float | None:
    """A stored sum as JSON writes it: whole euros as an int."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number == int(number) else number


def _contacts(session: Session, ids: list[int]) -> Iterator[tuple[int, StoredRecord]]:
    query = (
        select(ContactMentionRow, OrganisationRow.name, ProjectMentionRow.name)
        .outerjoin(OrganisationRow, OrganisationRow.id == ContactMentionRow.organisation_id)
        .outerjoin(ProjectMentionRow, ProjectMentionRow.id == ContactMentionRow.project_mention_id)
        .where(ContactMentionRow.version_id.in_(ids))
        .order_by(ContactMentionRow.id)
    )
    for contact, organisation, project in session.execute(query):
        values = {
            "name": contact.name,
            "title": contact.title,
            "email": contact.email,
            "phone": contact.phone,
            "organization": organisation,
            "project": project,
        }
        yield contact.version_id, _record("contacts", contact, values)


def _goals(session: Session, ids: list[int]) -> Iterator[tuple[int, StoredRecord]]:
    goals = list(session.scalars(select(GoalRow).where(GoalRow.version_id.in_(ids)).order_by(GoalRow.id)))
    items: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for chunk in chunks([g.id for g in goals]):
        query = (
            select(GoalItemRow.goal_id, GoalItemRow.kind, GoalItemRow.text)
            .where(GoalItemRow.goal_id.in_(chunk))
            .order_by(GoalItemRow.goal_id, GoalItemRow.position)
        )
        for goal_id, kind, text in session.execute(query):
            items[goal_id][kind].append(text)
    for g in goals:
        values = {
            "section": g.section,
            "period": g.period,
            "objective": g.objective,
            "actions": list(items[g.id]["action"]),
            "indicators": list(items[g.id]["indicator"]),
        }
        yield g.version_id, _record("goals", g, values)


def _warnings(session: Session, ids: list[int]) -> Iterator[tuple[int, WarningNote]]:
    query = select(ReaderWarningRow).where(ReaderWarningRow.version_id.in_(ids)).order_by(ReaderWarningRow.id)
    for row in session.scalars(query):
        yield row.version_id, WarningNote(row.code, row.message, row.page)
    query2 = select(ExtractionWarningRow).where(ExtractionWarningRow.version_id.in_(ids)).order_by(ExtractionWarningRow.id)
    for warning in session.scalars(query2):
        yield warning.version_id, WarningNote(warning.code, warning.message, warning.page)
