"""The same flow on every task runner gives the same warehouse; a scenario of runs gives the right versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.settings import Settings
from warehouse.connection import open_engine
from warehouse.export import export_interchange
from warehouse.models import DocumentRow, DocumentVersionRow, RunDocumentRow

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def folder(tmp_path: Path, seed_paths: list[Path]) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in seed_paths[:3]:
        shutil.copy(path, inbox / path.name)
    return inbox


def warehouse_content(db_url: str) -> dict:
    return dict(export_interchange(open_engine(db_url)))


@pytest.mark.slow
def test_a_local_dask_cluster_of_two_processes_fills_the_warehouse_like_threads(folder: Path, tmp_path: Path) -> None:
    from flows.ingest import run_ingest

    threads = Settings(db_url=f"sqlite:///{tmp_path / 'threads.db'}", workers=2)
    dask = Settings(db_url=f"sqlite:///{tmp_path / 'dask.db'}", workers=2)
    by_threads = run_ingest([str(folder)], threads, runner="thread")
    by_dask = run_ingest([str(folder)], dask, runner="dask")
    assert by_dask.outcomes == by_threads.outcomes and by_dask.count("new") == 3
    assert warehouse_content(dask.db_url) == warehouse_content(threads.db_url)


def test_ingest_again_after_adding_and_changing_processes_exactly_those(
    folder: Path, tmp_path: Path, seed_paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.ingest
    from flows.ingest import run_ingest
    from pipeline.batch import parse_or_fail

    parsed: list[str] = []

    def counting_parse(raw, settings):  # type: ignore[no-untyped-def]
        parsed.append(Path(raw.source).name)
        return parse_or_fail(raw, settings)

    monkeypatch.setattr(flows.ingest, "parse_or_fail", counting_parse)
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", workers=2)
    first = run_ingest([str(folder)], settings)
    assert first.count("new") == 3
    added = folder / seed_paths[4].name
    shutil.copy(seed_paths[4], added)
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text("utf-8") + "\nLisätietoja: info@example.fi\n", "utf-8")
    parsed.clear()

    second = run_ingest([str(folder)], settings)

    assert sorted(parsed) == sorted([added.name, changed.name])
    assert (second.count("new"), second.count("changed"), second.count("unchanged")) == (1, 1, 2)
    engine = open_engine(settings.db_url)
    with Session(engine) as session:
        versions = dict(
            session.execute(
                select(DocumentRow.name, func.count(DocumentVersionRow.id))
                .join(DocumentVersionRow, DocumentVersionRow.document_id == DocumentRow.id)
                .group_by(DocumentRow.name)
            ).all()
        )
        outcomes = dict(
            session.execute(
                select(RunDocumentRow.source, RunDocumentRow.outcome).where(RunDocumentRow.run_id == second.run_id)
            ).all()
        )
    assert versions == {p.name: (2 if p == changed else 1) for p in folder.glob("*.txt")}
    assert outcomes[str(added)] == "new" and outcomes[str(changed)] == "changed"
    assert sorted(o for o in outcomes.values()) == ["changed", "new", "unchanged", "unchanged"]
