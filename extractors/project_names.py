"""Project names in Finnish prose and how two written names are compared.

A multiword name is joined to the word "hanke" with a space and a hyphen
("Oikeus Oppia -hankkeessa"), a one-word name directly ("Kurob-hankkeessa");
the name is read back from the words before the project word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractors.conventions import conventions
from extractors.instruments import instrument_forms
from extractors.money import find_money
from extractors.sentences import sentence_spans

NAME_WINDOW_WORDS = 8
_DASHES = re.compile(r"[\u2010-\u2015\-]")


def _conventions() -> dict:
    return conventions("projects_fi.json")


def same_name(a: str, b: str) -> bool:
    """Names equal up to case, dashes and spacing ("Päijät-Häme – X" = "Päijät-Häme - X")."""
    return name_key(a) == name_key(b)


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", _DASHES.sub("-", name.casefold())).strip(" -!.")


def block_mentions(
    text: str, offset: int, organisation_spans: list[tuple[int, int]]
) -> Iterator[tuple[str, int, int]]:
    for sentence_start, sentence_end in sentence_spans(text):
        yield from hyphen_mentions(text[sentence_start:sentence_end], offset + sentence_start, organisation_spans)


def hyphen_mentions(
    sentence: str, offset: int, organisation_spans: list[tuple[int, int]] = ()
) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of every "<Name> -hanke" in a sentence."""
    words = "|".join(_conventions()["project_words"])
    # "-hankkeessa", and after a space a compound label: "Arktisen matkailun datatalous
    # -ekosysteemihankkeelle" ("ESR-kehittämishanke" names an instrument, not a project).
    pattern = re.compile(
        rf"\s[-–](?:[a-zåäö]{{3,}}?)(?:{words}|hankkee|hankke)\w*|(?:\s[-–]\s?|[-–])(?:{words}|hankkee|hankke)\w*"
        r"|\shankkeessa\b",
        re.IGNORECASE,
    )
    for match in pattern.finditer(sentence):
        before = sentence[: match.start()].rstrip()
        joiner = match.group()[:2]
        if joiner[0] in "-–":
            # "Kurob-hankkeessa": the name is the one word the hyphen joins.
            word = before.rsplit(" ", 1)[-1].strip("(\"'")
            name = word if word[:1].isupper() or word[:1].isdigit() else None
        elif "-" in joiner or "–" in joiner:
            name = _name_before(before, offset=offset, organisation_spans=organisation_spans)
        elif match.group().strip().casefold() == "hankkeessa":
            name = _name_before(before, spaced_only=True, offset=offset, organisation_spans=organisation_spans)
        else:
            name = None
        if name:
            start = offset + len(before) - len(name)
            yield name, start, offset + len(before)


def _name_before(
    text: str, *, spaced_only: bool = False, offset: int = 0, organisation_spans: list[tuple[int, int]] = ()
) -> str | None:
    """The project name a sentence has just before its project word, or None.

    The name starts at the first capitalised word among the last few that is
    not part of an organisation's name ("Saarijärven kaupungin Biokaasusta
    elinvoimaa Saarijärvelle -hanketta") and not a sentence's capitalised
    first word standing alone ("Käynnistetty uusi Interreg Europe -hanke").
    """
    # A name holds no project word: one before it closes an earlier name.
    earlier = list(re.finditer(r"[-–](?:hanke|hankkee|hankke|projekti)\w*", text, re.IGNORECASE))
    if earlier:
        rest = text[earlier[-1].end() :]
        offset += earlier[-1].end() + len(rest) - len(rest.lstrip())
        text = rest.lstrip()
    words = text.split(" ")
    positions, at = [], 0
    for word in words:
        positions.append(at)
        at += len(word) + 1
    window = range(max(0, len(words) - NAME_WINDOW_WORDS), len(words))
    first = None
    opening = None  # a sentence's first word, taken only when nothing else can start the name
    for i in window:
        word = words[i]
        if not word[:1].isupper():
            continue
        absolute = offset + positions[i]
        if any(s <= absolute < e for s, e in organisation_spans):
            continue
        if i == 0 and len(words) > 1 and not words[1][:1].isupper():
            opening = 0
            continue
        first = i
        break
    if first is None and opening is not None and len(words) <= 4 and not any(w[:1].isupper() for w in words[1:]):
        first = opening  # "Eurooppa luokkahuoneessa -hankkeessa ..." opens its sentence
    if first is None:
        return None
    # A sum or a number before the name is not part of it ("AKKE-rahoitusta 150 000 euroa Teollisuuden ... -hanke").
    sums = find_money(" ".join(words[first:]))
    if sums:
        cut = len(" ".join(words[first:])[: sums[-1].end].split(" ")) + first
        after = [i for i in range(cut, len(words)) if words[i][:1].isupper()]
        if not after:
            return None
        first = after[0]
    first = _after_breaks(words, positions, first, offset, organisation_spans)
    name = " ".join(words[first:]).strip(" ,;:(\"”“")
    if spaced_only and (len(words) - first > 4 or first == 0):
        return None  # without a hyphen only a short name inside a sentence is safe
    if len(name) < 3 or name.casefold() in ("hanke", "hankkeen", "hankkeessa"):
        return None
    return name


