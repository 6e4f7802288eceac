"""The extractor registry: versioned names, the ruleset version, and the read/write order."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from extractors import registry
from extractors.registry import (
    EXTRACTORS,
    ExtractorSpec,
    ruleset_version,
    run_extractors,
)
from tests.extraction_fixtures import build_document

SMALL_DOCUMENT = [
    ("heading", 1, "Hankkeet"),
    ("heading", 2, "Kylät"),
    ("heading", 3, "Kylätalot kuntoon (2023–2025)"),
    ("paragraph", "Hanketta hallinnoi Lopen kunta. Hämeen liitto myönsi hankkeelle 40 000 euroa."),
]


def test_every_extractor_has_a_versioned_name() -> None:
    names = [spec.versioned_name for spec in EXTRACTORS]
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+\.v\d+", name) for name in names), names
    assert len(set(names)) == len(names)


def test_every_result_is_written_by_one_extractor() -> None:
    writes = [spec.writes for spec in EXTRACTORS]
    assert len(set(writes)) == len(writes)


def test_every_extractor_reads_only_what_an_earlier_one_writes() -> None:
    written: set[str] = set()
    for spec in EXTRACTORS:
        assert set(spec.reads) <= written, f"{spec.versioned_name} reads {set(spec.reads) - written}"
        written.add(spec.writes)


def test_run_extractors_gives_every_result() -> None:
    results = run_extractors(build_document(SMALL_DOCUMENT))
    assert set(results) == {spec.writes for spec in EXTRACTORS} | {"project_scopes"}
    assert [p.name for p in results["projects"]] == ["Kylätalot kuntoon"]
    assert [(f.project, f.funder, f.amount_eur) for f in results["fundings"]] == [
        ("Kylätalot kuntoon", "Hämeen liitto", 40000)
    ]


def test_run_extractors_names_a_read_no_earlier_extractor_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    early_reader = ExtractorSpec("fi.early", "3", ("projects",), "early", lambda context: None)
    monkeypatch.setattr(registry, "EXTRACTORS", (early_reader, *EXTRACTORS))
    with pytest.raises(RuntimeError, match=r"fi\.early\.v3 reads \['projects'\], which no earlier extractor writes"):
        run_extractors(build_document(SMALL_DOCUMENT))


def test_run_extractors_fails_when_the_order_puts_a_reader_first(monkeypatch: pytest.MonkeyPatch) -> None:
    by_writes = {spec.writes: spec for spec in EXTRACTORS}
    reordered = (by_writes["projects"], *(s for s in EXTRACTORS if s.writes != "projects"))
    monkeypatch.setattr(registry, "EXTRACTORS", reordered)
    with pytest.raises(RuntimeError, match=re.escape(by_writes["projects"].versioned_name)):
        run_extractors(build_document(SMALL_DOCUMENT))


# -- ruleset version ------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the extractors' data files that ruleset_version reads instead of the package's."""
    source = Path(str(resources.files("extractors.data")))
    copy = tmp_path / "data"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(registry, "resources", SimpleNamespace(files=lambda package: copy))
    return copy


def test_ruleset_version_is_stable() -> None:
    assert ruleset_version() == ruleset_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{12}", ruleset_version())


def test_ruleset_version_of_an_unchanged_copy_is_the_same(data_copy: Path) -> None:
    original = _package_ruleset_version()
    assert ruleset_version() == original


@pytest.mark.parametrize("name", ["organisations.csv", "contacts_fi.json", "goals_fi.json"])
def test_ruleset_version_changes_with_a_data_files_bytes(data_copy: Path, name: str) -> None:
    before = ruleset_version()
    path = data_copy / name
    original = path.read_bytes()
    path.write_bytes(original + b"\n")
    changed = ruleset_version()
    path.write_bytes(original)
    assert changed != before
    assert ruleset_version() == before


def test_ruleset_version_ignores_documentation_beside_the_data(data_copy: Path) -> None:
    before = ruleset_version()
    (data_copy / "README.md").write_text("Muutettu kuvaus.\n", encoding="utf-8")
    assert ruleset_version() == before


def test_ruleset_version_changes_with_an_extractor_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = ruleset_version()
    bumped = tuple(replace(s, version=s.version + "1") if s.writes == "goals" else s for s in EXTRACTORS)
    monkeypatch.setattr(registry, "EXTRACTORS", bumped)
    assert ruleset_version() != before


def _package_ruleset_version() -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "resources", resources)
        return ruleset_version()
