"""The interchange format: one JSON object per document (see the format description in the README)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from extractors.linking import link_contacts
from extractors.records import DocumentFacts
from pipeline.document import Document


UNTHEMED_KINDS = ("news", "other")


def interchange_of(document: Document, results: dict[str, Any]) -> dict[str, Any]:
    """The interchange object for one document from its extraction results."""
    facts: DocumentFacts = results["document_facts"]
    contacts = link_contacts(results["contacts"], results["project_scopes"], facts, results["organisations"])
    projects = results["projects"]
    if facts.kind in UNTHEMED_KINDS:
        # News and forms have headings, but they file nothing under them.
        projects = [replace(p, theme=None) for p in projects]
    return {
        "document": {
            "id": document.name,
            "title": facts.title,
            "publisher": facts.publisher,
            "kind": facts.kind,
            "language": facts.language,
        },
        "projects": [p.to_interchange() for p in projects],
        "fundings": [f.to_interchange() for f in results["fundings"]],
        "contacts": [c.to_interchange() for c in contacts],
        "goals": [g.to_interchange() for g in results["goals"]],
    }
