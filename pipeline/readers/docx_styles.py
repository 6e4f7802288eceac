"""What a Word paragraph is (heading, list item, body text), from its style and properties."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from docx.oxml.ns import qn
from lxml import etree

RoleKind = Literal["heading", "list_item", "paragraph", "table_of_contents"]

# Word's outline levels run 0..8 for headings; 9 is body text.
_BODY_TEXT_OUTLINE = 9
_TRAILING_NUMBER = re.compile(r"^(.*?)\s*(\d+)$")


@dataclass(frozen=True)
class ParagraphRole:
    """``level`` is the heading level or list depth, 1 = top; 0 for body text.

    ``numbering`` is the list instance and level (numId, ilvl) a list item
    is numbered by, when it is numbered rather than only styled as a list.
    """

    kind: RoleKind
    level: int = 0
    numbering: tuple[str, int] | None = None


@dataclass(frozen=True)
class _Numbering:
    """A numPr: either part may be left to the style; numId "0" switches numbering off."""

    num_id: str | None
    ilvl: int | None


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    numbering: _Numbering | None


class StyleBook:
    """The document's paragraph styles, each read through its ``basedOn`` chain."""

    def __init__(self, styles_element: etree._Element | None) -> None:
        self._styles: dict[str, _Style] = {}
        self._default: str | None = None
        if styles_element is None:
            return
        for style in styles_element.iterfind(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style.get(qn("w:type")) != "paragraph" or not style_id:
                continue
            self._styles[style_id] = _read_style(style)
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self._default = style_id

    def role(self, paragraph: etree._Element) -> ParagraphRole:
        """The paragraph's role.

        1. Table-of-contents styles: skipped by the reader (they repeat headings).
        2. Headings: an outline level set on the paragraph, else a heading or
           title style name, else an outline level inherited from the style.
        3. List items: numbering on the paragraph (numId 0 switches it off),
           else numbering or a list style name inherited from the style.
        """
        properties = paragraph.find(qn("w:pPr"))
        chain = self._chain(_val(properties, "w:pStyle") or self._default)
        name = chain[0].name if chain else ""
        word, number = _split_name(name)
        if word in _names()["table_of_contents_words"]:
            return ParagraphRole("table_of_contents")
        level = _heading_level(properties, chain, word, number)
        if level:
            return ParagraphRole("heading", level)
        return _list_role(properties, chain, word, number) or ParagraphRole("paragraph")

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            chain.append(self._styles[style_id])
            style_id = chain[-1].based_on
        return chain


def _heading_level(
    properties: etree._Element | None, chain: list[_Style], word: str, number: int | None
) -> int | None:
    direct = _outline(properties)
    if direct is not None:
        return direct + 1 if direct < _BODY_TEXT_OUTLINE else None
    if number is not None and word in _names()["heading_words"]:
        return number
    if number is None and word in _names()["title_words"]:
        return 1
    inherited = next((s.outline for s in chain if s.outline is not None), None)
    return inherited + 1 if inherited is not None and inherited < _BODY_TEXT_OUTLINE else None


def _list_role(
    properties: etree._Element | None, chain: list[_Style], word: str, number: int | None
) -> ParagraphRole | None:
    own = _numbering(properties)
    inherited = next((s.numbering for s in chain if s.numbering), None)
    num_id = next((n.num_id for n in (own, inherited) if n and n.num_id is not None), None)
    named_list = word in _names()["list_words"]
    if num_id == "0" or (num_id is None and not named_list):
        return None
    ilvl = next((n.ilvl for n in (own, inherited) if n and n.ilvl is not None), 0)
    numbering = (num_id, ilvl) if num_id is not None else None
    # "List Bullet 2" is Word's second-level bullet: a style of its own
    # whose numbering sits at level 0 of a separate list definition.
    if ilvl == 0 and named_list and number:
        return ParagraphRole("list_item", number, numbering)
    return ParagraphRole("list_item", ilvl + 1, numbering)


def _read_style(style: etree._Element) -> _Style:
    properties = style.find(qn("w:pPr"))
    return _Style(
        name=_val(style, "w:name") or style.get(qn("w:styleId")),
        based_on=_val(style, "w:basedOn"),
        outline=_outline(properties),
        numbering=_numbering(properties),
    )


def _val(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _outline(properties: etree._Element | None) -> int | None:
    value = _val(properties, "w:outlineLvl")
    return int(value) if value is not None and value.isdigit() else None


def _numbering(properties: etree._Element | None) -> _Numbering | None:
    numbering = properties.find(qn("w:numPr")) if properties is not None else None
    if numbering is None:
        return None
    ilvl = _val(numbering, "w:ilvl")
    return _Numbering(_val(numbering, "w:numId"), int(ilvl) if ilvl and ilvl.isdigit() else None)


def _split_name(name: str) -> tuple[str, int | None]:
    """("list bullet", 2) for "List Bullet 2"; ("title", None) for "Title"."""
    folded = " ".join(name.casefold().split())
    match = _TRAILING_NUMBER.match(folded)
    if match and match.group(1):
        return match.group(1), int(match.group(2))
    return folded, None


@lru_cache(maxsize=1)
def _names() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("pipeline.data").joinpath("docx_styles.json").read_text("utf-8"))
    return {key: frozenset(value) for key, value in raw.items() if isinstance(value, list)}
