"""One document's extraction: every record type, linked, ready to load or export."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from extractors.contact_channels import ContactChannelRecord
from extractors.linking import contacts_of_projects, funders_from_fundings, labelled_blocks, link_contacts
from extractors.organisations import OrganisationMention
from extractors.records import ContactRecord, DocumentFacts, FundingRecord, GoalRecord, ProjectRecord
from extractors.registry import run_extractors
from pipeline.batch import Failure
from pipeline.document import Document

# Projects listed as the publisher's own ("Liiton omat hankkeet:").
OWN_PROJECTS_RULE = "projects.list.own"
# News and forms have headings, but they file no projects under them.
UNTHEMED_KINDS = ("news", "other")


@dataclass(frozen=True)
class DateWarning:
    """An impossible date, kept at its valid precision, and where it stands."""

    message: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    facts: DocumentFacts
    projects: tuple[ProjectRecord, ...]
    fundings: tuple[FundingRecord, ...]
    contacts: tuple[ContactRecord, ...]
    goals: tuple[GoalRecord, ...]
    contact_channels: tuple[ContactChannelRecord, ...]
    organisations: tuple[OrganisationMention, ...]
    date_warnings: tuple[DateWarning, ...]

    @property
    def record_count(self) -> int:
        return len(self.projects) + len(self.fundings) + len(self.contacts) + len(self.goals)


def extract(document: Document) -> Extraction:
    """Runs every registered extractor on ``document`` and links their records."""
    blocks = [b for _, b in document.blocks() if b.table is None]
    results = run_extractors(document)
    labels = labelled_blocks([(b.start, b.text) for b in blocks], [p.name for p in results["projects"]])
    return extraction_from_results(results, [(b.start, b.end) for b in blocks], labels)


def _without(names: tuple[str, ...], name: str | None) -> tuple[str, ...]:
    return tuple(n for n in names if n != name)


def extract_or_fail(document: Document) -> Extraction | Failure:
    """The extraction, or a Failure naming the document: an extractor bug must not stop a batch."""
    try:
        return extract(document)
    except Exception as error:  # noqa: BLE001 - recorded as data, never dropped
        return Failure(document.source, "extractor_error", f"extraction failed: {type(error).__name__}: {error}")


def extraction_from_results(
    results: dict[str, Any], blocks: list[tuple[int, int]] = (), labels: dict[int, str] | None = None
) -> Extraction:
    facts: DocumentFacts = results["document_facts"]
    projects = funders_from_fundings(results["projects"], results["fundings"])
    projects = [
        replace(p, coordinator=facts.publisher) if p.provenance.rule == OWN_PROJECTS_RULE and not p.coordinator else p
        for p in projects
    ]
    # Whichever text gave the coordinator, it is not also a partner or a funder of its own project.
    projects = [
        replace(p, partners=_without(p.partners, p.coordinator), funders=_without(p.funders, p.coordinator))
        for p in projects
    ]
    if facts.kind in UNTHEMED_KINDS:
        projects = [replace(p, theme=None) for p in projects]
    funders = {p.name: set(p.funders) for p in projects}
    coordinators = {p.name: p.coordinator for p in projects if p.coordinator}
    contacts = link_contacts(
        results["contacts"], results["project_scopes"], facts, results["organisations"], list(blocks), funders, labels,
        coordinators,
    )
    projects = contacts_of_projects(projects, contacts)
    return Extraction(
        facts=facts,
        projects=tuple(projects),
        fundings=tuple(results["fundings"]),
        contacts=tuple(contacts),
        goals=tuple(results["goals"]),
        contact_channels=tuple(results["contact_channels"]),
        organisations=tuple(results["organisations"]),
        date_warnings=tuple(DateWarning(message, start, end) for start, end, message in results["date_warnings"]),
    )
