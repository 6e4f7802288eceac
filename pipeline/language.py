"""Guesses a document's language from its most common function words."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("pipeline.data").joinpath("function_words.json").read_text("utf-8"))
    return {lang: frozenset(words) for lang, words in raw["languages"].items()}


def detect_language(text: str, *, minimum_hits: int = 3) -> str | None:
    """ISO 639-1 code of the language whose function words occur most, or None.

    None when fewer than ``minimum_hits`` function words are found at all:
    a table of numbers has no language worth claiming.
    """
    counts = dict.fromkeys(_function_words(), 0)
    for word in _WORD.findall(text[:200_000].lower()):
        for lang, words in _function_words().items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= minimum_hits else None
