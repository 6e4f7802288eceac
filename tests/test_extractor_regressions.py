"""One case per convention an extractor once got wrong, each with the answer beside it."""

from __future__ import annotations

import pytest

from extractors.money import find_money
from extractors.records import FundingRecord
from extractors.sentences import split_sentences
from tests.extraction_fixtures import extract, organisation_names


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Hanke toteutetaan yhdessä HAMKista valmistuneiden kanssa.", "Hämeen ammattikorkeakoulu"),
        ("Kanta-Hämeen Liikunta ry:n hallinnoima hanke alkoi.", "Kanta-Hämeen Liikunta ry"),
        ("Sopimus tehtiin Verkkopaja Oy:n kanssa.", "Verkkopaja Oy"),
        ("Hakemus jätettiin Hämeen ELY-keskukselle.", "Hämeen ELY-keskus"),
    ],
)
def test_inflected_abbreviations_company_forms_and_compounds(sentence: str, expected: str) -> None:
    assert expected in organisation_names(sentence)


def test_a_qualifier_word_inside_another_word_is_no_qualifier() -> None:
    (money,) = find_money("Ministeriö on myöntänyt Janakkalan kunnalle 68 850 euron avustuksen.")
    assert (money.amount_eur, money.qualifier) == (68850, "exact")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mukana on useita toimijoita (mm. Lopen kirjasto). Toinen lause alkaa.", ["Mukana on useita toimijoita (mm. Lopen kirjasto).", "Toinen lause alkaa."]),
        ("Tulokset ovat ”erinomaisia.” Seuraavaksi jatketaan.", ["Tulokset ovat ”erinomaisia.”", "Seuraavaksi jatketaan."]),
    ],
)
def test_sentence_ends_keep_their_closing_marks(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_compound_sharing_its_tail_stays_one_name_in_a_form() -> None:
    results = extract(
        [
            ("paragraph", "Hankkeen nimi: Lukupolku"),
            ("paragraph", "Hakija: Forssan kaupunki"),
            ("paragraph", "Rahoittaja: Opetus- ja kulttuuriministeriö"),
            ("paragraph", "Myönnetty avustus: 80 000 euroa"),
        ]
    )
    (project,) = [p for p in results["projects"] if p.name == "Lukupolku"]
    assert project.funders == ("Opetus- ja kulttuuriministeriö",)
    (funding,) = results["fundings"]
    assert (funding.funder, funding.amount_eur) == ("Opetus- ja kulttuuriministeriö", 80000)


def test_the_genitive_owner_before_a_named_project_coordinates_it() -> None:
    results = extract(
        [("paragraph", "Sosiaali- ja terveysministeriö myönsi Hattulan kunnan Liikkuva arki -hankkeelle valtionavustusta enintään 95 000 euroa.")]
    )
    (project,) = [p for p in results["projects"] if p.name == "Liikkuva arki"]
    assert project.coordinator == "Hattulan kunta"
    assert "Hattulan kunta" not in project.funders


def test_the_source_of_received_money_is_its_funder() -> None:
    (funding,) = extract(
        [("paragraph", "Lopen kunta sai Opetushallitukselta 40 000 euroa avustusta Kirjasto kaikille -hankkeeseen.")]
    )["fundings"]
    assert funding.funder == "Opetushallitus"


def test_a_sum_before_a_project_name_is_not_part_of_the_name() -> None:
    results = extract(
        [("paragraph", "Työ- ja elinkeinoministeriö myönsi Forssan kaupungille AKKE-rahoitusta 150 000 euroa Teollisuuden uudet osaajat -hankkeelle.")]
    )
    names = [p.name for p in results["projects"]]
    assert "Teollisuuden uudet osaajat" in names


def test_a_qualifier_without_an_amount_is_named_in_the_error() -> None:
    from extractors.records import Provenance

    provenance = Provenance("0" * 64, 1, 0, 1, "x", "t", "1", "r", 0.5)
    with pytest.raises(ValueError, match="'max'"):
        FundingRecord(provenance=provenance, qualifier="max")


def test_a_contact_works_where_the_domain_of_the_address_is_named() -> None:
    from extractors.extraction import extract as extract_linked
    from tests.extraction_fixtures import build_document

    document = build_document(
        [
            ("paragraph", "Leader-ryhmä Linnaseutu ry rahoittaa kylien hankkeita."),
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "toiminnanjohtaja Päivi Aaltonen, paivi.aaltonen@linnaseutu.fi"),
        ]
    )
    (contact,) = extract_linked(document).contacts
    assert (contact.name, contact.organization) == ("Päivi Aaltonen", "Linnaseutu ry")


def test_organisations_working_together_with_the_coordinator_are_partners() -> None:
    results = extract(
        [
            ("heading", 1, "Uutiset"),
            (
                "paragraph",
                "Järvenpää käynnisti tammikuussa 2024 yhdessä Keravan kaupungin ja Tuusulan kunnan kanssa "
                "Oppilashuollon verkosto -hankkeen.",
            ),
        ]
    )
    (project,) = [p for p in results["projects"] if p.name == "Oppilashuollon verkosto"]
    assert set(project.partners) >= {"Keravan kaupunki", "Tuusulan kunta"}
