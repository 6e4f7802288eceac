"""End to end in headless Chromium: `plansift browse` serving a warehouse, and the HTML report of the same one.

The browser is Debian's chromium driven through its chromedriver; Selenium
is kept from downloading anything. Without them these tests fail and say
how to install them, unless PLANSIFT_SKIP_BROWSER=1.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.test_browse import build_warehouse, running_browse
from warehouse.browse import database_name
from warehouse.views import view_named

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Root, no network, no display: nothing may wait for a sandbox, a GPU or an update server.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1024",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One headless Chromium for the module."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if missing:
        if os.environ.get("PLANSIFT_SKIP_BROWSER") == "1":
            pytest.skip(f"{', '.join(missing)} not installed and PLANSIFT_SKIP_BROWSER=1")
        pytest.fail(
            f"{', '.join(missing)} not installed: run scripts/bootstrap.sh with PLANSIFT_WITH_BROWSER=1 "
            "(it installs Debian's chromium and chromium-driver), or set PLANSIFT_SKIP_BROWSER=1"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("SE_OFFLINE", "true")  # Selenium Manager must never fetch a driver
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.set_page_load_timeout(30)
            yield driver
        finally:
            driver.quit()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("browser") / "plansift.db")


@pytest.fixture(scope="module")
def server(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`plansift browse` on a free port; the base URL of the warehouse's database page."""
    log = tmp_path_factory.mktemp("browse-log") / "browse.log"
    with running_browse(f"sqlite:///{warehouse}", log) as (_, port):
        yield f"http://127.0.0.1:{port}/{database_name(warehouse)}"


def query(warehouse: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(warehouse) as connection:
        return connection.execute(sql, params).fetchall()


def busiest_funder(warehouse: Path) -> str:
    return query(
        warehouse,
        "SELECT funder FROM funding_overview WHERE funder IS NOT NULL "
        "GROUP BY funder ORDER BY count(DISTINCT project_id) DESC, funder LIMIT 1",
    )[0][0]


# -- plansift browse ---------------------------------------------------------------


def test_funder_query_page_lists_the_funders_projects(browser, server: str, warehouse: Path) -> None:
    from selenium.webdriver.common.by import By

    funder = busiest_funder(warehouse)
    expected = [name for (name,) in query(warehouse, "SELECT name FROM project_overview WHERE instr(funders, ?) > 0",
                                          (funder,))]
    assert expected
    browser.get(f"{server}/projects_by_funder?funder={quote(funder)}")
    shown = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-name")]
    assert sorted(shown) == sorted(expected)
    assert browser.find_element(By.CSS_SELECTOR, "input[name=funder]").get_attribute("value") == funder


def test_view_page_shows_description_columns_and_facets(browser, server: str) -> None:
    from selenium.webdriver.common.by import By

    view = view_named("project_overview")
    browser.get(f"{server}/{view.name}")
    assert browser.find_element(By.CSS_SELECTOR, ".metadata-description").text == view.description
    described = [term.text for term in browser.find_elements(By.CSS_SELECTOR, "dl.column-descriptions dt")]
    assert described == list(view.columns)
    facets = [facet.get_attribute("data-column") for facet in browser.find_elements(By.CSS_SELECTOR, ".facet-info")]
    assert set(view.facets) <= set(facets)


# -- plansift report ---------------------------------------------------------------


@pytest.fixture(scope="module")
def report(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The file:// address of the HTML report of the same warehouse."""
    from warehouse.reading import read_only_engine
    from warehouse.report import write_report

    engine = read_only_engine(f"sqlite:///{warehouse}")
    try:
        path = write_report(engine, tmp_path_factory.mktemp("report") / "report.html")
    finally:
        engine.dispose()
    return path.resolve().as_uri()


def test_report_counts_the_projects(browser, report: str, warehouse: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report)

    (projects,) = query(warehouse, "SELECT count(*) FROM project_overview")[0]
    assert projects > 0
    shown = browser.find_element(By.CSS_SELECTOR, "#counts [data-count=projects]")
    assert shown.text == str(projects)


def test_report_timeline_has_one_bar_per_dated_project(browser, report: str, warehouse: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report)

    expected = [name for (name,) in query(
        warehouse, "SELECT name FROM project_timeline WHERE start_date IS NOT NULL AND end_date IS NOT NULL")]
    assert expected
    bars = browser.find_elements(By.CSS_SELECTOR, ".timeline-bar")
    assert sorted(bar.get_attribute("data-project") for bar in bars) == sorted(expected)


def test_report_charts_label_their_bars_and_show_the_largest_funder(browser, report: str, warehouse: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report)

    # The timeline is a chart too, drawn with timeline bars; the funding charts have plain bars.
    charts = [chart for chart in browser.find_elements(By.CSS_SELECTOR, "svg.chart")
              if chart.find_elements(By.CSS_SELECTOR, ".bar")]
    assert len(charts) >= 2  # by funder and by instrument
    bars = [bar for chart in charts for bar in chart.find_elements(By.CSS_SELECTOR, ".bar")]
    labels = {bar.get_attribute("data-label") for bar in bars}
    assert all(labels)
    (largest,) = query(warehouse, "SELECT funder FROM funding_by_funder WHERE funder IS NOT NULL "
                                  "GROUP BY funder ORDER BY sum(total_eur) DESC LIMIT 1")[0]
    assert largest in labels


def test_report_contacts_table_lists_every_contact(browser, report: str, warehouse: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report)

    emails = [email for (email,) in query(warehouse, "SELECT email FROM contact_overview WHERE email IS NOT NULL")]
    assert emails
    table = browser.find_element(By.ID, "contacts")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    (contacts,) = query(warehouse, "SELECT count(*) FROM contact_overview")[0]
    assert len(rows) == contacts
    assert all(email in table.text for email in emails)
