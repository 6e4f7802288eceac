"""Project and funding records from projects written as fields (table rows, forms)."""

from __future__ import annotations

import re
from collections.abc import Callable

from extractors.dates import find_periods
from extractors.instruments import instrument_named
from extractors.money import find_money
from extractors.organisations import OrganisationMention, aliases, canonical_name, organisation_heads, organisation_type
from extractors.project_fields import FieldedProject, FieldValue, split_list
from extractors.records import FundingRecord, ProjectRecord, Provenance
from pipeline.document import Document

NAME = "fi.project_fields"
VERSION = "1"
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_COMPANY_FORM = re.compile(r"\s+(?:oy|oyj|ry|ab)$", re.IGNORECASE)


def canonical_organisation(text: str) -> str:
    """A name as written in a field, in the table's official form where known."""
    name = _PARENTHESES.sub("", text).strip(" ,.;")
    resolved = canonical_name(name)
    if resolved != name:
        return resolved
    bare = _COMPANY_FORM.sub("", name)
    return canonical_name(bare) if bare.casefold() in aliases() else name


def project_record(
    document: Document,
    fielded: FieldedProject,
    status_of: Callable[[str], str | None],
    organisations: list[OrganisationMention],
) -> ProjectRecord:
    """A project from its fields; organisations are read from the field text as from prose.

    "Toteuttaja: Hämeenlinnan kaupunki, osatoteuttaja Hämeen ammattikorkeakoulu":
    the first organisation of the implementer field coordinates, the others take part.
    """
    fields = fielded.fields
    name = fields["name"]
    in_coordinator = _mentioned(fields.get("coordinator"), organisations)
    coordinator = in_coordinator[0] if in_coordinator else _first_organisation(fields.get("coordinator"))
    partners = in_coordinator[1:] + (_mentioned(fields.get("partners"), organisations) or _organisations(fields.get("partners")))
    partners = list(dict.fromkeys(p for p in partners if p != coordinator))
    funder = _first_organisation(fields.get("funder"), known_only=True)
    start_date, end_date = _dates(fields)
    return ProjectRecord(
        name=_PARENTHESES.sub("", name.first_line).strip(),
        provenance=_provenance(document, name, f"projects.{fielded.source}"),
        start_date=start_date,
        end_date=end_date,
        status=status_of(fields["status"].text) if "status" in fields else None,
        coordinator=coordinator,
        partners=tuple(partners),
        funders=(funder,) if funder else (),
    )


def funding_record(document: Document, fielded: FieldedProject, default_funder: str | None) -> FundingRecord | None:
    """The sum a project row or form grants, with its funder and instrument, or None."""
    fields = fielded.fields
    holder = fields.get("amount") or fields.get("funder")
    if holder is None:
        return None
    money = find_money(holder.text)
    if not money and "amount" in fields:
        money = find_money(holder.text + " €") if re.fullmatch(r"[\d  .,]+", holder.text.strip()) else []
    if not money:
        return None
    amount = money[0]
    funder = _first_organisation(fields.get("funder"), known_only=True) or default_funder
    label = " ".join(fielded.labels.values())
    instrument = instrument_named(f"{holder.text} {label}")
    return FundingRecord(
        provenance=_provenance(document, holder, f"fundings.{fielded.source}"),
        project=_PARENTHESES.sub("", fields["name"].first_line).strip(),
        funder=funder,
        amount_eur=amount.amount_eur,
        qualifier=amount.qualifier,
        instrument=instrument,
    )


def _mentioned(value: FieldValue | None, organisations: list[OrganisationMention]) -> list[str]:
    if value is None:
        return []
    names = [m.name for m in organisations if value.start <= m.start < value.end]
    return list(dict.fromkeys(names))


def _first_organisation(value: FieldValue | None, *, known_only: bool = False) -> str | None:
    """The first organisation a field names; with ``known_only`` a programme's name does not count."""
    names = [n for n in _organisations(value) if not known_only or organisation_type(n) != "other" or _has_head(n)]
    return names[0] if names else None


def _has_head(name: str) -> bool:
    last = name.split()[-1].casefold() if name.split() else ""
    return any(last.endswith(head) for head in organisation_heads()) or last in ("ry", "oy", "oyj", "ab")


def _organisations(value: FieldValue | None) -> list[str]:
    if value is None:
        return []
    names = []
    for line in value.lines or (value.text,):
        if find_money(line):
            continue
        for part in split_list(line):
            name = canonical_organisation(part)
            if name and name not in names and name[:1].isupper():
                names.append(name)
    return names


def _dates(fields: dict[str, FieldValue]) -> tuple[str | None, str | None]:
    start = end = None
    if "period" in fields:
        periods = find_periods(fields["period"].text)
        if periods:
            first, last = periods[0], periods[-1]
            start = (first.start_date or first.end_date).value if first is not last else (
                first.start_date.value if first.start_date else None
            )
            end = last.end_date.value if last.end_date else None
    if "start" in fields:
        found = find_periods(fields["start"].text)
        start = found[0].start_date.value if found and found[0].start_date else start
    if "end" in fields:
        found = find_periods(fields["end"].text)
        if found:
            date = found[0].end_date or found[0].start_date
            end = date.value if date else end
    return start, end


def _provenance(document: Document, value: FieldValue, rule: str) -> Provenance:
    return Provenance.of_span(
        document, value.start, value.end, extractor=NAME, version=VERSION, rule=rule, confidence=0.85
    )