def _after_breaks(
    words: list[str], positions: list[int], first: int, offset: int, organisation_spans: list[tuple[int, int]]
) -> int:
    """Where the name starts once an organisation or a number inside the candidate is passed:
    "Lisäksi Linnaseutu käynnistää syksyllä 2025 oman Kylien älyratkaisut -hankkeen" names
    "Kylien älyratkaisut". A name may end in a number ("Harrastuspolku 7–9"), so only a
    capitalised word after the break restarts it."""
    for i in range(first + 1, len(words)):
        in_organisation = any(s <= offset + positions[i] < e for s, e in organisation_spans)
        # "syksyllä 2025 oman Kylien ...": a number after a lower-case word is a time, not a name's
        # ("Agenda 2030 Kainuussa", "Kaupunki 2.0 Oulu" keep theirs).
        a_time = words[i][:1].isdigit() and words[i - 1][:1].islower()
        if in_organisation or a_time:
            later = [j for j in range(i + 1, len(words)) if words[j][:1].isupper()
                     and not any(s <= offset + positions[j] < e for s, e in organisation_spans)]
            if later:
                first = later[0]
    return first


def prefix_match(a: str, b: str) -> bool:
    short, long_ = sorted((name_key(a), name_key(b)), key=len)
    return len(short) >= 4 and long_.startswith(short)


def same_words(short: str, long_: str) -> bool:
    """Every word of ``short`` stands in ``long_``, inflection aside ("Kanta-Hämeen Oikeus Oppia")."""
    def stems(text: str) -> set[str]:
        return {w[:5] for w in re.findall(r"[\wåäö]+", name_key(text)) if len(w) >= 3}

    return bool(stems(short)) and stems(short) <= stems(long_)


def text_ends_with(text: str, end: int, name: str) -> bool:
    window = name_key(text[max(0, end - len(name) - 40) : end + 40])
    return name_key(name) in window


# -- 3. scope, status, theme, roles -----------------------------------------------


_COUNTER = re.compile(r"^\d+\.?\s+\w+$")


def names_no_project(name: str) -> bool:
    """A fund or programme abbreviation ("EAKR", "JTF"), a counter ("1 projekti") or a bare word
    ("Hanke"), or a table's total row ("Yhteensä:"): found where a project's name stands, but naming none."""
    key = name_key(name).rstrip(": ")
    labels = conventions("project_candidates_fi.json")["following_labels"]
    # "Hanketyyppi Palvelujen ja kylien kehittäminen": a form's label and its value.
    labelled = any(key.startswith(label.casefold() + " ") for label in labels)
    return key in instrument_forms() or key in _conventions()["not_names"] or bool(_COUNTER.match(key)) or labelled


# Words that end a clause before a name rather than begin it: a place or direction case
# ("Uudessa", "tukevassa", "Lahdessa"), a participle ("myönnetty"), an owner's case ("ry:n", "Oy:lle").
_LEADING_CONTEXT = re.compile(r"(?:ssa|ssä|lla|llä|lle|sta|stä|tty|ttu|:n|:lle|:lta)$", re.IGNORECASE)


def without_leading_context(name: str) -> str:
    """ "Itämeren alueen kestävää kasvua tukevassa BSR Acces" -> "BSR Acces": the name starts after
    the last word before it that ends a clause, where a capitalised word follows."""
    words = name.split(" ")
    cut = 0
    for index, word in enumerate(words[:-1]):
        if _LEADING_CONTEXT.search(word) and words[index + 1][:1].isupper():
            cut = index + 1
    return " ".join(words[cut:]) if cut else name
