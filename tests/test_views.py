"""The analysts' questions, one query each, on SQLite and PostgreSQL; entities merged across documents."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.connection import open_engine
from warehouse.loading import load_document, start_run
from warehouse.models import (
    ContactMentionRow,
    ContactRow,
    OrganisationAliasRow,
    OrganisationRow,
    ProjectMentionRow,
    ProjectRow,
)
from warehouse.reading import contacts, funding_by_funder, goals, project_timeline, projects, read_view, run_query
from warehouse.schema import upgrade
from warehouse.views import VIEWS

from .warehouse_samples import contact, document, extraction, funding, goal, project

VM = "Valtiovarainministeriö"
OPH = "Opetushallitus"
HML = "Hämeenlinnan kaupunki"
EMAIL = "anna.virtanen@hameenlinna.fi"


def project_list():
    return extraction(
        projects=(
            project(
                "Oikeus Oppia -hanke",
                start_date="2021-01-01",
                end_date="2021-12-31",
                status="ongoing",
                theme="Koulutus",
                coordinator=HML,
                partners=("Forssan kaupunki",),
                funders=(VM,),
                contacts=(EMAIL,),
            ),
            project("Kaupunki taskussa", start_date="2020-01", end_date="2021-11", status="ended", theme="Digitalisaatio"),
        ),
        fundings=(
            funding("Oikeus Oppia -hanke", 120000, funder=VM, instrument="valtionavustus", qualifier="exact"),
            funding("Kaupunki taskussa", 50000, funder=OPH, qualifier="max"),
        ),
        contacts=(contact("Anna Virtanen", email=EMAIL, organization=HML, project="Oikeus Oppia -hanke"),),
    )


def news():
    return extraction(
        title="Oikeus oppia jatkuu",
        kind="news",
        publisher=HML,
        projects=(project("Oikeus oppia", end_date="2022-06", coordinator=HML, contacts=(EMAIL,)),),
        fundings=(
            funding("Oikeus oppia", 120000, funder=VM, instrument="valtionavustus"),
            funding("Oikeus oppia", 30000, funder=OPH),
        ),
        contacts=(contact("Anna Virtanen", title="projektipäällikkö", email=EMAIL, phone="+358501234567", project="Oikeus oppia"),),
    )


def programme():
    return extraction(
        title="Päijät-Hämeen maakuntaohjelma 2024",
        publisher="Päijät-Hämeen liitto",
        kind="strategy",
        goals=(
            goal("Osaava työvoima", period="2024-2026", actions=("Koulutuskokeilut", "Rekrytointimessut"), indicators=("Työllisyysaste",)),
            goal("Saavutettava maakunta", period="2024-2026", actions=("Raideyhteydet",)),
        ),
    )


@pytest.fixture
def warehouse(db_url):
    engine = open_engine(db_url)
    upgrade(engine)
    run = start_run(engine, "test")
    load_document(engine, run, "test", document("inbox/hankkeet.txt"), project_list())
    load_document(engine, run, "test", document("inbox/uutinen.html", "Uutinen"), news())
    load_document(engine, run, "test", document("inbox/ohjelma.pdf", "Ohjelma"), programme())
    yield engine
    engine.dispose()


def test_who_does_a_ministry_fund_for_how_much_and_who_is_the_contact(warehouse) -> None:
    rows = run_query(
        warehouse,
        f"SELECT name, coordinator, total_funding_eur, contacts, documents, mentions FROM project_overview "
        f"WHERE funders LIKE '%{VM}%'",
    ).to_dict("records")
    assert rows == [
        {
            "name": "Oikeus Oppia -hanke",
            "coordinator": HML,
            # 120 000 restated by the news counts once; 30 000 from Opetushallitus adds to it.
            "total_funding_eur": 150000.0,
            "contacts": f"Anna Virtanen <{EMAIL}>",
            "documents": "hankkeet.txt; uutinen.html",
            "mentions": 2,
        }
    ]


def test_a_project_in_several_documents_is_one_entity_with_merged_dates_and_funders(warehouse) -> None:
    frame = projects(warehouse).set_index("name")
    merged = frame.loc["Oikeus Oppia -hanke"]
    assert (merged.start_date, merged.end_date) == ("2021-01-01", "2022-06")
    assert merged.funders == f"{VM}; {OPH}"
    assert merged.partners == "Forssan kaupunki"
    assert merged.theme == "Koulutus"
    with Session(warehouse) as session:
        assert session.scalar(select(func.count()).select_from(ProjectRow)) == 2
        assert session.scalar(select(func.count()).select_from(ProjectMentionRow)) == 3


def test_the_same_email_is_one_contact_with_the_latest_details(warehouse) -> None:
    rows = contacts(warehouse).to_dict("records")
    assert len(rows) == 1
    person = rows[0]
    assert (person["name"], person["title"], person["phone"], person["organisation"]) == (
        "Anna Virtanen",
        "projektipäällikkö",
        "+358501234567",
        HML,
    )
    assert person["projects"] == "Oikeus Oppia -hanke"
    with Session(warehouse) as session:
        assert session.scalar(select(func.count()).select_from(ContactRow)) == 1
        assert session.scalar(select(func.count()).select_from(ContactMentionRow)) == 2


def test_which_goals_of_a_programme_have_indicators(warehouse) -> None:
    frame = run_query(
        warehouse,
        "SELECT objective, actions, indicators FROM goal_overview "
        "WHERE publisher LIKE 'Päijät-Häme%' AND title LIKE '%2024%' AND indicator_count > 0",
    )
    assert frame.to_dict("records") == [
        {"objective": "Osaava työvoima", "actions": "Koulutuskokeilut\nRekrytointimessut", "indicators": "Työllisyysaste"}
    ]
    assert len(goals(warehouse)) == 2


def test_what_ended_in_a_year(warehouse) -> None:
    frame = run_query(warehouse, "SELECT name, status FROM project_timeline WHERE end_year = 2021")
    assert frame.to_dict("records") == [{"name": "Kaupunki taskussa", "status": "ended"}]
    timeline = project_timeline(warehouse)
    assert list(timeline.name) == ["Kaupunki taskussa", "Oikeus Oppia -hanke"]


def test_funding_by_funder_and_instrument_counts_a_restated_sum_once(warehouse) -> None:
    frame = funding_by_funder(warehouse)
    # pandas reads a NULL among strings as NaN.
    instrument = [i if isinstance(i, str) else None for i in frame.instrument]
    rows = {(f, i): (p, n, t) for f, i, p, n, t in zip(frame.funder, instrument, frame.projects, frame.fundings, frame.total_eur)}
    assert rows[(VM, "valtionavustus")] == (1, 1, 120000.0)
    assert rows[(OPH, None)] == (2, 2, 80000.0)


def test_organisations_keep_their_known_aliases(warehouse) -> None:
    with Session(warehouse) as session:
        aliases = session.execute(
            select(OrganisationRow.name, OrganisationAliasRow.alias).join(
                OrganisationAliasRow, OrganisationAliasRow.organisation_id == OrganisationRow.id
            )
        ).all()
    assert (VM, "VM") in aliases
    assert ("Forssan kaupunki", "Forssa") in aliases


def test_views_show_the_current_version_and_history_stays_in_the_tables(warehouse) -> None:
    changed = extraction(projects=(project("Oikeus Oppia -hanke", coordinator=HML),))
    run = start_run(warehouse, "test")
    assert load_document(warehouse, run, "test", document("inbox/hankkeet.txt", "Muutettu lista"), changed)[0] == "changed"
    names = set(projects(warehouse).name)
    assert "Kaupunki taskussa" not in names
    with Session(warehouse) as session:
        old = session.scalars(select(ProjectMentionRow.name)).all()
    assert "Kaupunki taskussa" in old
    assert len(read_view(warehouse, "current_versions")) == 3


def test_every_view_and_column_is_described(warehouse) -> None:
    for view in VIEWS:
        frame = read_view(warehouse, view.name)
        assert list(frame.columns) == list(view.columns), view.name
        assert view.description and all(view.columns.values())


def test_contacts_with_only_a_phone_number_stay_apart(db_url) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    only_phones = extraction(contacts=(contact(None, phone="+358401111111"), contact(None, phone="+358402222222")))
    load_document(engine, start_run(engine, "test"), "test", document("inbox/puhelimet.txt"), only_phones)
    with Session(engine) as session:
        phones = sorted(session.scalars(select(ContactRow.phone)).all())
    assert phones == ["+358401111111", "+358402222222"]
    engine.dispose()


def test_a_contacts_details_come_from_current_documents_only(warehouse) -> None:
    # The news gave the title and phone; once its source is withdrawn they no longer show.
    from warehouse.loading import withdraw_missing

    withdraw_missing(warehouse, start_run(warehouse, "test"), ["inbox"], seen={"inbox/hankkeet.txt", "inbox/ohjelma.pdf"})
    (person,) = contacts(warehouse).to_dict("records")
    assert person["email"] == EMAIL and person["organisation"] == HML
    assert person["title"] is None and person["phone"] is None


def test_a_stated_total_is_not_added_to_the_sums_it_totals(db_url) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    run = start_run(engine, "test")
    liitto = "Hämeen liitto"
    programme_sums = extraction(
        projects=(project("Hanke A"), project("Hanke B")),
        fundings=(
            funding(None, 200000, funder=liitto, instrument="AKKE", is_total=True),
            funding("Hanke A", 120000, funder=liitto, instrument="AKKE"),
            funding("Hanke B", 80000, funder=liitto, instrument="AKKE"),
        ),
    )
    load_document(engine, run, "test", document("inbox/ohjelma.txt", "Ohjelma ja hankkeet"), programme_sums)
    rows = funding_by_funder(engine)
    assert rows.total_eur.tolist() == [200000.0] and rows.fundings.tolist() == [2]
    overview = read_view(engine, "funding_overview")
    assert sorted(bool(t) for t in overview.is_total) == [False, False, True]  # the total is still listed
    assert sorted(projects(engine).total_funding_eur.tolist()) == [80000.0, 120000.0]


def test_a_copy_of_a_document_under_another_name_is_not_counted_twice(db_url) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    run = start_run(engine, "test")
    assert load_document(engine, run, "test", document("inbox/a.txt"), project_list())[0] == "new"
    assert load_document(engine, run, "test", document("inbox/b-copy.txt"), project_list()) == ("duplicate", 0)
    assert len(read_view(engine, "current_versions")) == 1
    rows = funding_by_funder(engine)
    assert rows.total_eur.sum() == 170000.0
