"""Contacts tied to projects and organisations by where they stand and speak."""

from __future__ import annotations

from extractors.extraction import extract

from .extraction_fixtures import build_document, organisation_names


def contacts_by_email(blocks) -> dict:  # type: ignore[no-untyped-def]
    return {c.email: c for c in extract(build_document(blocks)).contacts}


CONTACT_LIST = [
    ("paragraph", "Lisätietoja:"),
    ("paragraph", "opetuspäällikkö Tiina Björkqvist, puh. 09 2719 2210, tiina.bjorkqvist@jarvenpaa.fi"),
    ("paragraph", "rehtori Kimmo Peltoniemi, puh. 050 312 7781, kimmo.peltoniemi@jarvenpaa.fi"),
]


def test_a_person_quoted_after_a_paragraph_about_one_project_is_its_contact() -> None:
    contacts = contacts_by_email(
        [
            ("heading", 1, "Koulut saivat rahoitusta"),
            ("paragraph", "Järvenpää käynnisti tammikuussa 2024 Oppilashuollon verkosto -hankkeen, jota rahoittaa Opetushallitus."),
            (
                "paragraph",
                "– Perheet muuttavat alueella paljon kuntien välillä. Kun käytännöt ovat samat, oppilaan tuki ei "
                "katkea muuton takia, kertoo opetuspäällikkö Tiina Björkqvist.",
            ),
            ("paragraph", "Kaupungissa on suunnitteilla myös Kerhot kaikille -hanke."),
            *CONTACT_LIST,
        ]
    )
    assert contacts["tiina.bjorkqvist@jarvenpaa.fi"].project == "Oppilashuollon verkosto"
    # Listed, never quoted: the last project on the page is not theirs.
    assert contacts["kimmo.peltoniemi@jarvenpaa.fi"].project is None


def test_a_funders_official_commenting_on_a_decision_is_not_the_projects_contact() -> None:
    contacts = contacts_by_email(
        [
            ("heading", 1, "Rahoituspäätökset"),
            ("paragraph", "Hämeenlinnan kaupunki sai Hämeen ELY-keskukselta 312 750 euroa Kotoutumisen kiihdyttämö -hankkeelle."),
            ("paragraph", "– Nyt rahoitetut hankkeet tukevat uusia työllisyysalueita, sanoo rahoitusyksikön päällikkö Kaisa Jääskeläinen Hämeen ELY-keskuksesta."),
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "rahoitusyksikön päällikkö Kaisa Jääskeläinen, Hämeen ELY-keskus, puh. 0295 025 098, kaisa.jaaskelainen@ely-keskus.fi"),
        ]
    )
    kaisa = contacts["kaisa.jaaskelainen@ely-keskus.fi"]
    assert kaisa.organization == "Hämeen ELY-keskus"
    assert kaisa.project is None


def test_a_contact_line_labelled_with_a_project_name_belongs_to_that_project() -> None:
    contacts = contacts_by_email(
        [
            ("heading", 1, "Myönnetyt avustukset"),
            ("paragraph", "Hämeen ELY-keskus myönsi Kotoutumisen kiihdyttämö -hankkeelle 312 750 euroa."),
            ("paragraph", "Työllisyyden polut -hankkeelle myönnettiin 120 000 euroa."),
            ("heading", 2, "Lisätietoja"),
            ("paragraph", "Kotoutumisen kiihdyttämö: projektipäällikkö Leena Väätäinen, leena.vaatainen@hameenlinna.fi"),
        ]
    )
    assert contacts["leena.vaatainen@hameenlinna.fi"].project == "Kotoutumisen kiihdyttämö"


def test_a_persons_full_name_is_not_part_of_the_organisation_after_it() -> None:
    names = organisation_names("Asiasta kertoo rahoitusyksikön päällikkö Kaisa Jääskeläinen Hämeen ELY-keskuksesta.")
    assert names == ["Hämeen ELY-keskus"]


def test_a_project_manager_of_the_organisation_running_one_project_is_its_contact() -> None:
    contacts = contacts_by_email(
        [
            ("heading", 1, "Rahoituspäätökset"),
            (
                "paragraph",
                "Jyväskylän ammattikorkeakoulun (JAMK) hallinnoima Turveyrittäjistä kiertotalouden tekijöiksi "
                "-hanke auttaa yrittäjiä. Saarijärven kaupungin Biokaasua Saarijärvelle -hanke rakentaa jakeluaseman.",
            ),
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "projektipäällikkö Antti Jääskö, JAMK, antti.jaasko@jamk.fi"),
            ("paragraph", "viestintäpäällikkö Outi Mäki, JAMK, outi.maki@jamk.fi"),
        ]
    )
    assert contacts["antti.jaasko@jamk.fi"].project == "Turveyrittäjistä kiertotalouden tekijöiksi"
    assert contacts["outi.maki@jamk.fi"].project is None
