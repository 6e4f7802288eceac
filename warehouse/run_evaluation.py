"""Scores what a run left current against gold answers, and keeps the scores with the run.

Gold answers are interchange files paired with documents by file name
stem, as the scorer pairs them; only the documents of the run that have an
answer are scored, from what the warehouse stores (nothing is re-read).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from extractors.evaluation import load_interchange_dir
from extractors.scoring import Score, score_documents
from warehouse.models import DocumentRow, RunEvaluationRow
from warehouse.record_sets import VersionRecords
from warehouse.snapshots import read_versions, run_state


def gold_answers(folders: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """Gold interchange objects of every folder, by document stem (a later folder wins a clash)."""
    answers: dict[str, dict[str, Any]] = {}
    for folder in folders:
        if folder.is_dir():
            answers.update(load_interchange_dir(folder))
    return answers


def gold_beside(sources: Iterable[str]) -> list[Path]:
    """The ``gold`` folders next to ingested folders (``corpus/inbox`` -> ``corpus/gold``)."""
    found = []
    for source in sources:
        folder = Path(source)
        beside = folder.parent / "gold"
        if folder.is_dir() and beside.is_dir() and beside.resolve() != folder.resolve():
            found.append(beside)
    return list(dict.fromkeys(found))


def score_versions(versions: Iterable[VersionRecords], answers: dict[str, dict[str, Any]]) -> Score | None:
    """The versions that have a gold answer, scored; None when none has."""
    predicted = {Path(v.name).stem: v.interchange() for v in versions if Path(v.name).stem in answers}
    if not predicted:
        return None
    return score_documents({stem: answers[stem] for stem in predicted}, predicted)


def evaluate_run(engine: Engine, run_id: int, answers: dict[str, dict[str, Any]]) -> Score | None:
    """Scores the documents current after ``run_id`` that have gold answers and stores the scores with the run."""
    if not answers:
        return None
    with Session(engine) as session, session.begin():
        names = dict(session.execute(select(DocumentRow.id, DocumentRow.name)).all())
        state = run_state(session, run_id)
        versions = read_versions(session, [v for d, v in state.items() if Path(names[d]).stem in answers])
        score = score_versions(versions.values(), answers)
        if score is None:
            return None
        session.execute(delete(RunEvaluationRow).where(RunEvaluationRow.run_id == run_id))
        now = datetime.now(UTC)
        for record_type, tally in score.tallies().items():
            session.add(
                RunEvaluationRow(
                    run_id=run_id, record_type=record_type, right=tally.right, predicted=tally.predicted,
                    gold=tally.gold, f1=round(tally.f1, 4), documents=score.documents, evaluated_at=now,
                )
            )
        return score
