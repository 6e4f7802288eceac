"""Every extractor, registered once under a versioned name.

The extractor version the warehouse records is derived from this registry
and the data files the rules load, so that changing a rule or an alias
table changes the version and triggers re-extraction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable

from extractors import contact_channels
from pipeline.document import Document

Extractor = Callable[[Document], list[Any]]


@dataclass(frozen=True)
class ExtractorSpec:
    """A registered extractor: its name, version, what it writes, and the function."""

    name: str
    version: str
    produces: str
    function: Extractor

    @property
    def versioned_name(self) -> str:
        return f"{self.name}.v{self.version}"


EXTRACTORS: tuple[ExtractorSpec, ...] = (
    ExtractorSpec(
        contact_channels.NAME, contact_channels.VERSION, "contact_channels", contact_channels.extract_contact_channels
    ),
)


def ruleset_version() -> str:
    """A short hash over the registered extractors and every data file they load."""
    digest = hashlib.sha256()
    for spec in EXTRACTORS:
        digest.update(spec.versioned_name.encode())
    data = resources.files("extractors.data")
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".json", ".csv", ".yaml")):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


def run_extractors(document: Document) -> dict[str, list[Any]]:
    """Records of every registered extractor, keyed by what they produce."""
    results: dict[str, list[Any]] = {}
    for spec in EXTRACTORS:
        results.setdefault(spec.produces, []).extend(spec.function(document))
    return results
