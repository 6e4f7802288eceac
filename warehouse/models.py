"""The warehouse schema as SQLAlchemy 2.0 typed models."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# Named constraints let migrations drop and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DocumentRow(Base):
    """A source (path or URL); its content lives in versions."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str] = mapped_column(String(500), index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when a run no longer finds the source; its versions stay as history.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The HTTP validators of the latest fetch, sent back to ask "changed since?".
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # Set when the source's bytes are those of another document's current version
    # (a copy under another name): it is that document, counted once.
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)

    versions: Mapped[list[DocumentVersionRow]] = relationship(
        back_populates="document", lazy="raise", order_by="DocumentVersionRow.id"
    )


class ExtractionRunRow(Base):
    """One ingestion run: which extractor version, and what happened to each document."""

    __tablename__ = "extraction_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # running, finished, or aborted: a run killed before it finished, so marked by the next one.
    status: Mapped[str] = mapped_column(String(20), default="running", server_default="finished")
    extractor_version: Mapped[str] = mapped_column(String(100))
    documents_new: Mapped[int] = mapped_column(Integer, default=0)
    documents_changed: Mapped[int] = mapped_column(Integer, default=0)
    documents_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    documents_failed: Mapped[int] = mapped_column(Integer, default=0)
    documents_withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    records_added: Mapped[int] = mapped_column(Integer, default=0)
    # Of records_added, those that replace an earlier version's records.
    records_changed: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)


class RunDocumentRow(Base):
    """What one run did with one source: new, changed, unchanged or failed."""

    __tablename__ = "run_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id"), index=True)
    source: Mapped[str] = mapped_column(String(2000), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("document_versions.id"), index=True)
    records: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)


class DocumentVersionRow(Base):
    """The content of a source at one moment; a changed file is a new row, never an overwrite."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "sha256", "extractor_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    extractor_version: Mapped[str] = mapped_column(String(100))
    media_type: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(1000))
    publisher: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8))
    page_count: Mapped[int] = mapped_column(Integer)
    char_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    document: Mapped[DocumentRow] = relationship(back_populates="versions", lazy="raise")


class VersionTextRow(Base):
    """The text of a version as the reader produced it: the characters every record's span points into."""

    __tablename__ = "version_texts"

    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class ReaderWarningRow(Base):
    """Something the reader worked around in a version (encoding guessed, pages OCR'd...)."""

    __tablename__ = "reader_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)


class RunFailureRow(Base):
    """A document a run could not read or load, with the typed reason."""

    __tablename__ = "run_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id"), index=True)
    source: Mapped[str] = mapped_column(String(2000), index=True)
    reason: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text)


class ContactChannelRow(Base):
    """An e-mail address or phone number found in a version, with its provenance."""

    __tablename__ = "contact_channels"
    __table_args__ = (Index(None, "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(500))
    page: Mapped[int] = mapped_column(Integer)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    extractor: Mapped[str] = mapped_column(String(100))
    extractor_version: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)


class ProvenanceColumns:
    """Where a record came from: its version, page, exact characters, and the rule that found it."""

    @declared_attr
    def version_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy passes the class
        return mapped_column(ForeignKey("document_versions.id"), index=True)

    page: Mapped[int] = mapped_column(Integer)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    extractor: Mapped[str] = mapped_column(String(100))
    extractor_version: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)


class OrganisationRow(Base):
    """An organisation by its official name; the same one in every document is one row."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    type: Mapped[str] = mapped_column(String(40))

    aliases: Mapped[list[OrganisationAliasRow]] = relationship(lazy="raise")


class OrganisationAliasRow(Base):
    """Another name an organisation goes by (an abbreviation, an older or shorter form)."""

    __tablename__ = "organisation_aliases"
    __table_args__ = (UniqueConstraint("organisation_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    alias: Mapped[str] = mapped_column(String(500), index=True)


class ProjectRow(Base):
    """A project as one entity, however many documents mention it.

    ``key`` is the name with case, quotes, dashes and a trailing "-hanke"
    evened out (see ``warehouse.identity``); what each document says of the
    project lives in its mentions.
    """

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(1000), unique=True)
    name: Mapped[str] = mapped_column(String(1000), index=True)


class ProjectMentionRow(ProvenanceColumns, Base):
    """A project as one document version states it."""

    __tablename__ = "project_mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(1000))
    start_date: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str | None] = mapped_column(String(20))
    theme: Mapped[str | None] = mapped_column(String(1000))


class ProjectOrganisationRow(Base):
    """An organisation's role in a project mention: coordinator, partner or funder."""

    __tablename__ = "project_organisations"
    __table_args__ = (UniqueConstraint("mention_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("project_mentions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)


class ContactRow(Base):
    """A contact person as one entity: the same e-mail address in any document is the same person.

    Without an e-mail the name (and organisation, when known) is the key.
    The other columns hold the latest values any mention gave.
    """

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(700), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(300), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)


