"""Which role a sentence gives an organisation: coordinator, partner or funder.

Finnish plans name roles with verbs and nouns of administration
(hallinnoi, koordinoi, päätoteuttajana -> coordinator; mukana,
osatoteuttajana, yhteistyökumppaneina -> partner; rahoittaa, myöntänyt,
-rahoitteinen -> funder). They are matched as word beginnings, so every
inflected form counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.conventions import conventions
from extractors.organisations import OrganisationMention
from pipeline.document import Document


def _conventions() -> dict:
    return conventions("projects_fi.json")


DEFAULT_FUNDER_TYPES = ("ministry", "agency", "fund", "programme")


def is_fund(mention: OrganisationMention) -> bool:
    """A fund or programme (ESR, Interreg Europe) rather than an organisation that grants."""
    return mention.type in ("fund", "programme")


def funds(mention: OrganisationMention) -> bool:
    """Can this organisation pay for projects (a ministry, an agency, a fund, a programme)?"""
    return mention.type in _conventions()["funder_types"]


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    cues = {c for words in _conventions()["role_cues"].values() for c in words} | set(_conventions()["weak_funder_cues"])
    alternatives = "|".join(map(re.escape, sorted(cues, key=len, reverse=True)))
    return re.compile(rf"(?<![\wåäö])[-–]?(?:{alternatives})[\wåäö]*", re.IGNORECASE)


@dataclass(frozen=True)
class _Cue:
    role: str
    start: int
    end: int


def _cues(document: Document, start: int, end: int) -> list[_Cue]:
    found = []
    for match in _cue_pattern().finditer(document.text, start, end):
        role = _role_of_cue(match.group().lstrip("-–").casefold())
        if role is not None:
            found.append(_Cue(role, match.start(), match.end()))
    return found


def role_in_sentence(
    document: Document,
    mention: OrganisationMention,
    sentence: tuple[int, int],
    sentence_organisations: list[OrganisationMention],
) -> str | None:
    """The role a sentence gives an organisation.

    1. "<Org>:n hanke": the project's owner is its coordinator.
    2. In the organisation's own clause (commas and "ja <role word>" part
       clauses), a coordinator word wins, else the nearest role word.
    3. Outside its clause only a participant word reaches it: lists of
       partners run over commas, other roles do not.
    4. A funder role needs an organisation that funds (a ministry, an
       agency, a fund); an allative ("kaupungille") is a recipient.
    5. With no role word at all, a ministry, agency or fund in a project's
       text is its funder.
    """
    start, end = sentence
    if _owns_project_word(document, mention):
        return "coordinator"
    clause = _clause_around(document, mention, start, end)
    cues = _cues(document, *clause)
    role = None
    if cues:
        role = _nearest(cues, mention).role
        if role != "coordinator" and _coordinator_cue_nearest_to(
            cues, mention, [m for m in sentence_organisations if clause[0] <= m.start < clause[1]]
        ):
            role = "coordinator"
    else:
        partner_cues = [c for c in _cues(document, start, end) if c.role == "partner"]
        role = _nearest(partner_cues, mention).role if partner_cues else None
    if role == "partner" and mention.case in _conventions()["source_cases"] and _receiving(cues, document):
        return "funder"  # "sai Opetushallitukselta avustusta": where the money comes from
    if role == "funder" or role is None:
        if mention.case in _conventions()["recipient_cases"]:
            # "Paraisten kaupungille myönnetään hankkeeseen ...": who receives a grant applied for it.
            return "coordinator" if _granting(document, clause) else None
        if role == "funder":
            return "funder" if funds(mention) or _paying(cues, document) else "partner"
        return "funder" if mention.type in DEFAULT_FUNDER_TYPES and _owns_funding_noun(document, mention) else None
    return role


def _paying(cues: list[_Cue], document: Document) -> bool:
    """A verb of paying in the clause (rahoittaa, myöntää), not only of support (tukea)."""
    weak = tuple(_conventions()["weak_funder_cues"])
    return any(
        c.role == "funder" and not document.text[c.start : c.end].casefold().lstrip("-–").startswith(weak) for c in cues
    )


def _granting(document: Document, clause: tuple[int, int]) -> bool:
    """A verb of granting (myöntää, in any form) in the clause: its allative is the applicant."""
    words = document.text[clause[0] : clause[1]].casefold().split()
    return any(word.startswith(tuple(_conventions()["granting_cues"])) for word in words)


def _receiving(cues: list[_Cue], document: Document) -> bool:
    return any(document.text[c.start : c.end].casefold().startswith(tuple(_conventions()["receiving_cues"])) for c in cues)


def _owns_funding_noun(document: Document, mention: OrganisationMention) -> bool:
    """ "Opetus- ja kulttuuriministeriön kaksivuotiseen Oikeus oppia -ohjelmaan": a funder's programme."""
    if mention.case != "Gen":
        return False
    following = document.text[mention.end : mention.end + 60].casefold().split()[:6]
    return any(word.lstrip("-–").startswith(tuple(_conventions()["funding_nouns"])) or
               any(part.startswith(tuple(_conventions()["funding_nouns"])) for part in word.split("-")[1:])
               for word in following)


