"""The warehouse as one self-contained HTML page: summary counts, a project timeline by theme,
funding by funder and by instrument, contacts, goals, projects and documents.

Gathering the data (DataFrames from the analysts' views) is kept apart from
rendering it (a pure function of those frames and a time), so the page can be
checked without a database. The page loads nothing from anywhere: its styles
are inline and its charts are inline SVG, so it opens the same offline, from
an e-mail attachment or from a shared folder.

Every piece of text from the warehouse goes through ``html.escape``: names
carry ``&``, ``<`` and quotes as well as Finnish letters.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from sqlalchemy import Engine

from warehouse import reading
from warehouse.views import view_named

NO_THEME = "(no theme)"
NOT_STATED = "(not stated)"
STATUSES = ("ended", "ongoing", "planned", "unknown")
STATUS_COLOURS = {"ended": "#9e9e9e", "ongoing": "#2e7d32", "planned": "#1565c0", "unknown": "#b39ddb"}

# Chart geometry, in SVG user units (the SVGs scale to the page width).
TIMELINE_LABEL_WIDTH = 330
TIMELINE_PLOT_WIDTH = 880
TIMELINE_ROW_HEIGHT = 18
TIMELINE_AXIS_HEIGHT = 24
BAR_LABEL_WIDTH = 270
BAR_PLOT_WIDTH = 560
BAR_VALUE_WIDTH = 110
BAR_ROW_HEIGHT = 22

_ISO_PERIOD = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


@dataclass(frozen=True)
class ReportData:
    """The views the report is made of, one DataFrame each, with the views' columns."""

    documents: pd.DataFrame  # current_versions
    projects: pd.DataFrame  # project_overview
    timeline: pd.DataFrame  # project_timeline
    contacts: pd.DataFrame  # contact_overview
    goals: pd.DataFrame  # goal_overview
    fundings: pd.DataFrame  # funding_overview
    funding_by_funder: pd.DataFrame  # funding_by_funder

    @classmethod
    def empty(cls) -> ReportData:
        """An empty warehouse: every frame has its view's columns and no rows."""

        def frame(view: str) -> pd.DataFrame:
            return pd.DataFrame(columns=list(view_named(view).columns))

        return cls(
            documents=frame("current_versions"),
            projects=frame("project_overview"),
            timeline=frame("project_timeline"),
            contacts=frame("contact_overview"),
            goals=frame("goal_overview"),
            fundings=frame("funding_overview"),
            funding_by_funder=frame("funding_by_funder"),
        )


@dataclass(frozen=True)
class Count:
    """One figure of the summary: ``name`` is its data-count key, ``text`` what the reader sees."""

    name: str
    label: str
    value: float
    text: str


@dataclass(frozen=True)
class TimelineBar:
    """A project with both dates, its dates widened to whole periods (``last`` is inclusive)."""

    name: str
    theme: str
    status: str
    coordinator: str
    start_text: str
    end_text: str
    first: date
    last: date


@dataclass(frozen=True)
class TimelineRows:
    """The timeline's rows: bars to draw and the projects that cannot be drawn, with why."""

    bars: list[TimelineBar]
    start_only: list[tuple[str, str]]
    end_only: list[tuple[str, str]]
    unreadable: list[tuple[str, str]]


def gather(engine: Engine) -> ReportData:
    """Reads every view the report shows."""
    return ReportData(
        documents=reading.read_view(engine, "current_versions"),
        projects=reading.projects(engine),
        timeline=reading.project_timeline(engine),
        contacts=reading.contacts(engine),
        goals=reading.goals(engine),
        fundings=reading.fundings(engine),
        funding_by_funder=reading.funding_by_funder(engine),
    )


def write_report(engine: Engine, path: Path | str) -> Path:
    """Writes the report of the warehouse behind ``engine`` to ``path`` (UTF-8) and returns the path."""
    target = Path(path)
    page = render(gather(engine), datetime.now().astimezone())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


def render(data: ReportData, generated_at: datetime) -> str:
    """The whole HTML page for ``data``, stamped with ``generated_at``."""
    sections = [
        _header(data, generated_at),
        "<main>",
        _timeline_section(data, generated_at.date()),
        _funding_section(data),
        _contacts_section(data.contacts),
        _goals_section(data.goals),
        _projects_section(data.projects),
        _documents_section(data.documents),
        "</main>",
    ]
    return _page("Plansift warehouse report", "\n".join(sections))