class ContactMentionRow(ProvenanceColumns, Base):
    """A contact person as one document version gives them."""

    __tablename__ = "contact_mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    project_mention_id: Mapped[int | None] = mapped_column(ForeignKey("project_mentions.id"), index=True)


class ProjectContactRow(Base):
    """A contact listed for a project mention, in the order the document lists them."""

    __tablename__ = "project_contacts"
    __table_args__ = (UniqueConstraint("project_mention_id", "contact_mention_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_mention_id: Mapped[int] = mapped_column(ForeignKey("project_mentions.id"), index=True)
    contact_mention_id: Mapped[int] = mapped_column(ForeignKey("contact_mentions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class FundingRow(ProvenanceColumns, Base):
    """A sum (or a funding relation) tied to a project, a funder and an instrument.

    ``project_mention_id`` is the project as this document states it;
    ``project_id`` the project entity, for joins across documents.
    """

    __tablename__ = "fundings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_mention_id: Mapped[int | None] = mapped_column(ForeignKey("project_mentions.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    project_name: Mapped[str | None] = mapped_column(String(1000))
    funder_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    amount_eur: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    qualifier: Mapped[str | None] = mapped_column(String(10))
    instrument: Mapped[str | None] = mapped_column(String(100), index=True)
    # The sum is a stated total of other sums in the same version (a programme's
    # budget over its projects' sums, a "yhteensä" row): sums over funders leave it out.
    is_total: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class GoalRow(ProvenanceColumns, Base):
    """An objective of a plan; its actions and indicators are goal items."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    section: Mapped[str | None] = mapped_column(String(1000))
    period: Mapped[str | None] = mapped_column(String(100))
    objective: Mapped[str] = mapped_column(Text)


class GoalItemRow(Base):
    """An action (toimenpide) or indicator (mittari) of a goal, in order."""

    __tablename__ = "goal_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class ExtractionWarningRow(Base):
    """Something an extractor noticed in a version, such as an impossible date, with its place."""

    __tablename__ = "extraction_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)


class RunEvaluationRow(Base):
    """How a run's extractions scored against gold answers, per record type ("overall" for all)."""

    __tablename__ = "run_evaluations"
    __table_args__ = (UniqueConstraint("run_id", "record_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(20))
    right: Mapped[int] = mapped_column(Integer)
    predicted: Mapped[int] = mapped_column(Integer)
    gold: Mapped[int] = mapped_column(Integer)
    f1: Mapped[float] = mapped_column(Float)
    # How many of the run's documents had a gold answer.
    documents: Mapped[int] = mapped_column(Integer)
    evaluated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewApprovalRow(Base):
    """A run a reviewer approved as the baseline later runs are compared with; the latest row is the baseline."""

    __tablename__ = "review_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id"), index=True)
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)


class ReviewMarkRow(Base):
    """A reviewer's verdict on one extracted value (or a whole record when ``field`` is empty).

    ``record_table`` and ``record_id`` name the row holding the value
    (project_mentions, fundings, contact_mentions or goals); the value as it
    was when marked is kept, so the verdict stays readable on its own. The
    latest mark of a value is the one that counts; earlier ones are history.
    """

    __tablename__ = "review_marks"
    __table_args__ = (Index(None, "record_table", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_table: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), index=True)
    field: Mapped[str | None] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    marked_by: Mapped[str] = mapped_column(String(200))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
