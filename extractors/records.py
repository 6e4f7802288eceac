"""Records that extractors produce, each carrying the evidence it came from."""

from __future__ import annotations

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
