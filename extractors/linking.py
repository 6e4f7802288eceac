"""Ties records to each other by where they stand: contacts to projects and organisations."""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.contacts import fold
from extractors.organisations import OrganisationMention, aliases, municipalities
from extractors.projects import ProjectScope
from extractors.records import ContactRecord, DocumentFacts, FundingRecord, ProjectRecord


def link_contacts(
    contacts: list[ContactRecord],
    scopes: list[ProjectScope],
    facts: DocumentFacts,
    organisations: list[OrganisationMention],
    blocks: list[tuple[int, int]] = (),
    funders: dict[str, set[str]] | None = None,
    labels: dict[int, str] | None = None,
    coordinators: dict[str, str] | None = None,
) -> list[ContactRecord]:
    """Each contact with the project whose text holds it and the organisation it works for.

    The organisation: one named right next to the person ("Saarijärven
    kaupungin elinvoimajohtaja Eero Lähdesmäki", "TKI-johtaja, LAB-
    ammattikorkeakoulu"), else the one the e-mail domain names
    (hameenlinna.fi, hamk.fi), else the publisher for contacts listed with
    an address; a person only quoted in the text gets none.
    """
    linked = []
    for contact in contacts:
        organisation = _next_to(contact, organisations) or _organisation(contact, facts, organisations)
        project, by_quote = _project_of(contact, scopes, blocks, labels or {})
        if by_quote and organisation in (funders or {}).get(project, ()):
            # A funder's official commenting on a funding decision speaks for
            # the funder, not as the project's contact.
            project = None
        project = project or _managed_project(contact, organisation, coordinators or {})
        linked.append(replace(contact, project=project, organization=organisation))
    return linked


def _project_of(
    contact: ContactRecord, scopes: list[ProjectScope], blocks: list[tuple[int, int]], labels: dict[int, str]
) -> tuple[str | None, bool]:
    """The project of a contact, by where the person stands or speaks, and whether a quote placed it.

    In order: the project whose text holds the contact; the project its
    line is labelled with ("Kotoutumisen kiihdyttämö: projektipäällikkö
    Leena Väätäinen, ..."); the one project named in its paragraph; then, where the person speaks in running text
    (a news item quoting them), the one project named in that paragraph or
    in the paragraph just before it, which the quote comments on. A contact
    list at the end of a page is not a quote and gets none of these.
    """
    at = contact.provenance.start
    holding = [s for s in scopes if any(a <= at < b for a, b in s.ranges)]
    if holding:
        return min(holding, key=lambda s: sum(b - a for a, b in s.ranges)).name, False
    block = next((s for s, e in blocks if s <= at < e), None)
    if block in labels:
        return labels[block], False
    named = _named_in_same_block(at, blocks, scopes)
    if named:
        return named, False
    for quote in (p.start for slot, p in contact.evidence if slot == "quote"):
        named = _named_in_same_block(quote, blocks, scopes) or _named_in_block_before(quote, blocks, scopes)
        if named:
            return named, True
    return None, False


_PROJECT_TITLE = re.compile(r"^(?:projekti|hanke)", re.IGNORECASE)


def _managed_project(contact: ContactRecord, organisation: str | None, coordinators: dict[str, str]) -> str | None:
    """A project manager ("projektipäällikkö", "hankekoordinaattori") of the organisation that
    runs exactly one of the document's projects works on that project."""
    title = (contact.title or "").split()[-1] if contact.title else ""
    if not organisation or not _PROJECT_TITLE.match(title):
        return None
    run = [name for name, coordinator in coordinators.items() if coordinator == organisation]
    return run[0] if len(run) == 1 else None


def labelled_blocks(blocks: list[tuple[int, str]], project_names: list[str]) -> dict[int, str]:
    """Blocks (by start) that open with a project's name and a colon or dash, as contact lists label their lines."""
    labels = {}
    for start, text in blocks:
        head = re.split(r"\s*(?::|\s[–-]\s)", text, maxsplit=1)
        if len(head) == 2 and len(head[0]) < len(text):
            named = [n for n in project_names if fold(n) == fold(head[0])]
            if named:
                labels[start] = named[0]
    return labels


def _named_in_block_before(at: int, blocks: list[tuple[int, int]], scopes: list[ProjectScope]) -> str | None:
    index = next((i for i, (s, e) in enumerate(blocks) if s <= at < e), None)
    if not index:
        return None
    return _named_in_same_block(blocks[index - 1][0], blocks, scopes)


