"""Sums of money in euros with their qualifier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.money import find_money, parse_amount
from tests.strategies import money_amounts


@pytest.mark.parametrize(
    ("text", "amount", "qualifier", "evidence"),
    [
        ("myönsi hankkeelle 68 850€ avustusta", 68850, "exact", "68 850€"),
        ("avustusta 246 500 euroa", 246500, "exact", "246 500 euroa"),
        ("tukee enintään 507 300 eurolla.", 507300, "max", "enintään 507 300 eurolla"),
        ("kustannukset 1,2 milj. euroa", 1_200_000, "exact", "1,2 milj. euroa"),
        ("yhteensä 3 M€ vuodessa", 3_000_000, "exact", "3 M€"),
        ("noin 50 000 e.", 50000, "approx", "noin 50 000 e"),
        ("budjetti 1 234 567,50 € ja", 1234567.5, "exact", "1 234 567,50 €"),
        ("budjetti 1.234.567,50 € ja", 1234567.5, "exact", "1.234.567,50 €"),
        ("120\u00a0000 euron hanke", 120000, "exact", "120\u00a0000 euron"),
        ("vähintään 10 000 euroa", 10000, "min", "vähintään 10 000 euroa"),
    ],
)
def test_money_forms(text: str, amount: float, qualifier: str, evidence: str) -> None:
    (mention,) = find_money(text)
    assert (mention.amount_eur, mention.qualifier, text[mention.start : mention.end]) == (amount, qualifier, evidence)


@pytest.mark.parametrize("text", ["vuonna 2024 e-palvelut", "n. 5–50 hlö", "3 m e", "130 asiakasta"])
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_money(text) == []


@given(money_amounts)
def test_generated_amounts_parse_back(text: str) -> None:
    mentions = find_money(f"summa {text} myönnetty")
    assert len(mentions) == 1
    digits = "".join(c for c in text if c.isdigit() or c == ",").replace(",", ".")
    assert mentions[0].amount_eur == pytest.approx(float(digits))


@given(st.text(max_size=200))
def test_any_text_gives_spans_inside_it(text: str) -> None:
    for mention in find_money(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.amount_eur >= 0


def test_parse_amount_rejects_garbage() -> None:
    assert parse_amount("1,2,3") is None


def test_a_number_glued_to_letters_is_no_sum() -> None:
    assert find_money("Päästöt laskevat 40 % (CO2e) vuoteen 2030.") == []


def test_a_sum_in_millions_takes_the_currency_of_a_coordinated_sum() -> None:
    text = "Yritysten hankkeita rahoitettiin 34 miljoonalla ja kehittämishankkeita 30 miljoonalla eurolla."
    assert [m.amount_eur for m in find_money(text)] == [34_000_000, 30_000_000]


def test_millions_of_something_else_are_no_sum() -> None:
    assert [m.amount_eur for m in find_money("Tukea 7 miljoonaa euroa, ja alueella on 3 miljoonaa asukasta.")] == [7_000_000]
    assert find_money("Alueella käy 2 miljoonaa matkailijaa.") == []
