"""Normalising inline text: idempotent, never grows whitespace, keeps letters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise import normalise_inline
from tests.strategies import finnish_lines, money_amounts


def test_every_space_kind_becomes_one_plain_space() -> None:
    assert normalise_inline(" 1\u00a0234,50\u202f€\t\n euroa ") == "1 234,50 € euroa"


def test_soft_hyphens_and_zero_width_characters_vanish() -> None:
    assert normalise_inline("kehittämis\u00adtyö\u200b") == "kehittämistyö"


def test_decomposed_letters_are_composed() -> None:
    assert normalise_inline("Ha\u0308meenlinna") == "Hämeenlinna"


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_inline(text)
    assert normalise_inline(once) == once


@given(finnish_lines())
def test_no_leading_trailing_or_double_spaces(text: str) -> None:
    out = normalise_inline(text)
    assert out == out.strip() and "  " not in out and "\t" not in out and "\u00a0" not in out


@given(money_amounts)
def test_money_keeps_its_digits(amount: str) -> None:
    out = normalise_inline(amount)
    assert [c for c in out if c.isdigit()] == [c for c in amount if c.isdigit()]
