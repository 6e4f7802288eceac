"""The extraction diff page in headless Chromium: counts, filters and escaping, written and served by `plansift browse`.

Two runs over copies of sample documents, edited in between, give a diff
with additions, removals, changes and a new warning in two documents; the
page must agree with the diff's JSON (what `plansift diff --json` prints).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractors.extraction import extract
from pipeline.batch import read_or_fail
from pipeline.settings import Settings
from tests import test_browser
from tests.conftest import INBOX
from tests.test_browse import running_browse
from warehouse.connection import open_engine
from warehouse.diff_html import write_html
from warehouse.diffs import diff_runs
from warehouse.loading import RunSummary, finish_run, load_document, start_run
from warehouse.record_sets import RECORD_TYPES
from warehouse.schema import upgrade

pytestmark = pytest.mark.browser

# The same headless Chromium fixture, one browser for this module too.
browser = test_browser.browser

HAMEENLINNA = "001_5ad6ca99f4e8c49c.txt"
FORSSA = "101_forssa_hankelista.txt"
# Left as it is: an unchanged document is compared but must not show up.
UNCHANGED = "108_hame_ely_rahoituspaatokset.txt"
MARKUP = "<script>window.pwned=1</script><b>lihavoitu</b>"

# (old, new) replacements per document between the two runs. A project line
# gets markup so that it lands in that project's evidence.
EDITS: dict[str, tuple[tuple[str, str], ...]] = {
    HAMEENLINNA: (
        ("(26.4.2019-31.7.2021)", "(26.4.2019-31.12.2021)"),
        ("Resurssiviisaus\n", "Resurssiviisaus\nKaupunkipyöräily 2022 (1.3.2022–30.11.2022)\n"
                              "Kaupunkipyöriä on tarjolla keskustassa.\n"),
        ("Kaupunkiviljelyhanke (1.1.2020–31.12.2021)", f"Kaupunkiviljelyhanke {MARKUP} (1.1.2020–31.12.2021)"),
    ),
    FORSSA: (
        ("Starttipaja (2020-2022)", "Starttipaja (2020-2023)"),
        ("Kauppatori eläväksi\n", ""),
        ("valtionavustuksella 84 720 €", "valtionavustuksella 94 720 €"),
        # 31 February: the new project brings an impossible-date warning with it.
        ("Ympäristö ja asuminen\n\n", "Ympäristö ja asuminen\n\nMetsäpolku 2025 (31.2.2025–31.12.2025)\n"
                                      "Hankkeessa rakennetaan luontopolku.\n\n"),
    ),
}
# A whole project with its contact, from its heading up to the next project's.
REMOVED_BLOCK = (HAMEENLINNA, "Kerhoiloa 2021!", "Kestävän elämäntavan opinpolku")


def ingest(engine: Any, files: list[Path]) -> None:
    run = start_run(engine, "v1")
    summary = RunSummary(run, "v1")
    for path in files:
        document = read_or_fail(path, Settings())
        outcome, _ = load_document(engine, run, "v1", document, extract(document))
        summary.outcomes[str(path)] = outcome
    finish_run(engine, summary)


def edit(path: Path, replacements: tuple[tuple[str, str], ...]) -> None:
    text = path.read_text("utf-8")
    for old, new in replacements:
        # A sample that no longer holds the text would quietly make the diff smaller.
        assert old in text, f"{path.name} no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


def cut(path: Path, first: str, stop: str) -> None:
    text = path.read_text("utf-8")
    start, end = text.index(first), text.index(stop)
    assert start < end
    path.write_text(text[:start] + text[end:], "utf-8")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite warehouse whose last two runs read the documents before and after the edits."""
    folder = tmp_path_factory.mktemp("diff-documents")
    files = [Path(shutil.copy(INBOX / name, folder / name)) for name in (HAMEENLINNA, FORSSA, UNCHANGED)]
    db = tmp_path_factory.mktemp("diff-warehouse") / "plansift.db"
    engine = open_engine(f"sqlite:///{db}")
    try:
        upgrade(engine)
        ingest(engine, files)
        cut(folder / REMOVED_BLOCK[0], *REMOVED_BLOCK[1:])
        for name, replacements in EDITS.items():
            edit(folder / name, replacements)
        ingest(engine, files)
    finally:
        engine.dispose()
    return db


