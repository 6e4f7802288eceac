"""Every extractor, registered once under a versioned name, with what it reads and writes.

Extractors run in the order listed; each reads the document and the
results named in ``reads`` and writes one result. The extractor version the
warehouse records is derived from this registry, the data files the rules
load and the NLP model, so that changing any of them re-extracts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata, resources
from typing import Any

from extractors import (
    contact_channels,
    contacts,
    document_facts,
    fundings,
    goals,
    organisations,
    project_fields,
    projects,
)
from extractors.dates import find_periods
from extractors.nlp import AnalysedBlock, analyse, finite_verb_offsets, model_version
from pipeline.document import Document


@dataclass
class ExtractionContext:
    """The document and the results so far; the spaCy analysis is made once, when first asked for."""

    document: Document
    results: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def analysed(self) -> list[AnalysedBlock]:
        return analyse(self.document)


@dataclass(frozen=True)
class ExtractorSpec:
    """A registered extractor: versioned name, what it reads and writes, and its function."""

    name: str
    version: str
    reads: tuple[str, ...]
    writes: str
    function: Callable[[ExtractionContext], Any]

    @property
    def versioned_name(self) -> str:
        return f"{self.name}.v{self.version}"


def _projects(context: ExtractionContext) -> Any:
    # The projects extractor also says which text each project covers;
    # fundings and the linking of contacts read that as "project_scopes".
    found, scopes = projects.extract_projects(
        context.document,
        context.results["organisations"],
        context.results["contacts"],
        context.results["fielded_projects"],
        finite_verbs=finite_verb_offsets(context.analysed),
    )
    context.results["project_scopes"] = scopes
    return found


EXTRACTORS: tuple[ExtractorSpec, ...] = (
    ExtractorSpec(
        contact_channels.NAME, contact_channels.VERSION, (), "contact_channels",
        lambda c: contact_channels.extract_contact_channels(c.document),
    ),
    ExtractorSpec(
        "fi.organisations", "1", (), "organisations",
        lambda c: organisations.find_organisations(c.analysed),
    ),
    ExtractorSpec(
        contacts.NAME, contacts.VERSION, (), "contacts",
        lambda c: contacts.extract_contacts(c.document, c.analysed),
    ),
    ExtractorSpec(
        "fi.project_fields", "1", (), "fielded_projects",
        lambda c: project_fields.fielded_projects(c.document),
    ),
    ExtractorSpec(
        projects.NAME, projects.VERSION, ("organisations", "contacts", "fielded_projects"), "projects", _projects
    ),
    ExtractorSpec(
        fundings.NAME, fundings.VERSION, ("organisations", "projects", "fielded_projects"), "fundings",
        lambda c: fundings.extract_fundings(
            c.document,
            c.results["organisations"],
            c.results["projects"],
            c.results["project_scopes"],
            c.results["fielded_projects"],
        ),
    ),
    ExtractorSpec(goals.NAME, goals.VERSION, (), "goals", lambda c: goals.extract_goals(c.document)),
    ExtractorSpec(
        document_facts.NAME, document_facts.VERSION, ("organisations", "projects"), "document_facts",
        lambda c: document_facts.extract_document_facts(c.document, c.results["organisations"], c.results["projects"]),
    ),
    ExtractorSpec(
        "fi.date_warnings", "1", (), "date_warnings",
        lambda c: [(p.start, p.end, w) for p in find_periods(c.document.text) for w in p.warnings],
    ),
)


def ruleset_version() -> str:
    """The package version and a short hash over the registered extractors, every data file they load,
    and the model: "0.1.0+1a2b3c4d5e6f". A change to any of them re-extracts every document."""
    return f"{_package_version()}+{_rules_hash()}"


def _package_version() -> str:
    try:
        return metadata.version("plansift")
    except metadata.PackageNotFoundError:
        # Run from a source tree that was never installed.
        return "0+unknown"


def _rules_hash() -> str:
    digest = hashlib.sha256()
    for spec in EXTRACTORS:
        digest.update(spec.versioned_name.encode())
    data = resources.files("extractors.data")
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".json", ".csv", ".yaml")):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    digest.update(model_version().encode())
    return digest.hexdigest()[:12]


def run_extractors(document: Document) -> dict[str, Any]:
    """Results of every registered extractor, keyed by what they write."""
    context = ExtractionContext(document)
    for spec in EXTRACTORS:
        missing = [name for name in spec.reads if name not in context.results]
        if missing:
            raise RuntimeError(f"{spec.versioned_name} reads {missing}, which no earlier extractor writes")
        context.results[spec.writes] = spec.function(context)
    return context.results
