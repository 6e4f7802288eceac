"""The plansift command line. Its help text is the manual."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.tree import Tree

from pipeline.document import Document, Section
from pipeline.errors import ReadError
from pipeline.readers import read_file
from pipeline.settings import DB_URL_VARIABLE, Settings
from plansift.options import DbOption
from plansift.options import fail as _fail
from plansift.options import settings_for as _settings
from plansift.review_commands import diff_command, review_app
from plansift.terminal import console, plain, styled
from warehouse.loading import RunSummary

MaxBytesOption = Annotated[
    int | None, typer.Option(help="Refuse a file or download larger than this many bytes (default 200 MB).")
]
MaxTextOption = Annotated[
    int | None, typer.Option(help="Refuse a document whose text is longer than this many characters (default 20 million).")
]
MaxParagraphsOption = Annotated[
    int | None, typer.Option(help="Refuse a document of more paragraphs, headings and list items than this (default 20,000).")
]
MaxOcrPagesOption = Annotated[
    int | None, typer.Option(help="OCR at most this many pages without a text layer in one PDF (default 100).")
]

app = typer.Typer(
    name="plansift",
    help=(
        "Read Finnish municipal and regional plans (PDF, HTML, text, Word), extract projects, "
        "dates, funding, contacts and goal tables, and load them into a queryable warehouse.\n\n"
        f"Commands that use the warehouse take --db URL (an SQLAlchemy URL, also read from "
        f"${DB_URL_VARIABLE}); the default is the embedded SQLite file var/plansift.db."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

@app.command()
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Folders (searched recursively), files, http(s) URLs, or text files listing one URL per line.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    max_pages: Annotated[int | None, typer.Option(help="Read at most this many pages of one PDF.")] = None,
    ocr: Annotated[bool, typer.Option(help="OCR PDF pages without a text layer when Tesseract is installed.")] = True,
    workers: Annotated[int | None, typer.Option(help="Documents processed at once (default 2).")] = None,
    runner: Annotated[
        str, typer.Option(help="thread (one process), process (a pool of processes) or dask (a Dask cluster).")
    ] = "thread",
    dask_address: Annotated[
        str | None, typer.Option(help="Scheduler of a running Dask cluster (tcp://host:8786); without it --runner dask starts a local one.")
    ] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds one document's reading or extraction may take (default 300).")] = None,
    max_bytes: MaxBytesOption = None,
    max_text: MaxTextOption = None,
    max_paragraphs: MaxParagraphsOption = None,
    max_ocr_pages: MaxOcrPagesOption = None,
    http_timeout: Annotated[float | None, typer.Option(help="Seconds to wait for a web server's response (default 30).")] = None,
    gold: Annotated[
        list[Path] | None,
        typer.Option("--gold", help="Gold answers (interchange files) to score the run against; a gold/ folder beside an ingested folder is used too."),
    ] = None,
) -> None:
    """Read, extract and load documents into the warehouse; print what happened to each.

    Bytes already loaded by this extractor version are skipped without
    parsing; changed bytes become a new version; a document that cannot be
    read, or runs past --timeout, is reported with its reason and the rest
    of the batch goes on; a file gone from an ingested folder is marked
    withdrawn. Where gold answers exist for the run's documents, the run
    is scored against them and the scores are kept with it (`plansift
    diff` shows them before and after). The exit code is 1 when any
    document failed.
    """
    if runner not in ("thread", "process", "dask"):
        _fail(f"--runner {runner!r} is not one of thread, process, dask")
        raise typer.Exit(2)
    try:
        settings = _settings(
            db, max_pages=max_pages, ocr=ocr, workers=workers, document_timeout=timeout,
            max_bytes=max_bytes, max_text_chars=max_text, max_blocks=max_paragraphs, max_ocr_pages=max_ocr_pages,
            http_timeout=http_timeout,
            gold_dirs=tuple(str(g) for g in gold) if gold else None,
        )
    except ValueError as error:
        _fail(f"{error}")
        raise typer.Exit(2) from None
    _quiet_orchestrator()
    from flows.ingest import run_ingest  # Prefect is slow to import; only ingest needs it.
    from flows.progress import listening

    with _progress_bar() as advance, listening(advance):
        summary = run_ingest(sources, settings, runner=runner, dask_address=dask_address)
    _print_summary(summary)
    if summary.failures:
        raise typer.Exit(1)


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on the terminal (nothing when output is not one), advanced per document."""
    with Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty(),
    ) as progress:
        bar = progress.add_task("documents", total=None)

        def advance(done: int, total: int, source: str) -> None:
            progress.update(bar, completed=done, total=total, description=plain(Path(source).name[:40]))

        yield advance


