"""Fundings: each sum tied to its project, funder, qualifier and instrument."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from extractors import fundings
from extractors.instruments import instrument_named, state_grant
from extractors.records import FundingRecord
from tests.extraction_fixtures import extract


def fundings_of(blocks: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    records: list[FundingRecord] = extract(blocks)["fundings"]
    return [r.to_interchange() for r in records]


def news(text: str) -> list[dict[str, Any]]:
    return fundings_of([("heading", 1, "Tiedote"), ("paragraph", text)])


@pytest.fixture(scope="module")
def project_list_fundings() -> list[dict[str, Any]]:
    return fundings_of(
        [
            ("heading", 1, "Hankkeet"),
            ("heading", 2, "Työllisyys"),
            ("heading", 3, "Työkykyä yhdessä (2023–2025)"),
            (
                "paragraph",
                (
                    "Hanketta hallinnoi Riihimäen kaupunki. Hämeen ELY-keskus rahoittaa hanketta "
                    "Euroopan sosiaalirahastosta enintään 250 000 eurolla."
                ),
            ),
            ("heading", 3, "Yritysten kasvupolku (2024–2026)"),
            (
                "paragraph",
                (
                    "Hanketta hallinnoi Hämeen ammattikorkeakoulu. Hämeen liitto myönsi hankkeelle "
                    "EAKR-rahoitusta noin 1,2 milj. euroa."
                ),
            ),
            ("heading", 3, "Kylien kehittäjät (2023–2027)"),
            (
                "paragraph",
                "Hanketta hallinnoi Hattulan kunta. Leader-ryhmä Linnaseutu tukee hanketta vähintään 30 000 eurolla.",
            ),
            ("heading", 3, "Kylien kesä (2024–2025)"),
            ("paragraph", "Hanketta hallinnoi Lopen kunta. Hankkeen kokonaisbudjetti on noin 90 000 euroa."),
            ("paragraph", "Hanketta rahoittaa Hämeen liitto."),
        ]
    )


def test_enintaan_is_max_and_fund_is_esr(project_list_fundings: list[dict[str, Any]]) -> None:
    assert project_list_fundings[0] == {
        "project": "Työkykyä yhdessä",
        "funder": "Hämeen ELY-keskus",
        "amount_eur": 250000,
        "qualifier": "max",
        "instrument": "ESR",
    }


def test_noin_is_approx_and_eakr_is_named(project_list_fundings: list[dict[str, Any]]) -> None:
    assert project_list_fundings[1] == {
        "project": "Yritysten kasvupolku",
        "funder": "Hämeen liitto",
        "amount_eur": 1200000,
        "qualifier": "approx",
        "instrument": "EAKR",
    }


def test_vahintaan_is_min_and_leader_is_named(project_list_fundings: list[dict[str, Any]]) -> None:
    funding = project_list_fundings[2]
    assert (funding["project"], funding["amount_eur"], funding["qualifier"], funding["instrument"]) == (
        "Kylien kehittäjät",
        30000,
        "min",
        "Leader",
    )


def test_project_funder_named_after_the_sum(project_list_fundings: list[dict[str, Any]]) -> None:
    assert project_list_fundings[3] == {
        "project": "Kylien kesä",
        "funder": "Hämeen liitto",
        "amount_eur": 90000,
        "qualifier": "approx",
        "instrument": None,
    }


def test_every_sum_is_one_record(project_list_fundings: list[dict[str, Any]]) -> None:
    assert [f["amount_eur"] for f in project_list_fundings] == [250000, 1200000, 30000, 90000]


def test_ministry_avustus_is_a_state_grant() -> None:
    fundings = news("Opetus- ja kulttuuriministeriö on myöntänyt Opitaan luonnossa -hankkeelle avustusta 68 850 euroa.")
    assert fundings == [
        {
            "project": "Opitaan luonnossa",
            "funder": "Opetus- ja kulttuuriministeriö",
            "amount_eur": 68850,
            "qualifier": "exact",
            "instrument": "valtionavustus",
        }
    ]


def test_valtionavustus_named_with_max() -> None:
    (funding,) = news(
        "Sosiaali- ja terveysministeriö myönsi Hattulan kunnan Liikkuva arki -hankkeelle "
        "valtionavustusta enintään 95 000 euroa."
    )
    assert funding == {
        "project": "Liikkuva arki",
        "funder": "Sosiaali- ja terveysministeriö",
        "amount_eur": 95000,
        "qualifier": "max",
        "instrument": "valtionavustus",
    }


def test_esr_rahoitus_from_an_ely_centre() -> None:
    funding = news(
        "Hämeen ELY-keskus on myöntänyt Janakkalan kunnan Osaajat töihin -hankkeelle ESR-rahoitusta 210 000 euroa."
    )
    assert funding == [
        {
            "project": "Osaajat töihin",
            "funder": "Hämeen ELY-keskus",
            "amount_eur": 210000,
            "qualifier": "exact",
            "instrument": "ESR",
        }
    ]


def test_instrument_in_the_sentence_before_the_sum() -> None:
    (funding,) = news(
        "Hanketta rahoitetaan Euroopan aluekehitysrahastosta. Hämeen liitto myönsi hankkeelle 500 000 euroa."
    )
    assert (funding["funder"], funding["amount_eur"], funding["instrument"]) == ("Hämeen liitto", 500000, "EAKR")


def test_project_table_with_funder_column() -> None:
    assert fundings_of(
        [
            ("heading", 1, "Myönnetyt tuet"),
            (
                "table",
                [
                    ["Hanke", "Hakija", "Rahoittaja", "Myönnetty tuki"],
                    ["Kylät verkkoon", "Hattulan kunta", "Hämeen liitto", "45 000 €"],
                    ["Matkailun uusi nousu", "HAMK", "Hämeen ELY-keskus", "enintään 120 500 €"],
                ],
                1,
            ),
        ]
    ) == [
        {
            "project": "Kylät verkkoon",
            "funder": "Hämeen liitto",
            "amount_eur": 45000,
            "qualifier": "exact",
            "instrument": None,
        },
        {
            "project": "Matkailun uusi nousu",
            "funder": "Hämeen ELY-keskus",
            "amount_eur": 120500,
            "qualifier": "max",
            "instrument": None,
        },
    ]


def test_instrument_from_the_amount_column_header_and_bare_number() -> None:
    assert fundings_of(
        [
            ("heading", 1, "Myönnetyt tuet"),
            (
                "table",
                [
                    ["Hanke", "Hakija", "AKKE-rahoitus", "Toteutusaika"],
                    ["Kylät verkkoon", "Hattulan kunta", "45 000", "2024–2025"],
                ],
                1,
            ),
        ]
    ) == [
        {"project": "Kylät verkkoon", "funder": None, "amount_eur": 45000, "qualifier": "exact", "instrument": "AKKE"}
    ]


def test_funder_from_the_sentence_introducing_a_table() -> None:
    fundings = fundings_of(
        [
            ("heading", 1, "Myönnetyt hankkeet"),
            ("paragraph", "Hämeen liitto on myöntänyt rahoitusta seuraaville hankkeille."),
            ("table", [["Hanke", "Hakija", "Myönnetty tuki"], ["Kylät verkkoon", "Hattulan kunta", "45 000 €"]], 1),
        ]
    )
    assert [(f["project"], f["funder"], f["amount_eur"]) for f in fundings] == [
        ("Kylät verkkoon", "Hämeen liitto", 45000)
    ]


def test_provenance_is_the_sum_as_written() -> None:
    (record,) = extract(
        [("heading", 1, "Tiedote"), ("paragraph", "Hämeen liitto myönsi hankkeelle enintään 75 000 euroa.")]
    )["fundings"]
    assert (record.provenance.text, record.provenance.rule) == ("enintään 75 000 euroa", "fundings.sum")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("esr-rahoitusta", "ESR"),
        ("Euroopan sosiaalirahastosta", "ESR"),
        ("EAKR-hanke", "EAKR"),
        ("AKKE-rahoitus", "AKKE"),
        ("Leader-tukea", "Leader"),
        ("harkinnanvaraista valtionavustusta", "valtionavustus"),
        ("Interreg Europe -ohjelmasta", "Interreg Europe"),
        ("kunnan omarahoitus", None),
    ],
)
def test_instrument_named(text: str, expected: str | None) -> None:
    assert instrument_named(text) == expected


@pytest.mark.parametrize(
    ("funder_type", "expected"),
    [("ministry", "valtionavustus"), ("agency", "valtionavustus"), ("municipality", None), (None, None)],
)
def test_avustus_is_a_state_grant_only_from_a_state_body(funder_type: str | None, expected: str | None) -> None:
    assert state_grant("myönsi avustusta", funder_type) == expected


def test_each_sum_of_a_sentence_takes_the_funder_and_instrument_of_its_own_clause() -> None:
    found = news(
        "Talvireitit-hanke toteutetaan 2024–2027. Interreg Aurora -ohjelma rahoittaa hanketta 962 000 eurolla, "
        "ja lisäksi Lapin liitto myönsi hankkeelle 148 000 euron kansallisen vastinrahoituksen."
    )
    by_amount = {f["amount_eur"]: (f["funder"], f["instrument"]) for f in found}
    assert by_amount[962000] == ("Interreg Aurora", "Interreg Aurora")
    assert by_amount[148000] == ("Lapin liitto", "kansallinen vastinrahoitus")


def test_the_nearest_instrument_named_wins_over_one_earlier_in_the_paragraph() -> None:
    found = news(
        "Liitto myöntää EAKR-rahoitusta yrityksille. Työ- ja elinkeinoministeriö on osoittanut liitolle "
        "vuodelle 2025 AKKE-myöntövaltuutta 1,1 milj. euroa."
    )
    assert [(f["amount_eur"], f["instrument"]) for f in found] == [(1100000, "AKKE")]


def test_a_grant_leading_the_paragraph_that_then_names_its_project_belongs_to_it() -> None:
    found = news(
        "Järvenpään lukio sai Opetushallitukselta Erasmus+-ohjelman liikkuvuusrahoitusta 62 340 euroa. "
        "Eurooppa luokkahuoneessa -hankkeessa noin 60 opiskelijaa tekee opintojaksoja Saksassa."
    )
    assert [(f["project"], f["funder"], f["amount_eur"]) for f in found] == [
        ("Eurooppa luokkahuoneessa", "Opetushallitus", 62340)
    ]


def test_a_regional_councils_board_grants_for_the_council_the_text_names() -> None:
    found = news(
        "Varsinais-Suomen liitto tiedottaa. Maakuntahallitus myönsi Kylät kuntoon -hankkeelle 20 000 euroa."
    )
    assert [(f["amount_eur"], f["funder"]) for f in found] == [(20000, "Varsinais-Suomen liitto")]


# -- stated totals --------------------------------------------------------------------------


def totals_of(blocks: list[tuple[Any, ...]]) -> list[tuple[float | None, bool]]:
    records: list[FundingRecord] = extract(blocks)["fundings"]
    return [(r.amount_eur, r.is_total) for r in sorted(records, key=lambda r: r.provenance.start)]


def test_a_programmes_total_before_its_projects_sums_is_a_total() -> None:
    assert totals_of(
        [
            ("heading", 1, "Kylät elinvoimaisiksi -ohjelma"),
            (
                "paragraph",
                "Ohjelman kokonaisrahoitus on 200 000 euroa. Hanke A saa 120 000 euroa ja hanke B 80 000 euroa.",
            ),
        ]
    ) == [(200000, True), (120000, False), (80000, False)]


def test_a_total_budget_with_its_share_named_after_josta_is_a_total() -> None:
    assert totals_of(
        [
            ("heading", 1, "Tiedote"),
            (
                "paragraph",
                "Hämeen liitto myönsi rahoituksen. Hankkeiden kokonaisbudjetti on 1,2 milj. euroa, "
                "josta EAKR-osuus 840 000 e.",
            ),
        ]
    ) == [(1200000, True), (840000, False)]


def test_a_tables_yhteensa_row_is_a_total() -> None:
    assert totals_of(
        [
            ("heading", 1, "Myönnetyt tuet"),
            ("paragraph", "Hämeen liitto on myöntänyt rahoitusta seuraaville hankkeille."),
            (
                "table",
                [
                    ["Hanke", "Hakija", "Myönnetty tuki"],
                    ["Kylät verkkoon", "Hattulan kunta", "45 000 €"],
                    ["Matkailun uusi nousu", "HAMK", "120 500 €"],
                    ["Yhteensä", "", "165 500 €"],
                ],
                1,
            ),
        ]
    ) == [(45000, False), (120500, False), (165500, True)]


def test_a_single_projects_own_total_budget_is_no_total(project_list_fundings: list[dict[str, Any]]) -> None:
    # "Hankkeen kokonaisbudjetti on noin 90 000 euroa": other projects' sums are no parts of it.
    assert [f.get("is_total", False) for f in project_list_fundings] == [False, False, False, False]
    assert totals_of(
        [
            ("heading", 1, "Kylien kesä"),
            ("paragraph", "Hanketta hallinnoi Lopen kunta. Hankkeen kokonaisbudjetti on noin 90 000 euroa."),
        ]
    ) == [(90000, False)]


def test_two_equal_sums_are_neither_a_total() -> None:
    assert totals_of(
        [
            ("heading", 1, "Tiedote"),
            (
                "paragraph",
                "Hämeen liitto myönsi Kylät verkkoon -hankkeelle 50 000 euroa. Matkailun uusi nousu -hanke "
                "sai niin ikään 50 000 euroa.",
            ),
        ]
    ) == [(50000, False), (50000, False)]


def test_marking_totals_changes_no_other_field(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = [
        ("heading", 1, "Tiedote"),
        (
            "paragraph",
            "Hämeen ELY-keskus on myöntänyt ESR+-rahoitusta kahdelle hankkeelle yhteensä 250 000 euroa. "
            "Kylät verkkoon -hanke sai 150 000 euroa ja Matkailun uusi nousu -hanke 100 000 euroa.",
        ),
    ]
    marked: list[FundingRecord] = extract(blocks)["fundings"]
    monkeypatch.setattr(fundings, "mark_totals", lambda document, records: list(records))
    unmarked: list[FundingRecord] = extract(blocks)["fundings"]
    assert [r.is_total for r in marked] == [True, False, False]
    assert [replace(r, is_total=False) for r in marked] == unmarked