# --- values ---------------------------------------------------------------


def period_bounds(iso: str) -> tuple[date, date]:
    """The first and last day of the period an ISO date names at its precision.

    "2021" is the whole year, "2021-03" the whole month, "2021-03-15" that day.
    A day past the month's end is taken as its last day. ValueError for anything else.
    """
    match = _ISO_PERIOD.match(iso or "")
    if not match:
        raise ValueError(f"not an ISO date: {iso!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month} in {iso!r}")
    month_end = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), date(year, month, month_end)
    if day < 1:
        raise ValueError(f"no day {day} in {iso!r}")
    exact = date(year, month, min(day, month_end))
    return exact, exact


def format_eur(amount: float) -> str:
    """Whole euros with narrow no-break spaces between thousands: 1 234 567 €."""
    whole = math.floor(amount + 0.5)  # half up, as money is read; round() would go to even
    return f"{whole:,}".replace(",", "\u202f") + "\u00a0€"


def _text(value: object) -> str:
    """'' for a missing value (None, NaN, pd.NA), else the value as text."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _number(value: object) -> float | None:
    text = _text(value)
    return float(text) if text else None


def _plain_number(value: float) -> str:
    """A number for an attribute: no exponent, no thousands separators, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return frame.to_dict("records")


def _shortened(text: str, limit: int) -> str:
    # SVG text does not wrap or clip; the full text stays in the element's <title>.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- header and counts ----------------------------------------------------


def summary_counts(data: ReportData) -> list[Count]:
    """The figures at the top of the report, in the order shown."""
    stated = pd.to_numeric(_own_sums(data.fundings)["amount_eur"], errors="coerce").sum(min_count=1)
    total = 0.0 if pd.isna(stated) else float(stated)
    return [
        _row_count("documents", "documents", len(data.documents)),
        _row_count("projects", "projects", len(data.projects)),
        _row_count("fundings", "funding sums", len(data.fundings)),
        Count("funding_eur", "funding stated", total, format_eur(total)),
        _row_count("contacts", "contact persons", len(data.contacts)),
        _row_count("organisations", "organisations in a project role", len(_project_organisations(data.projects))),
        _row_count("goals", "goals", len(data.goals)),
    ]


def _own_sums(fundings: pd.DataFrame) -> pd.DataFrame:
    # A stated total of other sums would count their money twice.
    if "is_total" not in fundings.columns:
        return fundings
    totals = fundings["is_total"].map(lambda value: bool(value) if value == value and value is not None else False)
    return fundings[~totals.astype(bool)]


def _row_count(name: str, label: str, value: int) -> Count:
    # Plain digits: the figure is meant to be compared with SELECT count(*) as it stands.
    return Count(name, label, value, str(value))


def _project_organisations(projects: pd.DataFrame) -> set[str]:
    """Organisations named as coordinator, partner or funder of a project ('; '-separated lists)."""
    names: set[str] = set()
    for column in ("coordinator", "partners", "funders"):
        for listed in projects[column]:
            names.update(name.strip() for name in _text(listed).split("; ") if name.strip())
    return names


def _header(data: ReportData, generated_at: datetime) -> str:
    figures = "".join(
        f'<div class="count"><dt>{escape(c.label)}</dt>'
        f'<dd data-count="{escape(c.name)}" data-value="{_plain_number(c.value)}">{escape(c.text)}</dd></div>'
        for c in summary_counts(data)
    )
    stamp = generated_at.isoformat(timespec="seconds")
    shown = generated_at.strftime("%Y-%m-%d %H:%M")
    return (
        "<header><h1>Plansift warehouse report</h1>"
        f'<p class="generated">Generated <time datetime="{escape(stamp)}">{escape(shown)}</time> '
        "from the current version of every document.</p>"
        f'<dl id="counts">{figures}</dl></header>'
    )


# --- timeline -------------------------------------------------------------


