"""Which sums of a document are stated totals of its other sums.

A programme or a table often gives its total beside the sums it adds up
("Ohjelman kokonaisrahoitus on 200 000 euroa. Hanke A saa 120 000 euroa ja
hanke B 80 000 euroa."; a "Yhteensä" row). Every sum is a funding record, so
a reader adding sums up by funder must know which ones count money twice.

Evidence, most trusted first:

1. arithmetic: the sum equals, to within 0.5 %, two or more sums that
   stand right after it or right before it in its own section or table;
2. wording: the words right before the sum (in its clause) or the row it
   stands in call it a total ("yhteensä", "kokonaisrahoitus", "kaikkiaan",
   "koko ohjelman", "hankkeiden yhteenlaskettu"), and a smaller sum that can
   be one of its parts stands in the same section or table.

"josta"/"joista" after a sum ("1,2 milj. euroa, josta EAKR-osuus 840 000 e")
is no evidence of its own. It says the later sum lies inside the first,
not that the first is a total of separate money: "Hanke sai 100 000 euroa,
josta 20 000 euroa investointeihin" is one grant and a share of it, and
flagging the 100 000 would drop the 80 000 nobody else states from the
funder's sum. The first sum is a total only when the arithmetic or its
own wording says so ("kokonaisbudjetti ..., josta ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractors.records import FundingRecord
from extractors.sections import innermost_section, section_nodes
from extractors.sentences import sentence_spans
from pipeline.document import Block, Document

# A total and the sum of its parts may differ by rounding ("1,2 milj." for 1 186 432,50).
TOLERANCE = 0.005
# How far before a sum its own words are read.
WORDING_CHARS = 80

_TOTAL_WORDS = re.compile(
    r"\b(?:yhteensä|kaikkiaan|koko\s+ohjelman|hankkeiden\s+yhteenlasket\w*|yhteenlasket\w*\s+kokonais\w*"
    r"|kokonais(?:rahoitu|budjet|kustannu|summ|hin|arvo|kulu|investoin|tuki|tue)\w*"
    r"|sammanlag\w*|totalt|total(?:budget|kostnad|finansiering)\w*)",
    re.IGNORECASE,
)
# "Yht." labels the total row of a table; in prose it is too short to trust.
_TOTAL_ROW_WORDS = re.compile(rf"{_TOTAL_WORDS.pattern}|\byht\b\.?", re.IGNORECASE)
_AFTER_THE_SUM = re.compile(r"\s*(?:yhteensä|kaikkiaan|sammanlagt)\b", re.IGNORECASE)
# A clause break ends what the words before a sum say about it; a comma inside a
# number ("1,2 milj.") is none.
_CLAUSE_BREAK = re.compile(r"[;()]|,\s")


@dataclass(frozen=True)
class _Sum:
    """A record's sum with where it stands and the stretch of text its parts may stand in."""

    index: int
    record: FundingRecord
    amount: float
    start: int
    end: int
    scope: tuple[int, int]
    table: Block | None


def mark_totals(document: Document, records: Sequence[FundingRecord]) -> list[FundingRecord]:
    """``records`` in their order, each with ``is_total`` set when the document shows its sum is a total."""
    sums = _sums(document, records)
    totals = {s.index for s in sums if _adds_up(s, sums) or _called_total(document, s, sums)}
    return [replace(r, is_total=True) if i in totals else r for i, r in enumerate(records)]


def _sums(document: Document, records: Sequence[FundingRecord]) -> list[_Sum]:
    tables = [b for _, b in document.blocks() if b.table is not None]
    nodes = section_nodes(document)
    sums = []
    for index, record in enumerate(records):
        if not record.amount_eur:
            continue
        start, end = record.provenance.start, record.provenance.end
        table = next((b for b in tables if b.start <= start < b.end), None)
        if table is not None:
            scope = (table.start, table.end)
        else:
            node = innermost_section(nodes, start)
            scope = (node.start, node.end) if node is not None else (0, len(document.text))
        sums.append(_Sum(index, record, record.amount_eur, start, end, scope, table))
    return sorted(sums, key=lambda s: s.start)


def _in_scope(total: _Sum, other: _Sum) -> bool:
    return other is not total and total.scope[0] <= other.start < total.scope[1]


# -- arithmetic ---------------------------------------------------------------


def _adds_up(total: _Sum, sums: list[_Sum]) -> bool:
    """Does the sum equal two or more of the sums right after it, or right before it, in its scope?"""
    around = [s for s in sums if _in_scope(total, s)]
    after = [s for s in around if s.start > total.start]
    before = [s for s in reversed(around) if s.start < total.start]
    return any(
        parts is not None and not _a_sibling(total, parts)
        for parts in (_run_adding_to(total.amount, after), _run_adding_to(total.amount, before))
    )


def _run_adding_to(amount: float, run: list[_Sum]) -> list[_Sum] | None:
    """The first two or more sums of ``run`` that add up to ``amount``, or None."""
    running = 0.0
    for count, part in enumerate(run, start=1):
        running += part.amount
        if count >= 2 and abs(running - amount) <= TOLERANCE * amount:
            return run[:count]
        if running > amount * (1 + TOLERANCE):
            return None
    return None


def _a_sibling(total: _Sum, parts: list[_Sum]) -> bool:
    """ "Hanke A sai 50 000 euroa, hanke B 30 000 euroa ja hanke C 20 000 euroa": when the sum has a
    project of its own and each part has another one, the sums are grants side by side that happen
    to add up, not a total and its parts."""
    own = total.record.project
    if own is None or total.table is not None:
        return False
    projects = {p.record.project for p in parts}
    return None not in projects and own not in projects


# -- wording ------------------------------------------------------------------


def _called_total(document: Document, total: _Sum, sums: list[_Sum]) -> bool:
    """Do the words at the sum call it a total, with a smaller sum beside it that can be one of its parts?

    A project's own "kokonaisbudjetti" in a text stating none of its parts is no
    total of other sums: nothing else counts that money.
    """
    if not _total_wording(document, total, sums):
        return False
    return any(_can_be_part(total, s) for s in sums if _in_scope(total, s))


def _can_be_part(total: _Sum, other: _Sum) -> bool:
    if other.amount >= total.amount:
        return False
    if total.table is not None:
        return True  # a table's total row adds up the rows, whatever project each names
    projects = (total.record.project, other.record.project)
    return None in projects or projects[0] == projects[1]


def _total_wording(document: Document, total: _Sum, sums: list[_Sum]) -> bool:
    if total.table is not None:
        return bool(_TOTAL_ROW_WORDS.search(_row_text(total.table, total.start)))
    if _AFTER_THE_SUM.match(document.text, total.end):
        return True
    return bool(_TOTAL_WORDS.search(_words_before(document, total, sums)))


def _row_text(block: Block, at: int) -> str:
    """The text of the table row holding offset ``at``."""
    for row in block.table.rows if block.table else ():
        if any(cell.span.start <= at < cell.span.end for cell in row):
            return " ".join(cell.text for cell in row)
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
