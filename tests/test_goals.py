"""Goals: objective -> actions -> indicators from goal tables and goal lists."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.goals import column_role
from extractors.records import GoalRecord
from tests.extraction_fixtures import extract


def goals_of(blocks: list[tuple[Any, ...]]) -> list[GoalRecord]:
    return extract(blocks)["goals"]


@pytest.fixture(scope="module")
def work_programme_goals() -> list[GoalRecord]:
    return goals_of(
        [
            ("heading", 1, "Toimintasuunnitelma 2024"),
            ("heading", 2, "Maankäyttö"),
            ("paragraph", "Maankäytön suunnittelussa valmistellaan yleiskaavaa."),
            (
                "table",
                [
                    ["Toiminnalliset tavoitteet 2024–2026", "Toimenpiteet 2024", "Mittarit"],
                    [
                        "Yleiskaavan päivitys",
                        ["Kaavaluonnoksen laatiminen", "Osallistumis- ja arviointisuunnitelman päivitys"],
                        "Luonnos on nähtävillä. Lausunnot on käsitelty.",
                    ],
                    [
                        "Pyöräilyn edistäminen",
                        "Pyöräilyverkoston kartoitus. Pyöräpysäköinnin parantaminen keskustassa.",
                        ["Kartoitus valmis", "Uudet pyörätelineet asennettu"],
                    ],
                ],
                1,
            ),
        ]
    )


def test_goal_table_with_period_in_the_header(work_programme_goals: list[GoalRecord]) -> None:
    assert [g.to_interchange() for g in work_programme_goals] == [
        {
            "section": "Maankäyttö",
            "period": "2024–2026",
            "objective": "Yleiskaavan päivitys",
            "actions": ["Kaavaluonnoksen laatiminen", "Osallistumis- ja arviointisuunnitelman päivitys"],
            "indicators": ["Luonnos on nähtävillä.", "Lausunnot on käsitelty."],
        },
        {
            "section": "Maankäyttö",
            "period": "2024–2026",
            "objective": "Pyöräilyn edistäminen",
            "actions": ["Pyöräilyverkoston kartoitus.", "Pyöräpysäköinnin parantaminen keskustassa."],
            "indicators": ["Kartoitus valmis", "Uudet pyörätelineet asennettu"],
        },
    ]


def test_goal_provenance_is_the_objective_cell(work_programme_goals: list[GoalRecord]) -> None:
    assert [(g.provenance.text, g.provenance.rule) for g in work_programme_goals] == [
        ("Yleiskaavan päivitys", "goals.table"),
        ("Pyöräilyn edistäminen", "goals.table"),
    ]


def test_period_from_each_rows_schedule_column() -> None:
    goals = goals_of(
        [
            ("heading", 1, "Hyvinvointisuunnitelma"),
            ("heading", 2, "Liikunta"),
            (
                "table",
                [
                    ["Tavoite", "Toimenpide", "Mittari", "Vastuutaho", "Aikataulu"],
                    [
                        "Lasten liikunnan lisääminen",
                        "Liikkuva koulu -toiminnan laajentaminen kaikkiin kouluihin.",
                        "Liikkuvien lasten osuus",
                        "Sivistystoimi",
                        "2025–2027",
                    ],
                    [
                        "Ikäihmisten kaatumisten ehkäisy",
                        "Tasapainoryhmät kirjastoissa",
                        "Kaatumisten määrä",
                        "Hyvinvointialue",
                        "2025",
                    ],
                ],
                1,
            ),
        ]
    )
    assert [g.to_interchange() for g in goals] == [
        {
            "section": "Liikunta",
            "period": "2025–2027",
            "objective": "Lasten liikunnan lisääminen",
            "actions": ["Liikkuva koulu -toiminnan laajentaminen kaikkiin kouluihin."],
            "indicators": ["Liikkuvien lasten osuus"],
        },
        {
            "section": "Liikunta",
            "period": "2025",
            "objective": "Ikäihmisten kaatumisten ehkäisy",
            "actions": ["Tasapainoryhmät kirjastoissa"],
            "indicators": ["Kaatumisten määrä"],
        },
    ]


def test_strategy_table_without_a_period() -> None:
    goals = goals_of(
        [
            ("heading", 1, "Kuntastrategia"),
            (
                "table",
                [
                    ["Strateginen tavoite", "Toimenpiteet", "Mittarit ja tavoitetaso"],
                    [
                        "Vetovoimainen kunta",
                        ["Tonttitarjonnan monipuolistaminen", "Markkinoinnin tehostaminen"],
                        "Väkiluku kasvaa 0,5 % vuodessa.",
                    ],
                ],
                1,
            ),
        ]
    )
    assert [g.to_interchange() for g in goals] == [
        {
            "section": "Kuntastrategia",
            "period": None,
            "objective": "Vetovoimainen kunta",
            "actions": ["Tonttitarjonnan monipuolistaminen", "Markkinoinnin tehostaminen"],
            "indicators": ["Väkiluku kasvaa 0,5 % vuodessa."],
        }
    ]


def test_row_without_objective_continues_the_goal_and_headerless_table_continues_the_table() -> None:
    goals = goals_of(
        [
            ("heading", 1, "Liikenneturvallisuussuunnitelma"),
            ("heading", 2, "Liikenne"),
            (
                "table",
                [
                    ["Tavoite", "Toimenpide", "Mittari"],
                    [
                        "Turvallinen koulutie",
                        "Suojateiden parantaminen mm. Koulukadulla. Nopeusrajoitusten tarkistus.",
                        "Onnettomuuksien määrä",
                    ],
                    ["", ["Valaistuksen lisääminen"], ["Uudet valaisimet"]],
                ],
                1,
            ),
            ("table", [["Joukkoliikenteen käytön kasvu", "Vuorovälien tihentäminen", "Matkustajamäärä"]], 0),
        ]
    )
    assert [(g.objective, g.actions, g.indicators) for g in goals] == [
        (
            "Turvallinen koulutie",
            ("Suojateiden parantaminen mm. Koulukadulla.", "Nopeusrajoitusten tarkistus.", "Valaistuksen lisääminen"),
            ("Onnettomuuksien määrä", "Uudet valaisimet"),
        ),
        ("Joukkoliikenteen käytön kasvu", ("Vuorovälien tihentäminen",), ("Matkustajamäärä",)),
    ]


def test_table_without_goal_columns_gives_no_goals() -> None:
    goals = goals_of(
        [
            ("heading", 1, "Talous"),
            ("table", [["Tulosalue", "Menot 2024", "Tulot 2024"], ["Sivistystoimi", "12 000 000 €", "1 500 000 €"]], 1),
        ]
    )
    assert goals == []


@pytest.fixture(scope="module")
def list_goals() -> list[GoalRecord]:
    return goals_of(
        [
            ("heading", 1, "Ilmasto-ohjelma"),
            ("heading", 2, "Energia"),
            ("heading", 3, "1. Kiinteistöjen energiankulutus vähenee"),
            ("paragraph", "Toimenpiteet:"),
            ("list_item", "Aurinkopaneelit koulujen katoille", "•"),
            ("list_item", "Öljylämmityksestä luopuminen", "•"),
            ("paragraph", "Mittarit: kiinteistöjen energiankulutus (MWh); uusiutuvan energian osuus"),
            ("heading", 3, "2. Liikenteen päästöt pienenevät"),
            ("paragraph", "Toimenpiteet:"),
            ("list_item", "Sähköautojen latauspisteet", "-"),
            ("paragraph", "Mittarit: latauspisteiden määrä"),
            ("heading", 3, "3. Viestintä"),
            ("paragraph", "Toimenpiteet:"),
            ("list_item", "Ilmastoviikko kouluissa", "-"),
        ]
    )


def test_goal_lists_under_numbered_headings(list_goals: list[GoalRecord]) -> None:
    assert [g.to_interchange() for g in list_goals] == [
        {
            "section": "Energia",
            "period": None,
            "objective": "Kiinteistöjen energiankulutus vähenee",
            "actions": ["Aurinkopaneelit koulujen katoille", "Öljylämmityksestä luopuminen"],
            "indicators": ["kiinteistöjen energiankulutus (MWh)", "uusiutuvan energian osuus"],
        },
        {
            "section": "Energia",
            "period": None,
            "objective": "Liikenteen päästöt pienenevät",
            "actions": ["Sähköautojen latauspisteet"],
            "indicators": ["latauspisteiden määrä"],
        },
    ]


def test_goal_list_provenance_leaves_out_the_numbering(list_goals: list[GoalRecord]) -> None:
    assert [(g.provenance.text, g.provenance.rule) for g in list_goals] == [
        ("Kiinteistöjen energiankulutus vähenee", "goals.list"),
        ("Liikenteen päästöt pienenevät", "goals.list"),
    ]


def test_list_ends_where_the_marker_changes() -> None:
    goals = goals_of(
        [
            ("heading", 1, "Ohjelma"),
            ("heading", 2, "1. Kirjastopalvelut lähelle"),
            ("paragraph", "Toimenpiteet:"),
            ("list_item", "Kirjastoauton reitit kyliin", "•"),
            ("list_item", "Omatoimikirjasto Lopelle", "•"),
            ("list_item", "Lainausmäärät", "1."),
            ("paragraph", "Mittarit: lainausmäärät"),
        ]
    )
    assert [g.actions for g in goals] == [("Kirjastoauton reitit kyliin", "Omatoimikirjasto Lopelle")]


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Toiminnalliset tavoitteet 2024–2026", "objective"),
        ("Strateginen tavoite", "objective"),
        ("Tavoite", "objective"),
        ("Toimenpiteet 2024", "actions"),
        ("Toimenpide", "actions"),
        ("Mittarit ja tavoitetaso", "indicators"),
        ("Mittari", "indicators"),
        ("Vastuutaho", "responsible"),
        ("Aikataulu", "schedule"),
        ("Menot 2024", None),
    ],
)
def test_column_role(header: str, role: str | None) -> None:
    assert column_role(header) == role


def test_a_goal_table_belongs_to_the_part_it_stands_in_not_to_a_summary_before_it() -> None:
    from extractors.goals import extract_goals
    from pipeline.builder import DocumentBuilder

    builder = DocumentBuilder()
    builder.heading("Kaupunkistrategia 2030", level=1)
    builder.heading("Strategiset päämäärät", level=2)
    builder.list_item("Elinvoimainen ja kasvava Riihimäki", marker="-")
    builder.paragraph("Kullekin päämäärälle on asetettu strategiset tavoitteet, toimenpiteet sekä mittarit.")
    builder.heading("Elinvoimainen ja kasvava Riihimäki", level=2)
    builder.heading("Tavoitteet ja mittarit 2025–2027", level=3)
    builder.table(
        [["Strateginen tavoite", "Toimenpiteet", "Mittarit"], ["Asukasluku kasvaa", "Tonttitarjonta", "Väestönkasvu"]],
        header_rows=1,
    )
    document = builder.build(source="strategia.html", sha256="0" * 64, media_type="text/html")
    (goal,) = extract_goals(document)
    assert goal.section == "Elinvoimainen ja kasvava Riihimäki"


# -- enumerations in prose --------------------------------------------------------------


def _enumerated(text: str) -> list[tuple[str, str | None, str | None]]:
    from extractors.goals import extract_goals
    from tests.extraction_fixtures import build_document

    goals = extract_goals(build_document([("paragraph", text)]))
    return [(g.objective, g.section, g.period) for g in goals]


def test_a_dash_enumeration_after_a_goal_noun_gives_one_goal_an_item() -> None:
    found = _enumerated(
        "Maakuntaohjelman 2021–2024 kehittämisen painopisteet ovat: - Osaava väki - Elinvoimaiset kylät "
        "- Puhdas luonto Liitto kiittää lausuntopyynnöstä."
    )
    assert found == [
        ("Osaava väki", "Maakuntaohjelman kehittämisen painopisteet", "2021–2024"),
        ("Elinvoimaiset kylät", "Maakuntaohjelman kehittämisen painopisteet", "2021–2024"),
        ("Puhdas luonto", "Maakuntaohjelman kehittämisen painopisteet", "2021–2024"),
    ]


def test_a_comma_list_keeps_a_conjunction_inside_an_item() -> None:
    found = _enumerated("Det finns medel för projekt inom tre tematiska områden: grön omställning, vatten och mark, och turism.")
    assert [objective for objective, _, _ in found] == ["grön omställning", "vatten och mark", "turism"]
    assert {section for _, section, _ in found} == {"tematiska områden"}


def test_a_plans_aim_lists_its_goals() -> None:
    found = _enumerated("Kehittämisohjelman tavoitteena on vahvistaa yrittäjyyttä, lisätä asukkaita sekä parantaa palveluja.")
    assert [objective for objective, _, _ in found] == ["vahvistaa yrittäjyyttä", "lisätä asukkaita", "parantaa palveluja"]


def test_an_aim_without_an_enumeration_is_no_goal_list() -> None:
    assert _enumerated("Ohjelman tavoitteena on vahvistaa yrittäjyyttä ja osaamista alueella.") == []


def test_items_and_sub_headings_under_a_goal_heading_are_goals_and_a_vision_is_one() -> None:
    from extractors.goals import extract_goals
    from tests.extraction_fixtures import build_document

    document = build_document(
        [
            ("heading", 1, "Kuntastrategia 2022–2025"),
            ("heading", 2, "Strategiset tavoitteet"),
            ("list_item", "Elinvoimainen kunta", "•"),
            ("list_item", "Hyvinvoivat asukkaat", "•"),
            ("heading", 2, "Visio"),
            ("paragraph", "Kasvukunta, joka on seudun edelläkävijä. Muuta tekstiä."),
        ]
    )
    assert [(g.objective, g.section, g.period) for g in extract_goals(document)] == [
        ("Elinvoimainen kunta", "Strategiset tavoitteet", "2022–2025"),
        ("Hyvinvoivat asukkaat", "Strategiset tavoitteet", "2022–2025"),
        ("Kasvukunta, joka on seudun edelläkävijä", "Visio", "2022–2025"),
    ]


def test_a_vision_stated_in_a_sentence_is_a_goal() -> None:
    assert _enumerated("Kunnan visiona on olla kasvukunta, joka on seudun edelläkävijä.") == [
        ("Kasvukunta, joka on seudun edelläkävijä", "Visio", None)
    ]
