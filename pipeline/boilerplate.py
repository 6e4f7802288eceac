"""Recognises website residue (language menus, skip links, tracking pixels) in plain text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from pipeline.normalise import normalise_inline


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("pipeline.data").joinpath("boilerplate.json").read_text("utf-8"))
    return {
        "menu": frozenset(raw["language_menu_items"]),
        "residue": frozenset(raw["residue_lines"]),
    }


def _key(text: str) -> str:
    return normalise_inline(text).strip(" •·-–|/").casefold()


def is_residue_line(text: str) -> bool:
    """A line that is only a skip link, menu word or tracking pixel name."""
    return _key(text) in _lists()["residue"]


def is_language_menu(items: Sequence[str]) -> bool:
    """Two or more lines that all name languages: a site's language switcher."""
    keys = [_key(item) for item in items]
    return len(keys) >= 2 and all(k in _lists()["menu"] for k in keys)
