"""The HTML report: counts, timeline bars, funding charts and contacts match the data, every name is
escaped, an empty warehouse still renders, and the page loads nothing from elsewhere."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import INBOX
from warehouse.report import ReportData, format_eur, period_bounds, render, write_report
from warehouse.views import view_named

GENERATED = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & Co'
VOID_TAGS = {"br", "meta", "hr", "img", "input", "link"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], ancestors: tuple[Element, ...]) -> None:
        self.tag, self.attrs, self.ancestors, self.text = tag, attrs, ancestors, ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def within(self, tag: str, **attrs: str) -> bool:
        return any(a.tag == tag and all(a.attrs.get(k) == v for k, v in attrs.items()) for a in self.ancestors)


class Page(HTMLParser):
    """Every element of a page with its attributes (unescaped), its ancestors and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(self._open))
        self.elements.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}, tuple(self._open)))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def all(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and (cls is None or cls in e.classes)]

    def count(self, name: str) -> str:
        (element,) = [e for e in self.elements if e.attrs.get("data-count") == name]
        assert element.within("dl", id="counts")
        return element.text

    def bars(self, chart_id: str) -> list[tuple[str, float]]:
        return [
            (e.attrs["data-label"], float(e.attrs["data-value"]))
            for e in self.all("rect", "bar")
            if e.within("div", id=chart_id) and any(a.tag == "svg" and "chart" in a.classes for a in e.ancestors)
        ]

    def timeline_bars(self) -> dict[str, Element]:
        return {e.attrs["data-project"]: e for e in self.all("rect", "timeline-bar")}

    def contact_rows(self) -> list[Element]:
        return [e for e in self.all("tr") if e.within("table", id="contacts") and e.within("tbody")]


