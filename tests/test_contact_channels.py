"""E-mail and phone extraction and normalisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.contact_channels import extract_contact_channels, normalise_email, normalise_phone
from pipeline.builder import DocumentBuilder


def document_of(*paragraphs: str):
    builder = DocumentBuilder()
    for paragraph in paragraphs:
        builder.paragraph(paragraph)
    return builder.build(source="x.txt", sha256="a" * 64, media_type="text/plain")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("050 50 502 113", "+3585050502113"),
        ("03 621 2000", "+35836212000"),
        ("+358 40 123 4567", "+358401234567"),
        ("050-123 4567", "+358501234567"),
        ("(09) 816 21", "+358981621"),
        ("+358 (0)40 123 4567", "+358401234567"),
        ("+46 8 123 456", None),
        ("0123", None),
    ],
)
def test_normalise_phone(raw: str, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jari.Harvio(at)hameenlinna.fi", "jari.harvio@hameenlinna.fi"),
        ("maija.meikalainen [at] forssa.fi", "maija.meikalainen@forssa.fi"),
        ("etunimi.sukunimi at lahti.fi", "etunimi.sukunimi@lahti.fi"),
        ("info@hame.fi", "info@hame.fi"),
        ("o'karkkainen@example.fi", "o'karkkainen@example.fi"),
        ("O’Karkkainen(at)kunta.fi", "o'karkkainen@kunta.fi"),
        ("’hilkka@x.fi’", "hilkka@x.fi"),
        ("not an address", None),
    ],
)
def test_normalise_email(raw: str, expected: str | None) -> None:
    assert normalise_email(raw) == expected


def test_extracts_channels_with_exact_provenance() -> None:
    document = document_of(
        "Lisätietoja: Osmo Väistö, puh. 050 50 502 113, osmo.vaisto@hame.fi",
        "Yhteyshenkilö: Jari Harvio, jari.harvio(at)hameenlinna.fi. Vaihde 03 621 2000.",
        "Hanke kesti 1.2.2020–31.1.2022 ja maksoi 246 500 euroa.",
    )
    records = extract_contact_channels(document)
    assert [(r.kind, r.value) for r in records] == [
        ("phone", "+3585050502113"),
        ("email", "osmo.vaisto@hame.fi"),
        ("email", "jari.harvio@hameenlinna.fi"),
        ("phone", "+35836212000"),
    ]
    for record in records:
        p = record.provenance
        assert document.text[p.start : p.end] == p.text
        assert p.extractor == "fi.contact_channels" and p.page == 1


@pytest.mark.parametrize(
    ("text", "email", "evidence"),
    [
        ("Lisätietoja: o'karkkainen@example.fi", "o'karkkainen@example.fi", "o'karkkainen@example.fi"),
        ("Yhteyshenkilö O’Karkkainen(at)kunta.fi.", "o'karkkainen@kunta.fi", "O’Karkkainen(at)kunta.fi"),
        ("Anna-Maija O'Neill, anna-maija.o'neill [at] kunta.fi", "anna-maija.o'neill@kunta.fi",
         "anna-maija.o'neill [at] kunta.fi"),
    ],
)
def test_an_apostrophe_between_letters_is_part_of_the_address(text: str, email: str, evidence: str) -> None:
    (record,) = extract_contact_channels(document_of(text))
    assert (record.value, record.provenance.text) == (email, evidence)


@pytest.mark.parametrize(
    "text",
    [
        "'Hilkka' hilkka@x.fi",
        "’hilkka@x.fi’",
        "Osoite on 'hilkka@x.fi'.",
        "‘Hilkka’ hilkka(at)x.fi",
    ],
)
def test_an_apostrophe_quoting_a_word_is_not_glued_to_the_address(text: str) -> None:
    assert [(r.value, r.provenance.text) for r in extract_contact_channels(document_of(text))] == [
        ("hilkka@x.fi", text[text.index("hilkka") : text.index(".fi") + 3])
    ]


def test_dates_and_sums_are_not_phone_numbers() -> None:
    document = document_of("Ajalla 01.01.2021–31.12.2021 myönnettiin 0 123 456 euroa ja 2020-2022.")
    assert [r for r in extract_contact_channels(document) if r.kind == "phone"] == []


@given(st.text(max_size=200))
def test_any_text_gives_spans_inside_the_text(text: str) -> None:
    document = document_of(text)
    for record in extract_contact_channels(document):
        p = record.provenance
        assert 0 <= p.start <= p.end <= len(document.text)
        assert document.text[p.start : p.end] == p.text


@given(st.text(max_size=60))
def test_normalisers_never_crash_and_are_idempotent(text: str) -> None:
    email = normalise_email(text)
    if email is not None:
        assert normalise_email(email) == email
    phone = normalise_phone(text)
    if phone is not None:
        assert normalise_phone(phone) == phone
