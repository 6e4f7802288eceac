"""Records that extractors produce, each carrying the evidence it came from."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.document import Document


@dataclass(frozen=True)
class Provenance:
    """Where a value came from: document, page, exact characters, and which rule found it."""

    document_sha256: str
    page: int
    start: int
    end: int
    text: str
    extractor: str
    version: str
    rule: str
    confidence: float

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")
        if self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}..{self.end} does not fit evidence {self.text!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within 0..1, got {self.confidence}")

    @classmethod
    def of_span(
        cls, document: Document, start: int, end: int, *, extractor: str, version: str, rule: str, confidence: float
    ) -> Provenance:
        """Provenance for ``document.text[start:end]``, its page looked up from the offset."""
        return cls(
            document_sha256=document.sha256,
            page=document.page_at(start),
            start=start,
            end=end,
            text=document.text[start:end],
            extractor=extractor,
            version=version,
            rule=rule,
            confidence=confidence,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


CONTACT_CHANNEL_KINDS = ("email", "phone")


@dataclass(frozen=True)
class ContactChannelRecord:
    """An e-mail address or phone number, normalised, with its evidence."""

    kind: str
    value: str
    provenance: Provenance

    def __post_init__(self) -> None:
        if self.kind not in CONTACT_CHANNEL_KINDS:
            raise ValueError(f"kind must be one of {CONTACT_CHANNEL_KINDS}, got {self.kind!r}")
        if not self.value:
            raise ValueError("a contact channel needs a value")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "provenance": self.provenance.to_dict()}


FieldEvidence = tuple[tuple[str, Provenance], ...]
PROJECT_STATUSES = ("ongoing", "ended", "planned")
QUALIFIERS = ("exact", "max", "min", "approx")


@dataclass(frozen=True)
class ProjectRecord:
    """A project (hanke) with its dates, theme, status and the organisations in each role."""

    name: str
    provenance: Provenance
    start_date: str | None = None
    end_date: str | None = None
    status: str | None = None
    theme: str | None = None
    coordinator: str | None = None
    partners: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    evidence: FieldEvidence = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a project needs a name")
        if self.status is not None and self.status not in PROJECT_STATUSES:
            raise ValueError(f"status must be one of {PROJECT_STATUSES} or None, got {self.status!r}")
        for value in (self.start_date, self.end_date):
            if value is not None and not _is_iso_prefix(value):
                raise ValueError(f"dates are ISO at some precision (YYYY, YYYY-MM, YYYY-MM-DD), got {value!r}")

    def to_interchange(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "status": self.status,
            "theme": self.theme,
            "coordinator": self.coordinator,
            "partners": list(self.partners),
            "funders": list(self.funders),
            "contacts": list(self.contacts),
        }


@dataclass(frozen=True)
class FundingRecord:
    """A sum (or a funding relation without a sum) tied to a project, funder and instrument.

    ``is_total``: the sum is a stated total of other sums in the same document
    ("kokonaisrahoitus", a "Yhteensä" row), not money of its own; adding it to
    its parts would count the money twice.
    """

    provenance: Provenance
    project: str | None = None
    funder: str | None = None
    amount_eur: float | None = None
    qualifier: str | None = None
    instrument: str | None = None
    evidence: FieldEvidence = ()
    is_total: bool = False

    def __post_init__(self) -> None:
        if self.qualifier is not None and self.qualifier not in QUALIFIERS:
            raise ValueError(f"qualifier must be one of {QUALIFIERS}, got {self.qualifier!r}")
        if self.amount_eur is not None and self.amount_eur < 0:
            raise ValueError(f"amount must not be negative, got {self.amount_eur}")
        if (self.amount_eur is None) != (self.qualifier is None):
            raise ValueError(
                f"a qualifier goes with an amount, and only with one: amount {self.amount_eur!r}, qualifier {self.qualifier!r}"
            )

    def to_interchange(self) -> dict[str, Any]:
        amount = self.amount_eur
        data = {
            "project": self.project,
            "funder": self.funder,
            "amount_eur": int(amount) if amount is not None and amount == int(amount) else amount,
            "qualifier": self.qualifier,
            "instrument": self.instrument,
        }
        # Only a total carries the key: the format's answers leave it out.
        return {**data, "is_total": True} if self.is_total else data


@dataclass(frozen=True)
class ContactRecord:
    """A person to contact, with role, channels, organisation and project."""

    name: str | None
    provenance: Provenance
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    organization: str | None = None
    project: str | None = None
    evidence: FieldEvidence = ()

    def __post_init__(self) -> None:
        if not (self.name or self.email or self.phone):
            raise ValueError("a contact needs a name, an e-mail or a phone number")
        if self.email is not None and (self.email != self.email.lower() or "@" not in self.email):
            raise ValueError(f"e-mail must be normalised (lower case, with @), got {self.email!r}")
        if self.phone is not None and not self.phone.startswith("+"):
            raise ValueError(f"phone must be E.164, got {self.phone!r}")

    def to_interchange(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "email": self.email,
            "phone": self.phone,
            "organization": self.organization,
            "project": self.project,
        }


@dataclass(frozen=True)
class GoalRecord:
    """An objective with its actions (toimenpiteet) and indicators (mittarit)."""

    objective: str
    provenance: Provenance
    section: str | None = None
    period: str | None = None
    actions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    evidence: FieldEvidence = ()

    def __post_init__(self) -> None:
        if not self.objective.strip():
            raise ValueError("a goal needs an objective")

    def to_interchange(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "period": self.period,
            "objective": self.objective,
            "actions": list(self.actions),
            "indicators": list(self.indicators),
        }


@dataclass(frozen=True)
class DocumentFacts:
    """What the document is: title, publisher and kind, as the interchange format names them."""

    title: str | None
    publisher: str | None
    kind: str
    language: str | None


DOCUMENT_KINDS = ("project_list", "strategy", "work_programme", "news", "other")


def _is_iso_prefix(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value))
