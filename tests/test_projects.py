"""Projects: from project lists, prose, project tables and project forms."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.project_names import same_name
from extractors.records import ProjectRecord
from tests.extraction_fixtures import by_name, extract

PROJECT_LIST = [
    ("heading", 1, "Hankkeet"),
    ("heading", 2, "Elinvoimaiset kylät"),
    ("heading", 3, "Kylätalot kuntoon (1.3.2021–28.2.2023)"),
    (
        "paragraph",
        (
            "Hanketta hallinnoi Hattulan kunta. Hankkeessa ovat mukana Janakkalan kunta ja HAMK. "
            "Hanketta rahoittaa Hämeen ELY-keskus."
        ),
    ),
    ("paragraph", "Yhteyshenkilö:"),
    ("paragraph", "Projektipäällikkö Maija Virtanen"),
    ("paragraph", "maija.virtanen(at)hattula.fi"),
    ("heading", 3, "Lähiruokaa kouluihin (2022–2024)"),
    ("paragraph", "Hanketta koordinoi Janakkalan kunta. Osatoteuttajana on Hämeen ammattikorkeakoulu."),
    ("heading", 2, "Osaava työvoima"),
    ("heading", 3, "Työkykyä yhdessä (2023–2025)"),
    (
        "paragraph",
        "Hankkeen päätoteuttajana toimii Riihimäen kaupunki. Yhteistyökumppaneina ovat Forssa, Loppi ja Hausjärvi.",
    ),
    ("heading", 2, "Päättyneet hankkeet"),
    ("heading", 3, "Kyläkoulujen digiloikka (1.8.2019–31.7.2021)"),
    ("paragraph", "Opetushallitus myönsi hankkeelle avustusta. Hanketta hallinnoi Lopen kunta."),
]


@pytest.fixture(scope="module")
def project_list() -> list[ProjectRecord]:
    return extract(PROJECT_LIST)["projects"]


def test_project_list_names_without_date_suffix(project_list: list[ProjectRecord]) -> None:
    assert [p.name for p in project_list] == [
        "Kylätalot kuntoon",
        "Lähiruokaa kouluihin",
        "Työkykyä yhdessä",
        "Kyläkoulujen digiloikka",
    ]


def test_project_with_roles_dates_theme_and_contact(project_list: list[ProjectRecord]) -> None:
    assert by_name(project_list, "Kylätalot kuntoon").to_interchange() == {
        "name": "Kylätalot kuntoon",
        "start_date": "2021-03-01",
        "end_date": "2023-02-28",
        "status": None,
        "theme": "Elinvoimaiset kylät",
        "coordinator": "Hattulan kunta",
        "partners": ["Janakkalan kunta", "Hämeen ammattikorkeakoulu"],
        "funders": ["Hämeen ELY-keskus"],
        "contacts": ["maija.virtanen@hattula.fi"],
    }


def test_year_range_keeps_year_precision(project_list: list[ProjectRecord]) -> None:
    project = by_name(project_list, "Lähiruokaa kouluihin")
    assert (project.start_date, project.end_date) == ("2022", "2024")


def test_koordinoi_and_osatoteuttajana(project_list: list[ProjectRecord]) -> None:
    project = by_name(project_list, "Lähiruokaa kouluihin")
    assert (project.coordinator, project.partners, project.funders) == (
        "Janakkalan kunta",
        ("Hämeen ammattikorkeakoulu",),
        (),
    )


def test_paatoteuttajana_and_bare_partner_municipalities(project_list: list[ProjectRecord]) -> None:
    project = by_name(project_list, "Työkykyä yhdessä")
    assert (project.theme, project.coordinator, project.partners) == (
        "Osaava työvoima",
        "Riihimäen kaupunki",
        ("Forssan kaupunki", "Lopen kunta", "Hausjärven kunta"),
    )


def test_status_heading_gives_ended_and_is_no_theme(project_list: list[ProjectRecord]) -> None:
    project = by_name(project_list, "Kyläkoulujen digiloikka")
    assert (project.status, project.theme, project.coordinator, project.funders) == (
        "ended",
        None,
        "Lopen kunta",
        ("Opetushallitus",),
    )


def test_status_is_not_inferred_from_dates(project_list: list[ProjectRecord]) -> None:
    # Kylätalot kuntoon ended in 2023, but the text does not say so.
    assert by_name(project_list, "Kylätalot kuntoon").status is None


def test_contact_is_tied_only_to_the_project_it_stands_under(project_list: list[ProjectRecord]) -> None:
    assert {p.name: p.contacts for p in project_list} == {
        "Kylätalot kuntoon": ("maija.virtanen@hattula.fi",),
        "Lähiruokaa kouluihin": (),
        "Työkykyä yhdessä": (),
        "Kyläkoulujen digiloikka": (),
    }


def test_provenance_of_a_heading_project_is_the_name_in_the_heading(project_list: list[ProjectRecord]) -> None:
    project = by_name(project_list, "Kylätalot kuntoon")
    assert (project.provenance.text, project.provenance.rule) == ("Kylätalot kuntoon", "projects.heading")


def test_status_line_hanke_paattynyt() -> None:
    projects = extract(
        [
            ("heading", 1, "Kehittämishankkeet"),
            ("heading", 2, "Kulttuuri ja vapaa-aika"),
            ("heading", 3, "Liikkuva kylä (2020–2022)"),
            ("paragraph", "Hanke päättynyt"),
            ("paragraph", "Hanketta hallinnoi Lopen kunta ja sitä rahoittaa Opetus- ja kulttuuriministeriö."),
            ("heading", 3, "Kulttuuripolku (1.1.2024–31.12.2025)"),
            ("paragraph", "Hanketta koordinoi Forssan kaupunki."),
        ]
    )["projects"]
    assert [(p.name, p.status, p.coordinator, p.funders) for p in projects] == [
        ("Liikkuva kylä", "ended", "Lopen kunta", ("Opetus- ja kulttuuriministeriö",)),
        ("Kulttuuripolku", None, "Forssan kaupunki", ()),
    ]


@pytest.fixture(scope="module")
def status_sections() -> list[ProjectRecord]:
    return extract(
        [
            ("heading", 1, "Kunnan hankkeet"),
            ("heading", 2, "Käynnissä olevat hankkeet"),
            ("heading", 3, "Kylätalot kuntoon (2023–2025)"),
            ("paragraph", "Hanketta hallinnoi Lopen kunta."),
            ("heading", 4, "Kylätalot kuntoon: kylätalojen energiaremontit (1.3.2023–28.2.2025)"),
            ("paragraph", "Energiaremontteja tehdään viidessä kylätalossa."),
            ("heading", 2, "Suunnitteilla olevat hankkeet"),
            ("heading", 3, "Kirjastoauto kylille"),
            ("paragraph", "Hanke tuo kirjastopalvelut haja-asutusalueille. Hakemus jätetään keväällä."),
            ("heading", 2, "Päättyneet hankkeet"),
            ("heading", 3, "Nuorten työpaja (2019–2021)"),
            ("paragraph", "Hanketta hallinnoi Lopen kunta."),
        ]
    )["projects"]


def test_status_headings_ongoing_planned_ended(status_sections: list[ProjectRecord]) -> None:
    assert [(p.name, p.status) for p in status_sections] == [
        ("Kylätalot kuntoon", "ongoing"),
        ("Kirjastoauto kylille", "planned"),
        ("Nuorten työpaja", "ended"),
    ]


def test_sub_heading_repeating_the_name_is_the_same_project_with_finer_dates(
    status_sections: list[ProjectRecord],
) -> None:
    project = by_name(status_sections, "Kylätalot kuntoon")
    assert (project.start_date, project.end_date) == ("2023-03-01", "2025-02-28")


def test_headings_ending_in_a_project_word() -> None:
    projects = extract(
        [
            ("heading", 1, "Hankkeet"),
            ("heading", 2, "Ympäristö"),
            ("heading", 3, "Puhtaat vesistöt -hanke"),
            ("paragraph", "Hanketta hallinnoi Hattulan kunta."),
            ("heading", 3, "Kaupunkiviljelyhanke"),
            (
                "paragraph",
                "Hämeenlinnan kaupungin hallinnoimassa hankkeessa ovat mukana Hattulan ja Janakkalan kunnat.",
            ),
        ]
    )["projects"]
    assert [(p.name, p.theme, p.coordinator, p.partners) for p in projects] == [
        ("Puhtaat vesistöt -hanke", "Ympäristö", "Hattulan kunta", ()),
        ("Kaupunkiviljelyhanke", "Ympäristö", "Hämeenlinnan kaupunki", ("Hattulan kunta", "Janakkalan kunta")),
    ]


@pytest.mark.parametrize(
    ("suffix", "start", "end"),
    [
        ("(1.9.2022 alkaen)", "2022-09-01", None),
        ("(31.12.2024 saakka)", None, "2024-12-31"),
        # An impossible day keeps the precision that is valid.
        ("(1.6.2021–31.11.2021)", "2021-06-01", "2021-11"),
    ],
)
def test_heading_dates_at_the_precision_given(suffix: str, start: str | None, end: str | None) -> None:
    results = extract(
        [
            ("heading", 1, "Hankkeet"),
            ("heading", 2, "Asuminen"),
            ("heading", 3, f"Yhteisöllinen piha {suffix}"),
            ("paragraph", "Hanketta koordinoi Hattulan kunta."),
        ]
    )
    (project,) = results["projects"]
    assert (project.name, project.start_date, project.end_date) == ("Yhteisöllinen piha", start, end)


def test_impossible_date_is_reported_as_a_warning() -> None:
    results = extract([("heading", 1, "Kylien kesä (1.6.2021–31.11.2021)"), ("paragraph", "Hanke päättyi.")])
    assert [message for _, _, message in results["date_warnings"]] == [
        "impossible date 31.11.2021: November has 30 days"
    ]


def test_prose_projects_with_hyphen_forms() -> None:
    projects = extract(
        [
            ("heading", 1, "Ajankohtaista"),
            (
                "paragraph",
                (
                    "Janakkalan kunta on mukana Kurob-hankkeessa, jossa kehitetään kuntien yhteistä robotiikkaa. "
                    "Lisäksi kunta osallistuu Vihreä siirtymä Hämeessä -hankkeeseen yhdessä Hattulan kunnan kanssa."
                ),
            ),
        ]
    )["projects"]
    assert [(p.name, p.provenance.rule, p.partners) for p in projects] == [
        ("Kurob", "projects.prose", ("Janakkalan kunta",)),
        ("Vihreä siirtymä Hämeessä", "projects.prose", ("Hattulan kunta",)),
    ]


def test_prose_project_funder_from_myontanyt() -> None:
    projects = extract(
        [
            ("heading", 1, "Tiedote"),
            (
                "paragraph",
                "Opetus- ja kulttuuriministeriö on myöntänyt Opitaan luonnossa -hankkeelle avustusta 68 850 euroa.",
            ),
        ]
    )["projects"]
    assert [(p.name, p.coordinator, p.funders) for p in projects] == [
        ("Opitaan luonnossa", None, ("Opetus- ja kulttuuriministeriö",))
    ]


@pytest.fixture(scope="module")
def project_table() -> dict[str, Any]:
    return extract(
        [
            ("heading", 1, "Myönnetyt tuet"),
            (
                "table",
                [
                    ["Hanke", "Hakija", "Rahoittaja", "Myönnetty tuki", "Toteutusaika"],
                    ["Kylät verkkoon", "Hattulan kunta", "Hämeen liitto", "45 000 €", "1.1.2024–31.12.2025"],
                    ["Matkailun uusi nousu", "HAMK", "Hämeen ELY-keskus", "enintään 120 500 €", "2024–2026"],
                ],
                1,
            ),
        ]
    )


def test_project_table_rows(project_table: dict[str, Any]) -> None:
    assert [p.to_interchange() for p in project_table["projects"]] == [
        {
            "name": "Kylät verkkoon",
            "start_date": "2024-01-01",
            "end_date": "2025-12-31",
            "status": None,
            "theme": None,
            "coordinator": "Hattulan kunta",
            "partners": [],
            "funders": ["Hämeen liitto"],
            "contacts": [],
        },
        {
            "name": "Matkailun uusi nousu",
            "start_date": "2024",
            "end_date": "2026",
            "status": None,
            "theme": None,
            "coordinator": "Hämeen ammattikorkeakoulu",
            "partners": [],
            "funders": ["Hämeen ELY-keskus"],
            "contacts": [],
        },
    ]


def test_project_table_provenance_is_the_name_cell(project_table: dict[str, Any]) -> None:
    assert [(p.provenance.text, p.provenance.rule) for p in project_table["projects"]] == [
        ("Kylät verkkoon", "projects.table"),
        ("Matkailun uusi nousu", "projects.table"),
    ]


def test_project_form() -> None:
    projects = extract(
        [
            ("heading", 1, "Hankesuunnitelma"),
            ("paragraph", "Hankkeen nimi: Luontoliikuntaa kaikille"),
            ("paragraph", "Hakija: Janakkalan kunta"),
            ("paragraph", "Osatoteuttajat: Hattulan kunta, Lopen kunta"),
            ("paragraph", "Aloituspäivämäärä: 1.9.2024"),
            ("paragraph", "Päättymispäivämäärä: 31.8.2026"),
        ]
    )["projects"]
    assert [p.to_interchange() for p in projects] == [
        {
            "name": "Luontoliikuntaa kaikille",
            "start_date": "2024-09-01",
            "end_date": "2026-08-31",
            "status": None,
            "theme": None,
            "coordinator": "Janakkalan kunta",
            "partners": ["Hattulan kunta", "Lopen kunta"],
            "funders": [],
            "contacts": [],
        }
    ]


def test_project_form_status_and_partners_on_lines_below_the_label() -> None:
    projects = extract(
        [
            ("heading", 1, "Hankekortti"),
            ("paragraph", "Hankkeen nimi: Kylien kesä"),
            ("paragraph", "Hakija: Lopen kunta"),
            ("paragraph", "Osatoteuttajat:"),
            ("list_item", "Hattulan kunta", "•"),
            ("list_item", "Hämeen ammattikorkeakoulu", "•"),
            ("paragraph", "Hankkeen tila: päättynyt"),
        ]
    )["projects"]
    assert [(p.name, p.coordinator, p.partners, p.status) for p in projects] == [
        ("Kylien kesä", "Lopen kunta", ("Hattulan kunta", "Hämeen ammattikorkeakoulu"), "ended")
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Päijät-Häme – Kylät kuntoon", "päijät-häme - kylät  kuntoon", True),
        ("Teemme yhdessä!", "Teemme yhdessä", True),
        ("Kylät kuntoon", "Kylätalot kuntoon", False),
    ],
)
def test_same_name(a: str, b: str, expected: bool) -> None:
    assert same_name(a, b) is expected


def test_list_items_that_open_with_a_name_and_period_are_projects() -> None:
    results = extract(
        [
            ("heading", 1, "Työohjelma 2025"),
            ("paragraph", "Liiton käynnissä olevat omat hankkeet:"),
            ("list_item", "Satamat kiertotaloudessa (1.3.2023–31.5.2027). Interreg Europe, liiton osuus 214 600 €.", "-"),
            ("list_item", "Nuorten foorumi (1.8.2024–31.7.2025). Valtionavustus 58 000 €.", "-"),
            ("list_item", "Muut tehtävät hoidetaan omin voimin.", "-"),
        ]
    )
    projects = {p.name: p for p in results["projects"]}
    assert set(projects) == {"Satamat kiertotaloudessa", "Nuorten foorumi"}
    assert (projects["Nuorten foorumi"].start_date, projects["Nuorten foorumi"].end_date) == ("2024-08-01", "2025-07-31")
    assert {(f.project, f.amount_eur) for f in results["fundings"]} == {
        ("Satamat kiertotaloudessa", 214600),
        ("Nuorten foorumi", 58000),
    }


def test_a_sentence_opening_with_a_project_name_names_it() -> None:
    results = extract(
        [
            ("heading", 1, "Uutiset"),
            ("paragraph", "Eurooppa luokkahuoneessa -hankkeessa noin 60 opiskelijaa tekee vaihtojakson Euroopassa."),
            ("paragraph", "Käynnistetty uusi Interreg Europe -hanke."),
        ]
    )
    assert [p.name for p in results["projects"]] == ["Eurooppa luokkahuoneessa"]


def _projects(blocks: list[tuple[Any, ...]]) -> list[ProjectRecord]:
    return extract(blocks)["projects"]


def test_what_follows_a_sentence_naming_two_projects_is_about_its_subject() -> None:
    projects = _projects(
        [
            ("heading", 1, "Kylät"),
            (
                "paragraph",
                "Porvoon kaupungin Kylät kasvuun -hanke jatkaa vuonna 2009 käynnistetyn Kyläverkosto-hankkeen työtä. "
                "Hankkeessa ovat Porvoon lisäksi mukana Loviisa ja Lapinjärvi.",
            ),
        ]
    )
    assert set(by_name(projects, "Kylät kasvuun").partners) == {"Loviisan kaupunki", "Lapinjärven kunta"}
    assert by_name(projects, "Kyläverkosto").partners == ()


def test_the_line_introducing_a_list_gives_its_projects_status() -> None:
    projects = _projects(
        [
            ("heading", 1, "Hanketoiminta"),
            ("paragraph", "Liiton käynnissä olevat omat hankkeet:"),
            ("list_item", "PortCirc – satamat kiertotalouden solmukohtina (1.3.2023–31.5.2027). Interreg Europe.", "-"),
            ("list_item", "Nuorten vaikuttajafoorumi (1.8.2024–31.7.2025). OKM:n valtionavustus 58 000 €.", "-"),
        ]
    )
    assert [p.status for p in projects] == ["ongoing", "ongoing"]


def test_a_start_and_an_end_stated_apart_make_one_period_and_the_project_said_to_be_ongoing_is() -> None:
    projects = _projects(
        [
            ("heading", 1, "Uutiset"),
            (
                "paragraph",
                "Järvenpää käynnisti tammikuussa 2024 Oppilashuollon verkosto -hankkeen. Hankkeessa yhtenäistetään "
                "kolmen kunnan käytäntöjä. Hanke on käynnissä vuoden 2025 loppuun, ja sitä rahoittaa Opetushallitus.",
            ),
        ]
    )
    project = by_name(projects, "Oppilashuollon verkosto")
    assert (project.start_date, project.end_date, project.status) == ("2024-01", "2025", "ongoing")


def test_a_paragraph_about_the_project_of_a_coordinator_adds_to_the_one_project_it_coordinates() -> None:
    projects = _projects(
        [
            ("heading", 1, "Rahoitetut hankkeet"),
            ("table", [["Hanke", "Hakija", "Rahoitus"],
                       ["Kiertotalousverkosto", "Espoon kaupunki", "248 000 €"],
                       ["Saaristomatkailu", "Raaseporin kaupunki", "176 500 €"]], 1),
            ("heading", 2, "Kiertotaloutta yhteisillä kriteereillä"),
            (
                "paragraph",
                "Espoon kaupungin hallinnoimassa verkostohankkeessa kunnat kehittävät yhteisiä kriteerejä. "
                "Mukana ovat myös Vantaan kaupunki ja Keravan kaupunki.",
            ),
        ]
    )
    assert by_name(projects, "Kiertotalousverkosto").partners == ("Vantaan kaupunki", "Keravan kaupunki")
    assert by_name(projects, "Saaristomatkailu").partners == ()


def test_a_fund_is_never_a_partner_and_the_coordinator_is_not_also_a_partner() -> None:
    from extractors.extraction import extract as extract_all
    from tests.extraction_fixtures import build_document

    document = build_document(
        [
            ("heading", 1, "Kansainvälinen yhteistyö"),
            (
                "paragraph",
                "Uudenmaan liitto on kumppanina Interreg Europe -ohjelman rahoittamassa GreenFreight-hankkeessa "
                "(1.4.2024–30.6.2028). Hankkeessa vertaillaan tavaraliikenteen päästöjä.",
            ),
        ]
    )
    (project,) = extract_all(document).projects
    assert project.partners == ("Uudenmaan liitto",)
    assert project.coordinator not in project.partners


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "Business Finland on myöntänyt Lapin yliopiston koordinoimalle Arktisen matkailun datatalous "
            "-ekosysteemihankkeelle 3 M€ rahoitusta.",
            "Arktisen matkailun datatalous",
        ),
        ("Lisäksi Linnaseutu käynnistää syksyllä 2025 oman Kylien älyratkaisut -kehittämishankkeen.", "Kylien älyratkaisut"),
        ("Kaupunki jatkaa Harrastuspolku 7–9 -hanketta ensi vuonna.", "Harrastuspolku 7–9"),
    ],
)
def test_a_name_before_a_compound_label_stops_at_organisations_and_numbers(sentence: str, name: str) -> None:
    projects = _projects([("heading", 1, "Uutiset"), ("paragraph", sentence)])
    assert [p.name for p in projects] == [name]


def test_a_period_in_a_table_column_beats_a_date_in_a_sentence_about_something_else() -> None:
    projects = _projects(
        [
            ("heading", 1, "Rahoitetut hankkeet"),
            ("table", [["Hanke", "Hakija", "Toteutusaika"],
                       ["Kylät kasvuun", "Porvoon kaupunki", "1.5.2025–30.4.2027"]], 1),
            ("heading", 2, "Itä-Uudenmaan kylät"),
            (
                "paragraph",
                "Porvoon kaupungin Kylät kasvuun -hanke jatkaa vuonna 2009 käynnistetyn Kyläverkosto-hankkeen työtä.",
            ),
        ]
    )
    project = by_name(projects, "Kylät kasvuun")
    assert (project.start_date, project.end_date) == ("2025-05-01", "2027-04-30")


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Kunta osallistuu myös ESR-kehittämishankkeeseen vuonna 2025.", []),
        ("Kaupunki liittyi Agenda 2030 Kainuussa -hankkeeseen.", ["Agenda 2030 Kainuussa"]),
        ("Kestävä Kaupunki 2.0 Oulu -hankkeen tulokset julkaistiin.", ["Kestävä Kaupunki 2.0 Oulu"]),
    ],
)
def test_an_instrument_before_a_compound_label_is_no_name_and_a_number_inside_a_name_stays(
    sentence: str, names: list[str]
) -> None:
    assert [p.name for p in _projects([("heading", 1, "Uutiset"), ("paragraph", sentence)])] == names


def test_a_listed_name_runs_up_to_its_applicant_and_the_applicant_coordinates() -> None:
    results = extract(
        [
            ("paragraph", "Rahoitetut hankkeet:"),
            ("list_item", "Vauhtia vihreään siirtymään – Green Speed 3P, Posintra Oy, 45 000 €", "•"),
            ("list_item", "Kylien kehitys, Hattulan kunta, 30 000 €", "•"),
            ("list_item", "Uusi kirjastoauto, Jokioisten kunta, 20 000 €", "•"),
        ]
    )
    coordinators = {p.name: p.coordinator for p in results["projects"]}
    assert coordinators.get("Vauhtia vihreään siirtymään – Green Speed 3P") == "Posintra Oy"
    assert coordinators.get("Kylien kehitys") == "Hattulan kunta"


def test_an_organisation_alone_under_a_project_heading_implements_it() -> None:
    results = extract(
        [
            ("heading", 1, "Hankkeet"),
            ("heading", 2, "Kestävän kehityksen mittaaminen kunnissa -hanke"),
            ("paragraph", "MSDI Oy"),
            ("paragraph", "Hankkeessa kunnat työstivät yhdessä kestävän kehityksen seurantaa."),
        ]
    )
    assert [(p.name, p.coordinator) for p in results["projects"]] == [
        ("Kestävän kehityksen mittaaminen kunnissa -hanke", "MSDI Oy")
    ]


def test_a_flattened_form_is_cut_at_its_labels() -> None:
    results = extract(
        [
            (
                "paragraph",
                "Hankehakemus Hankkeen julkinen nimi Metsästä maailmalle Alkamispäivämäärä Päättymispäivämäärä "
                "1.1.2015 31.12.2017 Hakijan virallinen nimi Itä-Lapin kuntayhtymä Organisaatiotyyppi Kuntayhtymä "
                "Jakeluosoite Kuumaniemenkatu 2 Viranomainen Lapin liitto",
            )
        ]
    )
    assert [(p.name, p.start_date, p.end_date, p.coordinator, p.funders) for p in results["projects"]] == [
        ("Metsästä maailmalle", "2015-01-01", "2017-12-31", "Itä-Lapin kuntayhtymä", ("Lapin liitto",))
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Itämeren alueen kestävää kasvua tukevassa BSR Access", "BSR Access"),
        ("Uudessa Kestävän kehityksen tulevaisuuspaja", "Kestävän kehityksen tulevaisuuspaja"),
        ("Oy:lle myönnetty Innovatiiviset vientikonseptit", "Innovatiiviset vientikonseptit"),
        ("Kestävää osallisuutta Lahdessa", "Kestävää osallisuutta Lahdessa"),
        ("Oikeus Oppia", "Oikeus Oppia"),
    ],
)
def test_a_prose_name_starts_after_the_words_that_end_a_clause_before_it(name: str, expected: str) -> None:
    from extractors.project_names import without_leading_context

    assert without_leading_context(name) == expected


def test_a_listed_statement_with_a_finite_verb_is_no_project_a_quoted_title_with_one_is() -> None:
    results = extract(
        [
            ("paragraph", "Käynnissä olevat hankkeet:"),
            ("list_item", "Kylien digiloikka", "•"),
            ("list_item", "Yhteistyö lisää resurssitehokkuutta", "•"),
            ("paragraph", "Liitto myönsi hankkeeseen ”Taide loikkaa digitaaliseen maailmaan” 40 000 euroa."),
        ]
    )
    names = {p.name for p in results["projects"]}
    assert "Yhteistyö lisää resurssitehokkuutta" not in names
    assert "Taide loikkaa digitaaliseen maailmaan" in names