def timeline_rows(timeline: pd.DataFrame) -> TimelineRows:
    """Sorts the timeline's projects into bars (both dates) and the ones left off the chart."""
    rows = TimelineRows(bars=[], start_only=[], end_only=[], unreadable=[])
    for record in _records(timeline):
        name, start, end = _text(record["name"]), _text(record["start_date"]), _text(record["end_date"])
        if not (start and end):
            if start:
                rows.start_only.append((name, start))
            elif end:
                rows.end_only.append((name, end))
            continue
        try:
            first, last = period_bounds(start)[0], period_bounds(end)[1]
        except ValueError:
            rows.unreadable.append((name, f"{start} – {end}"))
            continue
        rows.bars.append(
            TimelineBar(
                name=name,
                theme=_text(record["theme"]) or NO_THEME,
                status=_status(record["status"]),
                coordinator=_text(record["coordinator"]),
                start_text=start,
                end_text=end,
                first=first,
                last=last,
            )
        )
    # The view orders by start, and databases put NULL starts apart differently: sort here.
    rows.start_only.sort(key=lambda entry: (entry[1], entry[0].casefold()))
    rows.end_only.sort(key=lambda entry: (entry[1], entry[0].casefold()))
    return rows


def _status(value: object) -> str:
    status = _text(value).strip().lower()
    return status if status in STATUSES else "unknown"


def _by_theme(bars: Iterable[TimelineBar]) -> list[tuple[str, list[TimelineBar]]]:
    """Bars grouped by theme, themes alphabetical with the unthemed last, bars by start then end."""
    groups: dict[str, list[TimelineBar]] = {}
    for bar in bars:
        groups.setdefault(bar.theme, []).append(bar)
    order = sorted(groups, key=lambda theme: (theme == NO_THEME, theme.casefold()))
    return [(theme, sorted(groups[theme], key=lambda b: (b.first, b.last, b.name.casefold()))) for theme in order]


