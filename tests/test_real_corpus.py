"""The real corpus: every document listed with its URL and split, every one with its gold, no publisher in both splits."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from extractors.scoring import FIELDS
from tests.conftest import REPO

REAL = REPO / "corpus" / "real"
# "fresh": documents collected for a new piece of work, scored before they join dev.
SPLITS = tuple(split for split in ("dev", "test", "fresh") if (REAL / split / "docs").is_dir())
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _script():
    spec = importlib.util.spec_from_file_location("add_real_documents", REPO / "scripts" / "add_real_documents.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sources() -> list[dict[str, str]]:
    with (REAL / "sources.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_listed_document_is_in_its_split_and_every_document_is_listed(sources) -> None:
    listed = {(r["split"], r["file"]) for r in sources}
    on_disk = {(split, p.name) for split in SPLITS for p in (REAL / split / "docs").iterdir()}
    assert listed == on_disk


def test_every_document_has_a_public_url_and_a_retrieval_date(sources) -> None:
    urls = [r["url"] for r in sources]
    assert len(urls) == len(set(urls)), "a URL is listed twice"
    for row in sources:
        assert row["url"].startswith(("http://", "https://")), row["file"]
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", row["retrieved"]), row["file"]
        assert row["language"] in ("fi", "sv"), row["file"]


def test_the_corpus_is_large_and_varied(sources) -> None:
    hosts = {r["host"] for r in sources}
    kinds = Counter(r["kind"] for r in sources)
    assert len(sources) >= 150
    assert len(hosts) >= 40
    assert sum(r["split"] == "test" for r in sources) >= 50
    assert any(r["language"] == "sv" for r in sources)
    assert len(kinds) >= 8, kinds


def test_no_publisher_is_in_both_splits_and_the_test_split_follows_the_host_rule(sources) -> None:
    split_of = _script().split_by_host
    by_host: dict[str, set[str]] = {}
    for row in sources:
        by_host.setdefault(row["host"], set()).add(row["split"])
        if row["split"] == "test":
            assert split_of(row["host"]) == "test", row["file"]
    assert all("test" not in splits or len(splits) == 1 for splits in by_host.values()), {
        h: s for h, s in by_host.items() if len(s) > 1
    }


@pytest.mark.parametrize("split", SPLITS)
def test_every_document_has_one_well_formed_gold_answer(split: str) -> None:
    docs = {p.name for p in (REAL / split / "docs").iterdir()}
    answers = {}
    for path in (REAL / split / "gold").glob("*.json"):
        data = json.loads(path.read_text("utf-8"))
        answers[data["document"]["id"]] = data
        assert path.stem == Path(data["document"]["id"]).stem
        for kind in FIELDS:
            assert isinstance(data.get(kind), list), (path.name, kind)
        for project in data["projects"]:
            assert project.get("name"), path.name
            for key in ("start_date", "end_date"):
                assert project.get(key) is None or ISO.match(project[key]), (path.name, project[key])
        for funding in data["fundings"]:
            assert funding.get("amount_eur") is None or isinstance(funding["amount_eur"], (int, float)), path.name
    assert set(answers) == docs


def test_a_later_document_of_a_test_publisher_is_refused(tmp_path: Path, sources, monkeypatch) -> None:
    script = _script()
    test_row = next(r for r in sources if r["split"] == "test")
    real = tmp_path / "real"
    real.mkdir()
    (real / "sources.tsv").write_text(
        "\t".join(script.COLUMNS) + "\n" + "\t".join(test_row[c] for c in script.COLUMNS) + "\n", "utf-8"
    )
    collected = tmp_path / "new"
    collected.mkdir()
    (collected / "x01_same_publisher.txt").write_text("Hanke", "utf-8")
    (collected / "x02_other.txt").write_text("Hanke", "utf-8")
    (collected / "sources.tsv").write_text(
        f"x01_same_publisher.txt\thttps://{test_row['host']}/uusi\t2026-12-04\tnews\tfi\n"
        "x02_other.txt\thttps://example.org/hanke\t2026-12-04\tnews\tfi\n",
        "utf-8",
    )
    monkeypatch.setattr(script, "REAL", real)
    assert script.main([str(collected), "--split", "fresh"]) == 0
    assert (real / "fresh" / "docs" / "x02_other.txt").exists()
    assert not (real / "fresh" / "docs" / "x01_same_publisher.txt").exists()
