"""Compares two versions of what a document says: records added, removed and changed, field by field.

Records are paired the way the gold scorer pairs them (``extractors.scoring``):
a project by its normalised name or leading words, a contact by e-mail
else name, a funding by project and amount, a goal by its objective, fuzzy
where the scorer is fuzzy. So a corrected value is one change, not a
removal and an addition. Identical records are paired first, exactly, so
the fuzzy pairing only ever sees what actually differs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from extractors.scoring import FIELDS, pair_records, record_key
from warehouse.record_sets import RECORD_TYPES, StoredRecord, VersionRecords, WarningNote

ChangeKind = Literal["added", "removed", "changed"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "removed", "changed")


@dataclass(frozen=True)
class FieldChange:
    """One field of a paired record, before and after."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class RecordChange:
    """A record that appeared, disappeared, or whose fields changed."""

    record_type: str
    kind: ChangeKind
    key: str
    old: StoredRecord | None = None
    new: StoredRecord | None = None
    fields: tuple[FieldChange, ...] = ()

    @property
    def label(self) -> str:
        """How a reader names the record: a project's name, a person, a sum and its project, an objective."""
        side = self.new if self.new is not None else self.old
        return record_label(self.record_type, side.values) if side is not None else self.key

    @property
    def reference(self) -> str | None:
        """The stored row this change is about: the new one, or the old one of a removal."""
        side = self.new if self.new is not None else self.old
        return side.reference if side is not None else None

    def value_ids(self) -> list[str]:
        """What a reviewer can mark: the record itself, and each changed field of it."""
        if self.reference is None:
            return []
        return [self.reference] + [f"{self.reference}.{f.field}" for f in self.fields]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.reference,
            "record_type": self.record_type,
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "fields": [f.to_dict() for f in self.fields],
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
        }


@dataclass(frozen=True)
class WarningChange:
    """A reader or extractor warning that appeared in, or went away from, the newer version."""

    kind: Literal["appeared", "went away"]
    warning: WarningNote

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.warning.to_dict()}


@dataclass
class DocumentDiff:
    """What changed in one document between two versions; ``status`` says whether either side is missing."""

    source: str
    name: str
    status: Literal["new", "withdrawn", "changed"]
    old_version: int | None
    new_version: int | None
    changes: list[RecordChange] = field(default_factory=list)
    warnings: list[WarningChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.warnings

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "name": self.name,
            "status": self.status,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "notes": self.notes,
            "changes": [c.to_dict() for c in self.changes],
            "warnings": [w.to_dict() for w in self.warnings],
        }


def record_label(record_type: str, values: dict[str, Any]) -> str:
    """A record's name for people (the pairing key is normalised; this is not)."""
    if record_type == "contacts":
        name, email = values.get("name"), values.get("email")
        return f"{name} <{email}>" if name and email else str(name or email or "(no name)")
    if record_type == "fundings":
        amount = values.get("amount_eur")
        sum_ = f"{amount:,.0f} €".replace(",", " ") if isinstance(amount, int | float) else "no sum"
        return f"{values.get('project') or '(no project)'}: {sum_}"
    name = values.get("name" if record_type == "projects" else "objective")
    return str(name or "(none)")


def diff_versions(old: VersionRecords | None, new: VersionRecords | None) -> DocumentDiff:
    """Every record and warning difference between two versions of one document (either may be absent)."""
    either = new if new is not None else old
    if either is None:
        raise ValueError("diff_versions needs at least one side")
    status = "new" if old is None else "withdrawn" if new is None else "changed"
    diff = DocumentDiff(
        either.source, either.name, status, old.version_id if old else None, new.version_id if new else None
    )
    for record_type in RECORD_TYPES:
        olds = old.records[record_type] if old else []
        news = new.records[record_type] if new else []
        diff.changes.extend(diff_records(record_type, olds, news))
    diff.warnings = diff_warnings(old.warnings if old else [], new.warnings if new else [])
    return diff


def diff_records(record_type: str, olds: list[StoredRecord], news: list[StoredRecord]) -> list[RecordChange]:
    """Added, removed and changed records of one type, in the newer version's order, removals last."""
    left_old, left_new = _without_identical(olds, news)
    old_values = [olds[i].values for i in left_old]
    new_values = [news[i].values for i in left_new]
    paired = pair_records(record_type, old_values, new_values)
    changes: list[RecordChange] = []
    for position, index in enumerate(left_new):
        record = news[index]
        if position not in paired:
            changes.append(RecordChange(record_type, "added", record_key(record_type, record.values), new=record))
            continue
        before = olds[left_old[paired[position]]]
        fields = changed_fields(record_type, before.values, record.values)
        if fields:
            changes.append(RecordChange(record_type, "changed", record_key(record_type, record.values), before, record, fields))
    matched_old = set(paired.values())
    for position, index in enumerate(left_old):
        if position not in matched_old:
            record = olds[index]
            changes.append(RecordChange(record_type, "removed", record_key(record_type, record.values), old=record))
    return changes


def _without_identical(olds: list[StoredRecord], news: list[StoredRecord]) -> tuple[list[int], list[int]]:
    """Indexes of the records left once those with identical values on both sides are paired off."""
    waiting: dict[str, list[int]] = {}
    for index, record in enumerate(olds):
        waiting.setdefault(_fingerprint(record.values), []).append(index)
    left_new = []
    for index, record in enumerate(news):
        same = waiting.get(_fingerprint(record.values))
        if same:
            same.pop(0)
        else:
            left_new.append(index)
    left_old = sorted(i for indexes in waiting.values() for i in indexes)
    return left_old, left_new


def _fingerprint(values: dict[str, Any]) -> str:
    return repr(sorted((name, _comparable(value)) for name, value in values.items()))


def _comparable(value: Any) -> Any:
    """A value as a diff compares it: lists as sorted multisets, numbers as numbers, text stripped."""
    if isinstance(value, list | tuple):
        # An empty list says no more than a missing one (the scorer reads both as none).
        return tuple(sorted(str(_comparable(v)) for v in value)) or None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 2)
    text = str(value).strip()
    return text or None


def changed_fields(record_type: str, old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """The fields (in the format's order) whose values differ."""
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in FIELDS[record_type]
        if _comparable(old.get(name)) != _comparable(new.get(name))
    )


def diff_warnings(old: list[WarningNote], new: list[WarningNote]) -> list[WarningChange]:
    """Warnings that appeared or went away, compared by code, message and page, counting repeats."""
    before, after = Counter(old), Counter(new)
    changes = [WarningChange("appeared", w) for w in (after - before).elements()]
    changes += [WarningChange("went away", w) for w in (before - after).elements()]
    return changes
