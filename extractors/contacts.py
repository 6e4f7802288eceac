"""Contact persons: name, title, e-mail, phone, from contact blocks and from news prose.

Two conventions of Finnish plans and pages:

* a contact block: a label line ("Yhteyshenkilö:", "Lisätietoja:") or a
  person's name, then short lines with the title, phone and e-mail, or the
  same on one line separated by commas ("Jenni Huttunen, projektikoordinaattori");
* news prose: a person named with a title ("sanoo verkostokoordinaattori
  Outi Myllymaa", "Aluekehittäjä Anu Saarisen mukaan"); the name is put in
  the nominative with the lemmatiser.

E-mails are paired with the person whose name the address spells
(osmo.vaisto@ = Osmo Väistö), else with the nearest person before them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from extractors.contact_channels import ContactChannelRecord, extract_contact_channels
from extractors.conventions import conventions
from extractors.nlp import AnalysedBlock
from extractors.organisations import organisation_heads
from extractors.records import ContactRecord, Provenance
from pipeline.document import Document

NAME = "fi.contacts"
VERSION = "1"
SHORT_BLOCK_CHARS = 120


def _conventions() -> dict:
    return conventions("contacts_fi.json")


@dataclass
class _Person:
    name: str
    start: int
    end: int
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    rule: str = "contacts.block"
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Where the person speaks or is named in running text: it tells which
    # project a listed contact belongs to.
    quotes: list[tuple[int, int]] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower-case ASCII letters only: how a name is spelt in an e-mail address."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def is_title(words: str) -> bool:
    """Does ``words`` end in a job-title word (projektipäällikkö, vs. kehittämisjohtaja)?"""
    last = words.strip().rstrip(".,:;").split(" ")[-1].casefold() if words.strip() else ""
    return bool(last) and any(last.endswith(head) for head in _conventions()["title_heads"])


def extract_contacts(document: Document, analysed: list[AnalysedBlock]) -> list[ContactRecord]:
    """Contact persons of the document, each once (by e-mail, else by name)."""
    channels = extract_contact_channels(document)
    zone = _contact_zone(analysed, channels)
    roster = _roster_lines(analysed)
    people: list[_Person] = []
    for index, piece in enumerate(analysed):
        if index in roster:
            continue
        found = _people_in(piece, index in zone)
        if not found and index in zone:
            _title_line(piece, people)
        people.extend(found)
    _attach_channels(people, channels, document)
    return _records(document, _deduplicated(people), channels)


# -- people -------------------------------------------------------------------


def _contact_zone(analysed: list[AnalysedBlock], channels: list[ContactChannelRecord]) -> set[int]:
    """Indexes of short pieces near an e-mail/phone or after a contact label: where contact blocks are."""
    labels = _conventions()["contact_labels"]
    anchors = set()
    for index, piece in enumerate(analysed):
        start, end = piece.offset, piece.offset + len(piece.doc.text)
        if any(start <= c.provenance.start < end for c in channels):
            anchors.update(range(index - 3, index + 1))
        if piece.doc.text.rstrip(" :").casefold() in labels or piece.doc.text.rstrip().endswith(":"):
            anchors.update(range(index + 1, index + 4))
    return {i for i in anchors if 0 <= i < len(analysed) and len(analysed[i].doc.text) <= SHORT_BLOCK_CHARS}


def _roster_lines(analysed: list[AnalysedBlock]) -> set[int]:
    """Indexes of the short lines under a roster label of minutes ("Läsnä", "Ordinarie ledamöter"), up to
    the first line that is long or carries an e-mail or phone number."""
    labels = tuple(_conventions()["roster_labels"])
    found: set[int] = set()
    inside = False
    for index, piece in enumerate(analysed):
        text = piece.doc.text.strip()
        if text.rstrip(" :").casefold().startswith(labels) and len(text.split()) <= 4:
            inside = True
            continue
        if inside and (len(text) > 60 or "@" in text or "(at)" in text or re.search(r"\d{3}", text)):
            inside = False
        if inside:
            found.add(index)
    return found


def _title_line(piece: AnalysedBlock, people: list[_Person]) -> None:
    """A line that is only a title ("vs. kehittämisjohtaja") belongs to the person just above."""
    text = piece.doc.text
    if not people or not is_title(text) or len(text.split()) > 5 or people[-1].title:
        return
    if piece.offset - people[-1].end > SHORT_BLOCK_CHARS:
        return
    people[-1].title = _clean_title(text)
    people[-1].evidence["title"] = (piece.offset, piece.offset + len(text))


def _people_in(piece: AnalysedBlock, in_contact_zone: bool) -> list[_Person]:
    doc = piece.doc
    short = len(doc.text) <= SHORT_BLOCK_CHARS
    people = []
    for ent in _person_spans(doc, short and in_contact_zone):
        if any(t.lower_ in _conventions()["contact_labels"] for t in ent) or doc.text.rstrip().endswith(":"):
            continue
        title, title_span = _title_near(doc, ent, short)
        prose_ok = title is not None or _speech_verb_near(doc, ent)
        if not short and not prose_ok:
            continue
        name = _nominative_name(ent)
        person = _Person(name, piece.offset + ent.start_char, piece.offset + ent.end_char, title)
        person.rule = "contacts.block" if short else "contacts.prose"
        if not short:
            person.quotes.append((person.start, person.end))
        if title_span is not None:
            person.evidence["title"] = (piece.offset + title_span[0], piece.offset + title_span[1])
        people.append(person)
    return people


# "O’Kärkkäinen": the tokeniser splits a name at a typographic apostrophe, not at a straight one.
_NAME_APOSTROPHES = ("'", "\u2019", "\u02bc")


def _person_spans(doc: Doc, short: bool) -> list[Span]:
    spans = [
        e
        for e in doc.ents
        if e.label_ == "PERSON" and len(e) >= 2 and all(t.text[:1].isupper() or _inner_apostrophe(t) for t in e)
    ]
    if spans or not short:
        return spans
    # A line of two or three capitalised words and nothing else, in a contact
    # block, is a name even when NER does not say so.
    words = [t for t in doc if not t.is_punct]
    if 2 <= len(words) <= 3 and all(t.text[:1].isupper() and t.is_alpha for t in words) and not is_title(doc.text):
        return [doc[words[0].i : words[-1].i + 1]]
    return _name_after_title(doc)


def _name_after_title(doc: Doc) -> list[Span]:
    """ "elinkeinojohtaja Markus Öhman, puh. ...": two or three capitalised words right after a title."""
    for token in doc:
        if not is_title(token.text):
            continue
        end = token.i + 1
        while end < len(doc) and end - token.i <= 3 and doc[end].is_alpha and doc[end].text[:1].isupper():
            end += 1
        if end - token.i - 1 >= 2:
            return [doc[token.i + 1 : end]]
    return []


def _title_near(doc: Doc, ent: Span, short: bool) -> tuple[str | None, tuple[int, int] | None]:
    """The title written just before the name, or after it behind a comma."""
    if ent.start > 0 and is_title(doc[ent.start - 1].text):
        first = ent.start - 1
        # "rahoitusyksikön päällikkö", "kestävän kehityksen koordinaattori": genitives belong to the title.
        # "johtava maksatusasiantuntija": so does a participle.
        while (
            first > 0
            and first > ent.start - 4
            and doc[first - 1].is_lower
            and ("Gen" in doc[first - 1].morph.get("Case") or _modifies(doc[first - 1]))
            and not _names_an_organisation(doc[first - 1])
        ):
            first -= 1
        # "vs. kehittämisjohtaja": spaCy may keep the acting prefix whole or split its dot.
        for back in (1, 2):
            prefix = doc[max(0, first - back) : first].text.replace(" ", "").casefold()
            if prefix in _conventions()["acting_prefixes"]:
                first -= back
                break
        candidate = doc[first : ent.start]
        return _clean_title(candidate.text), (candidate.start_char, candidate.end_char)
    after = doc[ent.end :]
    if len(after) >= 2 and after[0].text == ",":
        stop = next((t.i for t in after[1:] if t.is_punct and t.text not in ".-"), len(doc))
        candidate = doc[after[1].i : stop]
        if is_title(candidate.text) and len(candidate) <= 5:
            return _clean_title(candidate.text), (candidate.start_char, candidate.end_char)
    return None, None


def _modifies(token: Token) -> bool:
    # A participle or a comparative grades the role ("johtava", "vanhempi"); "uusi" only describes its holder.
    return "Part" in token.morph.get("VerbForm") or "Cmp" in token.morph.get("Degree")


def _names_an_organisation(token: Token) -> bool:
    # "Espoon kaupungin kiertotalousasiantuntija", "Linnaseutu ry:n hallituksen puheenjohtaja":
    # the genitive of an organisation is where the person works, not part of the title.
    base = token._.base.casefold()
    if base == "maakunta":
        return False  # "maakunnan kehittämisjohtaja": a region's, not an organisation's
    heads = (*organisation_heads(), "kaupunki", "kunta")
    return ":" in token.text or any(base.endswith(head) for head in heads)


def _clean_title(text: str) -> str:
    # "Tehtävänimike: TKI-johtaja": a form's label is not part of the title.
    text = text.rsplit(":", 1)[-1]
    return re.sub(r"\s+", " ", text.strip(" ,.:;")).casefold()


def _inner_apostrophe(token: Token) -> bool:
    """An apostrophe joined to the words on both sides, inside a name."""
    doc = token.doc
    return (
        token.text in _NAME_APOSTROPHES
        and 0 < token.i < len(doc) - 1
        and not doc[token.i - 1].whitespace_
        and not token.whitespace_
    )


def _speech_verb_near(doc: Doc, ent: Span) -> bool:
    window = doc[max(0, ent.start - 3) : ent.end + 3]
    return any(t.lemma_.casefold() in _conventions()["speech_verbs"] for t in window)


def _nominative_name(ent: Span) -> str:
    # Words the text writes together stay together ("O’Kärkkäinen" is three tokens).
    return "".join(_nominative_token(t) + (" " if t.whitespace_ else "") for t in ent).strip()


def _nominative_token(token: Token) -> str:
    case = token.morph.get("Case")
    if case and case[0] != "Nom" and token.lemma_ and token.lemma_[:1].casefold() == token.text[:1].casefold():
        return token.lemma_[:1].upper() + token.lemma_[1:]
    return token.text


# -- channels -----------------------------------------------------------------


def _attach_channels(people: list[_Person], channels: list[ContactChannelRecord], document: Document) -> None:
    """Gives each e-mail and phone to the person it belongs to."""
    for channel in channels:
        owner = _owner(people, channel, document)
        if owner is None:
            continue
        slot = "email" if channel.kind == "email" else "phone"
        if getattr(owner, slot) is None:
            setattr(owner, slot, channel.value)
            owner.evidence[slot] = (channel.provenance.start, channel.provenance.end)


def _owner(people: list[_Person], channel: ContactChannelRecord, document: Document) -> _Person | None:
    at = channel.provenance.start
    if channel.kind == "phone" and _office_number(document, at):
        return None
    if channel.kind == "email":
        local = fold(channel.value.split("@", 1)[0])
        spelled = [p for p in people if fold(p.name) and fold(p.name) in local or local in fold(p.name)]
        if spelled:
            return min(spelled, key=lambda p: abs(p.start - at))
    before = [p for p in people if p.end <= at and p.rule == "contacts.block"]
    if not before:
        return None
    nearest = max(before, key=lambda p: p.end)
    # A block belongs together when only short lines stand between name and channel.
    between = document.text[nearest.end : at]
    if len(between) > 2 * SHORT_BLOCK_CHARS or "\n\n" in between and between.count("\n\n") > 4:
        return None
    if channel.kind == "email" and nearest.email is not None:
        return None
    return nearest


def _office_number(document: Document, at: int) -> bool:
    """ "Vaihde (09) 27191": a number labelled with an office is the organisation's, not a person's."""
    line_start = document.text.rfind("\n", 0, at) + 1
    words = re.findall(r"[\wåäö]+", document.text[line_start:at].casefold())
    return bool(words) and words[-1] in _conventions()["office_phone_labels"]


def _deduplicated(people: list[_Person]) -> list[_Person]:
    """One person per e-mail, and per name: a person quoted in the text and listed with an address is one."""
    merged: list[_Person] = []
    for person in sorted(people, key=lambda p: (p.email is None, p.start)):
        same = next(
            (m for m in merged if (person.email and m.email == person.email) or fold(m.name) == fold(person.name)),
            None,
        )
        if same is None:
            merged.append(person)
            continue
        if person.email and same.email and person.email != same.email:
            merged.append(person)  # namesakes with their own addresses
            continue
        same.title = same.title or person.title
        same.phone = same.phone or person.phone
        same.email = same.email or person.email
        same.quotes.extend(person.quotes)
    return sorted(merged, key=lambda p: p.start)


def _records(document: Document, people: list[_Person], channels: list[ContactChannelRecord]) -> list[ContactRecord]:
    records = []
    for person in people:
        if person.email and local_placeholder(person.email):
            person.email = None
        if not _names_a_person(person.name) and not person.email and not person.phone:
            continue  # "Hausjärvi kunta" found where a person's name stands
        if person.rule == "contacts.block" and not (person.email or person.phone or person.title):
            continue  # a bare name on a line of its own (a signature, a caption, a roster) gives no contact
        if person.rule == "contacts.prose" and not person.title and not person.email:
            confidence = 0.5
        else:
            confidence = 0.85 if person.email else 0.7
        provenance = _provenance(document, person.start, person.end, person.rule, confidence)
        evidence = tuple(
            (slot, _provenance(document, s, e, f"{person.rule}.{slot}", confidence))
            for slot, (s, e) in sorted(person.evidence.items())
        ) + tuple(("quote", _provenance(document, s, e, "contacts.quote", confidence)) for s, e in person.quotes)
        records.append(
            ContactRecord(
                name=person.name,
                provenance=provenance,
                title=person.title,
                email=person.email,
                phone=person.phone,
                evidence=evidence,
            )
        )
    claimed = {r.email for r in records if r.email}
    for channel in channels:
        # An address of a person ("maija.virtanen@") without a name found is
        # still a contact; an office's ("kirjaamo@", "info@") is not.
        if channel.kind == "email" and channel.value not in claimed and _personal_address(channel.value):
            claimed.add(channel.value)
            records.append(ContactRecord(name=None, provenance=channel.provenance, email=channel.value))
    return sorted(records, key=lambda r: r.provenance.start)


def _personal_address(email: str) -> bool:
    local = email.split("@", 1)[0]
    parts = [p.replace("'", "") for p in re.split(r"[._]", local) if p]
    return len(parts) >= 2 and all(p.isalpha() for p in parts) and not local_placeholder(email)


def local_placeholder(email: str) -> bool:
    """ "etunimi.sukunimi@tampere.fi": the pattern of a page's addresses, nobody's own."""
    return email.split("@", 1)[0].casefold() in _conventions()["placeholder_addresses"]


def _names_a_person(name: str) -> bool:
    last = name.split()[-1].casefold() if name.split() else ""
    return last not in _conventions()["not_person_words"]


def _provenance(document: Document, start: int, end: int, rule: str, confidence: float) -> Provenance:
    return Provenance.of_span(document, start, end, extractor=NAME, version=VERSION, rule=rule, confidence=confidence)