def timeline_svg(bars: Sequence[TimelineBar], today: date | None = None) -> str:
    """A Gantt chart of ``bars`` by theme, with a year axis above and below; '' when there are no bars."""
    if not bars:
        return ""
    axis_start, axis_end = _axis_bounds(bars)
    first_year, last_year = axis_start.year, axis_end.year - 1
    span = (axis_end - axis_start).days

    def x_of(day: date) -> float:
        return TIMELINE_LABEL_WIDTH + TIMELINE_PLOT_WIDTH * (day - axis_start).days / span

    groups = _by_theme(bars)
    row_count = sum(1 + len(group) for _, group in groups)
    plot_top = TIMELINE_AXIS_HEIGHT
    plot_bottom = plot_top + row_count * TIMELINE_ROW_HEIGHT
    width = TIMELINE_LABEL_WIDTH + TIMELINE_PLOT_WIDTH + 20
    height = plot_bottom + TIMELINE_AXIS_HEIGHT
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="Project timeline by theme">'
    ]
    parts.append(_year_axis(first_year, last_year, x_of, plot_top, plot_bottom))
    row = 0
    for theme, group in groups:
        parts.append(_theme_row(theme, len(group), plot_top + row * TIMELINE_ROW_HEIGHT, width))
        row += 1
        for bar in group:
            parts.append(_timeline_bar(bar, plot_top + row * TIMELINE_ROW_HEIGHT, row, x_of))
            row += 1
    if today is not None and axis_start <= today < axis_end:
        x = x_of(today)
        parts.append(f'<line class="today" x1="{x:.1f}" x2="{x:.1f}" y1="{plot_top}" y2="{plot_bottom}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _axis_bounds(bars: Sequence[TimelineBar]) -> tuple[date, date]:
    """The axis runs over whole years: from 1 January of the first to 1 January after the last."""
    return date(min(bar.first for bar in bars).year, 1, 1), date(max(bar.last for bar in bars).year + 1, 1, 1)


def _year_axis(first_year: int, last_year: int, x_of: Callable[[date], float], top: float, bottom: float) -> str:
    years = last_year - first_year + 1
    step = max(1, -(-years // 25))  # about 25 labels at most, however long the span
    parts = []
    for year in range(first_year, last_year + 2):
        x = x_of(date(year, 1, 1))
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}"/>')
        if year <= last_year and (year - first_year) % step == 0:
            middle = x_of(date(year, 7, 1))
            parts.append(
                f'<text class="tick" x="{middle:.1f}" y="{top - 8}">{year}</text>'
                f'<text class="tick" x="{middle:.1f}" y="{bottom + 16}">{year}</text>'
            )
    return "".join(parts)


def _theme_row(theme: str, size: int, y: float, width: float) -> str:
    return (
        f'<rect class="theme-band" x="0" y="{y}" width="{width}" height="{TIMELINE_ROW_HEIGHT}"/>'
        f'<text class="theme" x="4" y="{y + TIMELINE_ROW_HEIGHT - 5}">'
        f"{escape(_shortened(theme, 60))} ({size})</text>"
    )


def _timeline_bar(bar: TimelineBar, y: float, row: int, x_of: Callable[[date], float]) -> str:
    x = x_of(bar.first)
    # ``last`` is inclusive: the bar runs to the start of the next day.
    bar_width = max(x_of(bar.last + timedelta(days=1)) - x, 2.0)
    title = "\n".join(
        line
        for line in (
            bar.name,
            f"{bar.start_text} – {bar.end_text}",
            f"status: {bar.status}",
            f"coordinator: {bar.coordinator}" if bar.coordinator else "",
        )
        if line
    )
    shade = (
        f'<rect class="row-shade" x="0" y="{y}" width="{TIMELINE_LABEL_WIDTH + TIMELINE_PLOT_WIDTH}" '
        f'height="{TIMELINE_ROW_HEIGHT}"/>'
        if row % 2 == 0
        else ""
    )
    return (
        f"{shade}"
        f'<text class="project" x="14" y="{y + TIMELINE_ROW_HEIGHT - 5}">{escape(_shortened(bar.name, 48))}'
        f"<title>{escape(bar.name)}</title></text>"
        f'<rect class="timeline-bar status-{bar.status}" data-project="{escape(bar.name)}" '
        f'data-status="{bar.status}" x="{x:.2f}" y="{y + 3}" width="{bar_width:.2f}" '
        f'height="{TIMELINE_ROW_HEIGHT - 6}" rx="2" fill="{STATUS_COLOURS[bar.status]}">'
        f"<title>{escape(title)}</title></rect>"
    )


def _status_legend(with_today: bool) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{STATUS_COLOURS[s]}"></span>{escape(s)}</li>' for s in STATUSES
    )
    today = '<li><span class="today-mark"></span>today</li>' if with_today else ""
    return f'<ul class="legend">{items}{today}</ul>'


def _left_off(title: str, entries: list[tuple[str, str]]) -> str:
    if not entries:
        return ""
    items = "".join(f"<li>{escape(name)} <span class=\"dates\">({escape(when)})</span></li>" for name, when in entries)
    return f'<div class="left-off"><h3>{escape(title)} ({len(entries)})</h3><ul>{items}</ul></div>'


def _timeline_section(data: ReportData, today: date) -> str:
    rows = timeline_rows(data.timeline)
    undated = len(data.projects) - len(data.timeline)
    parts = ['<section id="timeline"><h2>Project timeline</h2>']
    if rows.bars:
        parts.append(
            f"<p>{len(rows.bars)} projects with a start and an end date, by theme. A date given as a year or a "
            "month covers the whole year or month.</p>"
        )
        axis_start, axis_end = _axis_bounds(rows.bars)
        parts.append(_status_legend(axis_start <= today < axis_end))
        parts.append(f'<div class="scroll">{timeline_svg(rows.bars, today)}</div>')
    else:
        parts.append('<p class="empty">No projects with both a start and an end date.</p>')
    parts.append(_left_off("Undated end: start only", rows.start_only))
    parts.append(_left_off("Undated start: end only", rows.end_only))
    parts.append(_left_off("Dates that could not be read", rows.unreadable))
    if undated > 0:
        parts.append(f'<p class="note">{undated} further projects have no dates at all.</p>')
    parts.append("</section>")
    return "".join(parts)


# --- funding --------------------------------------------------------------


def funding_totals(funding_by_funder: pd.DataFrame, by: str) -> list[tuple[str, float]]:
    """Stated sums totalled by ``by`` ('funder' or 'instrument'), largest first.

    A missing name is "(not stated)"; a group with no stated amount at all is left out.
    """
    frame = pd.DataFrame(
        {
            "key": [_text(value) or NOT_STATED for value in funding_by_funder[by]],
            "total": pd.to_numeric(funding_by_funder["total_eur"], errors="coerce"),
        }
    )
    totals = frame.groupby("key", sort=False)["total"].sum(min_count=1).dropna()
    ordered = sorted(totals.items(), key=lambda item: (-item[1], str(item[0]).casefold()))
    return [(str(key), float(total)) for key, total in ordered]


def bar_chart_svg(totals: Sequence[tuple[str, float]], caption: str) -> str:
    """Horizontal bars, one per (label, euros), with the amount beside each; '' when there are none."""
    if not totals:
        return ""
    largest = max(total for _, total in totals)
    scale = BAR_PLOT_WIDTH / largest if largest > 0 else 0.0
    width = BAR_LABEL_WIDTH + BAR_PLOT_WIDTH + BAR_VALUE_WIDTH
    height = len(totals) * BAR_ROW_HEIGHT + 8
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(caption)}">'
    ]
    for index, (label, total) in enumerate(totals):
        y = 4 + index * BAR_ROW_HEIGHT
        bar_width = total * scale
        amount = format_eur(total)
        parts.append(
            f'<text class="bar-label" x="{BAR_LABEL_WIDTH - 8}" y="{y + 15}">{escape(_shortened(label, 40))}'
            f"<title>{escape(label)}</title></text>"
            f'<rect class="bar" data-label="{escape(label)}" data-value="{_plain_number(total)}" '
            f'x="{BAR_LABEL_WIDTH}" y="{y + 3}" width="{bar_width:.2f}" height="{BAR_ROW_HEIGHT - 6}" rx="2">'
            f"<title>{escape(label)}: {escape(amount)}</title></rect>"
            f'<text class="bar-value" x="{BAR_LABEL_WIDTH + bar_width + 6:.2f}" y="{y + 15}">{escape(amount)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _funding_chart(funding_by_funder: pd.DataFrame, by: str, heading: str) -> str:
    chart = bar_chart_svg(funding_totals(funding_by_funder, by), heading)
    body = f'<div class="scroll">{chart}</div>' if chart else '<p class="empty">No funding sums stated.</p>'
    return f'<div class="funding-chart" id="funding-by-{by}"><h3>{escape(heading)}</h3>{body}</div>'


def _funding_section(data: ReportData) -> str:
    return (
        '<section id="funding"><h2>Funding</h2>'
        "<p>Sums in euros as the documents state them. A programme's total and the sums of its projects "
        "may both be stated, and then both are counted here.</p>"
        f"{_funding_chart(data.funding_by_funder, 'funder', 'By funder')}"
        f"{_funding_chart(data.funding_by_funder, 'instrument', 'By instrument')}"
        "</section>"
    )


# --- tables ---------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], attributes: str = "") -> str:
    """A table whose cells are given as HTML already escaped; headers are plain text."""
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table{attributes}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: object) -> str:
    return escape(_text(value)).replace("\n", "<br>")