@pytest.fixture(scope="module")
def diff_json(warehouse: Path) -> dict[str, Any]:
    engine = open_engine(f"sqlite:///{warehouse}")
    try:
        return diff_runs(engine).to_dict()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def page(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The file:// address of the written diff page."""
    engine = open_engine(f"sqlite:///{warehouse}")
    try:
        diff = diff_runs(engine)
    finally:
        engine.dispose()
    return write_html(diff, tmp_path_factory.mktemp("diff-page") / "diff.html").resolve().as_uri()


def json_changes(diff_json: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Every change and warning change of the JSON as (document, record type, kind), warnings as type "warnings"."""
    return [
        (document["source"], change["record_type"], change["kind"])
        for document in diff_json["documents"]
        for change in document["changes"]
    ] + [
        (document["source"], "warnings", warning["kind"])
        for document in diff_json["documents"]
        for warning in document["warnings"]
    ]


def expected(
    diff_json: dict[str, Any], document: str = "", record_type: str = "", without: frozenset[str] = frozenset()
) -> list[tuple[str, str, str]]:
    """The changes the page should show under these filters (an empty filter is "all")."""
    return [
        change for change in json_changes(diff_json)
        if (not document or change[0] == document) and (not record_type or change[1] == record_type)
        and change[2] not in without
    ]


def visible_changes(driver: Any) -> list[tuple[str, str, str]]:
    from selenium.webdriver.common.by import By

    elements = driver.find_elements(By.CSS_SELECTOR, ".change")
    described = driver.execute_script(
        "return arguments[0].map(e => [e.dataset.document, e.dataset.type, e.dataset.kind]);", elements
    )
    return [tuple(facts) for facts, element in zip(described, elements, strict=True) if element.is_displayed()]


def shown_count(driver: Any) -> int:
    from selenium.webdriver.common.by import By

    return int(driver.find_element(By.ID, "shown-count").text)


def counts_on_page(driver: Any) -> dict[str, dict[str, int]]:
    """The counts table and warning counts as the page shows them, in the JSON's shape."""
    from selenium.webdriver.common.by import By

    shown: dict[str, dict[str, int]] = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "#counts tr[data-type]"):
        cells = row.find_elements(By.CSS_SELECTOR, "td[data-kind]")
        shown[row.get_attribute("data-type")] = {cell.get_attribute("data-kind"): int(cell.text) for cell in cells}
    spans = driver.find_elements(By.CSS_SELECTOR, "#warning-counts [data-kind]")
    shown["warnings"] = {span.get_attribute("data-kind"): int(span.text) for span in spans}
    return shown


def choose(driver: Any, select_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, select_id)).select_by_value(value)


def markup_change(diff_json: dict[str, Any]) -> dict[str, Any]:
    """The change whose new evidence holds the document's markup."""
    found = [
        change for document in diff_json["documents"] for change in document["changes"]
        if change["new"] and change["new"]["evidence"] and MARKUP in (change["new"]["evidence"]["context"] or "")
    ]
    assert len(found) == 1, found
    return found[0]


# -- The data ----------------------------------------------------------------------


def test_the_edits_change_two_documents_in_every_way(diff_json: dict[str, Any]) -> None:
    # Guards the other tests: a filter test over one kind in one document proves little.
    changes = json_changes(diff_json)
    assert {source for source, _, _ in changes} == {
        document["source"] for document in diff_json["documents"]
    } and len(diff_json["documents"]) == 2
    assert diff_json["documents_compared"] == 3
    for document in diff_json["documents"]:
        assert {"added", "removed", "changed"} <= {kind for source, _, kind in changes if source == document["source"]}
    assert {record_type for _, record_type, _ in changes} >= {"projects", "fundings", "contacts", "warnings"}
    assert markup_change(diff_json)["kind"] == "changed"


