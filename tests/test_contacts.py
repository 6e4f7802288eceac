"""Contact persons from contact blocks and from news quotes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.contacts import extract_contacts, fold, is_title
from extractors.nlp import analyse
from extractors.records import ContactRecord
from tests.extraction_fixtures import BlockSpec, build_document
from tests.strategies import finnish_lines

# Long enough (over a contact block's line length) to be read as prose.
PROSE = (
    "Kyläyhdistysten yhteistyö on tiivistynyt hankkeen aikana, ja uusia tapahtumia on järjestetty "
    "kaikissa kolmessa kunnassa kesän ja syksyn aikana, "
)


def contacts_of(blocks: list[BlockSpec]) -> list[ContactRecord]:
    document = build_document(blocks)
    return extract_contacts(document, analyse(document))


def fields(contact: ContactRecord) -> dict[str, Any]:
    data = contact.to_interchange()
    return {k: data[k] for k in ("name", "title", "email", "phone")}


def test_block_with_title_before_the_name() -> None:
    contacts = contacts_of(
        [
            ("heading", 1, "Kylätalot kuntoon"),
            ("paragraph", "Hanke kunnostaa kylätaloja."),
            ("paragraph", "Yhteyshenkilö:"),
            ("paragraph", "Projektipäällikkö Maija Virtanen"),
            ("paragraph", "puh. 040 123 4567"),
            ("paragraph", "maija.virtanen(at)hattula.fi"),
        ]
    )
    assert [fields(c) for c in contacts] == [
        {
            "name": "Maija Virtanen",
            "title": "projektipäällikkö",
            "email": "maija.virtanen@hattula.fi",
            "phone": "+358401234567",
        }
    ]


def test_block_with_title_after_the_name_behind_a_comma() -> None:
    contacts = contacts_of(
        [
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "Maija Virtanen, hankekoordinaattori"),
            ("paragraph", "p. 050 765 4321"),
            ("paragraph", "maija.virtanen@forssa.fi"),
        ]
    )
    assert [fields(c) for c in contacts] == [
        {
            "name": "Maija Virtanen",
            "title": "hankekoordinaattori",
            "email": "maija.virtanen@forssa.fi",
            "phone": "+358507654321",
        }
    ]


def test_acting_title_on_its_own_line_belongs_to_the_name_above() -> None:
    contacts = contacts_of(
        [
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "Pekka Mäkelä"),
            ("paragraph", "vs. kehittämisjohtaja"),
            ("paragraph", "puh. 044 555 1212"),
            ("paragraph", "pekka.makela@loppi.fi"),
        ]
    )
    assert [fields(c) for c in contacts] == [
        {
            "name": "Pekka Mäkelä",
            "title": "vs. kehittämisjohtaja",
            "email": "pekka.makela@loppi.fi",
            "phone": "+358445551212",
        }
    ]


def test_one_line_contact_block() -> None:
    contacts = contacts_of(
        [
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "Pekka Mäkelä, vs. kehittämisjohtaja, puh. 044 555 1212, pekka.makela(at)loppi.fi"),
        ]
    )
    assert [fields(c) for c in contacts] == [
        {
            "name": "Pekka Mäkelä",
            "title": "vs. kehittämisjohtaja",
            "email": "pekka.makela@loppi.fi",
            "phone": "+358445551212",
        }
    ]


def test_two_people_each_with_their_own_line() -> None:
    contacts = contacts_of(
        [
            ("paragraph", "Yhteyshenkilöt:"),
            ("paragraph", "Maija Virtanen, projektipäällikkö, maija.virtanen@hattula.fi"),
            ("paragraph", "Jussi Korhonen, hankekoordinaattori, jussi.korhonen@hattula.fi"),
        ]
    )
    assert [(c.name, c.title, c.email) for c in contacts] == [
        ("Maija Virtanen", "projektipäällikkö", "maija.virtanen@hattula.fi"),
        ("Jussi Korhonen", "hankekoordinaattori", "jussi.korhonen@hattula.fi"),
    ]


def test_email_goes_to_the_person_whose_name_it_spells() -> None:
    # The addresses come in the other order than the names.
    contacts = contacts_of(
        [
            ("paragraph", "Yhteyshenkilöt:"),
            ("paragraph", "Maija Virtanen"),
            ("paragraph", "Jussi Korhonen"),
            ("paragraph", "jussi.korhonen@hattula.fi"),
            ("paragraph", "maija.virtanen@hattula.fi"),
        ]
    )
    assert [(c.name, c.email) for c in contacts] == [
        ("Maija Virtanen", "maija.virtanen@hattula.fi"),
        ("Jussi Korhonen", "jussi.korhonen@hattula.fi"),
    ]


def test_email_spelling_a_name_with_umlauts_in_ascii() -> None:
    contacts = contacts_of(
        [
            ("paragraph", "Yhteyshenkilö:"),
            ("paragraph", "Sähköposti: sanna.hameenaho@janakkala.fi"),
            ("paragraph", "Sanna Hämeenaho, suunnittelija"),
        ]
    )
    assert [(c.name, c.title, c.email) for c in contacts] == [
        ("Sanna Hämeenaho", "suunnittelija", "sanna.hameenaho@janakkala.fi")
    ]


def test_a_personal_address_without_a_name_is_a_contact_of_its_own() -> None:
    contacts = contacts_of([("paragraph", "Kysymykset osoitteeseen liisa.nieminen(at)loppi.fi.")])
    assert [(c.name, c.email) for c in contacts] == [(None, "liisa.nieminen@loppi.fi")]


def test_an_office_address_is_no_contact() -> None:
    assert contacts_of([("paragraph", "Palautetta voi lähettää osoitteeseen kirjasto(at)loppi.fi.")]) == []


def test_news_quote_with_speech_verb() -> None:
    contacts = contacts_of([("paragraph", PROSE + "sanoo kehittämispäällikkö Outi Laine Hattulan kunnasta.")])
    assert [fields(c) for c in contacts] == [
        {"name": "Outi Laine", "title": "kehittämispäällikkö", "email": None, "phone": None}
    ]


@pytest.mark.parametrize(
    ("sentence", "name", "title", "written"),
    [
        ("Projektipäällikkö Anu Saarisen mukaan ", "Anu Saarinen", "projektipäällikkö", "Anu Saarisen"),
        ("Hankekoordinaattori Mikko Heikkisen mukaan ", "Mikko Heikkinen", "hankekoordinaattori", "Mikko Heikkisen"),
        ("Kehittämispäällikkö Outi Laineen mukaan ", "Outi Laine", "kehittämispäällikkö", "Outi Laineen"),
    ],
)
def test_genitive_name_in_news_prose_becomes_nominative(sentence: str, name: str, title: str, written: str) -> None:
    document = build_document([("paragraph", sentence + PROSE.lower())])
    (contact,) = extract_contacts(document, analyse(document))
    assert (contact.name, contact.title) == (name, title)
    assert document.text[contact.provenance.start : contact.provenance.end] == written


def test_person_quoted_and_listed_is_one_contact() -> None:
    contacts = contacts_of(
        [
            ("paragraph", "Projektipäällikkö Anu Saarisen mukaan hanke on edennyt hyvin."),
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "Anu Saarinen"),
            ("paragraph", "anu.saarinen@janakkala.fi"),
        ]
    )
    assert [fields(c) for c in contacts] == [
        {"name": "Anu Saarinen", "title": "projektipäällikkö", "email": "anu.saarinen@janakkala.fi", "phone": None}
    ]


def test_person_quoted_twice_in_prose_is_one_contact() -> None:
    contacts = contacts_of(
        [
            ("paragraph", PROSE + "kertoo projektipäällikkö Anu Saarinen."),
            ("paragraph", "Projektipäällikkö Anu Saarisen mukaan työ jatkuu ensi vuonna."),
        ]
    )
    assert [(c.name, c.title) for c in contacts] == [("Anu Saarinen", "projektipäällikkö")]


def test_prose_without_title_or_speech_verb_names_no_contact() -> None:
    contacts = contacts_of(
        [
            (
                "paragraph",
                (
                    "Hankkeessa on mukana kymmeniä yrityksiä eri puolilta maakuntaa, ja kiinnostus on ollut "
                    "suurta koko hankkeen ajan. Tämä on Virtasen mielestä hyvä asia."
                ),
            )
        ]
    )
    assert contacts == []


def test_evidence_of_each_field_points_at_its_text() -> None:
    document = build_document(
        [
            ("paragraph", "Yhteyshenkilö:"),
            ("paragraph", "Projektipäällikkö Maija Virtanen"),
            ("paragraph", "puh. 040 123 4567"),
            ("paragraph", "maija.virtanen(at)hattula.fi"),
        ]
    )
    (contact,) = extract_contacts(document, analyse(document))
    evidence = {name: document.text[p.start : p.end] for name, p in contact.evidence}
    assert evidence == {
        "title": "Projektipäällikkö",
        "phone": "040 123 4567",
        "email": "maija.virtanen(at)hattula.fi",
    }
    assert contact.provenance.text == "Maija Virtanen"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("projektipäällikkö", True),
        ("vs. kehittämisjohtaja", True),
        ("Hankekoordinaattori", True),
        ("Maija Virtanen", False),
        ("", False),
    ],
)
def test_is_title(words: str, expected: bool) -> None:
    assert is_title(words) is expected


def test_fold_spells_a_name_as_an_address_does() -> None:
    assert fold("Sanna Hämeenaho-Öhman") == "sannahameenahoohman"


# -- property -------------------------------------------------------------------------

_CONTACT_TEXT = st.sampled_from(
    [
        "Yhteyshenkilö:",
        "Lisätietoja:",
        "Projektipäällikkö Maija Virtanen",
        "Maija Virtanen, hankekoordinaattori",
        "vs. kehittämisjohtaja",
        "puh. 040 123 4567",
        "maija.virtanen(at)hattula.fi",
        "sanoo kehittämispäällikkö Outi Laine.",
    ]
)
_PARAGRAPH = st.one_of(st.text(max_size=120), finnish_lines(), _CONTACT_TEXT)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PARAGRAPH, min_size=1, max_size=5))
def test_any_text_gives_contacts_with_evidence_inside_the_document(texts: list[str]) -> None:
    document = build_document([("paragraph", t) for t in texts])
    for contact in extract_contacts(document, analyse(document)):
        for provenance in [contact.provenance, *(p for _, p in contact.evidence)]:
            assert 0 <= provenance.start <= provenance.end <= len(document.text)
            assert document.text[provenance.start : provenance.end] == provenance.text


def test_an_organisations_genitive_before_the_title_is_where_the_person_works() -> None:
    from extractors.extraction import extract as extract_all
    from tests.extraction_fixtures import build_document

    document = build_document(
        [
            ("heading", 1, "Uutinen"),
            (
                "paragraph",
                "– Kun kunnat hankkivat samoilla kriteereillä, markkinat syntyvät nopeammin, sanoo Espoon kaupungin "
                "kiertotalousasiantuntija Ilona Kärki.",
            ),
        ]
    )
    (person,) = extract_all(document).contacts
    assert (person.title, person.organization) == ("kiertotalousasiantuntija", "Espoon kaupunki")


def test_a_switchboard_number_belongs_to_no_person() -> None:
    from extractors.extraction import extract as extract_all
    from tests.extraction_fixtures import build_document

    document = build_document(
        [
            ("heading", 1, "Lisätietoja"),
            ("paragraph", "kansainvälisyyskoordinaattori Elsa Nurmi, elsa.nurmi at jarvenpaa.fi"),
            ("paragraph", "Järvenpään kaupunki"),
            ("paragraph", "Vaihde (09) 27191"),
        ]
    )
    (person,) = extract_all(document).contacts
    assert (person.email, person.phone) == ("elsa.nurmi@jarvenpaa.fi", None)


def test_the_pattern_of_a_pages_addresses_is_nobodys_address() -> None:
    from tests.extraction_fixtures import extract as extract_blocks

    results = extract_blocks(
        [
            ("paragraph", "Yhteystiedot:"),
            ("paragraph", "Projektipäällikkö Maija Virtanen, p. 040 123 4567"),
            ("paragraph", "Sähköpostit muotoa etunimi.sukunimi@kunta.fi"),
        ]
    )
    assert [c.email for c in results["contacts"]] == [None]
    assert [c.name for c in results["contacts"]] == ["Maija Virtanen"]


def test_a_bare_name_on_a_line_of_its_own_is_no_contact() -> None:
    from tests.extraction_fixtures import extract as extract_blocks

    results = extract_blocks(
        [
            ("paragraph", "Kuva: Matti Meikäläinen"),
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "Maija Virtanen"),
            ("paragraph", "maija.virtanen@kunta.fi"),
        ]
    )
    assert [(c.name, c.email) for c in results["contacts"]] == [("Maija Virtanen", "maija.virtanen@kunta.fi")]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Lisätietoja antaa johtava maksatusasiantuntija Stina Abrahamsson, p. 0295 022 000.", "johtava maksatusasiantuntija"),
        ("Lisätietoja: maakunnan kehittämisjohtaja Marko Mälly, p. 040 1234567.", "maakunnan kehittämisjohtaja"),
        ("Hankkeesta kertoo uusi projektipäällikkö Maija Virtanen.", "projektipäällikkö"),
    ],
)
def test_a_participle_and_a_regions_genitive_belong_to_the_title_a_describing_adjective_does_not(
    text: str, title: str
) -> None:
    from tests.extraction_fixtures import extract as extract_blocks

    assert [c.title for c in extract_blocks([("paragraph", text)])["contacts"]] == [title]


def test_an_address_with_an_apostrophe_stays_whole_and_goes_to_the_person_it_spells() -> None:
    from extractors.extraction import extract as extract_all

    document = build_document(
        [
            ("heading", 1, "Kylätalot kuntoon"),
            ("paragraph", "Hanke kunnostaa kylätaloja Hattulassa."),
            ("paragraph", "Lisätietoja:"),
            ("paragraph", "Olli O’Kärkkäinen, projektipäällikkö"),
            ("paragraph", "puh. 040 123 4567"),
            ("paragraph", "O’Karkkainen(at)hattula.fi"),
            ("paragraph", "Hilkka Mäkelä, hankekoordinaattori, 'hilkka.makela@hattula.fi'"),
            ("paragraph", "Kysymykset voi lähettää myös osoitteeseen liisa.o'neill@hattula.fi."),
        ]
    )
    contacts = extract_all(document).contacts
    assert [(c.name, c.title, c.email, c.phone) for c in contacts] == [
        ("Olli O’Kärkkäinen", "projektipäällikkö", "o'karkkainen@hattula.fi", "+358401234567"),
        ("Hilkka Mäkelä", "hankekoordinaattori", "hilkka.makela@hattula.fi", None),
        (None, None, "liisa.o'neill@hattula.fi", None),
    ]
