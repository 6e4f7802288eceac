"""Extraction diffs over a real warehouse: a rule change, a new document version, the baseline, a dry run."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

import extractors.dates as dates
from extractors.extraction import Extraction, extract
from extractors.interchange import interchange_of
from pipeline.batch import read_or_fail
from pipeline.settings import Settings
from tests.conftest import GOLD, INBOX
from warehouse.connection import open_engine
from warehouse.diffs import DiffError, diff_baseline, diff_document, diff_runs, loading_runs
from warehouse.dry_run import dry_run
from warehouse.loading import RunSummary, finish_run, load_document, record_failure, start_run, withdraw_missing
from warehouse.models import Base, RunEvaluationRow
from warehouse.review import approve_run
from warehouse.run_evaluation import evaluate_run, gold_answers
from warehouse.schema import upgrade

SEED = "001_5ad6ca99f4e8c49c.txt"
SMALL_DOCUMENTS = (
    "000_3e6196930fbad6b3.txt",
    "002_1abcdc0d674c9287.txt",
    "104_keskisuomi_jtf_uutinen.txt",
    "108_hame_ely_rahoituspaatokset.txt",
    "114_jarvenpaa_koulujen_hankkeet.txt",
)

# Unit-test text for the rule below: three projects, one of which ends "31.12.2023 päättyen".
PROJECT_LIST = """Hankkeet

Kaupungin kehittämishankkeet

Kylien kehittämishanke (1.2.2020–31.1.2022)
Hankkeessa kehitetään kylien palveluja yhdessä asukkaiden kanssa.

Nuorten työpajahanke (31.12.2023 päättyen)
Hanke toimii nuorten työpajoissa ja sitä rahoittaa Etelä-Savon ELY-keskus.

Energiaremontit-hanke (1.1.2022 lukien)
Hankkeessa neuvotaan taloyhtiöitä energiaremonteissa.
"""


# Extractions by (content, extractor version) for tests whose rules do not change mid-test: the same
# seed is loaded several times, and extracting it is most of a test's time.
_EXTRACTED: dict[tuple[str, str], Extraction] = {}


def ingest_files(engine: Engine, paths: list[Path], version: str, reuse: bool = True) -> int:
    """One run over ``paths`` with plain functions, as the flow runs them; returns the run id."""
    run = start_run(engine, version)
    summary = RunSummary(run, version)
    for path in paths:
        document = read_or_fail(path, Settings())
        key = (document.sha256, version)
        extraction = _EXTRACTED.get(key) if reuse else None
        if extraction is None:
            extraction = _EXTRACTED[key] = extract(document)
        outcome, added = load_document(engine, run, version, document, extraction)
        summary.outcomes[str(path)] = outcome
        summary.records_added += added
    finish_run(engine, summary)
    return run


def warehouse_at(url: str) -> Engine:
    """An engine on ``url`` with the warehouse schema in place."""
    engine = open_engine(url)
    upgrade(engine)
    return engine


def seed_folder(tmp_path: Path) -> Path:
    """A folder holding a copy of the seed, free to be changed into a new version."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(INBOX / SEED, docs / SEED)
    return docs


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    # Small documents of several kinds (strategy, news, decisions, project list): the rule must leave them be.
    for name in SMALL_DOCUMENTS:
        shutil.copy(INBOX / name, docs / name)
    (docs / "hankkeet.txt").write_text(PROJECT_LIST, "utf-8")
    return docs