def _mailto(email: object) -> str:
    address = _text(email)
    if not address:
        return ""
    return f'<a href="mailto:{escape(quote(address, safe="@.+-_~"))}">{escape(address)}</a>'


def contacts_table(contacts: pd.DataFrame) -> str:
    """The contact persons as a table with id "contacts", one row per person; '' when there are none."""
    if contacts.empty:
        return ""
    rows = [
        [
            f'<span class="nowrap">{_cell(r["name"])}</span>',
            _cell(r["title"]),
            _cell(r["organisation"]),
            _mailto(r["email"]),
            f'<span class="nowrap">{_cell(r["phone"])}</span>',
            _cell(r["projects"]),
        ]
        for r in _records(contacts)
    ]
    headers = ("Name", "Title", "Organisation", "E-mail", "Phone", "Projects")
    return _table(headers, rows, ' id="contacts"')


def _contacts_section(contacts: pd.DataFrame) -> str:
    table = contacts_table(contacts)
    body = f'<div class="scroll">{table}</div>' if table else '<p class="empty">No contact persons.</p>'
    return f'<section id="contact-persons"><h2>Contacts ({len(contacts)})</h2>{body}</section>'


def _goals_section(goals: pd.DataFrame) -> str:
    parts = [f'<section id="goals"><h2>Goals ({len(goals)})</h2>']
    if goals.empty:
        parts.append('<p class="empty">No goals.</p></section>')
        return "".join(parts)
    without = int((pd.to_numeric(goals["indicator_count"], errors="coerce").fillna(0) == 0).sum())
    parts.append(f"<p>{without} of {len(goals)} goals have no indicator.</p>")
    for document, plan in goals.groupby("document", sort=False, dropna=False):
        first = plan.iloc[0]
        about = ", ".join(t for t in (_text(first["title"]), _text(first["publisher"])) if t)
        parts.append(f"<h3>{escape(_text(document))}</h3>")
        if about:
            parts.append(f'<p class="plan">{escape(about)}</p>')
        rows = [
            [
                _cell(r["section"]),
                f'<span class="nowrap">{_cell(r["period"])}</span>',
                _cell(r["objective"]),
                f'<span class="num">{_cell(r["action_count"])}</span>',
                f'<span class="num{" none" if _number(r["indicator_count"]) == 0 else ""}">'
                f'{_cell(r["indicator_count"])}</span>',
            ]
            for r in _records(plan)
        ]
        parts.append(_table(("Section", "Period", "Objective", "Actions", "Indicators"), rows, ' class="goals"'))
    parts.append("</section>")
    return "".join(parts)