def frame(view: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows of ``view`` with its columns; a column a row leaves out is NULL."""
    return pd.DataFrame(rows, columns=list(view_named(view).columns))


def project(name: str, start: str | None, end: str | None, **more: object) -> dict[str, object]:
    return {"name": name, "start_date": start, "end_date": end, **more}


def with_timeline(*rows: dict[str, object]) -> ReportData:
    listed = list(rows)
    return replace(
        ReportData.empty(),
        projects=frame("project_overview", listed),
        timeline=frame("project_timeline", [r for r in listed if r.get("start_date") or r.get("end_date")]),
    )


def sample() -> ReportData:
    return replace(
        with_timeline(
            project(
                HOSTILE,
                "2021-01-01",
                "2021-12-31",
                theme="Hyvinvointi",
                status="ongoing",
                coordinator="A & B",
                funders="A & B; Forssan kaupunki",
            ),
            project("Kerhot kaikille", "2024", None, status="planned"),
            project("Valinnanvapauskokeilu", None, "2019-08-31", status="ended"),
            project("Ilman päiviä", None, None),
        ),
        documents=frame("current_versions", [{"document": "a.txt", "title": "Hankkeet"}]),
        contacts=frame(
            "contact_overview",
            [
                {"name": "Åsa Nyberg", "email": "asa.nyberg@lut.fi", "organisation": "LUT-yliopisto"},
                {"name": "Outi Myllymäki", "title": "verkostokoordinaattori"},
            ],
        ),
        goals=frame("goal_overview", [{"document": "a.txt", "objective": "Asukasluku kasvaa", "indicator_count": 0}]),
        fundings=frame("funding_overview", [{"funder": "Forssan kaupunki", "amount_eur": 1234567.0}]),
        funding_by_funder=frame("funding_by_funder", [{"funder": "Forssan kaupunki", "total_eur": 1234567.0}]),
    )


@pytest.mark.parametrize(
    ("iso", "bounds"),
    [
        ("2021", (date(2021, 1, 1), date(2021, 12, 31))),
        ("2021-03", (date(2021, 3, 1), date(2021, 3, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2021-03-15", (date(2021, 3, 15), date(2021, 3, 15))),
    ],
)
def test_a_date_spans_the_period_its_precision_names(iso: str, bounds: tuple[date, date]) -> None:
    assert period_bounds(iso) == bounds


@pytest.mark.parametrize("iso", ["", "maaliskuu 2021", "2021-13", "21-03-01"])
def test_period_bounds_refuses_what_is_not_an_iso_date(iso: str) -> None:
    with pytest.raises(ValueError):
        period_bounds(iso)


def test_euros_have_narrow_spaces_between_thousands_and_round_half_up() -> None:
    assert format_eur(1234567) == "1\u202f234\u202f567\u00a0€"
    assert format_eur(1186432.5) == "1\u202f186\u202f433\u00a0€"
    assert format_eur(0) == "0\u00a0€"


def test_names_with_markup_are_shown_as_text() -> None:
    html = render(sample(), GENERATED)
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    page = Page(html)
    # The parser unescapes attributes: the name comes back exactly as it went in.
    assert HOSTILE in page.timeline_bars()
    assert any(HOSTILE in e.text for e in page.all("title"))
    assert "A &amp; B" in html and "A & B" not in html


def test_counts_are_the_row_counts_of_the_views() -> None:
    page = Page(render(sample(), GENERATED))
    assert page.count("projects") == "4"
    assert page.count("documents") == "1"
    assert page.count("contacts") == "2"
    assert page.count("goals") == "1"
    assert page.count("fundings") == "1"
    assert page.count("organisations") == "2"  # "A & B" both coordinates and funds: counted once
    assert page.count("funding_eur") == "1\u202f234\u202f567\u00a0€"


def test_one_bar_for_each_project_with_both_dates_and_a_list_of_the_rest() -> None:
    page = Page(render(sample(), GENERATED))
    bars = page.timeline_bars()
    assert list(bars) == [HOSTILE]
    assert "status-ongoing" in bars[HOSTILE].classes
    left_off = " ".join(e.text for e in page.all("div", "left-off"))
    assert "Kerhot kaikille" in left_off and "Valinnanvapauskokeilu" in left_off
    assert "Ilman päiviä" not in left_off


def test_a_month_or_year_end_reaches_the_end_of_that_period() -> None:
    data = with_timeline(
        project("month end", "2021-01-01", "2021-03"),
        project("day end", "2021-01-01", "2021-03-31"),
        project("mid month", "2021-01-01", "2021-03-15"),
        project("whole year", "2021", "2021"),
        project("year by days", "2021-01-01", "2021-12-31"),
        project("later", "2022-06", "2023"),
    )
    bars = Page(render(data, GENERATED)).timeline_bars()

    def extent(name: str) -> tuple[float, float]:
        return float(bars[name].attrs["x"]), float(bars[name].attrs["width"])

    assert extent("month end") == extent("day end")
    assert extent("mid month")[1] < extent("day end")[1]
    assert extent("whole year") == extent("year by days")
    assert extent("later")[0] > extent("whole year")[0] + extent("whole year")[1] - 0.01


def test_projects_are_grouped_by_theme_with_the_unthemed_last() -> None:
    data = with_timeline(
        project("P1", "2021", "2022"),
        project("P2", "2021", "2022", theme="Ympäristö"),
        project("P3", "2021", "2022", theme="Elinvoima", status="keskeytetty"),
    )
    page = Page(render(data, GENERATED))
    themes = [e.text for e in page.all("text", "theme")]
    assert themes == ["Elinvoima (1)", "Ympäristö (1)", "(no theme) (1)"]
    assert "status-unknown" in page.timeline_bars()["P3"].classes


def test_funding_totals_by_funder_and_instrument_are_largest_first() -> None:
    rows = [
        {"funder": "Hämeen liitto", "instrument": "ESR", "total_eur": 100.0},
        {"funder": "ELY & co", "instrument": "ESR", "total_eur": 300.0},
        {"funder": "Hämeen liitto", "instrument": "EAKR", "total_eur": 250.0},
        {"funder": None, "instrument": None, "total_eur": 50.0},
        {"funder": "Ei summaa", "instrument": "Leader", "total_eur": None},
    ]
    data = replace(ReportData.empty(), funding_by_funder=frame("funding_by_funder", rows))
    page = Page(render(data, GENERATED))
    assert page.bars("funding-by-funder") == [("Hämeen liitto", 350.0), ("ELY & co", 300.0), ("(not stated)", 50.0)]
    assert page.bars("funding-by-instrument") == [("ESR", 400.0), ("EAKR", 250.0), ("(not stated)", 50.0)]


def test_contacts_table_has_a_row_per_person_and_mails_by_link() -> None:
    page = Page(render(sample(), GENERATED))
    rows = page.contact_rows()
    assert len(rows) == 2
    assert rows[0].text.startswith("Åsa Nyberg")
    links = [e.attrs["href"] for e in page.all("a") if e.within("table", id="contacts")]
    assert links == ["mailto:asa.nyberg@lut.fi"]


def test_an_empty_warehouse_renders_with_messages_instead_of_charts() -> None:
    html = render(ReportData.empty(), GENERATED)
    page = Page(html)
    assert page.count("projects") == "0"
    assert page.count("funding_eur") == "0\u00a0€"
    assert page.timeline_bars() == {}
    assert page.all("rect", "bar") == []
    assert page.contact_rows() == []
    assert "No projects with both a start and an end date." in html
    assert "No funding sums stated." in html


def test_the_page_loads_nothing_from_elsewhere() -> None:
    html = render(sample(), GENERATED)
    page = Page(html)
    assert not re.search(r"https?://", html)
    assert not any("src" in e.attrs for e in page.elements)
    assert all(e.attrs["href"].startswith("mailto:") for e in page.elements if "href" in e.attrs)
    assert not page.all("link") and not page.all("script")
    assert "@import" not in html and "url(" not in html
    assert '<meta charset="utf-8">' in html


# --- a real warehouse -------------------------------------------------------

SAMPLES = (
    "101_forssa_hankelista.txt",
    "105_janakkala_elinvoimaohjelma.txt",
    "109_uudenmaan_liitto_akke_uutinen.html",
    "113_kouvola_hankkeet.html",
)


@pytest.fixture(scope="module")
def warehouse_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from extractors.extraction import extract
    from extractors.registry import ruleset_version
    from pipeline.readers import read_file
    from pipeline.settings import Settings
    from warehouse.connection import open_engine
    from warehouse.loading import load_document, start_run
    from warehouse.schema import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'warehouse.db'}"
    engine = open_engine(url)
    upgrade(engine)
    run = start_run(engine, ruleset_version())
    for name in SAMPLES:
        document = read_file(INBOX / name, Settings())
        load_document(engine, run, ruleset_version(), document, extract(document))
    engine.dispose()
    return url


def scalar(url: str, sql: str) -> int:
    from warehouse.reading import read_only_engine

    engine = read_only_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return int(value)


def test_report_of_a_real_warehouse_matches_its_views(warehouse_url: str, tmp_path: Path) -> None:
    from warehouse.reading import read_only_engine

    engine = read_only_engine(warehouse_url)
    written = write_report(engine, tmp_path / "out" / "report.html")
    engine.dispose()
    assert written == tmp_path / "out" / "report.html"
    page = Page(written.read_text(encoding="utf-8"))

    views = {
        "projects": "project_overview",
        "documents": "current_versions",
        "contacts": "contact_overview",
        "goals": "goal_overview",
        "fundings": "funding_overview",
    }
    for name, view in views.items():
        assert page.count(name) == str(scalar(warehouse_url, f"SELECT count(*) FROM {view}")), name
    assert scalar(warehouse_url, "SELECT count(*) FROM project_overview") > 5
    dated = scalar(
        warehouse_url, "SELECT count(*) FROM project_timeline WHERE start_date IS NOT NULL AND end_date IS NOT NULL"
    )
    assert dated > 0
    assert len(page.all("rect", "timeline-bar")) == dated
    assert len(page.contact_rows()) == scalar(warehouse_url, "SELECT count(*) FROM contact_overview")
    funders = scalar(
        warehouse_url, "SELECT count(DISTINCT coalesce(funder, '')) FROM funding_by_funder WHERE total_eur IS NOT NULL"
    )
    assert len(page.bars("funding-by-funder")) == funders > 0


def test_report_command_writes_the_file(warehouse_url: str, tmp_path: Path) -> None:
    from plansift.cli import app

    output = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(output), "--db", warehouse_url])
    assert result.exit_code == 0, result.output
    assert '<svg class="chart timeline"' in output.read_text(encoding="utf-8")
