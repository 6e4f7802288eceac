"""`plansift diff` and `plansift review` on a warehouse: output, exit codes, and errors that say the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plansift.cli import app
from tests.test_diffs import SEED, ingest_files, new_version_of_seed, seed_folder, warehouse_at, warehouse_fingerprint
from warehouse.connection import open_engine

runner = CliRunner()


@pytest.fixture
def warehouse(tmp_path: Path) -> tuple[str, Path]:
    """A warehouse with two runs over one seed: its second version removed, added and changed a project."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = warehouse_at(url)
    docs = seed_folder(tmp_path)
    ingest_files(engine, [docs / SEED], "v1")
    new_version_of_seed(docs / SEED)
    ingest_files(engine, [docs / SEED], "v1")
    engine.dispose()
    return url, docs / SEED


def invoke(*arguments: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(arguments))


def test_diff_prints_counts_first_then_each_change_with_its_id_and_evidence(warehouse: tuple[str, Path]) -> None:
    url, seed = warehouse
    result = invoke("diff", "--db", url)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "run 1 -> run 2: 1 document(s) compared, 1 with differences"
    assert lines[2].split() == ["projects", "1", "1", "1"]
    assert f"== {seed} (changed, version 1 -> 2)" in lines
    changed = next(i for i, line in enumerate(lines) if "~ Opitaan luonnossa ja luonnosta" in line)
    assert lines[changed + 1].strip().startswith("end_date: 2021-07-31 -> 2021-12-31  [P")
    assert lines[changed + 2].strip() == 'old: p1 "Opitaan luonnossa ja luonnosta (26.4.2019-31.7.2021)"'
    assert lines[changed + 3].strip() == 'new: p1 "Opitaan luonnossa ja luonnosta (26.4.2019-31.12.2021)"'
    # Unchanged records are not listed.
    assert "Teemme yhdessä" not in result.output


def test_diff_json_holds_the_same_counts_and_changes(warehouse: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = warehouse
    page = tmp_path / "diff.html"
    result = runner.invoke(app, ["diff", "--db", url, "--json", "--html", str(page)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["counts"]["projects"] == {"added": 1, "removed": 1, "changed": 1}
    (document,) = data["documents"]
    kinds = sorted((c["kind"], c["label"]) for c in document["changes"])
    assert kinds == [
        ("added", "Kaupunkipyöräily 2022"),
        ("changed", "Opitaan luonnossa ja luonnosta"),
        ("removed", "Kestävän elämäntavan opinpolku"),
    ]
    assert page.read_text("utf-8").startswith("<!doctype html>")


def test_check_exits_1_only_when_something_differs_from_the_baseline(warehouse: tuple[str, Path]) -> None:
    url, _ = warehouse
    assert invoke("diff", "--db", url, "--baseline", "--check").exit_code == 2  # nothing approved yet
    assert invoke("review", "approve", "1", "--db", url, "--by", "tester", "--note", "first reading").exit_code == 0
    assert invoke("diff", "--db", url, "--baseline", "--check").exit_code == 1
    approved = invoke("review", "approve", "--db", url, "--by", "tester")
    assert approved.output.startswith("run 2 is the baseline, approved by tester")
    assert invoke("diff", "--db", url, "--baseline", "--check").exit_code == 0
    listed = invoke("review", "list", "--db", url)
    assert listed.output.splitlines()[0].startswith("baseline: run 2, approved by tester")
    assert listed.output.splitlines()[1].startswith("earlier: run 1, approved by tester")
    assert listed.output.splitlines()[1].endswith(": first reading")


def test_a_rejected_value_is_listed_marked_in_the_diff_and_shown_in_the_view(warehouse: tuple[str, Path]) -> None:
    url, _ = warehouse
    diff = json.loads(invoke("diff", "--db", url, "--json").stdout)
    changed = next(c for c in diff["documents"][0]["changes"] if c["kind"] == "changed")
    value_id = f"{changed['id']}.end_date"

    rejected = invoke("review", "reject", value_id, "--db", url, "--by", "tester", "--note", "the page says 31.7.")
    assert rejected.exit_code == 0, rejected.output
    assert rejected.output.strip() == f"{value_id} (2021-12-31) rejected by tester"

    listed = invoke("review", "list", "--db", url)
    assert f"{value_id} rejected '2021-12-31'" in listed.output and listed.output.rstrip().endswith(": the page says 31.7.")
    assert "(rejected by tester: the page says 31.7.)" in invoke("diff", "--db", url).output
    view = invoke("query", "--db", url, "--format", "json", "SELECT name, review FROM project_overview WHERE review IS NOT NULL")
    assert json.loads(view.output) == [
        {"name": "Opitaan luonnossa ja luonnosta", "review": "end_date 2021-12-31 rejected: the page says 31.7."}
    ]
    # A later verdict on the same value is the one that counts; the rejection stays as history.
    assert invoke("review", "accept", value_id, "--db", url, "--by", "tester").exit_code == 0
    assert "0 rejected value(s)" in invoke("review", "list", "--db", url).output
    history = json.loads(invoke("review", "list", "--db", url, "--all", "--history", "--json").output)
    assert [m["verdict"] for m in history["marks"]] == ["rejected", "accepted"]
    view = invoke("query", "--db", url, "--format", "json", "SELECT count(*) AS n FROM project_overview WHERE review IS NOT NULL")
    assert json.loads(view.stdout) == [{"n": 0}]


def test_review_of_a_value_that_does_not_exist_says_what_an_id_is(warehouse: tuple[str, Path]) -> None:
    url, _ = warehouse
    result = invoke("review", "reject", "X1", "--db", url)
    assert result.exit_code == 2
    assert "not a value id" in result.output and "P12" in result.output
    result = invoke("review", "reject", "P999999", "--db", url)
    assert result.exit_code == 2 and "there is no project P999999" in result.output
    result = invoke("review", "reject", "P1.budget", "--db", url)
    assert result.exit_code == 2 and "projects have no field 'budget'" in result.output
    assert invoke("review", "approve", "42", "--db", url).exit_code == 2


def test_dry_run_changes_nothing_and_check_passes_when_the_code_is_what_loaded(warehouse: tuple[str, Path]) -> None:
    url, seed = warehouse
    engine = open_engine(url)
    before = warehouse_fingerprint(engine)
    result = invoke("diff", "--db", url, "--dry-run", "--check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("loaded -> extractors now (dry run): 1 document(s) compared, 0 with differences")
    assert warehouse_fingerprint(engine) == before
    seed.unlink()
    result = invoke("diff", "--db", url, "--dry-run")
    assert result.exit_code == 1 and f"failed: {seed}" in result.output
    assert warehouse_fingerprint(engine) == before


def test_options_that_do_not_go_together_are_refused_with_the_reason(warehouse: tuple[str, Path], tmp_path: Path) -> None:
    url, seed = warehouse
    result = invoke("diff", str(seed), "--db", url)
    assert result.exit_code == 2 and "only with --dry-run" in result.output
    result = invoke("diff", "--dry-run", "--from", "1", "--db", url)
    assert result.exit_code == 2 and "takes no --from or --to" in result.output
    result = invoke("diff", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 2 and "run `plansift ingest` first" in result.output
    result = invoke("diff", "--doc", "missing.txt", "--db", url)
    assert result.exit_code == 2 and "no document 'missing.txt'" in result.output
