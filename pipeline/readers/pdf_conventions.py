"""The PDF reader's typographic and language conventions, loaded from data."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Conventions:
    """What ``pipeline/data/pdf_conventions.json`` says; see its ``_about``."""

    bullets: frozenset[str]
    quotation_dashes: frozenset[str]
    enumerators: tuple[re.Pattern[str], ...]
    page_numbers: tuple[re.Pattern[str], ...]
    hyphen_conjunctions: frozenset[str]
    vowels: frozenset[str]
    placeholder_titles: tuple[str, ...]

    def is_list_marker(self, word: str) -> bool:
        return self.marker_kind(word) is not None

    def marker_kind(self, word: str) -> str | None:
        """The sort of list marker ``word`` is: the bullet itself or the enumerator pattern it fits; None if no marker."""
        if word in self.bullets:
            return word
        return next((p.pattern for p in self.enumerators if p.match(word.lower())), None)

    def is_page_number(self, text: str) -> bool:
        return any(p.match(text.strip().lower()) for p in self.page_numbers)


@lru_cache(maxsize=1)
def conventions() -> Conventions:
    raw = json.loads(resources.files("pipeline.data").joinpath("pdf_conventions.json").read_text("utf-8"))
    return Conventions(
        bullets=frozenset(raw["bullets"]),
        quotation_dashes=frozenset(raw["quotation_dashes"]),
        enumerators=tuple(re.compile(p) for p in raw["enumerator_patterns"]),
        page_numbers=tuple(re.compile(p) for p in raw["page_number_patterns"]),
        hyphen_conjunctions=frozenset(raw["hyphen_conjunctions"]),
        vowels=frozenset(raw["vowels"]),
        placeholder_titles=tuple(raw["placeholder_titles"]),
    )
