"""Reviewers' decisions in the warehouse, on SQLite and PostgreSQL: approvals with history, verdicts on values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.conftest import INBOX
from tests.test_diffs import SEED, ingest_files, warehouse_at
from warehouse.diffs import diff_runs
from warehouse.record_sets import REFERENCE_LETTERS
from warehouse.review import (
    ReviewError,
    approvals,
    approve_run,
    baseline_run,
    latest_marks,
    mark_value,
    marks,
    parse_value_id,
)
from warehouse.snapshots import current_state, read_versions


@pytest.fixture
def engine(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = warehouse_at(db_url)
    shutil.copy(INBOX / SEED, tmp_path / SEED)
    ingest_files(engine, [tmp_path / SEED], "v1")
    yield engine
    engine.dispose()


def test_the_latest_approval_is_the_baseline_and_earlier_ones_stay(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReviewError, match="no run 9"):
        approve_run(engine, 9)
    first = approve_run(engine, by="anna", note="ok")
    second = approve_run(engine, 1, by="ben")
    assert (first.run_id, second.run_id) == (1, 1)
    assert [(a.approved_by, a.note) for a in approvals(engine)] == [("ben", None), ("anna", "ok")]
    with Session(engine) as session:
        assert baseline_run(session) == 1


def test_a_verdict_keeps_the_value_as_it_was_and_the_latest_one_counts(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        (version,) = current_state(session).values()
        project = read_versions(session, [version])[version].records["projects"][0]
    reference = project.reference
    assert reference is not None and reference.startswith(REFERENCE_LETTERS["projects"])

    rejected = mark_value(engine, f"{reference}.start_date", "rejected", note="väärä", by="anna")
    assert rejected.value == project.values["start_date"]
    whole = mark_value(engine, reference, "rejected", by="anna")
    assert whole.value == project.values["name"]
    mark_value(engine, f"{reference}.start_date", "accepted", by="ben")

    assert [(m.value_id, m.marked_by) for m in marks(engine)] == [(reference, "anna")]
    assert [m.verdict for m in marks(engine, verdict=None, history=True)] == ["rejected", "rejected", "accepted"]
    with Session(engine) as session:
        counted = latest_marks(session, [f"{reference}.start_date", reference, "P999999"])
    assert {k: m.verdict for k, m in counted.items()} == {f"{reference}.start_date": "accepted", reference: "rejected"}
    assert marks(engine)[0].source is not None and marks(engine)[0].source.endswith(SEED)


def test_a_verdict_needs_a_value_that_exists(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReviewError, match="not a value id"):
        mark_value(engine, "project 12", "rejected")
    with pytest.raises(ReviewError, match="there is no funding F424242"):
        mark_value(engine, "F424242", "rejected")
    with pytest.raises(ReviewError, match="a verdict is one of accepted, rejected"):
        mark_value(engine, "P1", "maybe")  # type: ignore[arg-type]


def test_value_ids_name_a_record_type_a_row_and_perhaps_a_field() -> None:
    assert parse_value_id("P12") == ("projects", 12, None)
    assert parse_value_id(" F3.amount_eur ") == ("fundings", 3, "amount_eur")
    assert parse_value_id("C7.email") == ("contacts", 7, "email")
    assert parse_value_id("G1.indicators") == ("goals", 1, "indicators")
    with pytest.raises(ReviewError, match="goals have no field 'email'"):
        parse_value_id("G1.email")


def test_a_diff_carries_the_verdicts_on_its_changes(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_diffs import new_version_of_seed

    new_version_of_seed(tmp_path / SEED)
    ingest_files(engine, [tmp_path / SEED], "v1")
    change = next(c for c in diff_runs(engine).documents[0].changes if c.kind == "added")
    mark_value(engine, change.reference, "accepted", by="anna")
    assert diff_runs(engine).marks[change.reference].verdict == "accepted"
