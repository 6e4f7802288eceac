"""Organisations named in Finnish text, resolved to their nominative official names.

Four rules, each a spaCy Matcher pattern or a walk over tokens, and all of
them reading base forms from the Voikko lemmatiser so that inflection does
not matter ("Opetushallitukselta", "Hämeenlinnan kaupungin hallinnoimassa"):

* ``alias``: a known organisation or abbreviation from organisations.csv
  (HAMK -> Hämeen ammattikorkeakoulu, TEM -> Työ- ja elinkeinoministeriö);
* ``municipality``: "<genitive> kaupunki/kunta", also coordinated
  ("Hattulan ja Janakkalan kunnat"), named by the official name from
  municipalities.csv, whatever type the text says;
* ``municipality.bare``: a municipality's name alone ("Forssa, Hattula ja
  Loppi"), in a case that can name an actor (nominative, genitive);
* ``head``: a phrase ending in an organisation word (yliopisto, liitto,
  ry, Oy, sairaanhoitopiiri ...), its last word put in the nominative, as
  Finnish inflects only the head of such a name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from extractors.conventions import conventions, csv_rows
from extractors.nlp import AnalysedBlock, load_nlp


@dataclass(frozen=True)
class Municipality:
    name: str
    official_name: str
    type: str
    genitive: str


@dataclass(frozen=True)
class OrganisationMention:
    """An organisation found at ``start:end`` of Document.text, by ``rule``."""

    name: str
    type: str
    start: int
    end: int
    rule: str
    confidence: float
    case: str | None = None


@lru_cache(maxsize=1)
def municipalities() -> dict[str, Municipality]:
    """Municipalities by casefolded nominative name."""
    return {
        row["name"].casefold(): Municipality(row["name"], row["official_name"], row["type"], row["genitive"])
        for row in csv_rows("municipalities.csv")
    }


@lru_cache(maxsize=1)
def aliases() -> dict[str, tuple[str, str]]:
    """(canonical name, type) by casefolded canonical name or alias."""
    table: dict[str, tuple[str, str]] = {}
    for row in csv_rows("organisations.csv"):
        entry = (row["canonical"], row["type"])
        for form in [row["canonical"], *filter(None, row["aliases"].split("|"))]:
            table.setdefault(form.strip().casefold(), entry)
    return table


@lru_cache(maxsize=1)
def _aliases_by_canonical() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for row in csv_rows("organisations.csv"):
        table.setdefault(row["canonical"], []).extend(a.strip() for a in row["aliases"].split("|") if a.strip())
    for municipality in municipalities().values():
        if municipality.name != municipality.official_name:
            table.setdefault(municipality.official_name, []).append(municipality.name)
    return {name: tuple(dict.fromkeys(forms)) for name, forms in table.items()}


def aliases_of(canonical: str) -> tuple[str, ...]:
    """The other names the alias and municipality tables know for ``canonical`` ("OKM" for the ministry)."""
    return _aliases_by_canonical().get(canonical, ())


def _conventions() -> dict:
    return conventions("organisations_fi.json")


def canonical_name(name: str) -> str:
    """The table's official form of ``name`` when it knows one, else ``name`` itself.

    A name one or two letters off a known one ("Valtionvarainministeriö") is
    taken for it: plans are typed by hand.
    """
    key = name.strip().casefold()
    if key in aliases():
        return aliases()[key][0]
    if key in municipalities():
        return municipalities()[key].official_name
    if len(key) >= 10:
        close = difflib.get_close_matches(key, list(aliases()), n=1, cutoff=0.93)
        if close:
            return aliases()[close[0]][0]
    return name.strip()


def organisation_heads() -> tuple[str, ...]:
    """Words an organisation's name ends in (yliopisto, liitto, säätiö ...)."""
    return tuple(_conventions()["organisation_heads"])


def organisation_type(name: str) -> str:
    """The kind of a named organisation (ministry, municipality, uas ...), "other" when unknown."""
    key = name.casefold()
    if key in aliases():
        return aliases()[key][1]
    if any(town.official_name.casefold() == key for town in municipalities().values()):
        return "municipality"
    return "other"


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    nlp = load_nlp()
    matcher = Matcher(nlp.vocab)
    for form in aliases():
        tokens = [t.text.casefold() for t in nlp.tokenizer(form)]
        pattern = [{"LOWER": t} for t in tokens[:-1]] + [{"_": {"base": tokens[-1]}}]
        matcher.add(f"alias:{form}", [pattern])
    heads = _conventions()["municipality_heads"]
    matcher.add(
        "municipality",
        [[{"_": {"base": {"IN": list(municipalities())}}}, {"_": {"base": {"IN": heads}}}]],
    )
    return matcher


