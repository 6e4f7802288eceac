"""Which sums of a document are stated totals of its other sums.

A programme or a table often gives its total beside the sums it adds up
("Ohjelman kokonaisrahoitus on 200 000 euroa. Hanke A saa 120 000 euroa ja
hanke B 80 000 euroa."; a "Yhteensä" row). Every sum is a funding record, so
a reader adding sums up by funder must know which ones would count money twice.

Evidence, most trusted first:

1. arithmetic: the sum equals, to within 0.5 %, two or more sums standing
   right after it or right before it in its own table, or in its own
   section and the sections beside it;
2. wording: the words just before the sum in its clause, or the label of
   the table row it stands in, call it a total, and a smaller sum that can
   be one of its parts stands beside it: in its own paragraph or on the next
   or previous line of a form; for a sum of sums ("yhteensä", "kaikkiaan"),
   also two or more smaller sums listed right after it, together no more
   than it. A sum "lisäksi" (in addition) to another is no part of it.

A project's own "kokonaisbudjetti" with none of its parts stated is no total:
nothing else in the document counts that money.

"josta"/"joista" after a sum ("1,2 milj. euroa, josta EAKR-osuus 840 000 e")
is no evidence of its own. It says the later sum lies inside the first, not
that the first is a total of separate money: "Hanke sai 100 000 euroa, josta
20 000 euroa investointeihin" is one grant and a share of it, and flagging
the 100 000 would drop from the funder's sum the 80 000 nobody else states.
The first sum is a total only when the arithmetic or its own wording says so
("kokonaisbudjetti ..., josta ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractors.records import FundingRecord
from extractors.sections import SectionNode, innermost_section, section_nodes
from extractors.sentences import sentence_spans
from pipeline.document import Block, Document

# A total and the sum of its parts may differ by rounding ("1,2 milj." for 1 186 432,50).
TOLERANCE = 0.005
# How far before a sum its own words are read.
WORDING_CHARS = 80
# A paragraph this short is a line of a form or a list ("Myönnetty tuki: 594 240 €").
FIELD_LINE_CHARS = 80

# Words that add sums up: the parts may be listed after the total.
_SUM_OF_SUMS = re.compile(
    r"\b(?:yhteensä|kaikkiaan|koko\s+ohjelman|yhteenlasket\w*|sammanlag\w*|totalt)\b", re.IGNORECASE
)
# Words for the whole of one thing's money: its parts are stated beside it.
_WHOLE = re.compile(
    r"\b(?:kokonais(?:rahoitu|budjet|kustannu|summ|hin|arvo|kulu|investoin|tuki|tue)\w*"
    r"|total(?:a|budget|kostnad|finansiering)\w*)",
    re.IGNORECASE,
)
# "Yht." labels the total row of a table; in prose it is too short to trust.
_TABLE_TOTAL = re.compile(r"\byht\b\.?", re.IGNORECASE)
_AFTER_THE_SUM = re.compile(r"\s*(?:yhteensä|kaikkiaan|sammanlagt)\b", re.IGNORECASE)
# A clause break ends what the words before a sum say about it; a comma inside a
# number ("1,2 milj.") is none.
_CLAUSE_BREAK = re.compile(r"[;()]|,\s")
_RANGE_BEFORE = re.compile(r"\d\s?[–-]\s?$")
_ADDITION = re.compile(r"\b(?:lisäksi|dessutom)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Sum:
    """A record's sum, where it stands, and the stretch of text its parts may stand in."""

    index: int
    record: FundingRecord
    amount: float
    start: int
    end: int
    block: int
    # The sum stands on a short line of its own ("Kokonaisbudjetti: 742 800 €"), as a form's field does.
    line: bool
    # The upper end of a range ("20 000–50 000 euroa").
    range_end: bool
    scope: tuple[int, int]
    table: Block | None


def mark_totals(document: Document, records: Sequence[FundingRecord]) -> list[FundingRecord]:
    """``records`` in their order, each with ``is_total`` set when the document shows its sum is a total."""
    sums = _sums(document, records)
    parts_of = _arithmetic_totals(sums)
    part_of = {part.index: total for total, parts in parts_of.items() for part in parts}
    totals = set(parts_of)
    for candidate in sums:
        if candidate.index in totals:
            continue
        # Sums that add up to the same total with this one are its siblings, never its parts.
        siblings = {p.index for p in parts_of.get(part_of.get(candidate.index, -1), [])}
        if _called_total(document, candidate, sums, siblings):
            totals.add(candidate.index)
    return [replace(r, is_total=True) if i in totals else r for i, r in enumerate(records)]


