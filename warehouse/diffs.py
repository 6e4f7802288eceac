"""Extraction diffs over the warehouse: two runs, two versions of one document, or a run against the approved baseline.

Each side of a diff is a *state*: which version of each document was
current. A run's state comes from what the run recorded per source, the
present state from the latest versions; only documents whose version
differs between the two states are read, and nothing is parsed again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from warehouse.models import DocumentRow, DocumentVersionRow, ExtractionRunRow, RunDocumentRow, RunEvaluationRow
from warehouse.record_diff import CHANGE_KINDS, DocumentDiff, diff_versions
from warehouse.record_sets import RECORD_TYPES
from warehouse.review import Mark, baseline_run, latest_marks
from warehouse.snapshots import current_state, read_versions, run_state

# Outcomes by which a run changed what is current.
LOADING_OUTCOMES = ("new", "changed", "withdrawn")


class DiffError(ValueError):
    """What was asked to compare does not exist; the message says what does."""


class DocumentNotFound(DiffError):
    """No stored document goes by the name given."""


@dataclass
class ExtractionDiff:
    """The differences between two states of the warehouse, document by document."""

    old_label: str
    new_label: str
    documents: list[DocumentDiff] = field(default_factory=list)
    compared: int = 0
    # Record type (and "overall") -> (F1 before, F1 after) against gold, where known.
    quality: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)

    @property
    def differs(self) -> bool:
        return any(not d.empty for d in self.documents)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per record type: how many added, removed and changed; and warnings that appeared or went away."""
        counted = {t: dict.fromkeys(CHANGE_KINDS, 0) for t in RECORD_TYPES}
        counted["warnings"] = {"appeared": 0, "went away": 0}
        for document in self.documents:
            for change in document.changes:
                counted[change.record_type][change.kind] += 1
            for warning in document.warnings:
                counted["warnings"][warning.kind] += 1
        return counted

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "documents_compared": self.compared,
            "documents_changed": sum(1 for d in self.documents if not d.empty),
            "counts": self.counts(),
            "quality": {t: {"before": b, "after": a} for t, (b, a) in self.quality.items()},
            "documents": [d.to_dict() for d in self.documents if not d.empty],
            "marks": {value_id: mark.to_dict() for value_id, mark in self.marks.items()},
        }


def diff_states(
    session: Session,
    old: dict[int, int],
    new: dict[int, int],
    labels: tuple[str, str],
    documents: set[int] | None = None,
) -> ExtractionDiff:
    """Compares two states (document id -> version id), optionally only for some documents."""
    ids = sorted((set(old) | set(new)) if documents is None else documents)
    differing = [d for d in ids if old.get(d) != new.get(d)]
    held = read_versions(session, [v for d in differing for v in (old.get(d), new.get(d)) if v is not None])
    diff = ExtractionDiff(*labels, compared=len(ids))
    for document_id in differing:
        before, after = held.get(old.get(document_id, -1)), held.get(new.get(document_id, -1))
        if before is not None or after is not None:
            diff.documents.append(diff_versions(before, after))
    diff.documents.sort(key=lambda d: d.source)
    return diff


def loading_runs(session: Session) -> list[int]:
    """The runs that changed what is current (loaded or withdrew something), newest first."""
    query = (
        select(RunDocumentRow.run_id)
        .where(RunDocumentRow.outcome.in_(LOADING_OUTCOMES))
        .group_by(RunDocumentRow.run_id)
        .order_by(RunDocumentRow.run_id.desc())
    )
    return list(session.scalars(query))


def require_run(session: Session, run_id: int) -> int:
    if session.get(ExtractionRunRow, run_id) is None:
        known = list(session.scalars(select(ExtractionRunRow.id).order_by(ExtractionRunRow.id)))
        shown = f"runs {known[0]}..{known[-1]}" if known else "no runs yet; run `plansift ingest` first"
        raise DiffError(f"there is no run {run_id}; the warehouse has {shown}")
    return run_id


