"""Sentence boundaries in Finnish text, minding the abbreviations that end in a dot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from extractors.conventions import conventions

_BOUNDARY = re.compile(r"(?<=[.!?])(?P<closing>[\"”»)]*)\s+(?=[\"“«(]?[A-ZÅÄÖ0-9])")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(conventions("sentences_fi.json")["abbreviations"])


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, spaces between sentences left out."""
    start = 0
    for match in _BOUNDARY.finditer(text):
        last_word = text[start : match.start()].split()[-1].lstrip("(\"“«").casefold() if text[start : match.start()].split() else ""
        if last_word in _abbreviations():
            continue
        end = match.start() + len(match["closing"])
        yield start, end
        start = match.end()
    if text[start:].strip():
        yield start, len(text.rstrip())


def split_sentences(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in sentence_spans(text) if text[s:e].strip()]