def _named_in_same_block(at: int, blocks: list[tuple[int, int]], scopes: list[ProjectScope]) -> str | None:
    """A person quoted in a paragraph that names one project is that project's contact."""
    block = next(((s, e) for s, e in blocks if s <= at < e), None)
    if block is None:
        return None
    named = {s.name for s in scopes if not s.heading_project and any(block[0] <= a < block[1] for a, _ in s.ranges)}
    return named.pop() if len(named) == 1 else None


def _next_to(contact: ContactRecord, organisations: list[OrganisationMention]) -> str | None:
    """An organisation within a few characters before or after the person's name or title."""
    first = contact.provenance.start
    spans = [(first, contact.provenance.end)] + [(p.start, p.end) for _, p in contact.evidence if abs(p.start - first) < 200]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    near = [m for m in organisations if start - 3 <= m.end <= start or end <= m.start <= end + 3]
    near = [m for m in near if m.rule != "municipality.bare" or m.case == "Gen"]
    return near[0].name if near else None


def _organisation(contact: ContactRecord, facts: DocumentFacts, organisations: list[OrganisationMention]) -> str | None:
    if contact.email:
        domain = contact.email.rsplit("@", 1)[-1]
        # A municipality's domain names it; else an organisation the text names
        # ("Hämeen ELY-keskus") is more precise than the table's generic one.
        return (
            municipality_of_domain(domain)
            or _named_in_document(domain, organisations)
            or organisation_of_domain(domain)
            or facts.publisher
        )
    if contact.phone:
        return facts.publisher
    return None


def _named_in_document(domain: str, organisations: list[OrganisationMention]) -> str | None:
    """An organisation the document names whose name spells the domain (linnaseutu.fi -> Linnaseutu ry)."""
    label = fold(_domain_label(domain))
    if len(label) < 5:
        return None
    named = {m.name for m in organisations if m.rule != "municipality.bare"}
    spelled = [name for name in named if label in fold(name)]
    return max(spelled, key=len) if spelled else None


def _domain_label(domain: str) -> str:
    """The name part of a domain: "kaupunki.hameenlinna.fi" -> "hameenlinna"."""
    parts = domain.casefold().split(".")
    return parts[-2] if len(parts) >= 2 else parts[0]


def _spells_genitive(label: str, name: str) -> bool:
    """ "keskisuomi" spells "Keski-Suomen liitto": a name in the genitive changes its last letters."""
    return name.startswith(label) or (len(label) >= 6 and name.startswith(label[:-1]))


def municipality_of_domain(domain: str) -> str | None:
    """ "hameenlinna.fi", "nokiankaupunki.fi" -> the municipality's official name."""
    label = _domain_label(domain)
    for key, town in municipalities().items():
        if label == fold(key) or (label.startswith(fold(town.genitive)) and label.endswith(town.type)):
            return town.official_name
    return None


def organisation_of_domain(domain: str) -> str | None:
    """ "hamk.fi" -> Hämeen ammattikorkeakoulu, "nokiankaupunki.fi" -> Nokian kaupunki, else None."""
    label = _domain_label(domain)
    for alias, (canonical, kind) in aliases().items():
        if fold(alias) == label:
            return canonical
        # kymenlaakso.fi -> Kymenlaakson liitto: a region's name is its council's domain.
        if kind == "regional_council" and len(label) >= 4 and _spells_genitive(label, fold(canonical)):
            return canonical
    return municipality_of_domain(domain)


def funders_from_fundings(projects: list[ProjectRecord], fundings: list[FundingRecord]) -> list[ProjectRecord]:
    """A project's funders include everyone a sum for it comes from."""
    linked = []
    for project in projects:
        paying = [f.funder for f in fundings if f.project == project.name and f.funder]
        extra = [name for name in dict.fromkeys(paying) if name not in project.funders and name != project.coordinator]
        linked.append(replace(project, funders=project.funders + tuple(extra)) if extra else project)
    return linked


def contacts_of_projects(projects: list[ProjectRecord], contacts: list[ContactRecord]) -> list[ProjectRecord]:
    """A project lists every contact linked to it (by e-mail, else by name)."""
    linked = []
    for project in projects:
        keys = [c.email or c.name for c in contacts if c.project == project.name and (c.email or c.name)]
        extra = [k for k in dict.fromkeys(keys) if k not in project.contacts]
        linked.append(replace(project, contacts=project.contacts + tuple(extra)) if extra else project)
    return linked
