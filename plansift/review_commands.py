"""`plansift diff` and `plansift review`: what changed between runs or versions, and the reviewers' decisions on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from pipeline.settings import Settings
from plansift.options import DbOption, fail, settings_for

review_app = typer.Typer(
    name="review",
    help=(
        "Reviewers' decisions, stored in the warehouse with their history: approve a run as the baseline that "
        "`plansift diff --baseline` compares with, and accept or reject single extracted values by the ids "
        "diffs print (P12 a project mention, P12.start_date one of its fields; F fundings, C contacts, G goals)."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

ByOption = Annotated[str | None, typer.Option("--by", help="Who decides (default: the login name).")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why; kept with the decision.")]


def writable_warehouse(settings: Settings) -> Engine:
    """The warehouse, migrated to this plansift's schema, for commands that record something."""
    from warehouse.connection import open_engine
    from warehouse.schema import upgrade

    engine = open_engine(settings.db_url)
    upgrade(engine)
    return engine


def reading_warehouse(settings: Settings) -> Engine:
    """The warehouse opened so that nothing can be written to it (an older schema is migrated first)."""
    from warehouse.reading import QueryRefused, read_only_engine
    from warehouse.schema import is_current

    try:
        engine = read_only_engine(settings.db_url)
        if not is_current(engine):
            writable_warehouse(settings).dispose()
    except QueryRefused as error:
        fail(f"{error}")
        raise typer.Exit(2) from None
    return engine


def diff_command(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="With --dry-run: the documents to re-extract (default: every current one).", show_default=False),
    ] = None,
    db: DbOption = None,
    doc: Annotated[
        str | None,
        typer.Option("--doc", help="One document (its source, path or file name): by default its last two versions."),
    ] = None,
    old_run: Annotated[int | None, typer.Option("--from", help="The older run (default: the one before --to that loaded anything).")] = None,
    new_run: Annotated[int | None, typer.Option("--to", help="The newer run (default: the last run that loaded anything).")] = None,
    baseline: Annotated[bool, typer.Option("--baseline", help="Compare with the approved baseline run (`plansift review approve`).")] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Re-extract the stored documents with the extractors as they are now and compare with what is loaded; loads nothing."),
    ] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when anything differs (a snapshot test of the extractors).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the diff as JSON, for tools.")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML page with filters to this file.")] = None,
    gold: Annotated[
        list[Path] | None,
        typer.Option("--gold", help="With --dry-run: gold answers to score both sides against (default: a gold/ folder beside the documents' folder)."),
    ] = None,
) -> None:
    """Show what changed in the extracted records: added, removed and changed records, field by field, with evidence.

    \b
    plansift diff                        the last two runs that loaded anything
    plansift diff --from 3 --to 5        two given runs
    plansift diff --doc plan.pdf         the last two versions of one document
    plansift diff --baseline --check     everything that differs from the approved run; exit 1 if anything does
    plansift diff --dry-run              what the extractors as they are now would change; nothing is loaded
    plansift diff --dry-run a.pdf --json the same for one document, as JSON

    Records are paired as the gold scorer pairs them, so a corrected value
    is a change, not a removal and an addition. Each change shows the
    sentence around it and its page on both sides, and an id (P12,
    P12.end_date) that `plansift review accept|reject` takes. Warnings that
    appeared or went away are listed too; where the runs were scored
    against gold answers, F1 before and after is shown.
    """
    from warehouse.diff_html import write_html
    from warehouse.diff_text import render_text
    from warehouse.diffs import DiffError

    if sources and not dry_run:
        fail("documents to re-extract are given only with --dry-run; use --doc SOURCE to compare stored versions")
        raise typer.Exit(2)
    if dry_run and (old_run is not None or new_run is not None):
        fail("--dry-run compares with what is loaded now (or with --baseline); it takes no --from or --to")
        raise typer.Exit(2)
    settings = settings_for(db)
    engine = reading_warehouse(settings)
    failures: list = []
    try:
        if dry_run:
            diff, failures = _dry_run(engine, settings, [*(sources or []), *([doc] if doc else [])], baseline, gold)
        else:
            diff = _stored_diff(engine, doc, old_run, new_run, baseline)
    except DiffError as error:
        fail(f"{error}")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        for line in render_text(diff):
            typer.echo(line)
    if html is not None:
        typer.echo(f"wrote {write_html(diff, html)}", err=as_json)
    for failure in failures:
        typer.echo(f"failed: {failure.source}: {failure.detail}", err=True)
    if failures or (check and diff.differs):
        raise typer.Exit(1)


def _stored_diff(engine: Engine, doc: str | None, old_run: int | None, new_run: int | None, baseline: bool):  # type: ignore[no-untyped-def]
    from warehouse.diffs import diff_baseline, diff_document, diff_runs

    if baseline:
        if old_run is not None or new_run is not None:
            from warehouse.diffs import DiffError

            raise DiffError("--baseline is the older side; give no --from or --to with it")
        return diff_baseline(engine, doc)
    if doc is not None:
        return diff_document(engine, doc, old_run, new_run)
    return diff_runs(engine, old_run, new_run)


