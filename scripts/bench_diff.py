"""Cost of an extraction diff of two runs over many documents, against reading the same rows plainly.

A temporary SQLite warehouse gets ``--documents`` documents (the sample
documents of corpus/inbox under as many sources, each extracted once) in
run 1, and all of them again in run 2 under another extractor version,
with one project dropped and one date changed per document: the shape of
a rule change's re-extraction. Then, in the same process:

1. baseline: the rows of every record table for the versions of both runs,
   read with one plain SELECT per table (what any reader of those records
   must at least do);
2. ``diff_runs``: the whole diff (states, bulk reads with evidence in
   context, pairing, field comparison);
3. rendering the diff as text and as the HTML page.

Prints seconds (median of ``--repeat``) and the ratio to the baseline.
Nothing is re-parsed in 1-3; the extraction before the clock is not timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from extractors.extraction import Extraction, extract  # noqa: E402
from pipeline.batch import read_or_fail  # noqa: E402
from pipeline.document import Document  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from warehouse.connection import open_engine  # noqa: E402
from warehouse.diff_html import render_html  # noqa: E402
from warehouse.diff_text import render_text  # noqa: E402
from warehouse.diffs import diff_runs  # noqa: E402
from warehouse.loading import RunSummary, finish_run, load_document, start_run  # noqa: E402
from warehouse.schema import upgrade  # noqa: E402

RECORD_TABLES = ("project_mentions", "project_organisations", "fundings", "contact_mentions", "goals", "goal_items")


def samples() -> list[tuple[Document, Extraction]]:
    found = []
    for path in sorted((REPO / "corpus" / "inbox").glob("*.txt")):
        document = read_or_fail(path, Settings())
        if isinstance(document, Document):
            found.append((document, extract(document)))
    return found


def changed(extraction: Extraction) -> Extraction:
    """The extraction as a rule change might leave it: first project gone, the next one's end date moved."""
    projects = list(extraction.projects[1:])
    if projects:
        projects[0] = replace(projects[0], end_date="2031-12-31")
    return replace(extraction, projects=tuple(projects), fundings=tuple(
        f for f in extraction.fundings if not extraction.projects or f.project != extraction.projects[0].name
    ))


def build(db: Path, documents: int) -> None:
    engine = open_engine(f"sqlite:///{db}")
    upgrade(engine)
    pool = samples()
    for version, alter in (("bench-1", lambda e: e), ("bench-2", changed)):
        run = start_run(engine, version)
        for index in range(documents):
            document, extraction = pool[index % len(pool)]
            source = f"bench/{index:05d}/{Path(document.source).name}"
            load_document(engine, run, version, replace(document, source=source), alter(extraction))
        finish_run(engine, RunSummary(run, version))
    engine.dispose()


def plain_read(db: Path) -> int:
    engine = open_engine(f"sqlite:///{db}")
    rows = 0
    with engine.connect() as connection:
        for table in RECORD_TABLES:
            rows += len(connection.execute(text(f"SELECT * FROM {table}")).all())
    engine.dispose()
    return rows


def timed(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000, help="documents per run (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is shown")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plansift-bench-diff-") as folder:
        db = Path(folder) / "bench.db"
        build(db, options.documents)
        engine = open_engine(f"sqlite:///{db}")
        diff = diff_runs(engine, 1, 2)
        changes = sum(len(d.changes) for d in diff.documents)
        results = [
            ("baseline: plain SELECT of the record rows", timed(lambda: plain_read(db), options.repeat)),
            ("diff_runs", timed(lambda: diff_runs(engine, 1, 2), options.repeat)),
            ("render text", timed(lambda: list(render_text(diff)), options.repeat)),
            ("render HTML", timed(lambda: render_html(diff), options.repeat)),
        ]
        engine.dispose()
    print(f"{options.documents} documents per run, {len(diff.documents)} with differences, {changes} record changes")
    print(f"{'measurement':45s} {'seconds':>9s} {'x baseline':>11s}")
    baseline = results[0][1]
    for name, seconds in results:
        print(f"{name:45s} {seconds:9.3f} {seconds / baseline:11.1f}")


if __name__ == "__main__":
    main()
