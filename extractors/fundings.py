"""Funding: each sum of money tied to its project, funder and instrument.

1. Every sum in running text (money.find_money) is a funding record.
2. Its project: the project named in the same sentence before the sum,
   else the project whose text holds it.
3. Its funder: an organisation the sentence gives the funder role, else
   one in the two sentences before in the same paragraph, else the
   project's only funder.
4. Its instrument: an instrument named in that window (ESR, EAKR, AKKE,
   Leader, valtionavustus ...), the nearest first; a state body's
   "avustus" is valtionavustus.
5. A sum the document shows to be a total of its other sums
   (funding_totals) is flagged ``is_total``.
A sentence with several sums ("..., ja lisäksi ...") gives each sum the
funder and instrument of its own clause first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from extractors.conventions import conventions
from extractors.fielded_records import funding_record
from extractors.funding_totals import mark_totals
from extractors.instruments import instrument_named, state_grant
from extractors.money import MoneyMention, find_money
from extractors.organisations import OrganisationMention
from extractors.project_fields import FieldedProject
from extractors.projects import ProjectScope
from extractors.records import FundingRecord, ProjectRecord, Provenance
from extractors.roles import DEFAULT_FUNDER_TYPES, is_fund, role_in_sentence
from extractors.sentences import sentence_spans
from pipeline.document import Document

NAME = "fi.fundings"
VERSION = "2"
LOOKBACK_SENTENCES = 2


@dataclass(frozen=True)
class _Defaults:
    """What the whole text says about funding, for sums that say nothing themselves."""

    funder: str | None
    instrument: str | None


def extract_fundings(
    document: Document,
    organisations: list[OrganisationMention],
    projects: list[ProjectRecord],
    scopes: list[ProjectScope],
    fielded: list[FieldedProject],
) -> list[FundingRecord]:
    """A funding record for every sum of money in the document's running text and project fields."""
    defaults = _Defaults(_document_funder(document, organisations), _document_instrument(document))
    taken = [(v.start, v.end) for f in fielded for v in f.fields.values()]
    records = [r for f in fielded if (r := funding_record(document, f, _funder_before(document, f, organisations)))]
    records = [replace(r, funder=r.funder or defaults.funder, instrument=r.instrument or defaults.instrument) for r in records]
    previous: list[tuple[int, int]] = []
    for _, block in document.blocks():
        if block.kind == "heading":
            previous = []
        if block.kind in ("heading", "table"):
            continue
        own = [(block.start + s, block.start + e) for s, e in sentence_spans(block.text)]
        # The sentences before a sum may stand in the paragraph before it.
        sentences = previous[-LOOKBACK_SENTENCES:] + own
        for money in find_money(block.text):
            at = block.start + money.start
            if any(s <= at < e for s, e in taken):
                continue  # a form's field: read as a field
            index = next((i for i, (s, e) in enumerate(sentences) if s <= at < e), len(sentences) - 1)
            records.append(
                _record(document, block.start, money, sentences, index, organisations, projects, scopes, defaults)
            )
        previous = own
    return mark_totals(document, records)


def _record(
    document: Document,
    offset: int,
    money: MoneyMention,
    sentences: list[tuple[int, int]],
    index: int,
    organisations: list[OrganisationMention],
    projects: list[ProjectRecord],
    scopes: list[ProjectScope],
    defaults: _Defaults,
) -> FundingRecord:
    at = offset + money.start
    window = sentences[max(0, index - LOOKBACK_SENTENCES) : index + 1]
    project = _project_for(at, sentences[index], projects, scopes)
    # "Interreg Aurora rahoittaa hanketta 962 000 eurolla, ja lisäksi Lapin liitto myönsi
    # 148 000 euron vastinrahoituksen": each sum's own clause speaks first.
    clause = [_clause_around(document, sentences[index], at)]
    own = _funder(document, clause, organisations)
    funder = (
        own
        or _funder(document, window, organisations)
        or _council_by_its_organ(document, window, organisations)
        or _named_beside(window[-1], organisations)
        or _only_funder(project, projects)
        or defaults.funder
    )
    funds = _fund_names(organisations)
    if own is None and funder in funds and defaults.funder and defaults.funder not in funds:
        # "EAKR-rahoitusta ... Etelä-Pohjanmaan liitto myönsi": a fund named near the sum, not as
        # its payer, is the instrument; the organisation that grants from it is the funder.
        funder = defaults.funder
    instrument = (
        _named_instrument(document, clause)
        or _instrument(document, window, funder, organisations)
        or defaults.instrument
    )
    provenance = Provenance.of_span(
        document, at, offset + money.end, extractor=NAME, version=VERSION, rule="fundings.sum", confidence=0.75
    )
    return FundingRecord(
        provenance=provenance,
        project=project,
        funder=funder,
        amount_eur=money.amount_eur,
        qualifier=money.qualifier,
        instrument=instrument,
    )


def _funder_before(document: Document, fielded: FieldedProject, organisations: list[OrganisationMention]) -> str | None:
    """For a table of granted projects: the funder the sentences just before the table name."""
    if fielded.source != "table":
        return None
    at = min(v.start for v in fielded.fields.values())
    blocks = [b for _, b in document.blocks() if b.end <= at and b.kind != "table"][-3:]
    window = [(b.start + s, b.start + e) for b in blocks for s, e in sentence_spans(b.text)]
    return _funder(document, window, organisations)