@app.command()
def schedule(
    sources: Annotated[list[str], typer.Argument(help="Folders, files, URLs or URL-list files to ingest on each run.", show_default=False)],
    db: DbOption = None,
    cron: Annotated[str | None, typer.Option(help='Cron schedule, e.g. "0 6 * * 1-5" (06:00 on weekdays).')] = None,
    interval: Annotated[float | None, typer.Option(help="Run every this many seconds instead of a cron schedule.")] = None,
    timezone: Annotated[str, typer.Option(help="Time zone the cron schedule is read in.")] = "Europe/Helsinki",
    name: Annotated[str, typer.Option(help="Deployment name, shown in the Prefect UI.")] = "scheduled-ingest",
) -> None:
    """Serve a Prefect deployment that runs ingestion of SOURCES on a schedule, until stopped.

    Give --cron or --interval. Two scheduled runs never overlap (the
    deployment's concurrency limit is 1). Without PREFECT_API_URL a local
    Prefect server is started for the schedule and stopped with it.
    """
    if (cron is None) == (interval is None):
        _fail("give exactly one of --cron and --interval")
        raise typer.Exit(2)
    settings = _settings(db)
    _quiet_orchestrator()
    from flows.deployments import ScheduleError, serve_schedule

    try:
        serve_schedule(sources, settings, cron=cron, interval=interval, timezone=timezone, name=name)
    except ScheduleError as error:
        _fail(f"{error}")
        raise typer.Exit(1) from None


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="The document to read.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole Document as JSON.")] = False,
    max_pages: Annotated[int | None, typer.Option(help="Read at most this many pages of a PDF.")] = None,
    max_bytes: MaxBytesOption = None,
    max_text: MaxTextOption = None,
    max_paragraphs: MaxParagraphsOption = None,
    max_ocr_pages: MaxOcrPagesOption = None,
) -> None:
    """Show what the reader saw in FILE: its section tree, tables and warnings.

    A file that cannot be read is named with the reason, and the exit code is 1.
    """
    limits = {
        "max_pages": max_pages, "max_bytes": max_bytes, "max_text_chars": max_text, "max_blocks": max_paragraphs,
        "max_ocr_pages": max_ocr_pages,
    }
    try:
        settings = Settings().with_options(**limits)
    except ValueError as error:  # an option out of range
        _fail(f"{error}")
        raise typer.Exit(2) from None
    try:
        document = read_file(file, settings)
    except ReadError as error:
        _fail(plain(f"{error}"))
        raise typer.Exit(1) from None
    except Exception as error:  # noqa: BLE001 - a reader bug is the file's failure, said in one line
        _fail(plain(f"{file}: reader failed: {type(error).__name__}: {error}"))
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_document(document)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write into (created if missing).", show_default=False)],
    db: DbOption = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="json: the interchange format, one file per document; csv or parquet: one file per table or view; "
            "xlsx: one workbook, a sheet per table or view.",
        ),
    ] = "json",
    tables: Annotated[
        list[str] | None,
        typer.Option("--table", help="A table or view to export (repeat for more); default: all views and tables."),
    ] = None,
) -> None:
    """Write the warehouse to OUT_DIR: documents in the interchange format, or tables and views for analysts.

    With --format json each current document becomes <file name stem>.json
    in the interchange format, document.id being the source's file name.
    With csv, parquet or xlsx the views (project_overview, contact_overview,
    goal_overview, funding_overview, funding_by_funder, project_timeline,
    current_versions) and the tables are written whole.
    """
    from warehouse.table_export import FORMATS

    if format != "json" and format not in FORMATS:
        _fail(f"--format {format!r} is not supported; use one of json, {', '.join(FORMATS)}")
        raise typer.Exit(2)
    settings = _settings(db)
    out_dir.mkdir(parents=True, exist_ok=True)
    if format == "json":
        _export_interchange(settings, out_dir)
    else:
        _export_tables(settings, out_dir, format, tables)


