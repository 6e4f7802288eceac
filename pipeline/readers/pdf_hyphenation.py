"""Joins the lines of one paragraph, undoing line-end hyphenation.

A hyphen at a line end is usually the typesetter's and goes
("kehittämis-" + "työ" -> "kehittämistyö"). It stays where Finnish
spelling needs it: after an abbreviation or a number ("EU-rahoitus",
"2024-luvulla"), before a capital ("Etelä-Suomi"), where the parts meet at
the same vowel ("maa-alue"), and in a shortened compound before a
conjunction ("suunnittelu- ja kehittämistyö"), where a space follows it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.readers.pdf_conventions import conventions

_HYPHENS = ("-", "\u2010", "\u00ad")
_DASHES = ("\u2013", "\u2014")


def join_lines(lines: Iterable[str]) -> str:
    """One paragraph from its lines, in order."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        text = join_pair(text, line) if text else line
    return text


def join_pair(left: str, right: str) -> str:
    """``left`` and the next line ``right`` as one run of text."""
    if left.endswith(_HYPHENS) and len(left) > 1 and not left[-2].isspace():
        return _join_hyphenated(left, right)
    if left.endswith(_DASHES) and len(left) > 1 and left[-2].isalnum():
        # "2024–" + "2026": a range or a dash glued to its word.
        return left + right
    if left.endswith(_HYPHENS):
        # A spaced hyphen ("ja -") belongs to the next word ("ja -alueista").
        return left + right
    return f"{left} {right}"


def _join_hyphenated(left: str, right: str) -> str:
    stem = left[:-1].rsplit(" ", 1)[-1]
    head = right.split(" ", 1)[0]
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if _keeps_hyphen(stem, head):
        return left[:-1] + "-" + right
    if head.lower().strip(",.;:") in conventions().hyphen_conjunctions:
        return f"{left[:-1]}- {right}"
    return left[:-1] + right


def _keeps_hyphen(stem: str, head: str) -> bool:
    if not stem or not head:
        return True
    last, first = stem[-1], head[0]
    if not last.isalnum() or not first.isalnum():
        return True
    if last.isupper() or last.isdigit() or first.isupper() or first.isdigit():
        return True
    # A word already hyphenated before the break ("maankäyttö-ja-") keeps its style.
    if "-" in stem:
        return True
    return last.lower() == first.lower() and last.lower() in conventions().vowels
