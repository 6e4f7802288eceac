"""What a document is: its title, publisher and kind (project list, strategy, work programme, news)."""

from __future__ import annotations

import re
from collections import Counter

from extractors.conventions import conventions
from extractors.linking import organisation_of_domain
from extractors.organisations import OrganisationMention
from extractors.records import DocumentFacts, ProjectRecord
from pipeline.document import Document

NAME = "fi.document_facts"
VERSION = "1"
PROJECT_LIST_MINIMUM = 3


def _conventions() -> dict:
    return conventions("document_kinds_fi.json")


def extract_document_facts(
    document: Document, organisations: list[OrganisationMention], projects: list[ProjectRecord]
) -> DocumentFacts:
    title = _title(document)
    return DocumentFacts(
        title=title,
        publisher=_publisher(document, organisations),
        kind=_kind(document, title, projects),
        language=document.language,
    )


def _title(document: Document) -> str | None:
    """The reader's title, unless it is a short label above the real headline ("Kanta-Häme")."""
    headings = [b for _, b in document.blocks() if b.kind == "heading"]
    if len(headings) >= 2 and headings[0].text == document.title:
        first, second = headings[0], headings[1]
        adjacent = not document.text[first.end : second.start].strip()
        if adjacent and len(first.text.split()) <= 2 < len(second.text.split()):
            return second.text
    return document.title


def _publisher(document: Document, organisations: list[OrganisationMention]) -> str | None:
    """The organisation most e-mail addresses belong to, else the one named most often."""
    domains = Counter(m.group(1) for m in re.finditer(r"(?:@|\(at\)|\[at\])([\w.-]+\.fi)\b", document.text.casefold()))
    for domain, _ in domains.most_common():
        named = organisation_of_domain(domain)
        if named is not None:
            return named
    counts = Counter(m.name for m in organisations if m.rule != "municipality.bare")
    if not counts:
        return None
    best = max(counts.values())
    return next(m.name for m in organisations if counts.get(m.name) == best)


def _kind(document: Document, title: str | None, projects: list[ProjectRecord]) -> str:
    key = (title or "").casefold()
    words = _conventions()["title_words"]
    for kind in ("work_programme", "project_list", "news"):
        if any(word in key for word in words[kind]):
            return kind
    if sum(1 for p in projects if p.provenance.rule == "projects.heading") >= PROJECT_LIST_MINIMUM:
        return "project_list"
    if any(word in key for word in words["strategy"]):
        return "strategy"
    text = document.text.casefold()
    if sum(text.count(f" {marker} ") for marker in _conventions()["news_markers"]) >= 1 and "– " in document.text:
        return "news"
    return "other"
