"""An extraction diff as one self-contained HTML page: counts, filters, and old and new side by side with evidence.

Everything from documents is escaped: markup in a document is shown as
text, never interpreted. The page needs no network; a small script
filters by document, record type and kind of change.
"""

from __future__ import annotations

import html
from pathlib import Path

from warehouse.diff_text import shown_value
from warehouse.diffs import ExtractionDiff
from warehouse.record_diff import CHANGE_KINDS, DocumentDiff, RecordChange, WarningChange
from warehouse.record_sets import RECORD_TYPES, StoredRecord
from warehouse.review import Mark

WARNING_KINDS = ("appeared", "went away")

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
#filters { display: flex; gap: 1.5em; flex-wrap: wrap; align-items: center; padding: .6em; background: #f4f4f4; }
section.document { border-top: 2px solid #999; margin-top: 1.2em; }
section.document h2 { font-size: 1.1em; word-break: break-all; }
.change { border-left: 4px solid #ccc; padding: .3em .8em; margin: .6em 0; }
.change[data-kind=added], .change[data-kind=appeared] { border-color: #2a8a2a; }
.change[data-kind=removed], .change[data-kind="went away"] { border-color: #b22; }
.change[data-kind=changed] { border-color: #c80; }
.change h3 { font-size: 1em; margin: .2em 0; }
.kind { text-transform: uppercase; font-size: .8em; letter-spacing: .05em; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.sides h4 { margin: .3em 0; font-size: .9em; color: #555; }
.evidence { background: #fafafa; border: 1px solid #e4e4e4; padding: .4em; white-space: pre-wrap; margin: 0; }
mark { background: #ffe27a; }
.old-value { color: #b22; } .new-value { color: #2a8a2a; }
.verdict { font-size: .85em; padding: 0 .4em; border-radius: 3px; background: #eee; }
.verdict.rejected { background: #f6c6c6; } .verdict.accepted { background: #c6f0c6; }
code { font-size: .9em; }
"""

_SCRIPT = """
(function () {
  const changes = Array.from(document.querySelectorAll('.change'));
  function apply() {
    const documentValue = document.getElementById('filter-document').value;
    const typeValue = document.getElementById('filter-type').value;
    const kinds = new Set(Array.from(document.querySelectorAll('.filter-kind:checked')).map(box => box.value));
    let shown = 0;
    for (const change of changes) {
      const visible = (!documentValue || change.dataset.document === documentValue)
        && (!typeValue || change.dataset.type === typeValue) && kinds.has(change.dataset.kind);
      change.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const section of document.querySelectorAll('section.document')) {
      section.hidden = !section.querySelector('.change:not([hidden])');
    }
    document.getElementById('shown-count').textContent = String(shown);
  }
  for (const control of document.querySelectorAll('#filters select, #filters input')) {
    control.addEventListener('change', apply);
  }
  apply();
})();
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def render_html(diff: ExtractionDiff) -> str:
    """The whole page."""
    documents = [d for d in diff.documents if not d.empty]
    total = sum(len(d.changes) + len(d.warnings) for d in documents)
    title = f"Extraction diff: {diff.old_label} → {diff.new_label}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p id="compared">{diff.compared} document(s) compared, '
        f'<span id="documents-changed">{len(documents)}</span> with differences.</p>',
        _counts_table(diff),
        _quality_table(diff),
        _filters(documents),
        f'<p id="shown">Showing <span id="shown-count">{total}</span> of <span id="total-count">{total}</span> changes.</p>',
        *(_document_section(d, diff.marks) for d in documents),
        f"<script>{_SCRIPT}</script></body></html>",
    ]
    return "\n".join(p for p in parts if p)


def write_html(diff: ExtractionDiff, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(diff), "utf-8")
    return path


def _counts_table(diff: ExtractionDiff) -> str:
    counts = diff.counts()
    rows = [
        f'<tr data-type="{t}"><th>{t}</th>'
        + "".join(f'<td class="n" data-kind="{k}">{counts[t][k]}</td>' for k in CHANGE_KINDS)
        + "</tr>"
        for t in RECORD_TYPES
    ]
    warnings = counts["warnings"]
    return (
        '<table id="counts"><tr><th></th>' + "".join(f"<th>{k}</th>" for k in CHANGE_KINDS) + "</tr>"
        + "".join(rows)
        + f'</table><p id="warning-counts">Warnings: <span data-kind="appeared">{warnings["appeared"]}</span> appeared, '
        f'<span data-kind="went away">{warnings["went away"]}</span> went away.</p>'
    )


def _quality_table(diff: ExtractionDiff) -> str:
    if not diff.quality:
        return ""
    rows = "".join(
        f'<tr data-type="{_e(t)}"><th>{_e(t)}</th><td class="n">{_score(b)}</td><td class="n">{_score(a)}</td>'
        f'<td class="n">{_delta(b, a)}</td></tr>'
        for t, (b, a) in diff.quality.items()
    )
    return f'<table id="quality"><tr><th>F1 against gold</th><th>before</th><th>after</th><th>change</th></tr>{rows}</table>'


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _delta(before: float | None, after: float | None) -> str:
    return "" if before is None or after is None else f"{after - before:+.3f}"


def _filters(documents: list[DocumentDiff]) -> str:
    options = "".join(f'<option value="{_e(d.source)}">{_e(d.source)}</option>' for d in documents)
    types = "".join(f'<option value="{t}">{t}</option>' for t in (*RECORD_TYPES, "warnings"))
    kinds = "".join(
        f'<label><input type="checkbox" class="filter-kind" value="{k}" checked> {k}</label>'
        for k in (*CHANGE_KINDS, *WARNING_KINDS)
    )
    return (
        '<form id="filters">'
        f'<label>Document <select id="filter-document"><option value="">all</option>{options}</select></label>'
        f'<label>Record type <select id="filter-type"><option value="">all</option>{types}</select></label>'
        f"<span>Kind {kinds}</span></form>"
    )


def _document_section(document: DocumentDiff, marks: dict[str, Mark]) -> str:
    versions = f"version {document.old_version or '–'} → {document.new_version or 'now'}"
    notes = "".join(f'<p class="note">{_e(n)}</p>' for n in document.notes)
    changes = "".join(_change(document.source, c, marks) for c in document.changes)
    warnings = "".join(_warning(document.source, w) for w in document.warnings)
    return (
        f'<section class="document" data-document="{_e(document.source)}">'
        f"<h2>{_e(document.source)} <small>({_e(document.status)}, {versions})</small></h2>"
        f"{notes}{changes}{warnings}</section>"
    )


def _change(source: str, change: RecordChange, marks: dict[str, Mark]) -> str:
    reference = f" <code>{_e(change.reference)}</code>" if change.reference else ""
    head = (
        f'<h3><span class="kind">{change.kind}</span> {_e(change.record_type[:-1])}: '
        f'<span class="label">{_e(change.label)}</span>{reference}{_verdict(marks, change.reference)}</h3>'
    )
    return (
        f'<div class="change" data-document="{_e(source)}" data-type="{change.record_type}" '
        f'data-kind="{change.kind}" data-id="{_e(change.reference or "")}">'
        f"{head}{_fields(change, marks)}{_sides(change)}</div>"
    )


def _fields(change: RecordChange, marks: dict[str, Mark]) -> str:
    if change.kind == "changed":
        rows = [
            (f.field, f.old, f.new, f"{change.reference}.{f.field}" if change.reference else None) for f in change.fields
        ]
    else:
        record = change.new or change.old
        assert record is not None
        rows = [(name, value, None, None) for name, value in record.values.items() if value not in (None, "", [])]
        if change.kind == "added":
            rows = [(name, None, value, None) for name, value, _, _ in rows]
    body = "".join(
        f"<tr><th>{_e(name)}</th><td class=\"old-value\">{_e(shown_value(old)) if old is not None else ''}</td>"
        f"<td class=\"new-value\">{_e(shown_value(new)) if new is not None else ''}</td>"
        f"<td>{f'<code>{_e(value_id)}</code>' if value_id else ''}{_verdict(marks, value_id)}</td></tr>"
        for name, old, new, value_id in rows
    )
    return f'<table class="fields"><tr><th>field</th><th>old</th><th>new</th><th></th></tr>{body}</table>'


def _sides(change: RecordChange) -> str:
    return f'<div class="sides"><div class="old">{_evidence("old", change.old)}</div><div class="new">{_evidence("new", change.new)}</div></div>'


def _evidence(side: str, record: StoredRecord | None) -> str:
    if record is None:
        return f"<h4>{side}: –</h4>"
    evidence = record.evidence
    if evidence is None:
        return f"<h4>{side}</h4><p>(no evidence)</p>"
    heading = f"<h4>{side}, page {evidence.page} <small>(rule {_e(evidence.rule)})</small></h4>"
    if evidence.context is None or evidence.context_start is None:
        return f'{heading}<p class="evidence"><mark>{_e(evidence.text)}</mark></p>'
    first = max(0, evidence.start - evidence.context_start)
    last = max(first, min(len(evidence.context), evidence.end - evidence.context_start))
    context = evidence.context
    return (
        f'{heading}<p class="evidence">{_e(context[:first])}<mark>{_e(context[first:last])}</mark>'
        f"{_e(context[last:])}</p>"
    )


def _warning(source: str, change: WarningChange) -> str:
    page = f", page {change.warning.page}" if change.warning.page else ""
    return (
        f'<div class="change warning" data-document="{_e(source)}" data-type="warnings" data-kind="{change.kind}">'
        f'<h3><span class="kind">{_e(change.kind)}</span> warning {_e(change.warning.code)}{page}</h3>'
        f"<p>{_e(change.warning.message)}</p></div>"
    )


def _verdict(marks: dict[str, Mark], value_id: str | None) -> str:
    mark = marks.get(value_id) if value_id else None
    if mark is None:
        return ""
    note = f": {mark.note}" if mark.note else ""
    return f' <span class="verdict {_e(mark.verdict)}">{_e(mark.verdict)} by {_e(mark.marked_by)}{_e(note)}</span>'
