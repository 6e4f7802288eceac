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


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    """(start, end) of the sentence(s) holding ``text[start:end]``, within its line, at most about ``limit`` characters.

    A short line (a heading, a list item, a table cell) is its own context;
    a long paragraph is cut to the sentences the span touches.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start <= limit:
        return line_start, line_end
    line = text[line_start:line_end]
    touched = [(s, e) for s, e in sentence_spans(line) if s < end - line_start and e > start - line_start] or [
        (start - line_start, end - line_start)
    ]
    first, last = line_start + touched[0][0], line_start + touched[-1][1]
    if last - first > limit:
        # One huge "sentence" (a flattened table): a window around the span.
        first, last = max(first, start - limit // 2), min(last, max(end, start) + limit // 2)
    return first, max(last, end)