@pytest.fixture
def until_words_with_paattyen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The rule change under test: "31.12.2023 päättyen" (ending 31.12.2023) marks an end date."""
    extended = dict(dates._conventions())
    extended["until_words"] = [*extended["until_words"], "päättyen"]
    monkeypatch.setattr(dates, "_conventions", lambda: extended)
    dates._patterns.cache_clear()
    yield
    monkeypatch.undo()
    dates._patterns.cache_clear()


def interchange_by_file(paths: list[Path]) -> dict[str, dict]:
    found = {}
    for path in paths:
        document = read_or_fail(path, Settings())
        found[str(path)] = interchange_of(document.name, extract(document))
    return found


def test_a_rule_change_shows_exactly_the_records_it_changed(tmp_path: Path, folder: Path, request: pytest.FixtureRequest) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    paths = sorted(folder.iterdir())
    before = interchange_by_file(paths)
    ingest_files(engine, paths, "v1")
    request.getfixturevalue("until_words_with_paattyen")
    after = interchange_by_file(paths)
    ingest_files(engine, paths, "v2", reuse=False)

    diff = diff_runs(engine)

    # What the rule changed, seen directly in the extractor's output.
    changed_files = {source for source in before if before[source] != after[source]}
    assert changed_files == {str(folder / "hankkeet.txt")}
    assert [d.source for d in diff.documents if not d.empty] == sorted(changed_files)
    (document,) = [d for d in diff.documents if not d.empty]
    (change,) = document.changes
    assert (change.record_type, change.kind, change.label) == ("projects", "changed", "Nuorten työpajahanke")
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("start_date", "2023-12-31", None),
        ("end_date", None, "2023-12-31"),
    ]
    for side in (change.old, change.new):
        assert side is not None and side.evidence is not None
        assert side.evidence.page == 1
        assert "(31.12.2023 päättyen)" in (side.evidence.context or "")
    assert diff.counts()["projects"] == {"added": 0, "removed": 0, "changed": 1}
    assert (diff.old_label, diff.new_label) == ("run 1", "run 2")


def test_a_dry_run_shows_the_rule_change_before_anything_is_loaded_and_writes_nothing(
    tmp_path: Path, folder: Path, request: pytest.FixtureRequest
) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    ingest_files(engine, sorted(folder.iterdir()), "v1")
    request.getfixturevalue("until_words_with_paattyen")
    before = warehouse_fingerprint(engine)

    diff, failures = dry_run(engine, Settings())

    assert failures == []
    assert warehouse_fingerprint(engine) == before
    changed = [d for d in diff.documents if not d.empty]
    assert [d.name for d in changed] == ["hankkeet.txt"]
    (change,) = changed[0].changes
    assert change.label == "Nuorten työpajahanke"
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("start_date", "2023-12-31", None),
        ("end_date", None, "2023-12-31"),
    ]
    # The fresh side is not in the warehouse: it has nothing a reviewer could mark.
    assert change.new is not None and change.new.reference is None
    assert change.old is not None and change.old.reference is not None


def test_a_dry_run_with_the_code_that_loaded_the_warehouse_finds_no_difference(tmp_path: Path, folder: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    ingest_files(engine, sorted(folder.iterdir()), "v1")

    diff, failures = dry_run(engine, Settings())

    assert failures == [] and diff.compared == 6
    assert not diff.differs, [c.to_dict() for d in diff.documents for c in d.changes][:3]


def test_a_dry_run_names_a_source_it_cannot_read_again_and_goes_on(tmp_path: Path, folder: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    ingest_files(engine, sorted(folder.iterdir()), "v1")
    (folder / SMALL_DOCUMENTS[0]).unlink()

    diff, failures = dry_run(engine, Settings())

    assert [f.source for f in failures] == [str(folder / SMALL_DOCUMENTS[0])]
    assert diff.compared == 6 and len(diff.documents) == 5


def warehouse_fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row, per table."""
    found = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            found[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return found


def new_version_of_seed(path: Path) -> None:
    """The seed with one project removed, one added and one date changed."""
    lines = path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Kestävän elämäntavan opinpolku"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Opitaan luonnossa"))
    del lines[start:end]
    changed = "\n".join(lines).replace("(26.4.2019-31.7.2021)", "(26.4.2019-31.12.2021)")
    added = "Resurssiviisaus\nKaupunkipyöräily 2022 (1.3.2022–30.11.2022)\nKaupunkipyöriä kokeillaan keskustassa.\n"
    path.write_text(changed.replace("Resurssiviisaus\n", added, 1), "utf-8")


def test_a_new_version_of_a_seed_gives_exactly_its_three_changes(tmp_path: Path, db_url: str) -> None:
    engine = warehouse_at(db_url)
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = docs / SEED
    shutil.copy(INBOX / SEED, seed)
    shutil.copy(INBOX / "000_3e6196930fbad6b3.txt", docs / "000_3e6196930fbad6b3.txt")
    ingest_files(engine, sorted(docs.iterdir()), "v1")
    new_version_of_seed(seed)
    ingest_files(engine, sorted(docs.iterdir()), "v1")

    for diff in (diff_document(engine, str(seed)), diff_runs(engine)):
        (document,) = [d for d in diff.documents if not d.empty]
        assert document.source == str(seed)
        found = {(c.record_type, c.kind, c.label, tuple((f.field, f.old, f.new) for f in c.fields)) for c in document.changes}
        assert found == {
            ("projects", "removed", "Kestävän elämäntavan opinpolku", ()),
            ("projects", "added", "Kaupunkipyöräily 2022", ()),
            ("projects", "changed", "Opitaan luonnossa ja luonnosta", (("end_date", "2021-07-31", "2021-12-31"),)),
        }
        added = next(c for c in document.changes if c.kind == "added")
        assert added.new is not None and added.new.values["start_date"] == "2022-03-01"
        assert added.new.evidence is not None and "Kaupunkipyöräily 2022 (1.3.2022" in (added.new.evidence.context or "")
    engine.dispose()


def test_the_baseline_diff_shows_what_differs_from_the_approved_run_and_nothing_else(tmp_path: Path, db_url: str) -> None:
    engine = warehouse_at(db_url)
    docs = seed_folder(tmp_path)
    first = ingest_files(engine, [docs / SEED], "v1")
    with pytest.raises(DiffError, match="review approve"):
        diff_baseline(engine)
    approve_run(engine, first, by="tester", note="read through")
    assert not diff_baseline(engine).differs
    new_version_of_seed(docs / SEED)
    ingest_files(engine, [docs / SEED], "v1")
    ingest_files(engine, [docs / SEED], "v1")  # unchanged: changes nothing the baseline diff shows

    diff = diff_baseline(engine)

    assert diff.old_label == f"baseline run {first}"
    assert diff.counts()["projects"] == {"added": 1, "removed": 1, "changed": 1}
    approve_run(engine, by="tester")
    assert not diff_baseline(engine).differs
    engine.dispose()


