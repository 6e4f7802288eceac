"""Organisations: inflected and abbreviated names resolved to their nominative official names."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.nlp import analyse
from extractors.organisations import canonical_name, find_organisations
from tests.extraction_fixtures import build_document, organisation_names, paragraphs
from tests.strategies import finnish_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanke toteutetaan Hämeenlinnan kaupungin hallinnoimassa hankkeessa.", ["Hämeenlinnan kaupunki"]),
        ("Koulu sai avustusta Opetushallitukselta.", ["Opetushallitus"]),
        ("Selvitys tehtiin Valtiovarainministeriön rahoituksella.", ["Valtiovarainministeriö"]),
        ("Hämeen liitolta haettiin rahoitusta.", ["Hämeen liitto"]),
        ("Tampereen yliopiston tutkijat ovat mukana.", ["Tampereen yliopisto"]),
        ("Hanketta rahoittaa Opetus- ja kulttuuriministeriö.", ["Opetus- ja kulttuuriministeriö"]),
    ],
)
def test_inflected_names_become_nominative_official_names(text: str, expected: list[str]) -> None:
    assert organisation_names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hankkeen toteuttaa HAMK.", "Hämeen ammattikorkeakoulu"),
        ("Mukana ovat myös HAMKin opiskelijat.", "Hämeen ammattikorkeakoulu"),
        ("Hanke on HAMK:n hallinnoima.", "Hämeen ammattikorkeakoulu"),
        ("TEM:n rahoittama hanke alkoi keväällä.", "Työ- ja elinkeinoministeriö"),
        ("Rahoitusta haettiin TEM:ltä.", "Työ- ja elinkeinoministeriö"),
        ("OKM myönsi hankkeelle avustusta.", "Opetus- ja kulttuuriministeriö"),
        ("Rahoitusta haettiin OKM:ltä.", "Opetus- ja kulttuuriministeriö"),
        ("Raportti toimitetaan VM:lle.", "Valtiovarainministeriö"),
        ("Rahoituksen myönsi VM.", "Valtiovarainministeriö"),
        ("Rahoittajana on STM.", "Sosiaali- ja terveysministeriö"),
        ("OPH:n avustus haetaan syksyllä.", "Opetushallitus"),
        ("ELY-keskus myönsi yritykselle tukea.", "ELY-keskus"),
        ("ELY:n rahoittama selvitys valmistui.", "ELY-keskus"),
    ],
)
def test_abbreviations_are_expanded_in_any_case(text: str, expected: str) -> None:
    assert organisation_names(text) == [expected]


def test_mention_span_is_the_inflected_form_as_written() -> None:
    document = paragraphs("Koulu sai avustusta Opetushallitukselta ja TEM:ltä.")
    mentions = find_organisations(analyse(document))
    assert [(document.text[m.start : m.end], m.name, m.type) for m in mentions] == [
        ("Opetushallitukselta", "Opetushallitus", "agency"),
        ("TEM:ltä", "Työ- ja elinkeinoministeriö", "ministry"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mukana ovat Hattulan ja Janakkalan kunnat.", ["Hattulan kunta", "Janakkalan kunta"]),
        ("Mukana ovat Hattulan, Janakkalan ja Lopen kunnat.", ["Hattulan kunta", "Janakkalan kunta", "Lopen kunta"]),
        # The official name, whatever type the text gives: Loppi is a kunta.
        ("Mukana ovat Forssan ja Lopen kaupungit.", ["Forssan kaupunki", "Lopen kunta"]),
        ("Mukana ovat Hattulan ja Janakkalan kuntien nuorisotoimet.", ["Hattulan kunta", "Janakkalan kunta"]),
    ],
)
def test_coordinated_municipalities_each_get_their_official_name(text: str, expected: list[str]) -> None:
    assert organisation_names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hankkeeseen osallistuvat Forssa, Loppi ja Riihimäki.",
            ["Forssan kaupunki", "Lopen kunta", "Riihimäen kaupunki"],
        ),
        ("Hattula ja Janakkala ovat mukana.", ["Hattulan kunta", "Janakkalan kunta"]),
    ],
)
def test_bare_municipalities_in_a_participant_list(text: str, expected: list[str]) -> None:
    assert organisation_names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hanke toteutetaan Lopella ja Forssassa.",  # places, not actors
        "Hämeenlinnassa asuu paljon lapsiperheitä.",
        "Päiväkoti avautuu syksyllä.",  # a lone common noun is no name
    ],
)
def test_places_and_common_nouns_are_no_organisations(text: str) -> None:
    assert organisation_names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanketta hallinnoi Sisä-Suomen Kylät ry.", "Sisä-Suomen Kylät ry"),
        ("Toteuttajana on Kanta-Hämeen Liikunta ry.", "Kanta-Hämeen Liikunta ry"),
        ("Sivut teki Verkkopaja Oy.", "Verkkopaja Oy"),
        ("Sivuston teki Verkkopaja Oy Häme.", "Verkkopaja Oy Häme"),
    ],
)
def test_associations_and_companies_keep_their_form(text: str, expected: str) -> None:
    assert organisation_names(text) == [expected]


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Valtionvarainministeriö", "Valtiovarainministeriö"),  # a letter too many
        ("Valtiovarainminsteriö", "Valtiovarainministeriö"),  # a letter missing
        ("Ympäristöministriö", "Ympäristöministeriö"),
        ("Opetushalitus", "Opetushallitus"),
    ],
)
def test_canonical_name_forgives_one_letter_off(typo: str, expected: str) -> None:
    assert canonical_name(typo) == expected


def test_canonical_name_leaves_unknown_names_alone() -> None:
    assert canonical_name(" Lopen Kyläyhdistys ") == "Lopen Kyläyhdistys"


def test_typo_with_a_letter_too_many_in_running_text_resolves() -> None:
    assert organisation_names("Hanke sai rahoitusta Valtionvarainministeriöltä.") == ["Valtiovarainministeriö"]


# -- property -------------------------------------------------------------------------

_ORGANISATION_TEXT = st.sampled_from(
    [
        "Hattulan ja Janakkalan kunnat",
        "HAMKin",
        "TEM:n",
        "Kanta-Hämeen Liikunta ry",
        "Opetushallitukselta",
        "Forssa, Loppi ja Riihimäki",
    ]
)
_PARAGRAPH = st.one_of(st.text(max_size=120), finnish_lines(), _ORGANISATION_TEXT)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4))
def test_any_text_gives_mentions_inside_the_document(texts: list[str]) -> None:
    document = build_document([("paragraph", t) for t in texts])
    for mention in find_organisations(analyse(document)):
        assert 0 <= mention.start < mention.end <= len(document.text)
        assert mention.name.strip()


def test_a_derived_adjective_inside_a_name_is_kept_in_the_nominative() -> None:
    from tests.extraction_fixtures import organisation_names

    assert organisation_names("Kumppaneita ovat ruotsalainen Luleån teknillinen yliopisto ja Rovaniemen kaupunki.") == [
        "Luleån teknillinen yliopisto",
        "Rovaniemen kaupunki",
    ]
    assert organisation_names("Opiskelijat tutustuvat Tampereen teknilliseen yliopistoon.") == [
        "Tampereen teknillinen yliopisto"
    ]
    # "uusi" says which school, it is not part of a name.
    assert organisation_names("Forssan uusi koulu avataan syksyllä.") == ["Forssan kaupunki"]


def test_a_short_abbreviation_written_in_lower_case_is_an_ordinary_word() -> None:
    # Swedish "om" (about) is not OM, the ministry of justice.
    assert organisation_names("Mer information om projektet ges av kommunen.") == []
    assert organisation_names("OM myönsi avustuksen.") == ["Oikeusministeriö"]