def _dry_run(engine: Engine, settings: Settings, sources: list[str], baseline: bool, gold: list[Path] | None):  # type: ignore[no-untyped-def]
    from warehouse.dry_run import dry_run, gold_for
    from warehouse.run_evaluation import gold_answers

    answers = gold_answers(gold) if gold else gold_for(engine, sources)
    return dry_run(engine, settings, sources or None, baseline=baseline, gold=answers)


@review_app.command("approve")
def approve(
    run: Annotated[int | None, typer.Argument(help="The run to approve (default: the latest finished one).")] = None,
    db: DbOption = None,
    by: ByOption = None,
    note: NoteOption = None,
) -> None:
    """Approve RUN as the baseline: `plansift diff --baseline` then shows everything that differs from it.

    Every approval is kept; the latest is the baseline. Review the run first
    with `plansift diff --to RUN`.
    """
    from warehouse.review import ReviewError, approve_run

    engine = writable_warehouse(settings_for(db))
    try:
        approval = approve_run(engine, run, by=by, note=note)
    except ReviewError as error:
        fail(f"{error}")
        raise typer.Exit(2) from None
    typer.echo(f"run {approval.run_id} is the baseline, approved by {approval.approved_by} at {approval.approved_at:%Y-%m-%d %H:%M} UTC")


def _mark(value_id: str, verdict: str, db: str | None, by: str | None, note: str | None) -> None:
    from warehouse.diff_text import printable
    from warehouse.review import ReviewError, mark_value

    engine = writable_warehouse(settings_for(db))
    try:
        mark = mark_value(engine, value_id, verdict, note=note, by=by)  # type: ignore[arg-type]
    except ReviewError as error:
        fail(f"{error}")
        raise typer.Exit(2) from None
    typer.echo(f"{mark.value_id} ({printable(mark.value or '')}) {mark.verdict} by {mark.marked_by}")


@review_app.command("accept")
def accept(
    value_id: Annotated[str, typer.Argument(help="The id a diff printed: P12, P12.end_date, F3.amount_eur, ...", show_default=False)],
    db: DbOption = None,
    by: ByOption = None,
    note: NoteOption = None,
) -> None:
    """Accept one extracted value (or a whole record) as right."""
    _mark(value_id, "accepted", db, by, note)


@review_app.command("reject")
def reject(
    value_id: Annotated[str, typer.Argument(help="The id a diff printed: P12, P12.end_date, F3.amount_eur, ...", show_default=False)],
    db: DbOption = None,
    by: ByOption = None,
    note: NoteOption = None,
) -> None:
    """Reject one extracted value (or a whole record) as wrong.

    Rejected values are listed by `plansift review list`, marked in diffs,
    and shown in the review column of the views (project_overview,
    funding_overview, contact_overview, goal_overview).
    """
    _mark(value_id, "rejected", db, by, note)


@review_app.command("list")
def list_reviews(
    db: DbOption = None,
    every: Annotated[bool, typer.Option("--all", help="Also list accepted values, not only rejected ones.")] = False,
    history: Annotated[bool, typer.Option("--history", help="Every decision ever made, not only the one that counts for each value.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the approved runs (the baseline first) and the rejected values with their notes."""
    from warehouse.diff_text import printable
    from warehouse.review import approvals, marks

    engine = reading_warehouse(settings_for(db))
    approved = approvals(engine)
    decided = marks(engine, verdict=None if every else "rejected", history=history)
    if as_json:
        payload = {
            "approvals": [
                {"run_id": a.run_id, "approved_by": a.approved_by, "approved_at": a.approved_at.isoformat(), "note": a.note}
                for a in approved
            ],
            "marks": [{"id": m.value_id, "source": m.source, **m.to_dict()} for m in decided],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not approved:
        typer.echo("no approved run; `plansift review approve [RUN]` approves one")
    for index, approval in enumerate(approved):
        what = "baseline" if index == 0 else "earlier"
        note = f": {printable(approval.note)}" if approval.note else ""
        typer.echo(f"{what}: run {approval.run_id}, approved by {printable(approval.approved_by)} at {approval.approved_at:%Y-%m-%d %H:%M}{note}")
    typer.echo(f"{len(decided)} {'decision(s)' if every else 'rejected value(s)'}")
    for mark in decided:
        note = f": {printable(mark.note)}" if mark.note else ""
        typer.echo(
            f"  {mark.value_id} {mark.verdict} {printable(mark.value or '')!r} in {printable(mark.source)} "
            f"by {printable(mark.marked_by)} at {mark.marked_at:%Y-%m-%d %H:%M}{note}"
        )