def test_runs_that_only_found_documents_unchanged_or_failed_are_not_compared_by_default(tmp_path: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    docs = seed_folder(tmp_path)
    first = ingest_files(engine, [docs / SEED], "v1")
    new_version_of_seed(docs / SEED)
    second = ingest_files(engine, [docs / SEED], "v1")
    ingest_files(engine, [docs / SEED], "v1")
    failed = start_run(engine, "v1")
    record_failure(engine, failed, str(docs / "broken.pdf"), "unreadable", "broken.pdf: no pages")

    with Session(engine) as session:
        assert loading_runs(session) == [second, first]
    diff = diff_runs(engine)
    assert (diff.old_label, diff.new_label) == (f"run {first}", f"run {second}")
    assert diff.differs


def test_a_withdrawn_document_shows_every_record_removed(tmp_path: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    docs = seed_folder(tmp_path)
    ingest_files(engine, [docs / SEED], "v1")
    run = start_run(engine, "v1")
    withdraw_missing(engine, run, [str(docs)], set())
    finish_run(engine, RunSummary(run, "v1"))

    diff = diff_runs(engine)

    (document,) = diff.documents
    assert document.status == "withdrawn"
    assert {c.kind for c in document.changes} == {"removed"}
    extracted = extract(read_or_fail(docs / SEED, Settings()))
    assert diff.counts()["projects"]["removed"] == len(extracted.projects)
    assert diff.counts()["contacts"]["removed"] == len(extracted.contacts)


def test_asking_for_what_does_not_exist_says_what_does(tmp_path: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    with pytest.raises(DiffError, match="no run has loaded anything"):
        diff_runs(engine)
    docs = seed_folder(tmp_path)
    ingest_files(engine, [docs / SEED], "v1")
    with pytest.raises(DiffError, match="first run that loaded anything"):
        diff_runs(engine)
    with pytest.raises(DiffError, match="there is no run 7; the warehouse has runs 1..1"):
        diff_runs(engine, 7, 1)
    with pytest.raises(DiffError, match="1 version"):
        diff_document(engine, SEED)
    with pytest.raises(DiffError, match="no document 'nothing.txt'"):
        diff_document(engine, "nothing.txt")


def test_a_document_is_found_by_source_file_name_or_path_written_another_way(tmp_path: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    docs = seed_folder(tmp_path)
    ingest_files(engine, [docs / SEED], "v1")
    new_version_of_seed(docs / SEED)
    ingest_files(engine, [docs / SEED], "v1")
    for name in (str(docs / SEED), SEED, str(docs / "." / SEED)):
        assert diff_document(engine, name).differs


def test_gold_scores_are_kept_with_the_run_and_shown_before_and_after(tmp_path: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    docs = seed_folder(tmp_path)
    answers = gold_answers([GOLD])
    first = ingest_files(engine, [docs / SEED], "v1")
    evaluate_run(engine, first, answers)
    new_version_of_seed(docs / SEED)
    second = ingest_files(engine, [docs / SEED], "v1")
    score = evaluate_run(engine, second, answers)

    diff = diff_runs(engine)

    assert score is not None and score.documents == 1
    before, after = diff.quality["projects"]
    # The new version lost a gold project and changed a gold date: projects score lower.
    assert before is not None and after is not None and after < before
    assert diff.quality["overall"][1] == pytest.approx(score.overall.f1, abs=1e-4)
    with Session(engine) as session:
        rows = session.scalars(select(RunEvaluationRow).where(RunEvaluationRow.run_id == second)).all()
    assert {r.record_type for r in rows} == {"projects", "fundings", "contacts", "goals", "overall"}


def test_a_run_without_gold_for_its_documents_stores_no_scores(tmp_path: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    (tmp_path / "muu.txt").write_text(PROJECT_LIST, "utf-8")
    run = ingest_files(engine, [tmp_path / "muu.txt"], "v1")
    assert evaluate_run(engine, run, gold_answers([GOLD])) is None
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM run_evaluations")).scalar() == 0



def test_a_dry_run_takes_a_file_not_loaded_yet_as_new_but_refuses_a_name_two_documents_share(tmp_path: Path) -> None:
    engine = warehouse_at(f"sqlite:///{tmp_path / 'w.db'}")
    docs = seed_folder(tmp_path)
    (tmp_path / "other").mkdir()
    shutil.copy(INBOX / SEED, tmp_path / "other" / SEED)
    ingest_files(engine, [docs / SEED, tmp_path / "other" / SEED], "v1")
    fresh = tmp_path / "hankkeet.txt"
    fresh.write_text(PROJECT_LIST, "utf-8")

    diff, failures = dry_run(engine, Settings(), [str(fresh)])

    assert failures == []
    (document,) = diff.documents
    assert document.status == "new" and {c.kind for c in document.changes} == {"added"}
    with pytest.raises(DiffError, match="names 2 documents"):
        dry_run(engine, Settings(), [SEED])
