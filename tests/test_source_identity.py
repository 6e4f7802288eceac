"""One document per source however it is spelled, and the same bytes under two names counted once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from pipeline.settings import Settings
from pipeline.source_identity import canonical_source, canonical_url
from warehouse.connection import open_engine
from warehouse.loading import rename_sources
from warehouse.models import DocumentRow
from warehouse.schema import upgrade

# -- Canonical names ---------------------------------------------------------------------------


def test_a_relative_path_and_its_absolute_spelling_have_one_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    names = {
        canonical_source("plans/a.txt"),
        canonical_source("./plans/../plans/a.txt"),
        canonical_source(str(tmp_path / "plans" / "a.txt")),
    }
    assert names == {str((tmp_path / "plans" / "a.txt").resolve())}


def test_a_symbolic_link_is_named_by_what_it_points_to(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    os.symlink(tmp_path / "a.txt", tmp_path / "link.txt")
    assert canonical_source(tmp_path / "link.txt") == canonical_source(tmp_path / "a.txt")


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTPS://WWW.Example.FI/Hankkeet?id=3#top", "https://www.example.fi/Hankkeet?id=3"),
        ("https://www.example.fi:443/a", "https://www.example.fi/a"),
        ("http://www.example.fi:80", "http://www.example.fi/"),
        ("http://www.example.fi:8080/a", "http://www.example.fi:8080/a"),
        ("http://[::1]:8000/a", "http://[::1]:8000/a"),
    ],
)
def test_urls_are_named_without_case_default_ports_or_fragments(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical
    assert canonical_source(given) == canonical


def test_a_url_with_a_bad_port_keeps_its_spelling_for_the_fetch_to_refuse() -> None:
    assert canonical_url("http://example.fi:port/x") == "http://example.fi:port/x"


def test_renaming_moves_history_and_leaves_a_taken_name_alone(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        for source in ("plans/a.txt", "plans/b.txt", "/abs/plans/b.txt"):
            connection.execute(
                text("INSERT INTO documents (source, name, first_seen, last_seen) VALUES (:s, 'x', '2026-01-01', '2026-01-01')"),
                {"s": source},
            )
    rename_sources(engine, {"plans/a.txt": "/abs/plans/a.txt", "plans/b.txt": "/abs/plans/b.txt"})
    with Session(engine) as session:
        sources = set(session.scalars(select(DocumentRow.source)))
    assert sources == {"/abs/plans/a.txt", "plans/b.txt", "/abs/plans/b.txt"}


# -- Through the ingest flow ------------------------------------------------------------------

pytestmark_flow = pytest.mark.usefixtures("prefect_harness")


def _ingest(sources: list[str], url: str):  # type: ignore[no-untyped-def]
    from flows.ingest import ingest_flow

    return ingest_flow(sources, Settings(db_url=url, ocr=False))


def _counts(engine: Engine) -> tuple[int, int, float]:
    with engine.connect() as connection:
        documents = connection.execute(text("SELECT count(*) FROM documents")).scalar()
        current = connection.execute(text("SELECT count(*) FROM current_versions")).scalar()
        total = connection.execute(text("SELECT coalesce(sum(total_eur), 0) FROM funding_by_funder")).scalar()
    return int(documents or 0), int(current or 0), float(total or 0)


@pytest.fixture
def plans(tmp_path: Path, seed_paths: list[Path]) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for path in seed_paths[:3]:
        shutil.copy(path, folder / path.name)
    return folder


@pytestmark_flow
def test_one_folder_given_relative_and_absolute_loads_each_document_once(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.chdir(tmp_path)
    summary = _ingest(["plans", str(plans) + "/"], db_url)
    assert summary.count("new") == 3 and not summary.failures
    engine = open_engine(db_url)
    once = _counts(engine)
    assert once[:2] == (3, 3)
    again = _ingest([str(plans)], db_url)
    assert again.count("unchanged") == 3 and again.count("new") == 0
    assert _counts(engine) == once


@pytestmark_flow
def test_a_warehouse_keyed_by_relative_paths_adopts_the_canonical_names(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.chdir(tmp_path)
    _ingest(["plans"], url)
    engine = open_engine(url)
    with engine.begin() as connection:  # as an older plansift stored them
        connection.execute(text("UPDATE documents SET source = 'plans/' || name"))
    again = _ingest([str(plans)], url)
    assert again.count("unchanged") == 3 and again.count("new") == 0
    with Session(engine) as session:
        assert set(session.scalars(select(DocumentRow.source))) == {str(p.resolve()) for p in plans.iterdir()}


@pytestmark_flow
def test_the_same_bytes_under_another_name_are_counted_once(plans: Path, db_url: str) -> None:
    engine = open_engine(db_url)
    _ingest([str(plans)], db_url)
    alone = _counts(engine)
    first = sorted(plans.iterdir())[0]
    copy = plans / f"zz-copy-of-{first.name}"
    shutil.copy(first, copy)
    summary = _ingest([str(plans)], db_url)
    assert summary.outcomes[str(copy.resolve())] == "duplicate"
    assert summary.duplicates == {str(copy.resolve()): str(first)}
    documents, current, total = _counts(engine)
    assert (documents, current, total) == (alone[0] + 1, alone[1], alone[2])
    repeated = _ingest([str(plans)], db_url)
    assert repeated.outcomes[str(copy.resolve())] == "duplicate" and repeated.count("new") == 0
    assert _counts(engine) == (documents, current, total)


@pytestmark_flow
def test_which_copy_holds_the_records_does_not_depend_on_load_order(plans: Path, tmp_path: Path) -> None:
    first = sorted(plans.iterdir())[0]
    copy = plans / f"0-copy-of-{first.name}"  # sorts before the original
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    _ingest([str(plans)], one)
    shutil.copy(first, copy)
    _ingest([str(plans)], one)
    _ingest([str(plans)], two)  # both names from the start
    originals = []
    for url in (one, two):
        with Session(open_engine(url)) as session:
            originals.append(
                set(session.scalars(select(DocumentRow.source).where(DocumentRow.duplicate_of.is_(None))))
            )
            assert session.scalar(select(func.count()).where(DocumentRow.duplicate_of.is_not(None))) == 1
    assert originals[0] == originals[1] and str(copy.resolve()) in originals[0]


@pytestmark_flow
def test_a_copy_whose_original_changes_holds_its_own_content_in_the_same_run(plans: Path, db_url: str) -> None:
    engine = open_engine(db_url)
    first = sorted(plans.iterdir())[0]
    copy = plans / f"zz-copy-of-{first.name}"
    shutil.copy(first, copy)
    _ingest([str(plans)], db_url)
    before = _counts(engine)
    first.write_text(first.read_text(encoding="utf-8") + "\nLisätieto: päivitetty.\n", encoding="utf-8")
    summary = _ingest([str(plans)], db_url)
    assert summary.outcomes[str(first)] == "changed"
    assert summary.outcomes[str(copy.resolve())] in ("new", "changed")
    assert _counts(engine)[1] == before[1] + 1  # the copy is a document of its own again
