"""What goes into the warehouse comes back out as the same interchange objects, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractors.extraction import extract
from extractors.interchange import interchange_of
from pipeline.readers import read_file
from warehouse.connection import open_engine
from warehouse.export import export_interchange
from warehouse.loading import load_document, start_run
from warehouse.models import ExtractionWarningRow, OrganisationRow
from warehouse.schema import upgrade


@pytest.fixture(scope="module")
def extracted(seed_paths):
    documents = [read_file(path) for path in seed_paths]
    return [(document, extract(document)) for document in documents]


def test_export_returns_what_was_loaded(db_url, extracted) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    run = start_run(engine, "test")
    for document, extraction in extracted:
        load_document(engine, run, "test", document, extraction)
    exported = dict(export_interchange(engine))
    expected = {document.name: interchange_of(document.name, extraction) for document, extraction in extracted}
    assert exported == expected
    engine.dispose()


def test_an_organisation_named_in_several_documents_is_one_row(db_url, extracted) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    run = start_run(engine, "test")
    for document, extraction in extracted:
        load_document(engine, run, "test", document, extraction)
    with Session(engine) as session:
        names = session.scalars(select(OrganisationRow.name)).all()
        warnings = session.scalars(select(ExtractionWarningRow.message)).all()
    assert len(names) == len(set(names))
    assert "Hämeenlinnan kaupunki" in names
    assert "impossible date 31.11.2021: November has 30 days" in warnings
    engine.dispose()


def test_only_the_current_version_is_exported(tmp_path, extracted) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    upgrade(engine)
    document, extraction = extracted[0]
    run = start_run(engine, "v1")
    load_document(engine, run, "v1", document, extraction)
    load_document(engine, run, "v2", document, extraction)  # a re-extraction: a second version
    exported = dict(export_interchange(engine))
    assert list(exported) == [document.name]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(OrganisationRow)) > 0
