"""Records validate their values and give exactly the fields of the interchange format."""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors.records import (
    ContactChannelRecord,
    ContactRecord,
    FundingRecord,
    GoalRecord,
    ProjectRecord,
    Provenance,
)
from tests.extraction_fixtures import paragraphs

TEXT = "Hanketta hallinnoi Lopen kunta."


def evidence(start: int = 19, end: int = 30) -> Provenance:
    return Provenance.of_span(
        paragraphs(TEXT), start, end, extractor="fi.test", version="1", rule="test.rule", confidence=0.5
    )


# -- provenance --------------------------------------------------------------------------


def test_provenance_of_span_takes_text_and_page_from_the_document() -> None:
    provenance = evidence()
    assert (provenance.text, provenance.page, provenance.start, provenance.end) == ("Lopen kunta", 1, 19, 30)


@pytest.mark.parametrize(
    ("start", "end", "text", "confidence", "message"),
    [
        (5, 2, "", 0.5, "5..2"),
        (0, 4, "Hanke", 0.5, "'Hanke'"),
        (0, 5, "Hanke", 1.5, "1.5"),
    ],
)
def test_provenance_rejects_inconsistent_values(
    start: int, end: int, text: str, confidence: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Provenance("a" * 64, 1, start, end, text, "fi.test", "1", "rule", confidence)


# -- projects ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["päättynyt", "finished", "Ended"])
def test_project_rejects_a_status_outside_the_format(status: str) -> None:
    with pytest.raises(ValueError, match=repr(status)):
        ProjectRecord(name="Kylätalot kuntoon", provenance=evidence(), status=status)


@pytest.mark.parametrize("date", ["1.3.2021", "2021-3-1", "21-03-01", "2021-03-01T00:00", "2021/03"])
def test_project_rejects_a_date_that_is_not_iso(date: str) -> None:
    with pytest.raises(ValueError, match=repr(date)):
        ProjectRecord(name="Kylätalot kuntoon", provenance=evidence(), end_date=date)


@pytest.mark.parametrize("date", ["2021", "2021-03", "2021-03-01"])
def test_project_accepts_iso_dates_at_any_precision(date: str) -> None:
    assert ProjectRecord(name="Kylätalot kuntoon", provenance=evidence(), start_date=date).start_date == date


def test_project_needs_a_name() -> None:
    with pytest.raises(ValueError, match="name"):
        ProjectRecord(name="  ", provenance=evidence())


def test_project_interchange_has_exactly_the_format_fields() -> None:
    record = ProjectRecord(
        name="Kylätalot kuntoon",
        provenance=evidence(),
        start_date="2021-03-01",
        end_date="2023",
        status="ended",
        theme="Elinvoimaiset kylät",
        coordinator="Lopen kunta",
        partners=("Hattulan kunta",),
        funders=("Hämeen liitto",),
        contacts=("maija.virtanen@loppi.fi",),
    )
    assert record.to_interchange() == {
        "name": "Kylätalot kuntoon",
        "start_date": "2021-03-01",
        "end_date": "2023",
        "status": "ended",
        "theme": "Elinvoimaiset kylät",
        "coordinator": "Lopen kunta",
        "partners": ["Hattulan kunta"],
        "funders": ["Hämeen liitto"],
        "contacts": ["maija.virtanen@loppi.fi"],
    }


# -- fundings ---------------------------------------------------------------------------------


def test_funding_rejects_a_qualifier_outside_the_format() -> None:
    with pytest.raises(ValueError, match="'enintään'"):
        FundingRecord(provenance=evidence(), amount_eur=1000, qualifier="enintään")


def test_funding_rejects_a_negative_amount() -> None:
    with pytest.raises(ValueError, match="-5"):
        FundingRecord(provenance=evidence(), amount_eur=-5, qualifier="exact")


def test_funding_relation_without_a_sum_is_valid() -> None:
    record = FundingRecord(provenance=evidence(), project="Kylätalot kuntoon", funder="Hämeen liitto")
    assert (record.amount_eur, record.qualifier) == (None, None)


@pytest.mark.parametrize(("amount", "written"), [(68850.0, 68850), (1234.5, 1234.5), (None, None)])
def test_funding_interchange_writes_whole_euros_as_integers(amount: float | None, written: float | None) -> None:
    record = FundingRecord(provenance=evidence(), amount_eur=amount, qualifier="exact" if amount is not None else None)
    value = record.to_interchange()["amount_eur"]
    assert value == written and type(value) is type(written)


def test_funding_interchange_has_exactly_the_format_fields() -> None:
    record = FundingRecord(
        provenance=evidence(),
        project="Opitaan luonnossa",
        funder="Opetushallitus",
        amount_eur=68850,
        qualifier="max",
        instrument="valtionavustus",
    )
    assert record.to_interchange() == {
        "project": "Opitaan luonnossa",
        "funder": "Opetushallitus",
        "amount_eur": 68850,
        "qualifier": "max",
        "instrument": "valtionavustus",
    }


def test_only_a_stated_total_carries_the_is_total_key() -> None:
    own = FundingRecord(provenance=evidence(), amount_eur=120000, qualifier="exact")
    total = replace(own, amount_eur=200000, is_total=True)
    assert own.is_total is False and "is_total" not in own.to_interchange()
    assert total.to_interchange() == {
        "project": None,
        "funder": None,
        "amount_eur": 200000,
        "qualifier": "exact",
        "instrument": None,
        "is_total": True,
    }


# -- contacts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["Maija.Virtanen@loppi.fi", "maija.virtanen(at)loppi.fi"])
def test_contact_rejects_an_email_that_is_not_normalised(email: str) -> None:
    with pytest.raises(ValueError, match=repr(email).replace("(", r"\(").replace(")", r"\)")):
        ContactRecord(name="Maija Virtanen", provenance=evidence(), email=email)


def test_contact_rejects_a_phone_that_is_not_e164() -> None:
    with pytest.raises(ValueError, match="'040 123 4567'"):
        ContactRecord(name="Maija Virtanen", provenance=evidence(), phone="040 123 4567")


def test_contact_needs_a_name_an_email_or_a_phone() -> None:
    with pytest.raises(ValueError, match="name"):
        ContactRecord(name=None, provenance=evidence(), title="projektipäällikkö")


def test_contact_interchange_has_exactly_the_format_fields() -> None:
    record = ContactRecord(
        name="Maija Virtanen",
        provenance=evidence(),
        title="projektipäällikkö",
        email="maija.virtanen@loppi.fi",
        phone="+358401234567",
        organization="Lopen kunta",
        project="Kylätalot kuntoon",
    )
    assert record.to_interchange() == {
        "name": "Maija Virtanen",
        "title": "projektipäällikkö",
        "email": "maija.virtanen@loppi.fi",
        "phone": "+358401234567",
        "organization": "Lopen kunta",
        "project": "Kylätalot kuntoon",
    }


# -- goals and channels ------------------------------------------------------------------------


def test_goal_needs_an_objective() -> None:
    with pytest.raises(ValueError, match="objective"):
        GoalRecord(objective=" ", provenance=evidence())


def test_goal_interchange_has_exactly_the_format_fields() -> None:
    record = GoalRecord(
        objective="Kokonaismaakuntakaava",
        provenance=evidence(),
        section="Aluesuunnittelu",
        period="2024–2026",
        actions=("Maakuntakaavan laatiminen",),
        indicators=("Kaava on kuulutettu vireille",),
    )
    assert record.to_interchange() == {
        "section": "Aluesuunnittelu",
        "period": "2024–2026",
        "objective": "Kokonaismaakuntakaava",
        "actions": ["Maakuntakaavan laatiminen"],
        "indicators": ["Kaava on kuulutettu vireille"],
    }


def test_contact_channel_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="'fax'"):
        ContactChannelRecord("fax", "+35831234567", evidence())


def test_records_are_immutable() -> None:
    record = GoalRecord(objective="Kokonaismaakuntakaava", provenance=evidence())
    with pytest.raises(AttributeError):
        record.objective = "Muu"  # type: ignore[misc]