def _export_interchange(settings: Settings, out_dir: Path) -> None:
    from warehouse.connection import open_engine
    from warehouse.export import export_interchange
    from warehouse.schema import upgrade

    engine = open_engine(settings.db_url)
    upgrade(engine)
    count = 0
    for name, data in export_interchange(engine):
        (out_dir / f"{Path(name).stem}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
        count += 1
    typer.echo(f"wrote {count} document(s) to {out_dir}")


def _export_tables(settings: Settings, out_dir: Path, format: str, tables: list[str] | None) -> None:
    from warehouse.reading import QueryRefused, read_only_engine
    from warehouse.table_export import export_tables

    try:
        written = export_tables(read_only_engine(settings.db_url), out_dir, format, tables or None)
    except QueryRefused as error:
        _fail(f"{error}")
        raise typer.Exit(1) from None
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SELECT (or WITH ... SELECT) statement.", show_default=False)],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="table, csv, json (records) or parquet.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of standard output (parquet needs it).")] = None,
) -> None:
    """Run one reading SQL statement on the warehouse and print the rows.

    The warehouse is opened read-only: INSERT, UPDATE, DELETE and DDL fail
    with a message. The views answer the common questions without joins,
    e.g. plansift query "SELECT name, funders, total_funding_eur, contacts
    FROM project_overview WHERE funders LIKE '%Valtiovarainministeriö%'".
    """
    from warehouse.query_output import OUTPUT_FORMATS, render_frame
    from warehouse.reading import QueryRefused, read_only_engine, run_query

    if format not in OUTPUT_FORMATS:
        _fail(f"--format {format!r} is not supported; use one of {', '.join(OUTPUT_FORMATS)}")
        raise typer.Exit(2)
    if format == "parquet" and output is None:
        _fail("--format parquet is binary; give --output FILE.parquet")
        raise typer.Exit(2)
    settings = _settings(db)
    try:
        engine = read_only_engine(settings.db_url)
        _warn_if_superuser(engine)
        frame = run_query(engine, sql)
    except QueryRefused as error:
        _fail(f"{error}")
        raise typer.Exit(1) from None
    if format == "table" and output is None:
        _print_frame(frame)
        return
    rendered = render_frame(frame, format)
    if output is None:
        typer.echo(rendered if isinstance(rendered, str) else rendered.decode("utf-8"), nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(rendered, bytes):
            output.write_bytes(rendered)
        else:
            output.write_text(rendered, "utf-8")
        typer.echo(f"wrote {len(frame)} row(s) to {output}")


def _warn_if_superuser(engine) -> None:  # type: ignore[no-untyped-def]
    from warehouse.reading import READER_ROLE, superuser_name

    if (name := superuser_name(engine)) is not None:
        typer.echo(
            f"warning: connected as the PostgreSQL superuser {name}; queries run as {READER_ROLE}, but a superuser "
            f"session can step out of it. Give analysts a login role of their own: "
            f"CREATE ROLE analyst LOGIN IN ROLE {READER_ROLE} (see the README).",
            err=True,
        )


@app.command()
def browse(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
) -> None:
    """Serve the warehouse read-only in the browser (Datasette), with descriptions, facets and canned queries.

    Open http://HOST:PORT/ ; the canned queries answer the common questions
    (who funds what, goals with indicators, what ended in a year). A
    PostgreSQL warehouse is served from a read-only SQLite snapshot taken
    at start. Stop with Ctrl-C.
    """
    from warehouse.browse import BrowseError, serve
    from warehouse.reading import read_only_engine

    settings = _settings(db)
    if settings.db_url.startswith("postgres"):
        _warn_if_superuser(read_only_engine(settings.db_url))
    try:
        serve(settings.db_url, host=host, port=port)
    except BrowseError as error:
        _fail(f"{error}")
        raise typer.Exit(1) from None


@app.command()
def report(
    output: Annotated[Path, typer.Argument(help="The HTML file to write.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report of the warehouse: counts, a project timeline by theme,
    funding by funder and by instrument as charts, and the contacts table.
    """
    from warehouse.reading import QueryRefused, read_only_engine
    from warehouse.report import write_report

    settings = _settings(db)
    try:
        path = write_report(read_only_engine(settings.db_url), output)
    except QueryRefused as error:
        _fail(f"{error}")
        raise typer.Exit(1) from None
    typer.echo(f"wrote {path}")


@app.command(name="eval")
def evaluate_command(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold answers in the interchange format.", show_default=False)],
    documents: Annotated[Path | None, typer.Option(help="Folder holding the documents the gold names (default: GOLD_DIR/../docs, else GOLD_DIR/../inbox).")] = None,
    answers: Annotated[Path | None, typer.Option(help="Score these interchange files (another annotator's, an earlier export) instead of extracting.")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Extract without the learned components, to compare with them.")] = False,
    predictions: Annotated[Path | None, typer.Option(help="Also write the predictions here, one interchange file per document.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="List every missed, extra and wrong record.")] = False,
    floors: Annotated[Path | None, typer.Option(help="JSON of minimum F1 per record type; exit 1 when any is not reached.")] = None,
) -> None:
    """Extract the documents that have gold answers and print precision, recall and F1.

    Scores per record type and per field, the same way as the referee
    scorer of the interchange format; exit code 1 when --floors are not met.
    With --answers, two sets of answers are compared without extracting:
    one annotator against another gives the inter-annotator agreement.

    \b
    plansift eval corpus/gold                          the sample documents
    plansift eval corpus/real/dev/gold                 real documents, development split
    plansift eval corpus/real/dev/gold --rules-only    the same without learned components
    plansift eval corpus/real/agreement/first --answers corpus/real/agreement/second
    """
    from extractors.evaluation import evaluate, floor_failures, gold_set, load_interchange_dir
    from extractors.project_classifier import rules_only as without_learned
    from extractors.scoring import score_documents, score_report

    if not gold_dir.is_dir():
        _fail(f"no such folder: {gold_dir}")
        raise typer.Exit(2)
    if answers is not None:
        if not answers.is_dir():
            _fail(f"no such folder: {answers}")
            raise typer.Exit(2)
        gold_answers = load_interchange_dir(gold_dir)
        given = {stem: a for stem, a in load_interchange_dir(answers).items() if stem in gold_answers}
        score, predicted = score_documents(gold_answers, given), given
    else:
        gold = gold_set(gold_dir, documents or _documents_beside(gold_dir))
        for name in gold.missing:
            typer.echo(f"warning: no document file {name} for its gold answer", err=True)
        with without_learned() if rules_only else nullcontext():
            score, predicted = evaluate(gold, Settings())
    if predictions is not None:
        predictions.mkdir(parents=True, exist_ok=True)
        for stem, data in predicted.items():
            (predictions / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    if verbose:
        for doc_id, kind, what, text in score.misses:
            typer.echo(f"{doc_id}\t{kind}\t{what}\t{text}")
        typer.echo("")
    typer.echo(score_report(score))
    if floors is not None:
        failures = floor_failures(score, json.loads(floors.read_text("utf-8"))["floors"])
        for failure in failures:
            typer.echo(f"below floor: {failure}", err=True)
        if failures:
            raise typer.Exit(1)


def _documents_beside(gold_dir: Path) -> Path:
    docs = gold_dir.parent / "docs"
    return docs if docs.is_dir() else gold_dir.parent / "inbox"


@app.command()
def train(
    corpus: Annotated[Path, typer.Argument(help="Annotated corpus: a folder with docs/ and gold/.")] = Path("corpus/real/dev"),
    output: Annotated[Path | None, typer.Option(help="Where to write the model (default: the one the extractors load).")] = None,
    compare: Annotated[bool, typer.Option("--compare", help="Also score the corpus end to end, each document judged by a model fitted without it: rules alone against each use of the classifier.")] = False,
) -> None:
    """Train the project classifier on an annotated corpus and write its weights.

    Every candidate span (rule-found projects, list items, headings, short
    lines, labelled form values, quoted names) of every document with a gold
    answer is an example; the weights are a small JSON file that enters the
    extractor version. Prints the precision and recall on documents held
    out in turn. Which of its jobs the extractors use (dropping rule-found
    names, adding candidates) is kept from the existing model file.
    """
    from importlib import resources

    from extractors.project_classifier import MODEL_FILE, load_classifier
    from extractors.training import crossvalidated_scores, document_examples, train_classifier

    if not (corpus / "gold").is_dir() or not (corpus / "docs").is_dir():
        _fail(f"{corpus} needs the folders docs/ and gold/ (documents and their gold answers)")
        raise typer.Exit(2)
    current = load_classifier()
    examples = document_examples(corpus, Settings())
    classifier, report = train_classifier(examples, keep_use=current.use if current else None)
    if compare:
        for name, score in crossvalidated_scores(corpus, examples, Settings()).items():
            kinds = "  ".join(f"{kind} {tally.f1:.3f}" for kind, tally in score.types.items())
            typer.echo(f"{name:6s} {kinds}  overall {score.overall.f1:.3f}")
    target = output or Path(str(resources.files("extractors.data").joinpath(MODEL_FILE)))
    target.write_text(json.dumps(classifier.to_dict(), ensure_ascii=False, indent=1) + "\n", "utf-8")
    for line in report.lines():
        typer.echo(line)
    typer.echo(f"wrote {target}")


# Reviewing what extraction changed: after the commands that produce it.
app.command(name="diff")(diff_command)
app.add_typer(review_app)


def _quiet_orchestrator() -> None:
    # Prefect logs every task run at INFO, and warns on every task with a
    # time limit that runs in a thread (what that limit can stop is in the
    # README); the summary table says what matters. Its logging is
    # configured from the environment when it is first imported, so this
    # must run before that import. An explicit setting by the user wins.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
    # The temporary server Prefect starts for a run can log a cancelled
    # bookkeeping write as it shuts down; the run's results are not affected.
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    # The machines this runs on often have no route to the internet.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _print_summary(summary: RunSummary) -> None:
    table = RichTable(title=f"Run {summary.run_id} (extractor version {summary.extractor_version})")
    table.add_column("document", overflow="fold")  # a cut name would not say which file it was
    table.add_column("outcome")
    table.add_column("reason", overflow="fold")
    for source, outcome in summary.outcomes.items():
        twin = summary.duplicates.get(source)
        table.add_row(_shown_source(source), outcome, f"same bytes as {_shown_source(twin)}" if twin else "")
    for source, reason, _ in summary.failures:
        table.add_row(_shown_source(source), styled("failed", "red"), plain(reason))
    for source, detail in summary.skipped:
        table.add_row(_shown_source(source), styled("skipped", "yellow"), plain(detail))
    for source in summary.withdrawn:
        table.add_row(_shown_source(source), styled("withdrawn", "yellow"), "source no longer found")
    console.print(table)
    for source, _, detail in summary.failures:
        typer.echo(f"failed: {plain(source)}: {plain(detail)}", err=True)
    for run in summary.aborted_runs:
        typer.echo(f"note: run {run} was killed before it finished; it is marked aborted", err=True)
    console.print(
        f"new {summary.count('new')}, changed {summary.count('changed')}, "
        f"unchanged {summary.count('unchanged')}, failed {len(summary.failures)}, withdrawn {len(summary.withdrawn)}, "
        f"skipped {len(summary.skipped)}, duplicate {summary.count('duplicate')}; records added {summary.records_added} "
        f"({summary.records_changed} replacing a changed document's)"
    )
    if summary.evaluation:
        scores = ", ".join(f"{kind} {f1:.3f}" for kind, f1 in summary.evaluation.items())
        typer.echo(f"F1 against gold answers: {scores}")
    if summary.evaluation_error:
        typer.echo(f"warning: {plain(summary.evaluation_error)}", err=True)


def _shown_source(source: str) -> str:
    """A source as the user likely typed it: relative to the working folder when under it."""
    path = Path(source)
    if path.is_absolute():
        try:
            source = str(path.relative_to(Path.cwd()))
        except ValueError:
            pass
    return plain(source)


def _print_frame(frame) -> None:  # type: ignore[no-untyped-def]
    table = RichTable(show_lines=False)
    for column in frame.columns:
        table.add_column(plain(column))
    for row in frame.itertuples(index=False):
        table.add_row(*["" if _missing(v) else plain(v, lines=True) for v in row])
    console.print(table)
    console.print(f"{len(frame)} row(s)")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _print_document(document: Document) -> None:
    console.print(
        styled(document.name, "bold"),
        f" {document.media_type}, {document.page_count} page(s), "
        f"language {document.language or '?'}, sha256 {document.sha256[:12]}",
    )
    console.print(f"title: {plain(document.title)}")
    tree = Tree("(document)")
    _add_section(tree, document.root)
    console.print(tree)
    for warning in document.warnings:
        page = f" (page {warning.page})" if warning.page else ""
        console.print(styled("warning", "yellow"), f" {warning.code}{page}: {plain(warning.message)}")


def _add_section(node: Tree, section: Section) -> None:
    for block in section.blocks:
        if block.table is not None:
            table = RichTable(show_header=bool(block.table.header), title=f"table, page {block.page}")
            width = max(len(r) for r in block.table.rows)
            for c in range(width):
                header = block.table.header[c].text if block.table.header and c < len(block.table.header) else ""
                table.add_column(plain(header))
            for row in block.table.body:
                table.add_row(*[plain("\n".join(p.text for p in cell.paragraphs), lines=True) for cell in row])
            node.add(table)
        else:
            marker = "•" if block.kind == "list_item" else "¶"
            node.add(f"{marker} p{block.page} {plain(block.text)}", highlight=False)
    for sub in section.subsections:
        _add_section(node.add(styled(f"H{sub.level} {sub.title}", "bold") + f" (p{sub.heading.page})"), sub)



def main() -> None:
    """The ``plansift`` command: the app, with a database failing mid-command said in one line."""
    from sqlalchemy.exc import DBAPIError

    try:
        app()
    except DBAPIError as error:
        said = str(getattr(error, "orig", None) or error).strip()
        _fail(plain(f"the warehouse database failed: {said.splitlines()[0] if said else type(error).__name__}"))
        sys.exit(2)