def find_organisations(analysed: list[AnalysedBlock]) -> list[OrganisationMention]:
    """Every organisation mention in the analysed blocks, longest first where they overlap."""
    found: list[OrganisationMention] = []
    for piece in analysed:
        found.extend(_in_doc(piece.doc, piece.offset))
    found.extend(_short_names(analysed, found))
    # "Osuuskunta", "Yhdistys" alone is the kind of an organisation, not its name.
    heads = set(organisation_heads())
    return sorted((m for m in found if m.name.casefold() not in heads), key=lambda m: m.start)


def _short_names(analysed: list[AnalysedBlock], found: list[OrganisationMention]) -> list[OrganisationMention]:
    """ "Linnaseutu" where the text also says "Linnaseutu ry": an association or company by its bare name."""
    forms = {f" {form}" for form in _conventions()["company_forms"].values()}
    short = {}
    for mention in found:
        for form in forms:
            if mention.name.endswith(form) and len(mention.name) > len(form) + 3:
                short[mention.name[: -len(form)].casefold()] = mention.name
    extra: list[OrganisationMention] = []
    taken = [(m.start, m.end) for m in found]
    for piece in analysed:
        for token in piece.doc:
            name = short.get(token.text.casefold())
            start = piece.offset + token.idx
            if name and token.text[:1].isupper() and not any(s <= start < e for s, e in taken):
                extra.append(_mention(piece.doc[token.i : token.i + 1], piece.offset, name, "other", "short_name", 0.6))
    return extra


