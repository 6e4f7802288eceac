"""The warehouse schema as SQLAlchemy 2.0 typed models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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

    versions: Mapped[list[DocumentVersionRow]] = relationship(
        back_populates="document", lazy="raise", order_by="DocumentVersionRow.id"
    )


class ExtractionRunRow(Base):
    """One ingestion run: which extractor version, and what happened to each document."""

    __tablename__ = "extraction_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    extractor_version: Mapped[str] = mapped_column(String(100))
    documents_new: Mapped[int] = mapped_column(Integer, default=0)
    documents_changed: Mapped[int] = mapped_column(Integer, default=0)
    documents_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    documents_failed: Mapped[int] = mapped_column(Integer, default=0)
    records_added: Mapped[int] = mapped_column(Integer, default=0)


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
    language: Mapped[str | None] = mapped_column(String(8))
    page_count: Mapped[int] = mapped_column(Integer)
    char_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    document: Mapped[DocumentRow] = relationship(back_populates="versions", lazy="raise")


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