# -- The written page ----------------------------------------------------------------


def test_counts_table_equals_the_json(browser: Any, page: str, diff_json: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    browser.get(page)

    assert counts_on_page(browser) == diff_json["counts"]
    assert set(diff_json["counts"]) == {*RECORD_TYPES, "warnings"}
    total = len(json_changes(diff_json))
    assert shown_count(browser) == total
    assert int(browser.find_element(By.ID, "total-count").text) == total
    assert Counter(visible_changes(browser)) == Counter(json_changes(diff_json))


def test_document_filter_shows_only_that_documents_changes(browser: Any, page: str, diff_json: dict[str, Any]) -> None:
    browser.get(page)

    for document in diff_json["documents"]:
        choose(browser, "filter-document", document["source"])
        wanted = expected(diff_json, document=document["source"])
        assert wanted
        assert Counter(visible_changes(browser)) == Counter(wanted)
        assert shown_count(browser) == len(wanted)
    choose(browser, "filter-document", "")
    assert shown_count(browser) == len(json_changes(diff_json))


def test_type_filter_shows_only_that_record_type(browser: Any, page: str, diff_json: dict[str, Any]) -> None:
    browser.get(page)

    for record_type in (*RECORD_TYPES, "warnings"):
        choose(browser, "filter-type", record_type)
        wanted = expected(diff_json, record_type=record_type)
        assert Counter(visible_changes(browser)) == Counter(wanted)
        assert shown_count(browser) == len(wanted)


def test_unchecking_a_kind_hides_it_under_combined_filters(browser: Any, page: str, diff_json: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    browser.get(page)
    kind_box = browser.find_element(By.CSS_SELECTOR, ".filter-kind[value=added]")

    kind_box.click()
    assert not kind_box.is_selected()
    assert "added" not in {kind for _, _, kind in visible_changes(browser)}
    everything = len(json_changes(diff_json))
    assert shown_count(browser) == everything - len([c for c in json_changes(diff_json) if c[2] == "added"])

    kind_box.click()
    document = diff_json["documents"][0]["source"]
    choose(browser, "filter-document", document)
    choose(browser, "filter-type", "projects")
    before = shown_count(browser)
    wanted = expected(diff_json, document=document, record_type="projects")
    assert before == len(wanted)
    added = len([c for c in wanted if c[2] == "added"])
    assert added > 0

    kind_box.click()

    remaining = expected(diff_json, document=document, record_type="projects", without=frozenset({"added"}))
    assert Counter(visible_changes(browser)) == Counter(remaining)
    assert shown_count(browser) == before - added


def test_document_markup_is_shown_as_text(browser: Any, page: str, diff_json: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    browser.get(page)

    change = browser.find_element(By.CSS_SELECTOR, f'.change[data-id="{markup_change(diff_json)["id"]}"]')
    evidence = change.find_element(By.CSS_SELECTOR, ".new .evidence")
    assert MARKUP in evidence.text
    assert MARKUP in change.find_element(By.CSS_SELECTOR, ".label").text
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, ".evidence b, .evidence script, .label b") == []
    # The page's own filter script is the only one.
    assert browser.execute_script("return document.scripts.length") == 1


# -- plansift browse ---------------------------------------------------------------


@pytest.fixture(scope="module")
def served_diff(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("diff-browse-log") / "browse.log"
    with running_browse(f"sqlite:///{warehouse}", log) as (_, port):
        yield f"http://127.0.0.1:{port}/-/diff"


def test_browse_serves_the_same_counts(browser: Any, served_diff: str, diff_json: dict[str, Any]) -> None:
    browser.get(served_diff)

    assert counts_on_page(browser) == diff_json["counts"]
    assert shown_count(browser) == len(json_changes(diff_json))
    assert browser.execute_script("return window.pwned === undefined")
