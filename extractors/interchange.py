"""The interchange format: one JSON object per document, as the format description defines it."""

from __future__ import annotations

from typing import Any

from extractors.extraction import Extraction

RECORD_TYPES = ("projects", "fundings", "contacts", "goals")


def interchange_of(document_id: str, extraction: Extraction) -> dict[str, Any]:
    """The interchange object for one document; ``document_id`` is its file name or URL."""
    facts = extraction.facts
    return {
        "document": {
            "id": document_id,
            "title": facts.title,
            "publisher": facts.publisher,
            "kind": facts.kind,
            "language": facts.language,
        },
        "projects": [p.to_interchange() for p in extraction.projects],
        "fundings": [f.to_interchange() for f in extraction.fundings],
        "contacts": [c.to_interchange() for c in extraction.contacts],
        "goals": [g.to_interchange() for g in extraction.goals],
    }
