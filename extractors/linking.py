"""Ties records to each other by where they stand: contacts to projects and organisations."""

from __future__ import annotations

from dataclasses import replace

from extractors.contacts import fold
from extractors.organisations import municipalities
from extractors.projects import ProjectScope
from extractors.records import ContactRecord, DocumentFacts


def link_contacts(
    contacts: list[ContactRecord], scopes: list[ProjectScope], facts: DocumentFacts
) -> list[ContactRecord]:
    """Each contact with the project whose text holds it and the organisation it works for.

    The organisation comes from the e-mail domain when it names a
    municipality (hameenlinna.fi), else from the publisher for contacts
    listed with an address; a person only quoted in the text gets none.
    """
    linked = []
    for contact in contacts:
        at = contact.provenance.start
        holding = [s for s in scopes if any(a <= at < b for a, b in s.ranges)]
        project = min(holding, key=lambda s: sum(b - a for a, b in s.ranges)).name if holding else None
        linked.append(replace(contact, project=project, organization=_organisation(contact, facts)))
    return linked


def _organisation(contact: ContactRecord, facts: DocumentFacts) -> str | None:
    if contact.email:
        domain = contact.email.rsplit("@", 1)[-1].split(".")
        label = domain[-2] if len(domain) >= 2 else ""
        town = next((t for key, t in municipalities().items() if fold(key) == label), None)
        if town is not None:
            return town.official_name
        return facts.publisher
    if contact.phone:
        return facts.publisher
    return None