def _sums(document: Document, records: Sequence[FundingRecord]) -> list[_Sum]:
    blocks = [b for _, b in document.blocks() if b.kind != "heading"]
    nodes = section_nodes(document)
    sums = []
    for index, record in enumerate(records):
        if not record.amount_eur:
            continue
        start, end = record.provenance.start, record.provenance.end
        at = next((i for i, b in enumerate(blocks) if b.start <= start < b.end), -1)
        table = blocks[at] if at >= 0 and blocks[at].table is not None else None
        scope = (table.start, table.end) if table is not None else _prose_scope(nodes, start, len(document.text))
        line = at >= 0 and len(blocks[at].text) <= FIELD_LINE_CHARS
        range_end = bool(_RANGE_BEFORE.search(document.text, max(0, start - 20), start))
        sums.append(_Sum(index, record, record.amount_eur, start, end, at, line, range_end, scope, table))
    return sorted(sums, key=lambda s: s.start)


def _prose_scope(nodes: list[SectionNode], at: int, text_end: int) -> tuple[int, int]:
    """The section holding ``at`` with its sibling sections: a news item's lead states the total and
    the projects it adds up follow under headings of their own, at the lead's level."""
    node = innermost_section(nodes, at)
    if node is None or node.parent is None or node.parent.heading is None:
        return (0, text_end)
    return (node.parent.start, node.parent.end)


def _in_scope(total: _Sum, other: _Sum) -> bool:
    return other.index != total.index and total.scope[0] <= other.start < total.scope[1]


# -- arithmetic ---------------------------------------------------------------


def _arithmetic_totals(sums: list[_Sum]) -> dict[int, list[_Sum]]:
    """Each sum that two or more sums right after or right before it add up to, with those parts.

    The largest totals are found first, and a sum is a part of one total only:
    "kustannusarvio 34 537 euroa, josta puolet eli 17 268,50 euroa tukea ja
    puolet omarahoitusta 3 453,70 + 13 814,80" makes the half no total of the
    other half.
    """
    found: dict[int, list[_Sum]] = {}
    taken: set[int] = set()
    for total in sorted(sums, key=lambda s: -s.amount):
        around = [s for s in sums if _in_scope(total, s)]
        after = [s for s in around if s.start > total.start]
        before = [s for s in reversed(around) if s.start < total.start]
        for run in (after, before):
            parts = _run_adding_to(total.amount, run)
            if parts and not _a_sibling(total, parts) and not any(p.index in taken for p in parts):
                found[total.index] = parts
                taken.update(p.index for p in parts)
                break
    return found


def _run_adding_to(amount: float, run: list[_Sum]) -> list[_Sum] | None:
    """The first two or more sums of ``run`` that add up to ``amount``, or None; a sum stated twice counts once."""
    parts: list[_Sum] = []
    running = 0.0
    for part in run:
        if _restates(part, parts):
            continue
        parts.append(part)
        running += part.amount
        if len(parts) >= 2 and abs(running - amount) <= TOLERANCE * amount:
            return parts
        if running > amount * (1 + TOLERANCE):
            return None
    return None


def _restates(part: _Sum, parts: list[_Sum]) -> bool:
    """Does ``part`` state again a sum of the same project already in ``parts`` (in prose, then in its fields)?"""
    key = (part.record.project, part.amount)
    return part.record.project is not None and any((p.record.project, p.amount) == key for p in parts)


def _a_sibling(total: _Sum, parts: list[_Sum]) -> bool:
    """ "Hanke A sai 50 000 euroa, hanke B 30 000 euroa ja hanke C 20 000 euroa": when the sum has a
    project of its own and each part names another one, the sums are grants side by side that happen
    to add up, not a total and its parts."""
    own = total.record.project
    if own is None or total.table is not None:
        return False
    projects = {p.record.project for p in parts}
    return None not in projects and own not in projects


# -- wording ------------------------------------------------------------------


