"""Reads the current version of each document back out of the warehouse as interchange objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from warehouse.models import DocumentRow, DocumentVersionRow
from warehouse.snapshots import chunks, read_versions


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
        for chunk in chunks(current_versions(session)):
            held = read_versions(session, [version.id for _, version in chunk], context=False)
            for document, version in chunk:
                yield document.name, {**held[version.id].interchange(), "document": _facts(document, version)}


def _facts(document: DocumentRow, version: DocumentVersionRow) -> dict[str, Any]:
    return {
        "id": document.name,
        "title": version.title,
        "publisher": version.publisher,
        "kind": version.kind,
        "language": version.language,
    }
