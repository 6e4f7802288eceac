"""What one document version holds, as plain data: its records in the interchange shape, each with evidence.

The warehouse gives versions back in this shape (``warehouse.snapshots``);
a diff compares two of them, whichever runs loaded them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from extractors.sentences import sentence_around

RECORD_TYPES = ("projects", "fundings", "contacts", "goals")

# The table each record type's rows live in, and the letter that opens a
# stored record's reference ("P12" is project_mentions row 12).
RECORD_TABLES = {"projects": "project_mentions", "fundings": "fundings", "contacts": "contact_mentions", "goals": "goals"}
REFERENCE_LETTERS = {"projects": "P", "fundings": "F", "contacts": "C", "goals": "G"}


@dataclass(frozen=True)
class Evidence:
    """Where a record was read: page, exact characters, the sentence around it and the rule."""

    page: int
    start: int
    end: int
    text: str
    rule: str
    # The sentence (or line) around the span in the version's text, and where it starts.
    context: str | None = None
    context_start: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page, "start": self.start, "end": self.end, "text": self.text, "rule": self.rule,
            "context": self.context, "context_start": self.context_start,
        }


@dataclass(frozen=True)
class StoredRecord:
    """One record's interchange fields, its evidence, and (when loaded) the reference of its row."""

    record_type: str
    values: dict[str, Any]
    evidence: Evidence | None = None
    reference: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "values": self.values,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass(frozen=True)
class WarningNote:
    """A reader or extractor warning of a version (an impossible date, an unreadable page)."""

    code: str
    message: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "page": self.page}


@dataclass
class VersionRecords:
    """Everything a version of a document says: records by type, and warnings."""

    source: str
    name: str
    version_id: int | None = None
    sha256: str | None = None
    records: dict[str, list[StoredRecord]] = field(default_factory=lambda: {t: [] for t in RECORD_TYPES})
    warnings: list[WarningNote] = field(default_factory=list)

    def interchange(self) -> dict[str, Any]:
        """The version as an interchange object (without document facts), e.g. for scoring."""
        return {"document": {"id": self.name}, **{t: [r.values for r in self.records[t]] for t in RECORD_TYPES}}


def with_context(evidence: Evidence, text: str) -> Evidence:
    """``evidence`` with the sentence around its span in ``text`` (the version's whole text)."""
    if not 0 <= evidence.start <= evidence.end <= len(text):
        return evidence
    first, last = sentence_around(text, evidence.start, evidence.end)
    return replace(evidence, context=text[first:last], context_start=first)
