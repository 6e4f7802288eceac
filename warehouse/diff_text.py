"""An extraction diff as terminal text: counts first, then each document's changes with evidence.

Document text is printed as text: control characters (an ESC sequence
in a scanned page, say) are shown escaped, never sent to the terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from warehouse.diffs import ExtractionDiff
from warehouse.record_diff import CHANGE_KINDS, DocumentDiff, RecordChange
from warehouse.record_sets import RECORD_TYPES, StoredRecord
from warehouse.review import Mark

EVIDENCE_CHARS = 240
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that break a line or reorder what follows it on a terminal.
_LAYOUT = re.compile("[\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def printable(text: str) -> str:
    """``text`` on one line, with control characters shown as escapes."""
    text = re.sub(r"[\r\n\t]+", " ", text)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _LAYOUT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def shown_value(value: Any) -> str:
    """A field value as the diff shows it: text as is, lists and numbers as JSON, nothing as (none)."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, str):
        return printable(value)
    return printable(json.dumps(value, ensure_ascii=False))


def render_text(diff: ExtractionDiff) -> Iterator[str]:
    """The whole diff, line by line."""
    yield from summary_lines(diff)
    for document in diff.documents:
        if not document.empty:
            yield ""
            yield from document_lines(document, diff.marks)


def summary_lines(diff: ExtractionDiff) -> Iterator[str]:
    changed = sum(1 for d in diff.documents if not d.empty)
    yield f"{diff.old_label} -> {diff.new_label}: {diff.compared} document(s) compared, {changed} with differences"
    counts = diff.counts()
    yield f"{'':10s}{'added':>8s}{'removed':>9s}{'changed':>9s}"
    for record_type in RECORD_TYPES:
        row = counts[record_type]
        yield f"{record_type:10s}{row['added']:8d}{row['removed']:9d}{row['changed']:9d}"
    warnings = counts["warnings"]
    yield f"warnings: {warnings['appeared']} appeared, {warnings['went away']} went away"
    if diff.quality:
        yield "F1 against gold, before -> after:"
        for record_type, (before, after) in diff.quality.items():
            yield f"  {record_type:9s} {_score(before)} -> {_score(after)}{_delta(before, after)}"


def _score(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _delta(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    # Judged on the shown figures: "0.800 -> 0.801 (unchanged)" would contradict itself.
    if f"{before:.3f}" == f"{after:.3f}":
        return "  (unchanged)"
    return f"  ({round(after, 3) - round(before, 3):+.3f})"


def document_lines(document: DocumentDiff, marks: dict[str, Mark]) -> Iterator[str]:
    versions = f"version {document.old_version or '-'} -> {document.new_version or 'now'}"
    yield f"== {printable(document.source)} ({document.status}, {versions})"
    for note in document.notes:
        yield f"   note: {note}"
    for record_type in RECORD_TYPES:
        changes = [c for c in document.changes if c.record_type == record_type]
        if changes:
            yield f"  {record_type}"
            for change in sorted(changes, key=lambda c: CHANGE_KINDS.index(c.kind)):
                yield from change_lines(change, marks)
    if document.warnings:
        yield "  warnings"
        for warning in document.warnings:
            page = f" p{warning.warning.page}" if warning.warning.page else ""
            sign = "+" if warning.kind == "appeared" else "-"
            yield f"    {sign} {warning.warning.code}{page}: {printable(warning.warning.message)}"


def change_lines(change: RecordChange, marks: dict[str, Mark]) -> Iterator[str]:
    reference = f" [{change.reference}]" if change.reference else ""
    yield f"    {_SIGNS[change.kind]} {printable(change.label)}{reference}{_verdict(marks, change.reference)}"
    if change.kind == "changed":
        for field in change.fields:
            value_id = f"{change.reference}.{field.field}" if change.reference else None
            yield (
                f"        {field.field}: {shown_value(field.old)} -> {shown_value(field.new)}"
                f"{f'  [{value_id}]' if value_id else ''}{_verdict(marks, value_id)}"
            )
    else:
        record = change.new or change.old
        assert record is not None
        filled = [f"{name}={shown_value(value)}" for name, value in record.values.items() if value not in (None, "", [])]
        yield f"        {'; '.join(filled)}"
    for side, record in (("old", change.old), ("new", change.new)):
        if record is not None:
            yield f"        {side}: {evidence_line(record)}"


def evidence_line(record: StoredRecord) -> str:
    if record.evidence is None:
        return "(no evidence)"
    text = printable(record.evidence.context or record.evidence.text)
    if len(text) > EVIDENCE_CHARS:
        text = text[: EVIDENCE_CHARS - 1] + "…"
    return f'p{record.evidence.page} "{text}"'


def _verdict(marks: dict[str, Mark], value_id: str | None) -> str:
    mark = marks.get(value_id) if value_id else None
    if mark is None:
        return ""
    note = f": {printable(mark.note)}" if mark.note else ""
    return f"  ({mark.verdict} by {printable(mark.marked_by)}{note})"
