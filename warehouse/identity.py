"""When two mentions are the same entity: the keys projects and contacts are merged by."""

from __future__ import annotations

import re
import unicodedata

# Documents write one project's name with different quotes, dashes and
# spacing, and with or without the "-hanke" label ("Kurob-hanke", "Kurob").
_QUOTES = re.compile(r"[\"'«»“”„‘’`´]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_LABEL = re.compile(r"\s*-\s*(?:hanke|hankkeen|hankkeessa|projekti|projektin)$")
_SPACE = re.compile(r"\s+")


def project_key(name: str) -> str:
    """The key that makes mentions of one project one entity: "Oikeus Oppia -hanke" == "oikeus oppia"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _DASHES.sub("-", _QUOTES.sub("", text))
    text = _SPACE.sub(" ", text).strip(" .,:;!")
    stripped = _LABEL.sub("", text).strip()
    return stripped or text


def contact_key(name: str | None, email: str | None, organisation: str | None, phone: str | None = None) -> str:
    """The same e-mail address is the same person; without one, the same name at the same organisation;
    with neither, the same phone number."""
    if email:
        return f"email:{email.strip().casefold()}"
    if not (name or "").strip() and phone:
        return f"phone:{phone}"
    person = _SPACE.sub(" ", unicodedata.normalize("NFKC", name or "")).strip().casefold()
    place = (organisation or "").casefold()
    return f"name:{person}|{place}"
