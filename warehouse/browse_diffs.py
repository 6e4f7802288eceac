"""The extraction diff page inside `plansift browse`: /-/diff, the same page `plansift diff --html` writes.

Query parameters choose the diff as the command's options do: ``from`` and
``to`` (runs), ``doc`` (one document), ``baseline=1``. A dry run is not
offered: the browser only reads what the warehouse stores.
"""

from __future__ import annotations

import asyncio
import html
import sys
from typing import Any

from datasette import Response, hookimpl

from warehouse.diff_html import render_html
from warehouse.diffs import DiffError, ExtractionDiff, diff_baseline, diff_document, diff_runs
from warehouse.reading import read_only_engine

PATH = "/-/diff"
PLUGIN_NAME = "plansift-diffs"


def chosen_diff(db_path: str, arguments: dict[str, str]) -> ExtractionDiff:
    """The diff the query parameters ask for, from the served file."""
    engine = read_only_engine(f"sqlite:///{db_path}")
    try:
        old, new = _run(arguments.get("from")), _run(arguments.get("to"))
        doc = arguments.get("doc") or None
        if arguments.get("baseline") in ("1", "true", "on"):
            return diff_baseline(engine, doc)
        if doc is not None:
            return diff_document(engine, doc, old, new)
        return diff_runs(engine, old, new)
    finally:
        engine.dispose()


def _run(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise DiffError(f"a run is a number, not {value!r}")
    return int(value)


async def diff_page(request: Any, datasette: Any) -> Response:
    database = next(iter(datasette.databases.values()))
    for candidate in datasette.databases.values():
        if candidate.path:
            database = candidate
    arguments = {key: request.args.get(key) for key in ("from", "to", "doc", "baseline")}
    try:
        diff = await asyncio.to_thread(chosen_diff, database.path, arguments)
    except DiffError as error:
        message = html.escape(str(error))
        return Response.html(f"<!doctype html><title>No diff</title><p>{message}</p>", status=404)
    return Response.html(render_html(diff))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(rf"^{PATH}$", diff_page)]


def register_diff_page() -> None:
    """Adds /-/diff to every Datasette this process starts (once, however often it is asked)."""
    from datasette.plugins import pm

    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)