def _called_total(document: Document, total: _Sum, sums: list[_Sum], siblings: set[int]) -> bool:
    """Do the words at the sum call it a total, with a smaller sum beside it that can be one of its parts?"""
    kind = _total_wording(document, total, sums)
    if kind is None:
        return False
    around = [s for s in sums if _in_scope(total, s) and s.index not in siblings]
    if any(_can_be_part(total, s) and _beside(total, s) and not _added(document, total, s) for s in around):
        return True
    return kind == "sum_of_sums" and _heads_a_list(document, total, [s for s in around if s.start > total.start])


def _added(document: Document, total: _Sum, other: _Sum) -> bool:
    """ "Yhteensä 1,48 miljoonaa euroa. Lisäksi mikroyrityksille 182 000 euroa": a "lisäksi" between
    two sums makes the later one money in addition to the first, not a part of it or its total."""
    start, end = min(total.end, other.end), max(total.start, other.start)
    return bool(_ADDITION.search(document.text, start, end))


def _heads_a_list(document: Document, total: _Sum, after: list[_Sum]) -> bool:
    """ "viidelle hankkeelle yhteensä 1 262 150 euroa", then each project's sum: do two or more sums
    that can be its parts follow it, before any that cannot, together no more than it?"""
    listed: list[_Sum] = []
    for other in after:
        if not _can_be_part(total, other) or _added(document, total, other):
            break
        if not _restates(other, listed):
            listed.append(other)
    return len(listed) >= 2 and sum(s.amount for s in listed) <= total.amount * (1 + TOLERANCE)


def _beside(total: _Sum, other: _Sum) -> bool:
    """In the same paragraph, or on the next or previous line of a form."""
    if other.block == total.block:
        return True
    return abs(other.block - total.block) == 1 and (total.line or other.line)


def _can_be_part(total: _Sum, other: _Sum) -> bool:
    if other.amount >= total.amount:
        return False
    if total.table is not None:
        return True  # a table's total row adds up the rows, whatever project each names
    projects = (total.record.project, other.record.project)
    if None not in projects and projects[0] != projects[1]:
        return False
    # "20 000–50 000 euroa hanketta kohti" bounds each grant; it is none of them.
    return not other.range_end


def _total_wording(document: Document, total: _Sum, sums: list[_Sum]) -> str | None:
    """ "sum_of_sums" ("yhteensä"), "whole" ("kokonaisbudjetti") or None: what the words at the sum call it."""
    if total.table is not None:
        label = _row_label(total.table, total.start)
        found = _SUM_OF_SUMS.search(label) or _TABLE_TOTAL.search(label) or _WHOLE.search(label)
        return "sum_of_sums" if found else None
    if _AFTER_THE_SUM.match(document.text, total.end):
        return "sum_of_sums"
    words = _words_before(document, total, sums)
    if _SUM_OF_SUMS.search(words):
        return "sum_of_sums"
    return "whole" if _WHOLE.search(words) else None


def _row_label(block: Block, at: int) -> str:
    """The first cell of the table row holding offset ``at`` and the cell itself: "Yhteensä | 165 500 €".

    Other cells may describe a project ("yhteensä viisi kuntaa") and say nothing of the sum.
    """
    for row in block.table.rows if block.table else ():
        own = [cell.text for cell in row if cell.span.start <= at < cell.span.end]
        if own:
            return f"{row[0].text} {own[0]}"
    return ""


def _words_before(document: Document, total: _Sum, sums: list[_Sum]) -> str:
    """The clause before the sum, back to a clause break, the sentence start or the previous sum."""
    start = max(total.start - WORDING_CHARS, _sentence_start(document, total.start))
    start = max([start, *(s.end for s in sums if s.end <= total.start)])
    text = document.text[start : total.start]
    breaks = list(_CLAUSE_BREAK.finditer(text))
    return text[breaks[-1].end() :] if breaks else text


def _sentence_start(document: Document, at: int) -> int:
    line_start = document.text.rfind("\n", 0, at) + 1
    line_end = document.text.find("\n", at)
    line = document.text[line_start : line_end if line_end != -1 else len(document.text)]
    starts = [line_start + s for s, _ in sentence_spans(line) if line_start + s <= at]
    return max(starts, default=line_start)
