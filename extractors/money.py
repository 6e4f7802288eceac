"""Sums of money in Finnish text, in euros, with the qualifier the text gives.

"68 850€", "246 500 euroa", "enintään 507 300 eurolla", "1,2 milj. euroa",
"3 M€", "noin 50 000 e", "1 234 567,50 €".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from extractors.conventions import conventions

Qualifier = Literal["exact", "max", "min", "approx"]


@dataclass(frozen=True)
class MoneyMention:
    """An amount in euros with its qualifier and the span of the whole expression."""

    amount_eur: float
    qualifier: Qualifier
    start: int
    end: int


def _conventions() -> dict:
    return conventions("money_fi.json")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    c = _conventions()
    currency = "|".join(re.escape(w) for w in sorted(c["currency_words"], key=len, reverse=True))
    multiplier = "|".join(re.escape(w) for w in sorted(c["multipliers"], key=len, reverse=True))
    qualifier = "|".join(
        re.escape(w) for words in c["qualifiers"].values() for w in sorted(words, key=len, reverse=True)
    )
    # Thousands groups take a plain, no-break or narrow space, or a dot; the
    # decimal part takes a comma (or a dot after a plain number).
    number = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{1,2})?|\d+(?:[,.]\d+)?"
    return re.compile(
        rf"(?:(?<![\wåäö])(?P<qualifier>{qualifier})\s+)?"
        rf"(?<![\w,.])(?P<number>{number})\s?"
        rf"(?:(?P<multiplier>{multiplier})\s?)?"
        rf"(?P<currency>{currency})(?![\w\-äöå])",
        re.IGNORECASE,
    )


def parse_amount(number: str, multiplier: str | None = None) -> float | None:
    """The numeric value of a Finnish-written number times its multiplier word."""
    digits = re.sub(r"[ \u00a0\u202f]", "", number)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(".", "")
    digits = digits.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if multiplier:
        value *= _conventions()["multipliers"][multiplier.casefold()]
    return float(value)


@lru_cache(maxsize=1)
def _millions_pattern() -> re.Pattern[str]:
    """ "rahoitettiin 34 miljoonalla ja ... 30 miljoonalla eurolla": a sum in millions whose
    currency a coordinated sum or the text around it gives once."""
    c = _conventions()
    words = "|".join(re.escape(w) for w in sorted(c["multipliers"], key=len, reverse=True) if len(w) > 4)
    qualifier = "|".join(
        re.escape(w) for words_ in c["qualifiers"].values() for w in sorted(words_, key=len, reverse=True)
    )
    return re.compile(
        rf"(?:(?<![\wåäö])(?P<qualifier>{qualifier})\s+)?(?<![\w,.])(?P<number>\d+(?:,\d+)?)\s(?P<multiplier>{words})(?![\wåäö])"
        # "7 miljoonaa asukasta" counts people: only a conjunction, a verb of being or punctuation may follow.
        r"(?=\s*(?:[,.;:)–-]|$|(?:ja|sekä|eli|tai|on|oli|ovat|olivat|mutta|och)\b))",
        re.IGNORECASE,
    )


def find_money(text: str) -> list[MoneyMention]:
    """Every sum of money in ``text`` in reading order."""
    mentions = _with_currency(text)
    if mentions or re.search(r"€|\beur", text, re.IGNORECASE):
        taken = [(m.start, m.end) for m in mentions]
        for m in _millions_pattern().finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            amount = parse_amount(m["number"], m["multiplier"])
            if amount is not None:
                mentions.append(MoneyMention(amount, _qualifier(m["qualifier"]), m.start(), m.end()))
    return sorted(mentions, key=lambda m: m.start)


def _with_currency(text: str) -> list[MoneyMention]:
    mentions = []
    for m in _pattern().finditer(text):
        multiplier = m["multiplier"]
        if multiplier and multiplier.casefold() in ("m", "t") and m["currency"] != "€":
            continue  # "3 m e" is no sum; "3 M€" and "3 t€" are
        amount = parse_amount(m["number"], multiplier)
        if amount is None:
            continue
        mentions.append(MoneyMention(amount, _qualifier(m["qualifier"]), m.start(), m.end()))
    return mentions


def _qualifier(word: str | None) -> Qualifier:
    if not word:
        return "exact"
    for qualifier, words in _conventions()["qualifiers"].items():
        if word.casefold() in words:
            return qualifier  # type: ignore[return-value]
    return "exact"
