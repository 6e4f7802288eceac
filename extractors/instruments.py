"""Funding instruments (ESR, EAKR, AKKE, Leader, valtionavustus ...) named in text."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.conventions import conventions


def _conventions() -> dict:
    return conventions("instruments_fi.json")


@lru_cache(maxsize=1)
def instrument_forms() -> frozenset[str]:
    """Every written form of every instrument, case-folded ("eakr", "euroopan aluekehitysrahasto", "esr+")."""
    written = _conventions()["instruments"]
    return frozenset(form for forms in written.values() for form in forms) | {i.casefold() for i in written}


# A sentence with many sums is searched once per sum: cached, a row of thousands of
# amounts costs thousands of look-ups instead of thousands of searches of the whole row.
@lru_cache(maxsize=4096)
def instrument_named(text: str) -> str | None:
    """The funding instrument ``text`` names, or None; the most specific form wins."""
    key = text.casefold()
    for instrument, forms in _conventions()["instruments"].items():
        if any(re.search(rf"(?<![\wåäö]){re.escape(form)}", key) for form in forms):
            return instrument
    return None


def state_grant(text: str, funder_type: str | None) -> str | None:
    """ "avustus" from a ministry or agency is a state grant (valtionavustus)."""
    grant = _conventions()["state_grant"]
    key = text.casefold()
    if funder_type in grant["funder_types"] and any(re.search(rf"(?<![\wåäö]){w}", key) for w in grant["words"]):
        return grant["instrument"]
    return None