def _projects_section(projects: pd.DataFrame) -> str:
    if projects.empty:
        return '<section id="projects"><h2>Projects (0)</h2><p class="empty">No projects.</p></section>'
    rows = []
    for r in _records(projects):
        total = _number(r["total_funding_eur"])
        rows.append(
            [
                _cell(r["name"]),
                _cell(r["status"]),
                _cell(r["theme"]),
                f'<span class="nowrap">{_cell(r["start_date"])}</span>',
                f'<span class="nowrap">{_cell(r["end_date"])}</span>',
                _cell(r["coordinator"]),
                _cell(r["funders"]),
                f'<span class="num nowrap">{escape(format_eur(total)) if total is not None else ""}</span>',
            ]
        )
    headers = ("Project", "Status", "Theme", "Start", "End", "Coordinator", "Funders", "Funding")
    table = _table(headers, rows, ' class="projects"')
    return f'<section id="projects"><h2>Projects ({len(projects)})</h2><div class="scroll">{table}</div></section>'


def _documents_section(documents: pd.DataFrame) -> str:
    if documents.empty:
        return '<section id="documents"><h2>Documents (0)</h2><p class="empty">No documents.</p></section>'
    rows = [
        [_cell(r["document"]), _cell(r["title"]), _cell(r["publisher"]), _cell(r["kind"]), _cell(r["loaded_at"])]
        for r in _records(documents)
    ]
    table = _table(("Document", "Title", "Publisher", "Kind", "Loaded"), rows, ' class="documents"')
    return f'<section id="documents"><h2>Documents ({len(documents)})</h2><div class="scroll">{table}</div></section>'


# --- page -----------------------------------------------------------------

_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       margin: 0 auto; max-width: 1320px; padding: 1.5rem 2rem 3rem; color: #1f2328; background: #fff;
       font-size: 15px; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.generated { color: #57606a; margin: 0 0 1rem; }
#counts { display: flex; flex-wrap: wrap; gap: .8rem; margin: 0; }
#counts .count { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem; min-width: 8rem;
                 display: flex; flex-direction: column-reverse; background: #f6f8fa; }
#counts dd { margin: 0; font-size: 1.5rem; font-weight: 600; white-space: nowrap; }
#counts dt { color: #57606a; font-size: .85rem; }
.scroll { overflow-x: auto; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 12px; }
svg.chart text { fill: #1f2328; }
svg.chart .grid { stroke: #d0d7de; stroke-width: 1; }
svg.chart .tick { text-anchor: middle; fill: #57606a; }
svg.chart .theme-band { fill: #eaeef2; }
svg.chart .theme { font-weight: 600; }
svg.chart .row-shade { fill: #f6f8fa; }
svg.chart .today { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.chart .bar { fill: #0969da; }
svg.chart .bar-label { text-anchor: end; }
svg.chart .bar-value { fill: #57606a; }
.legend { list-style: none; display: flex; gap: 1.2rem; padding: 0; margin: .4rem 0; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .35em;
          vertical-align: -.1em; }
.today-mark { display: inline-block; width: 0; height: .9em; border-left: 2px dashed #cf222e; margin-right: .35em;
              vertical-align: -.1em; }
.left-off ul { columns: 2; margin: .2rem 0; }
.dates, .note, .plan { color: #57606a; }
.empty { color: #57606a; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { border-bottom: 1px solid #d8dee4; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
tbody tr:nth-child(even) { background: #fafbfc; }
.num { display: block; text-align: right; font-variant-numeric: tabular-nums; }
.num.none { color: #cf222e; font-weight: 600; }
.nowrap { white-space: nowrap; }
a { color: #0969da; }
@media print { .scroll { overflow: visible; } th { position: static; } }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