def two_runs(session: Session, old: int | None, new: int | None) -> tuple[int, int]:
    """The runs to compare: as given, else the last two that loaded anything (or the one before ``new``)."""
    if new is None:
        loaded = loading_runs(session)
        new = loaded[0] if loaded else None
        if old is None:
            old = loaded[1] if len(loaded) > 1 else None
    if new is None:
        raise DiffError("no run has loaded anything yet; run `plansift ingest` first")
    require_run(session, new)
    if old is None:
        earlier = [r for r in loading_runs(session) if r < new]
        if not earlier:
            raise DiffError(f"run {new} is the first run that loaded anything; there is nothing before it to compare with")
        old = earlier[0]
    return require_run(session, old), new


def diff_runs(engine: Engine, old: int | None = None, new: int | None = None, document: str | None = None) -> ExtractionDiff:
    """What changed between two runs' states (of every document, or of one): after an extractor change,
    the rule change's effect on every document."""
    with Session(engine) as session:
        only = {find_document(session, document).id} if document else None
        old, new = two_runs(session, old, new)
        diff = diff_states(session, run_state(session, old), run_state(session, new), (f"run {old}", f"run {new}"), only)
        diff.quality = run_quality(session, old, new)
        return _with_marks(session, diff)


def diff_baseline(engine: Engine, document: str | None = None) -> ExtractionDiff:
    """Everything in the current state (of every document, or of one) that differs from the approved baseline run."""
    with Session(engine) as session:
        only = {find_document(session, document).id} if document else None
        baseline = require_baseline(session)
        diff = diff_states(
            session, run_state(session, baseline), current_state(session), (f"baseline run {baseline}", "now"), only
        )
        latest = loading_runs(session)
        if latest:
            diff.quality = run_quality(session, baseline, latest[0])
        return _with_marks(session, diff)


def require_baseline(session: Session) -> int:
    baseline = baseline_run(session)
    if baseline is None:
        raise DiffError("no run is approved yet; approve one with `plansift review approve [RUN]`")
    return baseline


def diff_document(engine: Engine, source: str, old_run: int | None = None, new_run: int | None = None) -> ExtractionDiff:
    """Two versions of one document: as the two runs saw it, else its last two versions."""
    if old_run is not None or new_run is not None:
        return diff_runs(engine, old_run, new_run, source)
    with Session(engine) as session:
        document = find_document(session, source)
        query = select(DocumentVersionRow.id).where(DocumentVersionRow.document_id == document.id)
        versions = list(session.scalars(query.order_by(DocumentVersionRow.id.desc()).limit(2)))
        if len(versions) < 2:
            raise DiffError(f"{document.source} has {len(versions)} version(s); a diff needs two")
        new, old = versions
        diff = diff_states(session, {document.id: old}, {document.id: new}, (f"version {old}", f"version {new}"), {document.id})
        return _with_marks(session, diff)


def find_document(session: Session, source: str) -> DocumentRow:
    """The document a --doc value names: its source exactly, the same path written another way, or its file name."""
    candidates: list[Callable[[], Any]] = [
        lambda: select(DocumentRow).where(DocumentRow.source == source),
        lambda: select(DocumentRow).where(DocumentRow.source == str(Path(source))),
        lambda: select(DocumentRow).where(DocumentRow.source == str(Path(source).resolve())),
        lambda: select(DocumentRow).where(DocumentRow.name == Path(source).name),
    ]
    for query in candidates:
        found = list(session.scalars(query()))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = ", ".join(d.source for d in found[:5])
            raise DiffError(f"{source!r} names {len(found)} documents ({listed}); give the whole source")
    raise DocumentNotFound(f"no document {source!r} in the warehouse; `plansift query \"SELECT source FROM documents\"` lists them")


def run_quality(session: Session, old: int, new: int) -> dict[str, tuple[float | None, float | None]]:
    """F1 per record type before and after, from the gold evaluations stored with the two runs."""
    scores: dict[str, list[float | None]] = {}
    for index, run_id in enumerate((old, new)):
        for row in session.scalars(select(RunEvaluationRow).where(RunEvaluationRow.run_id == run_id)):
            scores.setdefault(row.record_type, [None, None])[index] = row.f1
    return {t: (b, a) for t, (b, a) in scores.items()}


def _with_marks(session: Session, diff: ExtractionDiff) -> ExtractionDiff:
    ids = [value_id for d in diff.documents for c in d.changes for value_id in c.value_ids()]
    diff.marks = latest_marks(session, ids)
    return diff
