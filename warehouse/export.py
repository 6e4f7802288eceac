"""Reads the current version of each document back out of the warehouse as interchange objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from warehouse.models import (
    ContactMentionRow,
    DocumentRow,
    DocumentVersionRow,
    FundingRow,
    GoalItemRow,
    GoalRow,
    OrganisationRow,
    ProjectContactRow,
    ProjectMentionRow,
    ProjectOrganisationRow,
)


def current_versions(session: Session) -> list[tuple[DocumentRow, DocumentVersionRow]]:
    """Each document with its latest version, in source order."""
    latest = select(DocumentVersionRow.document_id, func.max(DocumentVersionRow.id).label("id")).group_by(
        DocumentVersionRow.document_id
    ).subquery()
    query = (
        select(DocumentRow, DocumentVersionRow)
        .join(latest, latest.c.document_id == DocumentRow.id)
        .join(DocumentVersionRow, DocumentVersionRow.id == latest.c.id)
        .order_by(DocumentRow.source)
    )
    return [(d, v) for d, v in session.execute(query).all()]


def export_interchange(engine: Engine) -> Iterator[tuple[str, dict[str, Any]]]:
    """(document name, interchange object) for the current version of every document."""
    with Session(engine) as session:
        for document, version in current_versions(session):
            yield document.name, _interchange(session, document, version)


def _interchange(session: Session, document: DocumentRow, version: DocumentVersionRow) -> dict[str, Any]:
    return {
        "document": {
            "id": document.name,
            "title": version.title,
            "publisher": version.publisher,
            "kind": version.kind,
            "language": version.language,
        },
        "projects": _projects(session, version.id),
        "fundings": _fundings(session, version.id),
        "contacts": _contacts(session, version.id),
        "goals": _goals(session, version.id),
    }


def _projects(session: Session, version_id: int) -> list[dict[str, Any]]:
    out = []
    mentions = select(ProjectMentionRow).where(ProjectMentionRow.version_id == version_id).order_by(ProjectMentionRow.id)
    for project in session.scalars(mentions):
        roles = session.execute(
            select(ProjectOrganisationRow.role, OrganisationRow.name)
            .join(OrganisationRow, OrganisationRow.id == ProjectOrganisationRow.organisation_id)
            .where(ProjectOrganisationRow.mention_id == project.id)
            .order_by(ProjectOrganisationRow.role, ProjectOrganisationRow.position)
        ).all()
        contacts = session.execute(
            select(ContactMentionRow.email, ContactMentionRow.name)
            .join(ProjectContactRow, ProjectContactRow.contact_mention_id == ContactMentionRow.id)
            .where(ProjectContactRow.project_mention_id == project.id)
            .order_by(ProjectContactRow.position)
        ).all()
        coordinator = [name for role, name in roles if role == "coordinator"]
        out.append(
            {
                "name": project.name,
                "start_date": project.start_date,
                "end_date": project.end_date,
                "status": project.status,
                "theme": project.theme,
                "coordinator": coordinator[0] if coordinator else None,
                "partners": [name for role, name in roles if role == "partner"],
                "funders": [name for role, name in roles if role == "funder"],
                "contacts": [email or name for email, name in contacts],
            }
        )
    return out


def _fundings(session: Session, version_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(FundingRow, OrganisationRow.name)
        .outerjoin(OrganisationRow, OrganisationRow.id == FundingRow.funder_id)
        .where(FundingRow.version_id == version_id)
        .order_by(FundingRow.id)
    ).all()
    return [
        {
            "project": funding.project_name,
            "funder": funder,
            "amount_eur": _number(funding.amount_eur),
            "qualifier": funding.qualifier,
            "instrument": funding.instrument,
        }
        for funding, funder in rows
    ]


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number == int(number) else number


def _contacts(session: Session, version_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ContactMentionRow, OrganisationRow.name, ProjectMentionRow.name)
        .outerjoin(OrganisationRow, OrganisationRow.id == ContactMentionRow.organisation_id)
        .outerjoin(ProjectMentionRow, ProjectMentionRow.id == ContactMentionRow.project_mention_id)
        .where(ContactMentionRow.version_id == version_id)
        .order_by(ContactMentionRow.id)
    ).all()
    return [
        {
            "name": contact.name,
            "title": contact.title,
            "email": contact.email,
            "phone": contact.phone,
            "organization": organisation,
            "project": project,
        }
        for contact, organisation, project in rows
    ]


def _goals(session: Session, version_id: int) -> list[dict[str, Any]]:
    out = []
    for goal in session.scalars(select(GoalRow).where(GoalRow.version_id == version_id).order_by(GoalRow.id)):
        items = session.execute(
            select(GoalItemRow.kind, GoalItemRow.text).where(GoalItemRow.goal_id == goal.id).order_by(GoalItemRow.position)
        ).all()
        out.append(
            {
                "section": goal.section,
                "period": goal.period,
                "objective": goal.objective,
                "actions": [text for kind, text in items if kind == "action"],
                "indicators": [text for kind, text in items if kind == "indicator"],
            }
        )
    return out
