"""Evaluation against gold: extract the documents that have gold answers and score the result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.extraction import extract
from extractors.interchange import interchange_of
from extractors.scoring import Score, score_documents
from pipeline.readers import read_file
from pipeline.settings import Settings


@dataclass(frozen=True)
class GoldSet:
    """Gold answers by document id stem, and the document file each one is about."""

    answers: dict[str, dict[str, Any]]
    documents: dict[str, Path]
    missing: list[str]


def load_interchange_dir(folder: Path) -> dict[str, dict[str, Any]]:
    """Interchange objects of a folder, keyed by the stem of their document id (as the scorer pairs them)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data if isinstance(data, list) else [data]:
            doc_id = (item.get("document") or {}).get("id") or path.stem
            found[Path(str(doc_id)).stem] = item
    return found


def gold_set(gold_dir: Path, documents_dir: Path) -> GoldSet:
    """The gold answers and, for each, the document file it names (by file name)."""
    answers = load_interchange_dir(gold_dir)
    by_name = {p.name: p for p in documents_dir.rglob("*") if p.is_file()}
    documents, missing = {}, []
    for stem, answer in answers.items():
        name = Path(str(answer.get("document", {}).get("id") or stem)).name
        if name in by_name:
            documents[stem] = by_name[name]
        else:
            missing.append(name)
    return GoldSet(answers, documents, missing)


def predict_interchange(path: Path, settings: Settings) -> dict[str, Any]:
    """Reads and extracts one file, as the interchange object."""
    document = read_file(path, settings)
    return interchange_of(document.name, extract(document))


def evaluate(gold: GoldSet, settings: Settings) -> tuple[Score, dict[str, dict[str, Any]]]:
    """Extracts every gold document and scores the predictions."""
    predictions = {stem: predict_interchange(path, settings) for stem, path in gold.documents.items()}
    return score_documents(gold.answers, predictions), predictions


def floor_failures(score: Score, floors: dict[str, float]) -> list[str]:
    """Each record type (or "overall") whose F1 is below its pinned floor, said in words."""
    failures = []
    for kind, floor in floors.items():
        tally = score.overall if kind == "overall" else score.types.get(kind)
        f1 = tally.f1 if tally is not None else 0.0
        if f1 < floor:
            failures.append(f"{kind}: F1 {f1:.3f} is below its floor {floor:.3f}")
    return failures