def _coordinator_cue_nearest_to(cues: list[_Cue], mention: OrganisationMention, others: list[OrganisationMention]) -> bool:
    """Is ``mention`` the organisation closest to a coordinator word of its clause?"""
    for cue in (c for c in cues if c.role == "coordinator"):
        closest = min(others or [mention], key=lambda m: _gap(cue, m))
        if closest.start == mention.start:
            return True
    return False


def _gap(cue: _Cue, mention: OrganisationMention) -> float:
    gap = cue.start - mention.end if cue.start >= mention.end else mention.start - cue.end
    return gap - 0.5 if mention.case == "Gen" and cue.start >= mention.end else gap


# "<owner>:n hanke", or "<owner>:n <Capitalised name ...> -hanke".
_OWNED_PROJECT = re.compile(
    r"^\s(?:(?:hanke|hankke|hankkee|projekti)|[A-ZÅÄÖ][^\s,.;:]*(?:\s[^\s,.;:]+){0,5}?\s?[-–](?:hanke|hankke|hankkee|projekti))"
)


def _owns_project_word(document: Document, mention: OrganisationMention) -> bool:
    """ "Hämeen ammattikorkeakoulun hanke", "Hattulan kunnan Liikkuva arki -hankkeelle": the owner coordinates."""
    following = document.text[mention.end : mention.end + 80]
    return mention.case == "Gen" and bool(_OWNED_PROJECT.match(following))


def _clause_around(document: Document, mention: OrganisationMention, start: int, end: int) -> tuple[int, int]:
    bounds = [start]
    for match in _clause_break().finditer(document.text, start, end):
        bounds.append(match.start())
    bounds.append(end)
    for left, right in zip(bounds, bounds[1:]):
        if left <= mention.start < right:
            return left, right
    return start, end


@lru_cache(maxsize=1)
def _clause_break() -> re.Pattern[str]:
    cues = sorted({c for words in _conventions()["role_cues"].values() for c in words}, key=len, reverse=True)
    return re.compile(rf"[,;]|\s(?:ja|sekä)\s(?=(?:{'|'.join(map(re.escape, cues))}))", re.IGNORECASE)


def _nearest(cues: list[_Cue], mention: OrganisationMention) -> _Cue:
    # A genitive is the agent of the noun after it ("ministeriön rahoituksen").
    return min(cues, key=lambda cue: _gap(cue, mention))


def _role_of_cue(word: str) -> str | None:
    for role, cues in _conventions()["role_cues"].items():
        if any(word.startswith(c) for c in cues):
            return role
    if word.startswith(tuple(_conventions()["weak_funder_cues"])):
        return "funder"
    return None
