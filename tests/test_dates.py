"""Finnish dates and periods to ISO at the given precision."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.dates import find_periods, iso_day


def summary(text: str) -> list[tuple]:
    out = []
    for p in find_periods(text):
        out.append(
            (
                p.start_date.value if p.start_date else None,
                p.start_date.role if p.start_date else None,
                p.end_date.value if p.end_date else None,
            )
        )
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanke (1.2.2020-31.1.2022)", [("2020-02-01", "start", "2022-01-31")]),
        ("Hanke (1.2.2020–31.1.2022)", [("2020-02-01", "start", "2022-01-31")]),
        ("Avoin kunta (1.1.2021 – 31.10.2022)", [("2021-01-01", "start", "2022-10-31")]),
        ("Teemme yhdessä! (2020-2022)", [("2020", "start", "2022")]),
        ("toiminta jatkuu 31.08.2019 saakka", [(None, None, "2019-08-31")]),
        ("palvelu on käytössä 1.1.2021 alkaen", [("2021-01-01", "start", None)]),
        ("Vuonna 2009 hanketta laajennettiin", [("2009", "point", None)]),
        ("Joulukuun 2023 maakuntavaltuusto päätti", [("2023-12", "point", None)]),
        ("TAMMIKUUSSA 2024 aloitettiin", [("2024-01", "point", None)]),
        ("kevät 2024", [("2024", "point", None)]),
        ("vuosien 2024–2026 aikana", [("2024", "start", "2026")]),
        ("1.3.2024 - 28.2.2026", [("2024-03-01", "start", "2026-02-28")]),
    ],
)
def test_finnish_date_forms(text: str, expected: list[tuple]) -> None:
    assert summary(text) == expected


def test_an_impossible_day_keeps_the_valid_precision_and_warns() -> None:
    (period,) = find_periods("Digiagendan toteuttaminen (1.2.2020-31.11.2021)")
    assert period.end_date.value == "2021-11"
    assert period.warnings == ["impossible date 31.11.2021: November has 30 days"]
    assert iso_day(30, 2, 2023) == ("2023-02", "impossible date 30.2.2023: February has 28 days")
    assert iso_day(29, 2, 2024) == ("2024-02-29", None)
    assert iso_day(1, 13, 2024)[0] == "2024"


def test_numbers_that_are_not_years_are_not_dates() -> None:
    assert summary("Hankkeessa on 130 asiakasta ja 1234 euroa sekä puhelin 050 50 502 113.") == []


def test_a_backwards_year_range_is_two_points_not_a_period() -> None:
    assert summary("2026–2024") == [("2026", "point", None), ("2024", "point", None)]


@given(st.text(max_size=200))
def test_any_text_gives_spans_inside_it_and_iso_values(text: str) -> None:
    for period in find_periods(text):
        assert 0 <= period.start <= period.end <= len(text)
        for date in (period.start_date, period.end_date):
            if date is not None:
                assert period.start <= date.start <= date.end <= period.end
                assert len(date.value) in (4, 7, 10)


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1950, 2100))
def test_a_written_day_round_trips_when_it_exists(day: int, month: int, year: int) -> None:
    value, warning = iso_day(day, month, year)
    (period,) = find_periods(f"alkaen {day}.{month}.{year} jotain")
    assert period.start_date.value == value
    if warning is None:
        assert value == f"{year:04d}-{month:02d}-{day:02d}"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Hanke kestää syyskuusta 2025 elokuuhun 2027.", "2025-09", "2027-08"),
        ("Hanke käynnistyy tammikuussa 2026 ja päättyy 31.12.2027.", "2026-01", "2027-12-31"),
        ("Toiminta jatkuu keväästä 2024 syksyyn 2025.", "2024", "2025"),
        ("Tavoite saavutetaan vuoteen 2030 mennessä.", None, "2030"),
        ("Yhteistyö on jatkunut vuodesta 2009.", "2009", None),
        ("Haku on auki kevään 2024 aikana.", "2024", None),
    ],
)
def test_case_forms_and_verbs_make_starts_ends_and_periods(text: str, start: str | None, end: str | None) -> None:
    (period,) = find_periods(text)
    assert (period.start_date and period.start_date.value, period.end_date and period.end_date.value) == (start, end)


def test_an_end_in_the_next_sentence_is_not_paired_with_a_start() -> None:
    periods = find_periods("Hanke käynnistyy tammikuussa 2026. Edellinen hanke päättyi 31.12.2025.")
    assert len(periods) == 2


def test_a_decision_date_is_not_an_end() -> None:
    (period,) = find_periods("Hankkeen jatkosta päätetään 15.5.2025 valtuuston kokouksessa.")
    assert period.end_date is None
