"""The ingest flow end to end: files -> Documents -> records -> warehouse."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.batch import parse_or_fail
from pipeline.settings import Settings
from warehouse.connection import open_engine
from warehouse.models import (
    ContactChannelRow,
    ContactMentionRow,
    DocumentVersionRow,
    ExtractionRunRow,
    ProjectMentionRow,
    RunFailureRow,
)

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def inbox(tmp_path: Path, seed_paths: list[Path]) -> Path:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    for path in seed_paths[:3]:
        shutil.copy(path, folder / path.name)
    shutil.copy(seed_paths[3], folder / "nested" / seed_paths[3].name)
    (folder / "garbage.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "notes.json").write_text("{}")
    return folder


def test_a_batch_loads_good_documents_and_reports_the_bad_one(inbox: Path, tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    summary = ingest_flow([str(inbox)], settings)
    assert summary.count("new") == 4
    assert [(Path(s).name, reason) for s, reason, _ in summary.failures] == [("garbage.txt", "unsupported")]
    assert [Path(s).name for s, _ in summary.skipped] == ["notes.json"]
    engine = open_engine(settings.db_url)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(DocumentVersionRow)) == 4
        contacts = session.scalar(select(func.count()).select_from(ContactMentionRow))
        projects = session.scalar(select(func.count()).select_from(ProjectMentionRow))
        assert session.scalar(select(func.count()).select_from(ContactChannelRow)) > 0
        assert contacts > 0 and projects > 0 and summary.records_added >= contacts + projects
        failure = session.scalars(select(RunFailureRow)).one()
        run = session.scalars(select(ExtractionRunRow)).one()
    assert "binary data" in failure.detail
    assert (run.documents_new, run.documents_failed) == (4, 1)


def test_a_second_run_skips_unchanged_documents_and_versions_changed_ones(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.ingest
    from flows.ingest import ingest_flow

    parsed: list[str] = []

    def counting_parse(raw, settings):  # type: ignore[no-untyped-def]
        parsed.append(Path(raw.source).name)
        return parse_or_fail(raw, settings)

    monkeypatch.setattr(flows.ingest, "parse_or_fail", counting_parse)
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    ingest_flow([str(inbox)], settings)
    assert len(parsed) == 5  # four documents and the garbage file
    changed = next(inbox.glob("000_*.txt"))
    changed.write_text(changed.read_text("utf-8") + "\nUusi kappale: lisätietoja antaa info@hame.fi.\n", "utf-8")
    parsed.clear()
    summary = ingest_flow([str(inbox)], settings)
    assert summary.count("changed") == 1 and summary.count("unchanged") == 3 and summary.count("new") == 0
    # Unchanged bytes are not parsed again; the file that failed is tried again.
    assert sorted(parsed) == sorted([changed.name, "garbage.txt"])
    with Session(open_engine(settings.db_url)) as session:
        assert session.scalar(select(func.count()).select_from(DocumentVersionRow)) == 5


def test_a_source_that_disappeared_is_withdrawn_and_comes_back_when_restored(inbox: Path, tmp_path: Path) -> None:
    from flows.ingest import ingest_flow
    from warehouse.reading import read_view

    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    ingest_flow([str(inbox)], settings)
    gone = next(inbox.glob("001_*.txt"))
    kept = gone.read_bytes()
    gone.unlink()
    summary = ingest_flow([str(inbox)], settings)
    assert summary.withdrawn == [str(gone)]
    engine = open_engine(settings.db_url)
    assert str(gone) not in set(read_view(engine, "current_versions").source)
    with Session(engine) as session:
        # History stays: its version and records are still there.
        assert session.scalar(select(func.count()).select_from(DocumentVersionRow)) == 4
        assert session.scalar(select(ExtractionRunRow.documents_withdrawn).order_by(ExtractionRunRow.id.desc()).limit(1)) == 1
    gone.write_bytes(kept)
    summary = ingest_flow([str(inbox)], settings)
    assert summary.withdrawn == [] and summary.outcomes[str(gone)] == "unchanged"
    assert str(gone) in set(read_view(engine, "current_versions").source)


def test_a_runaway_parse_is_stopped_by_the_time_limit_and_the_rest_goes_on(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.ingest
    from flows.ingest import ingest_flow

    def parse_that_never_ends_for_one(raw, settings):  # type: ignore[no-untyped-def]
        if Path(raw.source).name.startswith("002_"):
            # Stuck, yet giving up the GIL now and then: with threads, a loop
            # that never does would slow the other documents too.
            while True:
                time.sleep(0.01)
        return parse_or_fail(raw, settings)

    monkeypatch.setattr(flows.ingest, "parse_or_fail", parse_that_never_ends_for_one)
    # Loaded before the clock starts: the first extraction would otherwise pay for it.
    from extractors.nlp import load_nlp

    load_nlp()
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", document_timeout=12.0, workers=2)
    summary = ingest_flow([str(inbox)], settings)
    stuck = [(Path(source).name[:4], reason) for source, reason, _ in summary.failures if reason != "unsupported"]
    assert stuck == [("002_", "timeout")]
    assert summary.count("new") == 3
    with Session(open_engine(settings.db_url)) as session:
        reasons = session.scalars(select(RunFailureRow.reason)).all()
    assert sorted(reasons) == ["timeout", "unsupported"]


def test_a_load_that_fails_fails_its_document_and_the_rest_are_loaded(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.ingest
    from flows.ingest import ingest_flow
    from warehouse.loading import load_document

    def load_that_breaks_for_one(engine, run_id, version, document, extraction, validators=(None, None)):  # type: ignore[no-untyped-def]
        if Path(document.source).name.startswith("001_"):
            raise RuntimeError("the disk is full")
        return load_document(engine, run_id, version, document, extraction, validators)

    monkeypatch.setattr(flows.ingest, "load_document", load_that_breaks_for_one)
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    summary = ingest_flow([str(inbox)], settings)
    broken = [(Path(s).name[:4], reason, "disk is full" in detail) for s, reason, detail in summary.failures]
    assert ("001_", "task_failed", True) in broken
    assert summary.count("new") == 3
    with Session(open_engine(settings.db_url)) as session:
        assert "task_failed" in session.scalars(select(RunFailureRow.reason)).all()


def test_at_most_workers_documents_are_under_way_whatever_the_task_runner(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import flows.ingest
    from flows.ingest import ingest_flow

    lock, busy, most = threading.Lock(), [0], [0]

    def watched_parse(raw, settings):  # type: ignore[no-untyped-def]
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.3)  # long enough for the others to start, were they allowed to
        try:
            return parse_or_fail(raw, settings)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(flows.ingest, "parse_or_fail", watched_parse)
    # The flow as a deployment runs it: Prefect's default task runner, which has no bound.
    summary = ingest_flow([str(inbox)], Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", workers=2))
    assert summary.count("new") == 4
    assert most[0] == 2


def test_each_run_is_scored_against_gold_beside_its_folder_and_the_diff_shows_what_it_changed(
    inbox: Path, tmp_path: Path
) -> None:
    from flows.ingest import ingest_flow
    from tests.conftest import GOLD
    from warehouse.diffs import diff_runs
    from warehouse.models import RunDocumentRow, RunEvaluationRow

    (tmp_path / "gold").mkdir()
    for path in inbox.rglob("00*.txt"):
        shutil.copy(GOLD / f"{path.stem}.json", tmp_path / "gold" / f"{path.stem}.json")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    first = ingest_flow([str(inbox)], settings)
    changed = next(inbox.glob("001_*.txt"))
    changed.write_text(changed.read_text("utf-8").replace("(26.4.2019-31.7.2021)", "(26.4.2019-31.12.2021)"), "utf-8")
    second = ingest_flow([str(inbox)], settings)

    assert set(first.evaluation) == {"projects", "fundings", "contacts", "goals", "overall"}
    assert second.evaluation["projects"] < first.evaluation["projects"]  # the gold says 31.7.2021
    engine = open_engine(settings.db_url)
    with Session(engine) as session:
        stored = session.scalars(select(RunEvaluationRow).where(RunEvaluationRow.record_type == "overall")).all()
        assert [(r.run_id, r.documents, r.f1) for r in stored] == [
            (first.run_id, 4, first.evaluation["overall"]), (second.run_id, 4, second.evaluation["overall"])
        ]
        unchanged = session.scalars(select(RunDocumentRow).where(RunDocumentRow.outcome == "unchanged")).all()
        assert len(unchanged) == 3 and all(r.version_id is not None for r in unchanged)
    diff = diff_runs(engine)
    assert [d.source for d in diff.documents] == [str(changed)]
    assert [(c.label, [f.field for f in c.fields]) for c in diff.documents[0].changes] == [
        ("Opitaan luonnossa ja luonnosta", ["end_date"])
    ]