def _project_for(at: int, sentence: tuple[int, int], projects: list[ProjectRecord], scopes: list[ProjectScope]) -> str | None:
    named_before = [
        p for p in projects if sentence[0] <= p.provenance.start < at and p.provenance.rule == "projects.prose"
    ]
    if named_before:
        return max(named_before, key=lambda p: p.provenance.start).name
    holding = [s for s in scopes if any(a <= at < b for a, b in s.ranges)]
    if holding:
        return min(holding, key=lambda s: sum(b - a for a, b in s.ranges)).name
    return None


def _funder(document: Document, window: list[tuple[int, int]], organisations: list[OrganisationMention]) -> str | None:
    for sentence in reversed(window):
        inside = [m for m in organisations if sentence[0] <= m.start < sentence[1]]
        funders = [m for m in inside if role_in_sentence(document, m, sentence, inside) == "funder"]
        if funders:
            return _granting(funders).name
    return None


def _named_beside(sentence: tuple[int, int], organisations: list[OrganisationMention]) -> str | None:
    """ "AKKE, TEM, 160 000 €": a ministry, agency or fund standing with the sum and no role word."""
    inside = [m for m in organisations if sentence[0] <= m.start < sentence[1] and m.type in DEFAULT_FUNDER_TYPES]
    return _granting(inside).name if inside else None


def _council_by_its_organ(
    document: Document, window: list[tuple[int, int]], organisations: list[OrganisationMention]
) -> str | None:
    """ "Maakuntahallitus myönsi ...": the board grants for its regional council, the one the text names."""
    organs = tuple(conventions("organisations_fi.json")["council_organs"])
    text = " ".join(document.text[s:e].casefold() for s, e in window)
    if not any(organ in text for organ in organs):
        return None
    councils = {m.name for m in organisations if m.type == "regional_council"}
    return councils.pop() if len(councils) == 1 else None


def _fund_names(organisations: list[OrganisationMention]) -> set[str]:
    return {m.name for m in organisations if is_fund(m)}


def _granting(funders: list[OrganisationMention]) -> OrganisationMention:
    """The organisation that grants, before the fund it grants from ("Hämeen ELY-keskus" before "ESR")."""
    return next((m for m in funders if not is_fund(m)), funders[0])


def _document_funder(document: Document, organisations: list[OrganisationMention]) -> str | None:
    """The organisation the whole text names as funding most often ("Keski-Suomen liitto myönsi ...").

    Funds and programmes count only in a text that names no granting
    organisation at all.
    """
    granting: Counter[str] = Counter()
    funds: Counter[str] = Counter()
    for _, block in document.blocks():
        if block.kind == "table":
            continue
        for s, e in sentence_spans(block.text):
            sentence = (block.start + s, block.start + e)
            inside = [m for m in organisations if sentence[0] <= m.start < sentence[1]]
            for mention in inside:
                if role_in_sentence(document, mention, sentence, inside) == "funder":
                    (funds if is_fund(mention) else granting)[mention.name] += 1
    ranked = (granting or funds).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None  # no funder, or two named as often: do not guess
    return ranked[0][0]


def _document_instrument(document: Document) -> str | None:
    """The one instrument a whole text speaks of ("Kolme hanketta sai JTF-rahoitusta"), if only one."""
    named = {instrument_named(document.text[b.start : b.end]) for _, b in document.blocks() if b.kind != "table"}
    named.discard(None)
    return named.pop() if len(named) == 1 else None


def _only_funder(project: str | None, projects: list[ProjectRecord]) -> str | None:
    record = next((p for p in projects if p.name == project), None)
    return record.funders[0] if record is not None and len(record.funders) == 1 else None


_CLAUSE_BREAK = re.compile(r",\s+(?:ja|sekä|mutta)\s+|;\s+")


def _clause_around(document: Document, sentence: tuple[int, int], at: int) -> tuple[int, int]:
    """The part of the sentence between clause breaks (", ja", ", mutta", ";") that holds ``at``."""
    start, end = sentence
    for match in _CLAUSE_BREAK.finditer(document.text, start, end):
        if match.end() <= at:
            start = match.end()
        elif match.start() > at:
            return start, match.start()
    return start, end


def _named_instrument(document: Document, window: list[tuple[int, int]]) -> str | None:
    """The instrument of the nearest stretch that names one: the sum's own sentence, then those before."""
    for s, e in reversed(window):
        named = instrument_named(document.text[s:e])
        if named:
            return named
    return None


def _instrument(
    document: Document, window: list[tuple[int, int]], funder: str | None, organisations: list[OrganisationMention]
) -> str | None:
    # The nearest naming wins ("... EAKR-rahoitusta. TEM on osoittanut AKKE-myöntövaltuutta 1,1 milj. euroa").
    named = _named_instrument(document, window)
    if named:
        return named
    text = " ".join(document.text[s:e] for s, e in reversed(window)).casefold()
    funder_type = next((m.type for m in organisations if m.name == funder), None)
    return state_grant(text, funder_type)
