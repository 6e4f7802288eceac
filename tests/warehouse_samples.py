"""Hand-made extractions for warehouse tests: exactly known records, no extractor in the way."""

from __future__ import annotations

import hashlib

from extractors.extraction import Extraction
from extractors.records import (
    ContactRecord,
    DocumentFacts,
    FundingRecord,
    GoalRecord,
    ProjectRecord,
    Provenance,
)
from pipeline.builder import DocumentBuilder
from pipeline.document import Document


def provenance(start: int = 0, end: int = 5, rule: str = "test") -> Provenance:
    return Provenance(
        document_sha256="0" * 64, page=1, start=start, end=end, text="Hanke", extractor="test", version="1", rule=rule,
        confidence=0.9,
    )


def document(source: str, text: str = "Hankkeet ja rahoitus") -> Document:
    builder = DocumentBuilder()
    builder.heading("Hankkeet", level=1)
    builder.paragraph(text)
    return builder.build(source=source, sha256=hashlib.sha256(text.encode()).hexdigest(), media_type="text/plain")


def extraction(
    *,
    title: str = "Hankelista",
    publisher: str | None = "Hämeen liitto",
    kind: str = "project_list",
    projects: tuple[ProjectRecord, ...] = (),
    fundings: tuple[FundingRecord, ...] = (),
    contacts: tuple[ContactRecord, ...] = (),
    goals: tuple[GoalRecord, ...] = (),
) -> Extraction:
    return Extraction(
        facts=DocumentFacts(title=title, publisher=publisher, kind=kind, language="fi"),
        projects=projects,
        fundings=fundings,
        contacts=contacts,
        goals=goals,
        contact_channels=(),
        organisations=(),
        date_warnings=(),
    )


def project(name: str, **fields) -> ProjectRecord:  # type: ignore[no-untyped-def]
    return ProjectRecord(name=name, provenance=provenance(), **fields)


def funding(project_name: str | None, amount: float | None, **fields) -> FundingRecord:  # type: ignore[no-untyped-def]
    fields.setdefault("qualifier", "exact" if amount is not None else None)
    return FundingRecord(provenance=provenance(), project=project_name, amount_eur=amount, **fields)


def contact(name: str | None, **fields) -> ContactRecord:  # type: ignore[no-untyped-def]
    return ContactRecord(name=name, provenance=provenance(), **fields)


def goal(objective: str, **fields) -> GoalRecord:  # type: ignore[no-untyped-def]
    return GoalRecord(objective=objective, provenance=provenance(), **fields)
