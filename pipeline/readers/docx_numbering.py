"""The bullet or number Word shows in front of a list paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

_BULLET = "•"
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class _Level:
    number_format: str
    text: str
    start: int


class ListMarkers:
    """Counts list paragraphs per list, as Word numbers them.

    Each list instance (numId) keeps one counter per level; a paragraph at
    a level restarts the counters of the levels below it, as Word does.
    """

    def __init__(self, numbering_element: etree._Element | None) -> None:
        self._levels: dict[tuple[str, int], _Level] = {}
        self._counters: dict[str, dict[int, int]] = {}
        if numbering_element is not None:
            self._read_definitions(numbering_element)

    def next_marker(self, num_id: str, ilvl: int) -> str | None:
        """The marker of the next paragraph of list ``num_id`` at level ``ilvl``; None if undefined."""
        level = self._levels.get((num_id, ilvl))
        if level is None:
            return None
        if level.number_format == "bullet":
            return _BULLET
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        return _PLACEHOLDER.sub(lambda m: self._formatted(num_id, int(m.group(1)) - 1), level.text) or None

    def _formatted(self, num_id: str, ilvl: int) -> str:
        level = self._levels.get((num_id, ilvl))
        value = self._counters.get(num_id, {}).get(ilvl, level.start if level else 1)
        return _format_number(value, level.number_format if level else "decimal")

    def _read_definitions(self, numbering: etree._Element) -> None:
        abstract = {
            a.get(qn("w:abstractNumId")): {_ilvl(lvl): _read_level(lvl) for lvl in a.iterfind(qn("w:lvl"))}
            for a in numbering.iterfind(qn("w:abstractNum"))
        }
        for num in numbering.iterfind(qn("w:num")):
            reference = num.find(qn("w:abstractNumId"))
            levels = abstract.get(reference.get(qn("w:val")) if reference is not None else None, {})
            for ilvl, level in levels.items():
                self._levels[(num.get(qn("w:numId")), ilvl)] = level


def _read_level(lvl: etree._Element) -> _Level:
    number_format = lvl.find(qn("w:numFmt"))
    text = lvl.find(qn("w:lvlText"))
    start = lvl.find(qn("w:start"))
    start_value = start.get(qn("w:val"), "1") if start is not None else "1"
    return _Level(
        number_format=number_format.get(qn("w:val"), "decimal") if number_format is not None else "decimal",
        text=text.get(qn("w:val"), "") if text is not None else "",
        start=int(start_value) if start_value.isdigit() else 1,
    )


def _ilvl(lvl: etree._Element) -> int:
    value = lvl.get(qn("w:ilvl"), "0")
    return int(value) if value.isdigit() else 0


def _format_number(value: int, number_format: str) -> str:
    if number_format in ("lowerLetter", "upperLetter") and value >= 1:
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters.upper() if number_format == "upperLetter" else letters
    if number_format in ("lowerRoman", "upperRoman") and value >= 1:
        roman = _roman(value)
        return roman.upper() if number_format == "upperRoman" else roman
    return str(value)


def _roman(value: int) -> str:
    out = []
    for amount, symbol in _ROMAN:
        count, value = divmod(value, amount)
        out.append(symbol * count)
    return "".join(out)
