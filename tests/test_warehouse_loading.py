"""The warehouse on SQLite and PostgreSQL: migrations match models, loads are atomic and idempotent."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractors.extraction import extract
from pipeline.builder import DocumentBuilder
from warehouse.connection import WarehouseURLError, open_engine
from warehouse.loading import RunSummary, finish_run, load_document, record_failure, start_run
from warehouse.models import (
    Base,
    ContactChannelRow,
    DocumentRow,
    DocumentVersionRow,
    ExtractionRunRow,
    ReaderWarningRow,
    RunFailureRow,
)
from warehouse.schema import upgrade


def make_document(text: str, source: str = "inbox/hankkeet.txt"):
    import hashlib

    builder = DocumentBuilder()
    builder.heading("Hankkeet", level=1)
    builder.paragraph(text)
    builder.warn("encoding", "decoded as cp1252")
    return builder.build(source=source, sha256=hashlib.sha256(text.encode()).hexdigest(), media_type="text/plain")


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_migrated_database_matches_the_models(engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_twice_is_harmless(engine) -> None:
    upgrade(engine)
    assert count(engine, DocumentRow) == 0


def test_loading_the_same_bytes_again_adds_nothing(engine) -> None:
    document = make_document("Yhteyshenkilö: maija.meikalainen@forssa.fi, puh. 040 123 4567.")
    run = start_run(engine, "v1")
    assert load_document(engine, run, "v1", document, extract(document))[0] == "new"
    assert load_document(engine, run, "v1", document, extract(document)) == ("unchanged", 0)
    assert count(engine, DocumentVersionRow) == 1
    assert count(engine, ContactChannelRow) == 2
    assert count(engine, ReaderWarningRow) == 1


def test_changed_bytes_make_a_new_version_and_keep_the_old(engine) -> None:
    run = start_run(engine, "v1")
    first = make_document("Yhteyshenkilö: maija.meikalainen@forssa.fi")
    second = make_document("Yhteyshenkilö: matti.meikalainen@forssa.fi")
    load_document(engine, run, "v1", first, extract(first))
    assert load_document(engine, run, "v1", second, extract(second))[0] == "changed"
    with Session(engine) as session:
        versions = session.scalars(select(DocumentVersionRow.sha256).order_by(DocumentVersionRow.id)).all()
        values = session.scalars(select(ContactChannelRow.value).order_by(ContactChannelRow.id)).all()
    assert versions == [first.sha256, second.sha256]
    assert values == ["maija.meikalainen@forssa.fi", "matti.meikalainen@forssa.fi"]


def test_a_new_extractor_version_re_extracts_the_same_bytes(engine) -> None:
    document = make_document("info@hame.fi")
    run = start_run(engine, "v1")
    load_document(engine, run, "v1", document, extract(document))
    assert load_document(engine, run, "v2", document, extract(document))[0] == "changed"


def test_a_failing_load_leaves_nothing_half_written(engine) -> None:
    good = make_document("info@hame.fi", source="a.txt")
    run = start_run(engine, "v1")
    load_document(engine, run, "v1", good, extract(good))
    broken = make_document("toinen@hame.fi", source="b.txt")
    extraction = extract(broken)
    extraction = replace(extraction, contact_channels=(*extraction.contact_channels, "not a record"))
    with pytest.raises(AttributeError):
        load_document(engine, run, "v1", broken, extraction)
    assert count(engine, DocumentRow) == 1
    assert count(engine, DocumentVersionRow) == 1
    assert count(engine, ContactChannelRow) == 1


def test_runs_record_their_counts_and_failures(engine) -> None:
    run = start_run(engine, "v1")
    record_failure(engine, run, "bad.pdf", "corrupt", "not a PDF")
    summary = RunSummary(run_id=run, extractor_version="v1", outcomes={"a": "new", "b": "unchanged"})
    summary.failures.append(("bad.pdf", "corrupt", "not a PDF"))
    finish_run(engine, summary)
    with Session(engine) as session:
        row = session.get_one(ExtractionRunRow, run)
        failure = session.scalars(select(RunFailureRow)).one()
    assert (row.documents_new, row.documents_unchanged, row.documents_failed) == (1, 1, 1)
    assert row.finished_at is not None
    assert (failure.source, failure.reason) == ("bad.pdf", "corrupt")


def test_a_bad_url_says_what_a_good_one_looks_like() -> None:
    with pytest.raises(WarehouseURLError, match="sqlite:///var/plansift.db"):
        open_engine("not a url")


def test_only_documents_under_the_given_folders_are_withdrawn(engine) -> None:
    from warehouse.loading import withdraw_missing

    run = start_run(engine, "v1")
    for source in ("inbox/a.txt", "inbox/sub/b.txt", "inbox_other/c.txt", "elsewhere/d.txt"):
        load_document(engine, run, "v1", make_document(f"Teksti {source}", source=source), extract(make_document("x")))
    withdrawn = withdraw_missing(engine, run, ["inbox"], seen={"inbox/a.txt"})
    assert withdrawn == ["inbox/sub/b.txt"]
    # Already withdrawn: not withdrawn twice.
    assert withdraw_missing(engine, run, ["inbox"], seen={"inbox/a.txt"}) == []
    with Session(engine) as session:
        flagged = session.scalars(select(DocumentRow.source).where(DocumentRow.withdrawn_at.is_not(None))).all()
    assert flagged == ["inbox/sub/b.txt"]