def _in_doc(doc: Doc, offset: int) -> list[OrganisationMention]:
    candidates = [*_matched(doc, offset), *_coordinated(doc, offset), *_headed(doc, offset), *_bare(doc, offset)]
    candidates.sort(key=lambda m: (-(m.end - m.start), -m.confidence))
    kept: list[OrganisationMention] = []
    for mention in candidates:
        if not any(mention.start < k.end and k.start < mention.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _mention(span: Span, offset: int, name: str, kind: str, rule: str, confidence: float) -> OrganisationMention:
    case = span[-1].morph.get("Case")
    return OrganisationMention(
        name, kind, offset + span.start_char, offset + span.end_char, rule, confidence, case[0] if case else None
    )


def _matched(doc: Doc, offset: int) -> Iterator[OrganisationMention]:
    for match_id, start, end in _matcher()(doc):
        span = doc[start:end]
        rule = doc.vocab.strings[match_id]
        if rule.startswith("alias:"):
            alias = rule.removeprefix("alias:")
            if _abbreviation_in_lower_case(alias, span.text):
                continue  # "OM" is the ministry, Swedish "om" is "about"
            canonical, kind = aliases()[alias]
            yield _mention(span, offset, canonical, kind, "alias", 0.95)
        else:
            town = municipalities()[span[0]._.base]
            yield _mention(span, offset, town.official_name, "municipality", "municipality", 0.95)


def _abbreviation_in_lower_case(alias: str, written: str) -> bool:
    """A short alias (an abbreviation: "OM", "EU") matches only where it is written with capitals."""
    return len(alias) <= 4 and written == written.lower()


def _coordinated(doc: Doc, offset: int) -> Iterator[OrganisationMention]:
    """ "Hattulan ja Janakkalan kunnat": genitives joined by ja/sekä/commas before a plural head."""
    heads = _conventions()["municipality_heads"]
    for i, token in enumerate(doc):
        if token._.base not in heads or "Plur" not in token.morph.get("Number"):
            continue
        j = i - 1
        names: list[Token] = []
        while j >= 0 and (doc[j]._.base in municipalities() or doc[j].lower_ in (",", "ja", "sekä")):
            if doc[j]._.base in municipalities():
                names.append(doc[j])
            j -= 1
        for name in names:
            town = municipalities()[name._.base]
            yield _mention(doc[name.i : name.i + 1], offset, town.official_name, "municipality", "municipality.coordinated", 0.9)


def _bare(doc: Doc, offset: int) -> Iterator[OrganisationMention]:
    actor_cases = _conventions()["actor_cases"]
    for token in doc:
        town = municipalities().get(token._.base)
        if town is None or not token.text[:1].isupper():
            continue
        case = token.morph.get("Case")
        # The name exactly as in the table is a nominative, whatever the tagger guessed.
        if case and case[0] not in actor_cases and token.text.casefold() != town.name.casefold():
            continue
        if _names_a_place(doc, token):
            continue
        yield _mention(doc[token.i : token.i + 1], offset, town.official_name, "municipality", "municipality.bare", 0.6)


def _names_a_place(doc: Doc, token: Token) -> bool:
    """ "Hämeenlinnan, Hattulan ja Janakkalan alueella": genitives of an area, not actors."""
    following = token.i + 1
    while following < len(doc) and (
        doc[following]._.base in municipalities() or doc[following].lower_ in (",", "ja", "sekä", "tai")
    ):
        following += 1
    return following < len(doc) and doc[following]._.base in _conventions()["place_nouns"]


def _headed(doc: Doc, offset: int) -> Iterator[OrganisationMention]:
    """A capitalised phrase ending in an organisation word, its last word in base form."""
    heads = _conventions()["organisation_heads"]
    forms = _conventions()["company_forms"]
    for token in doc:
        form = token.lower_.split(":", 1)[0]
        is_form = form in forms
        if not (is_form or any(token._.base.endswith(h) for h in heads)):
            continue
        start = token.i
        while start > 0 and _name_word(doc[start - 1]):
            start -= 1
        if start == token.i and (is_form or (token.pos_ != "PROPN" and canonical_name(_nominative(token)) == _nominative(token))):
            continue  # a lone common noun ("Päiväkoti") is no name, unless the table knows it
        if not doc[start].text[:1].isupper() or (start < token.i and not _has_proper_part(doc[start : token.i])):
            continue
        # An adjective agrees with the head's case; the name has it in the nominative.
        words = [t._.base if t.pos_ == "ADJ" and t.is_lower else t.text for t in doc[start : token.i]]
        end = token.i + 1
        if is_form:
            words.append(forms[form])
            # "Kehittämiskeskus Oy Häme": a proper noun after a company form belongs to the name.
            if form in ("oy", "ab") and ":" not in token.text and end < len(doc) and doc[end].pos_ == "PROPN":
                words.append(_nominative(doc[end]))
                end += 1
        else:
            words.append(_nominative(token))
        name = canonical_name(_join(words))
        yield _mention(doc[start:end], offset, name, aliases().get(name.casefold(), (name, "other"))[1], "head", 0.7)


def _has_proper_part(span: Span) -> bool:
    """A name has a proper noun or a capital inside it; "Maakunnan liitto" opening a sentence has neither."""
    for token in span:
        inside = token.i > 0 and _previous_text(token) not in ".!?:"
        if token.pos_ == "PROPN" or (inside and any(ch.isupper() for ch in token.text)):
            return True
    return False


def _previous_text(token: Token) -> str:
    return token.nbor(-1).text if token.i > 0 else "."


def _join(words: list[str]) -> str:
    # spaCy splits "Opetus-" into "Opetus" and "-"; written names keep the hyphen attached.
    return " ".join(words).replace(" -", "-")


def _name_word(token: Token) -> bool:
    """Can ``token`` stand inside an organisation's name before its head word?

    Modifiers of a Finnish name are genitives ("Hämeen", "Lasten Liikunnan")
    or capitalised nominatives ("Tuki" in "Lasten Liikunnan Tuki ry"); a
    capitalised pronoun or verb opening a sentence ("Tässä", "Verkostoituminen")
    is not part of the name.
    """
    if token.is_punct:
        return token.text == "-"
    if _in_full_name(token):
        return False  # "päällikkö Kaisa Jääskeläinen Hämeen ELY-keskuksesta": the person is not in the name
    if token.lower_ in ("ja", "sekä") or token.is_digit or token.pos_ in _conventions()["non_name_pos"]:
        return False
    case = token.morph.get("Case")
    if "Gen" in case:
        return True
    if _adjective_in_name(token):
        return True
    capitalised = any(ch.isupper() for ch in token.text)
    sentence_start = token.i == 0 or token.nbor(-1).text in ".!?:"
    return capitalised and (not case or case == ["Nom"]) and (not sentence_start or token.pos_ == "PROPN")


def _adjective_in_name(token: Token) -> bool:
    # "Luleån teknillinen yliopisto", "Tampereen teknilliseen yliopistoon": a lower-case
    # adjective stands inside a name that a capitalised proper noun opens.
    # Only derived adjectives ("teknillinen", "kristillinen", "kansallinen") name a kind of
    # institution; "Forssan uusi koulu" is a new school, not a name.
    if token.pos_ != "ADJ" or not token.is_lower or token.i == 0 or not token.morph.get("Derivation"):
        return False
    before = token.nbor(-1)
    return before.text[:1].isupper() and before.pos_ == "PROPN"


def _in_full_name(token: Token) -> bool:
    # A first name and a surname; a lone word tagged as a person is too often
    # a place or a group in the genitive ("Karhuryhmän päiväkoti").
    return token.ent_type_ == "PERSON" and any(
        e.label_ == "PERSON" and len(e) >= 2 and e.start <= token.i < e.end for e in token.doc.ents
    )


def _nominative(token: Token) -> str:
    """The token in base form, keeping the written stem's capitals ("eOppimiskeskuksen" -> "eOppimiskeskus")."""
    lemma = token.lemma_ or token.text
    shared = 0
    for written, base in zip(token.text, lemma):
        if written.casefold() != base.casefold():
            break
        shared += 1
    return token.text[:shared] + lemma[shared:]
