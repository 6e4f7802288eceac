"""Finds e-mail addresses and phone numbers and normalises them.

E-mails: the obfuscated forms of Finnish public-sector sites ("(at)",
"[at]", " at ") become "@", and the address is lower-cased; an apostrophe
between letters of the local part ("o'karkkainen@", "O’Karkkainen(at)")
belongs to the address, written as "'". Phones: Finnish
national numbers (0 + area or mobile prefix) and +358 numbers become E.164
("050 50 502 113" -> "+3585050502113").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from extractors.conventions import conventions
from extractors.records import ContactChannelRecord, Provenance
from pipeline.document import Document

NAME = "fi.contact_channels"
VERSION = "1"


def _conventions() -> dict:
    return conventions("contact_channels.json")


# The straight apostrophe and the typographic ones a word processor puts in its place.
_APOSTROPHES = "'\u2019\u02bc"
_LETTER = "A-Za-zÅÄÖåäö"
# An apostrophe is part of a name only between letters ("o'karkkainen"); before or
# after a word it quotes it ("'Hilkka' hilkka@x.fi", "’hilkka@x.fi’").
_INNER_APOSTROPHE = rf"(?<=[{_LETTER}])[{_APOSTROPHES}](?=[{_LETTER}])"


@lru_cache(maxsize=1)
def _email_pattern() -> re.Pattern[str]:
    at = "|".join(re.escape(form) for form in _conventions()["at_sign_forms"])
    dot = "|".join(re.escape(form) for form in _conventions()["dot_forms"])
    local = rf"(?:[{_LETTER}0-9._%+\-]|{_INNER_APOSTROPHE})+"
    label = r"[A-Za-z0-9ÅÄÖåäö\-]+"
    domain = rf"{label}(?:(?:\.|{dot}){label})*(?:\.|{dot})[A-Za-z]{{2,}}"
    return re.compile(rf"(?<![\w.]){local}\s*(?:{at})\s*{domain}(?![\w])", re.IGNORECASE)


# A phone number: +358 or 0, then digit groups separated by single spaces,
# hyphens or slashes; the length check in normalise_phone does the rest.
_PHONE = re.compile(r"(?<![\d\w+])(?:\+\s?358(?:\s?\(0\))?|\(0\d{1,3}\)|0\d)(?:[ \-/]?\d){5,12}(?!\d)")


def normalise_email(raw: str) -> str | None:
    """The address with obfuscations undone, lower-cased; None if it is not one."""
    text = raw
    for form in _conventions()["at_sign_forms"]:
        text = re.sub(re.escape(form), "@", text, flags=re.IGNORECASE)
    for form in _conventions()["dot_forms"]:
        text = re.sub(re.escape(form), ".", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", "", text).lower()
    text = re.sub(_INNER_APOSTROPHE, "'", text.strip(_APOSTROPHES))
    local, at, domain = text.partition("@")
    if not at or not local or "@" in domain or "." not in domain or domain.endswith("."):
        return None
    return text


def normalise_phone(raw: str) -> str | None:
    """E.164 form of a Finnish or +358 number, or None when it cannot be one."""
    digits = re.sub(r"\D", "", raw)
    code = _conventions()["country_code"]
    if raw.lstrip().startswith("+"):
        if not digits.startswith(code):
            return None
        national = digits[len(code):].lstrip("0")
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    low, high = _conventions()["min_national_digits"] - 1, _conventions()["max_national_digits"] - 1
    if not low <= len(national) <= high or national.startswith("0"):
        return None
    return f"+{code}{national}"


def extract_contact_channels(document: Document) -> list[ContactChannelRecord]:
    """Every e-mail address and phone number in the document, in text order."""
    return sorted(
        [*_emails(document), *_phones(document)],
        key=lambda record: record.provenance.start,
    )


def _emails(document: Document) -> Iterator[ContactChannelRecord]:
    for match in _email_pattern().finditer(document.text):
        value = normalise_email(match.group())
        if value:
            rule = "email.plain" if "@" in match.group() else "email.obfuscated"
            yield _record(document, "email", value, match, rule, 0.98 if rule == "email.plain" else 0.9)


def _phones(document: Document) -> Iterator[ContactChannelRecord]:
    for match in _PHONE.finditer(document.text):
        value = normalise_phone(match.group())
        if value and not _unit_follows(document.text, match.end()):
            yield _record(document, "phone", value, match, "phone.fi", 0.85)


def _unit_follows(text: str, end: int) -> bool:
    """A sum or a quantity ("120 000 euroa", "050 %") is not a phone number."""
    following = text[end : end + 12].lstrip().casefold()
    return any(following.startswith(unit) for unit in _conventions()["units_after_numbers"])


def _record(
    document: Document, kind: str, value: str, match: re.Match[str], rule: str, confidence: float
) -> ContactChannelRecord:
    start, end = match.span()
    provenance = Provenance.of_span(
        document, start, end, extractor=NAME, version=VERSION, rule=rule, confidence=confidence
    )
    return ContactChannelRecord(kind, value, provenance)
