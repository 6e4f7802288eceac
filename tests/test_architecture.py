"""Which package may import which (ARCHITECTURE.md), checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "extractors", "warehouse", "flows", "plansift")
FORBIDDEN = {
    "pipeline": {"extractors", "warehouse", "flows", "plansift", "prefect"},
    "extractors": {"warehouse", "flows", "plansift", "prefect"},
    "warehouse": {"flows", "plansift", "prefect"},
    "flows": {"plansift"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_it_may(package: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_top_levels(path) & FORBIDDEN[package])
        for path in (REPO / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from warehouse.models import Base\nimport prefect.flows\n")
    assert imported_top_levels(sample) & FORBIDDEN["pipeline"] == {"warehouse", "prefect"}


def test_no_module_is_named_like_a_junk_drawer() -> None:
    junk = {"utils", "helpers", "common", "misc", "manager"}
    names = {p.stem for package in PACKAGES for p in (REPO / package).rglob("*.py")}
    assert names & junk == set()
