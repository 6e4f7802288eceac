"""Loads extraction results into the warehouse, one document per transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from extractors.contact_channels import ContactChannelRecord
from extractors.extraction import Extraction
from extractors.organisations import aliases_of, organisation_type
from extractors.records import ContactRecord, FundingRecord, GoalRecord, ProjectRecord, Provenance
from pipeline.document import Document
from warehouse.identity import contact_key, project_key
from warehouse.models import (
    ContactChannelRow,
    ContactMentionRow,
    ContactRow,
    DocumentRow,
    DocumentVersionRow,
    ExtractionRunRow,
    ExtractionWarningRow,
    FundingRow,
    GoalItemRow,
    GoalRow,
    OrganisationAliasRow,
    OrganisationRow,
    ProjectContactRow,
    ProjectMentionRow,
    ProjectOrganisationRow,
    ProjectRow,
    ReaderWarningRow,
    RunDocumentRow,
    RunFailureRow,
    VersionTextRow,
)

LoadOutcome = Literal["new", "changed", "unchanged", "duplicate"]


@dataclass
class RunSummary:
    """What one run did, per document, as data."""

    run_id: int
    extractor_version: str
    outcomes: dict[str, LoadOutcome] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    # Source -> the document whose bytes it repeats (outcome "duplicate").
    duplicates: dict[str, str] = field(default_factory=dict)
    # Runs found unfinished when this one started: killed, now marked aborted.
    aborted_runs: list[int] = field(default_factory=list)
    records_added: int = 0
    records_changed: int = 0
    # F1 per record type (and overall) against gold answers, when the run's documents have any.
    evaluation: dict[str, float] = field(default_factory=dict)
    evaluation_error: str | None = None

    def count(self, outcome: LoadOutcome) -> int:
        return sum(1 for o in self.outcomes.values() if o == outcome)


def _now() -> datetime:
    return datetime.now(UTC)


def start_run(engine: Engine, extractor_version: str) -> int:
    with Session(engine) as session, session.begin():
        run = ExtractionRunRow(started_at=_now(), extractor_version=extractor_version, status="running")
        session.add(run)
        session.flush()
        return run.id


def finish_run(engine: Engine, summary: RunSummary) -> None:
    with Session(engine) as session, session.begin():
        run = session.get_one(ExtractionRunRow, summary.run_id)
        run.finished_at = _now()
        run.status = "finished"
        run.documents_new = summary.count("new")
        run.documents_changed = summary.count("changed")
        run.documents_unchanged = summary.count("unchanged")
        run.documents_failed = len(summary.failures)
        run.documents_withdrawn = len(summary.withdrawn)
        run.records_added = summary.records_added
        run.records_changed = summary.records_changed
        run.warnings = session.scalar(
            select(func.coalesce(func.sum(RunDocumentRow.warnings), 0)).where(RunDocumentRow.run_id == summary.run_id)
        )


def mark_aborted_runs(engine: Engine) -> list[int]:
    """Marks every run still 'running' as aborted; returns their ids.

    Call it holding the warehouse lock (``warehouse.run_lock``): a live run
    holds that lock, so any run still marked running then was killed.
    """
    with Session(engine) as session, session.begin():
        runs = session.scalars(select(ExtractionRunRow).where(ExtractionRunRow.status == "running")).all()
        for run in runs:
            run.status, run.finished_at = "aborted", _now()
        return [run.id for run in runs]


def rename_sources(engine: Engine, renames: dict[str, str]) -> None:
    """Gives documents (and their run history) new source names, e.g. the canonical form of a
    relative path an older plansift stored; a name already taken is left alone."""
    if not renames:
        return
    with Session(engine) as session, session.begin():
        taken = set(session.scalars(select(DocumentRow.source).where(DocumentRow.source.in_(renames.values()))))
        for old, new in renames.items():
            if new in taken:
                continue
            session.execute(update(DocumentRow).where(DocumentRow.source == old).values(source=new))
            session.execute(update(RunDocumentRow).where(RunDocumentRow.source == old).values(source=new))
            session.execute(update(RunFailureRow).where(RunFailureRow.source == old).values(source=new))
            taken.add(new)


def record_failure(engine: Engine, run_id: int, source: str, reason: str, detail: str) -> None:
    with Session(engine) as session, session.begin():
        session.add(RunFailureRow(run_id=run_id, source=source, reason=reason, detail=detail))
        session.add(RunDocumentRow(run_id=run_id, source=source, outcome="failed"))


@dataclass(frozen=True)
class KnownSource:
    """What the warehouse holds of a source: the contents this extractor version loaded, and HTTP validators."""

    sha256s: frozenset[str]
    etag: str | None = None
    last_modified: str | None = None


def known_sources(engine: Engine, extractor_version: str) -> dict[str, KnownSource]:
    """Every source with the SHA-256s loaded under ``extractor_version``: one query for the whole run."""
    query = select(DocumentRow.source, DocumentRow.etag, DocumentRow.last_modified, DocumentVersionRow.sha256).outerjoin(
        DocumentVersionRow,
        (DocumentVersionRow.document_id == DocumentRow.id) & (DocumentVersionRow.extractor_version == extractor_version),
    )
    found: dict[str, tuple[set[str], str | None, str | None]] = {}
    with Session(engine) as session:
        for source, etag, last_modified, sha256 in session.execute(query):
            hashes = found.setdefault(source, (set(), etag, last_modified))[0]
            if sha256:
                hashes.add(sha256)
    return {source: KnownSource(frozenset(h), e, m) for source, (h, e, m) in found.items()}


def record_unchanged(
    engine: Engine,
    run_id: int,
    source: str,
    validators: tuple[str | None, str | None] = (None, None),
    extractor_version: str | None = None,
    sha256: str | None = None,
) -> LoadOutcome:
    """Notes that a run saw ``source`` unchanged, without parsing it again, and which version it saw;
    a copy of another document stays one ("duplicate")."""
    with Session(engine) as session, session.begin():
        document = session.scalars(select(DocumentRow).where(DocumentRow.source == source)).one()
        document.last_seen = _now()
        document.withdrawn_at = None
        _keep_validators(document, validators)
        if document.duplicate_of is not None:
            session.add(RunDocumentRow(run_id=run_id, source=source, outcome="duplicate"))
            return "duplicate"
        seen = _seen_version(session, document.id, extractor_version, sha256)
        session.add(RunDocumentRow(run_id=run_id, source=source, outcome="unchanged", version_id=seen))
        return "unchanged"


def _seen_version(session: Session, document_id: int, extractor_version: str | None, sha256: str | None) -> int | None:
    # The run's record of which version it saw is what a diff of two runs compares.
    query = select(func.max(DocumentVersionRow.id)).where(DocumentVersionRow.document_id == document_id)
    if extractor_version is not None:
        query = query.where(DocumentVersionRow.extractor_version == extractor_version)
    if sha256 is not None:
        query = query.where(DocumentVersionRow.sha256 == sha256)
    return session.scalar(query)


def withdraw_missing(engine: Engine, run_id: int, folders: list[str], seen: set[str]) -> list[str]:
    """Marks as withdrawn the documents under ``folders`` that this run did not find; returns their sources.

    Their versions and records stay, as history; the current views leave them out.
    """
    with Session(engine) as session, session.begin():
        withdrawn = []
        for folder in folders:
            prefix = folder.rstrip("/\\") + "/"
            query = select(DocumentRow).where(
                DocumentRow.source.startswith(prefix, autoescape=True), DocumentRow.withdrawn_at.is_(None)
            )
            for document in session.scalars(query):
                if document.source not in seen:
                    document.withdrawn_at = _now()
                    session.add(RunDocumentRow(run_id=run_id, source=document.source, outcome="withdrawn"))
                    withdrawn.append(document.source)
        return withdrawn


def _keep_validators(row: DocumentRow, validators: tuple[str | None, str | None]) -> None:
    etag, last_modified = validators
    if etag or last_modified:
        row.etag, row.last_modified = etag, last_modified


def load_document(
    engine: Engine,
    run_id: int,
    extractor_version: str,
    document: Document,
    extraction: Extraction,
    validators: tuple[str | None, str | None] = (None, None),
) -> tuple[LoadOutcome, int]:
    """Stores a version of the document and its records, all or nothing.

    Returns the outcome and how many records were added. The same bytes read
    by the same extractor version add nothing ("unchanged"); bytes another
    live document holds already make this one a duplicate of it (see
    ``_settle_twins``). ``validators`` are the (ETag, Last-Modified) of an
    HTTP fetch, kept for the next one.
    """
    with Session(engine) as session, session.begin():
        row = session.scalar(select(DocumentRow).where(DocumentRow.source == document.source))
        now = _now()
        if row is None:
            row = DocumentRow(source=document.source, name=document.name, first_seen=now, last_seen=now)
            _keep_validators(row, validators)
            session.add(row)
            session.flush()
            outcome: LoadOutcome = "new"
        else:
            row.last_seen = now
            row.withdrawn_at = None
            _keep_validators(row, validators)
            seen = _seen_version(session, row.id, extractor_version, document.sha256)
            if seen is not None and row.duplicate_of is None:
                session.add(RunDocumentRow(run_id=run_id, source=document.source, outcome="unchanged", version_id=seen))
                return "unchanged", 0
            outcome = "changed" if seen is None else "unchanged"
            if seen is None:
                _release_duplicates(session, row.id)
        original = _settle_twins(session, run_id, row, extractor_version, document.sha256)
        if original is not row:
            session.add(RunDocumentRow(run_id=run_id, source=document.source, outcome="duplicate"))
            return "duplicate", 0
        if seen_again := _seen_version(session, row.id, extractor_version, document.sha256):
            session.add(RunDocumentRow(run_id=run_id, source=document.source, outcome="unchanged", version_id=seen_again))
            return "unchanged", 0
        version = _add_version(session, row.id, run_id, extractor_version, document, extraction, now)
        added = _add_records(session, version.id, document, extraction)
        warnings = len(document.warnings) + len(extraction.date_warnings)
        session.add(
            RunDocumentRow(
                run_id=run_id, source=document.source, outcome=outcome, version_id=version.id, records=added, warnings=warnings
            )
        )
        return outcome, added


def _settle_twins(session: Session, run_id: int, row: DocumentRow, extractor_version: str, sha256: str) -> DocumentRow:
    """Of the live documents whose current bytes are ``sha256`` (this one included), the one that
    holds the records: the first by source, whatever order a run loads them in. The others
    become its duplicates, so views and sums count the content once; returns the original."""
    twins = list(session.scalars(_twins_query(row.id, extractor_version, sha256)))
    original = min([row, *twins], key=lambda d: d.source)
    row.duplicate_of = None if original is row else original.id
    for twin in twins:
        if twin is not original and twin.duplicate_of != original.id:
            twin.duplicate_of = original.id
            session.add(RunDocumentRow(run_id=run_id, source=twin.source, outcome="duplicate"))
    return original


def _release_duplicates(session: Session, document_id: int) -> None:
    # The original's bytes changed: its copies hold their own content again (a run re-reads them).
    for copy in session.scalars(select(DocumentRow).where(DocumentRow.duplicate_of == document_id)):
        copy.duplicate_of = None


def _twins_query(document_id: int, extractor_version: str, sha256: str) -> Any:
    latest = (
        select(func.max(DocumentVersionRow.id))
        .where(DocumentVersionRow.document_id == DocumentRow.id)
        .correlate(DocumentRow)
        .scalar_subquery()
    )
    return (
        select(DocumentRow)
        .join(DocumentVersionRow, DocumentVersionRow.id == latest)
        .where(
            DocumentRow.id != document_id,
            DocumentRow.withdrawn_at.is_(None),
            DocumentVersionRow.sha256 == sha256,
            DocumentVersionRow.extractor_version == extractor_version,
        )
    )


def sources_without_content(engine: Engine, sources: list[str]) -> list[str]:
    """Of ``sources``, the live documents that are no copy and hold no version: copies whose
    original changed during the run, released to be read on their own."""
    has_version = select(DocumentVersionRow.id).where(DocumentVersionRow.document_id == DocumentRow.id).exists()
    query = select(DocumentRow.source).where(
        DocumentRow.duplicate_of.is_(None), DocumentRow.withdrawn_at.is_(None), ~has_version
    )
    wanted = set(sources)
    with Session(engine) as session:
        return [source for source in session.scalars(query) if source in wanted]


def duplicate_sources(engine: Engine) -> dict[str, str]:
    """Source -> the source of the document it duplicates, for every live duplicate."""
    original = aliased(DocumentRow)
    query = (
        select(DocumentRow.source, original.source)
        .join(original, original.id == DocumentRow.duplicate_of)
        .where(DocumentRow.withdrawn_at.is_(None))
    )
    with Session(engine) as session:
        return dict(session.execute(query).all())


def _add_version(
    session: Session,
    document_id: int,
    run_id: int,
    extractor_version: str,
    document: Document,
    extraction: Extraction,
    now: datetime,
) -> DocumentVersionRow:
    version = DocumentVersionRow(
        document_id=document_id,
        run_id=run_id,
        sha256=document.sha256,
        extractor_version=extractor_version,
        media_type=document.media_type,
        title=extraction.facts.title,
        publisher=extraction.facts.publisher,
        kind=extraction.facts.kind,
        language=extraction.facts.language,
        page_count=document.page_count,
        char_count=len(document.text),
        loaded_at=now,
    )
    session.add(version)
    session.flush()
    session.add(VersionTextRow(version_id=version.id, text=document.text))
    session.add_all(
        ReaderWarningRow(version_id=version.id, code=w.code, message=w.message, page=w.page)
        for w in document.warnings
    )
    return version


def _add_records(session: Session, version_id: int, document: Document, extraction: Extraction) -> int:
    """Stores every record of the extraction under the version; returns how many."""
    session.add_all(_contact_channel_row(version_id, r) for r in extraction.contact_channels)
    projects = {p.name: _add_project(session, version_id, p) for p in extraction.projects}
    contacts = [_add_contact(session, version_id, c, projects) for c in extraction.contacts]
    _link_project_contacts(session, extraction.projects, projects, contacts)
    for funding in extraction.fundings:
        _add_funding(session, version_id, funding, projects)
    for goal in extraction.goals:
        _add_goal(session, version_id, goal)
    for warning in extraction.date_warnings:
        session.add(
            ExtractionWarningRow(
                version_id=version_id,
                code="impossible_date",
                message=warning.message,
                page=document.page_at(warning.start),
                char_start=warning.start,
                char_end=warning.end,
            )
        )
    return extraction.record_count


def _provenance_columns(p: Provenance) -> dict[str, Any]:
    return {
        "page": p.page,
        "char_start": p.start,
        "char_end": p.end,
        "evidence": p.text,
        "extractor": p.extractor,
        "extractor_version": p.version,
        "rule": p.rule,
        "confidence": p.confidence,
    }


def _get_or_add(session: Session, column: Any, value: str, make: Callable[[], Any]) -> int:
    """The id of the row whose unique ``column`` is ``value``, added by ``make`` if new.

    Safe under concurrent loads: a row another transaction added first wins.
    """
    found = session.scalar(select(column.class_.id).where(column == value))
    if found is not None:
        return found
    try:
        with session.begin_nested():
            row = make()
            session.add(row)
        return row.id
    except IntegrityError:
        added_meanwhile = session.scalar(select(column.class_.id).where(column == value))
        if added_meanwhile is None:
            raise  # not the race on the unique key: some other constraint failed
        return added_meanwhile


def organisation_id(session: Session, name: str) -> int:
    """The row id of the organisation called ``name``, added with its known aliases if new."""

    def make() -> OrganisationRow:
        row = OrganisationRow(name=name, type=organisation_type(name))
        row.aliases = [OrganisationAliasRow(alias=alias) for alias in aliases_of(name)]
        return row

    return _get_or_add(session, OrganisationRow.name, name, make)


def project_id(session: Session, name: str) -> int:
    """The project entity the name belongs to, added if no document named it before."""
    return _get_or_add(session, ProjectRow.key, project_key(name), lambda: ProjectRow(key=project_key(name), name=name))


def _add_project(session: Session, version_id: int, project: ProjectRecord) -> int:
    row = ProjectMentionRow(
        version_id=version_id,
        project_id=project_id(session, project.name),
        name=project.name,
        start_date=project.start_date,
        end_date=project.end_date,
        status=project.status,
        theme=project.theme,
        **_provenance_columns(project.provenance),
    )
    session.add(row)
    session.flush()
    roles = [("coordinator", [project.coordinator] if project.coordinator else [])]
    roles += [("partner", list(project.partners)), ("funder", list(project.funders))]
    for role, names in roles:
        for position, name in enumerate(dict.fromkeys(names)):
            session.add(
                ProjectOrganisationRow(
                    mention_id=row.id, organisation_id=organisation_id(session, name), role=role, position=position
                )
            )
    return row.id


def contact_id(session: Session, contact: ContactRecord, organisation: int | None) -> int:
    """The contact entity: the same e-mail anywhere is one person; their latest details win."""
    key = contact_key(contact.name, contact.email, contact.organization, contact.phone)
    values = {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone}
    values["organisation_id"] = organisation
    found = _get_or_add(session, ContactRow.key, key, lambda: ContactRow(key=key, **values))
    entity = session.get_one(ContactRow, found)
    for column, value in values.items():
        if value is not None:
            setattr(entity, column, value)
    return found


def _add_contact(session: Session, version_id: int, contact: ContactRecord, projects: dict[str, int]) -> ContactMentionRow:
    organisation = organisation_id(session, contact.organization) if contact.organization else None
    row = ContactMentionRow(
        version_id=version_id,
        contact_id=contact_id(session, contact, organisation),
        name=contact.name,
        title=contact.title,
        email=contact.email,
        phone=contact.phone,
        organisation_id=organisation,
        project_mention_id=projects.get(contact.project) if contact.project else None,
        **_provenance_columns(contact.provenance),
    )
    session.add(row)
    session.flush()
    return row


def _link_project_contacts(
    session: Session, records: tuple[ProjectRecord, ...], projects: dict[str, int], contacts: list[ContactMentionRow]
) -> None:
    by_key: dict[str, int] = {}
    for row in contacts:
        for key in (row.email, row.name):
            if key:
                by_key.setdefault(key, row.id)
    for record in records:
        keys = [key for key in dict.fromkeys(record.contacts) if key in by_key]
        for position, key in enumerate(keys):
            session.add(
                ProjectContactRow(project_mention_id=projects[record.name], contact_mention_id=by_key[key], position=position)
            )


def _add_funding(session: Session, version_id: int, funding: FundingRecord, projects: dict[str, int]) -> None:
    mention = projects.get(funding.project) if funding.project else None
    session.add(
        FundingRow(
            version_id=version_id,
            project_mention_id=mention,
            project_id=session.get_one(ProjectMentionRow, mention).project_id if mention else None,
            project_name=funding.project,
            funder_id=organisation_id(session, funding.funder) if funding.funder else None,
            amount_eur=Decimal(str(funding.amount_eur)) if funding.amount_eur is not None else None,
            qualifier=funding.qualifier,
            instrument=funding.instrument,
            is_total=funding.is_total,
            **_provenance_columns(funding.provenance),
        )
    )


def _add_goal(session: Session, version_id: int, goal: GoalRecord) -> None:
    row = GoalRow(
        version_id=version_id,
        section=goal.section,
        period=goal.period,
        objective=goal.objective,
        **_provenance_columns(goal.provenance),
    )
    session.add(row)
    session.flush()
    items = [("action", t) for t in goal.actions] + [("indicator", t) for t in goal.indicators]
    positions: dict[str, int] = {}
    for kind, text in items:
        positions[kind] = positions.get(kind, -1) + 1
        session.add(GoalItemRow(goal_id=row.id, kind=kind, position=positions[kind], text=text))


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
