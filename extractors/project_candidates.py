"""Places where a project name may stand, whatever words surround it.

Real pages name projects in ways no fixed phrase covers: an item of a list
under "Käynnissä olevat hankkeet", a heading, a short line of its own, the
value after a form label ("Hankkeen julkinen nimi"), a quoted name. This
module only proposes such spans, each with the structural facts a
classifier needs to judge it (:mod:`extractors.project_classifier`); it
decides nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from extractors.conventions import conventions
from extractors.organisations import OrganisationMention
from pipeline.document import Block, Document, Section

MAX_NAME_WORDS = 12
# An item this short is all name; a longer one is a name, a separator and its description.
SHORT_ITEM_WORDS = 5
WHOLE_ITEM_WORDS = 10
_SEPARATORS = re.compile(r"\s[–—-]\s|:\s|\s\(|,\s|\.\s")
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»\n]{2,120})[\"“”„«»]")
_TRIM = " \t-–—:;,.•*·"
_PLURAL_PROJECTS = re.compile(r"hankkeet|hankkeita|hankkeista|projektit|projekteja|projekten", re.IGNORECASE)
_LIST_TITLE = re.compile(r"hankkeet|hankkeita|hankkeista|projektit|projekteja|projekt\b|projekten", re.IGNORECASE)


@dataclass(frozen=True)
class ProjectCandidate:
    """A span that may name a project, and where it stands."""

    name: str
    start: int
    end: int
    source: str
    block: Block
    # The paragraph or heading just before the block: a list's introducing line.
    lead: str
    # Section headings from the innermost outwards.
    headings: tuple[str, ...]
    # How many candidates of the same kind stand under the same lead and headings: a list of names.
    group_size: int = 1
    lead_block: Block | None = None
    # The last short line above that titles a list of projects ("Ajankohtaiset hankkeet", "Pågående projekt").
    list_title: str = ""
    # The beginning of the block after the candidate's: a project's description follows its name.
    next_text: str = ""
    # A heading over sub-headings titles a part of the document, not one thing.
    has_subsections: bool = False


def _labels() -> dict:
    return conventions("project_candidates_fi.json")


def structural_candidates(document: Document) -> list[ProjectCandidate]:
    """Every list item, heading, short line, labelled value and quoted name that could be a project."""
    found: list[ProjectCandidate] = []
    chains: dict[int, tuple[str, ...]] = {}
    _heading_chains(document.root, (), chains)
    lead: Block | None = None
    title = ""
    blocks = [(section, block) for section, block in document.blocks() if block.kind != "table"]
    for index, (section, block) in enumerate(blocks):
        headings = chains.get(id(section), ())
        if block is section.heading:
            # A heading stands under its parents' headings, not under itself.
            headings = headings[1:]
        following = blocks[index + 1][1].text[:200] if index + 1 < len(blocks) else ""
        parts = bool(section.subsections) and block is section.heading
        found.extend(
            replace(c, list_title=title, next_text=following, has_subsections=parts)
            for c in _candidates_in(block, lead, headings)
        )
        if block.kind != "list_item":
            lead = block
        if len(block.text.split()) <= 6 and _LIST_TITLE.search(block.text):
            title = block.text
    return _unique(found)


def _candidates_in(block: Block, lead: Block | None, headings: tuple[str, ...]) -> Iterator[ProjectCandidate]:
    def make(start: int, end: int, source: str) -> ProjectCandidate | None:
        start, end = _trimmed(block.text, start, end)
        name = block.text[start:end]
        if not name or len(name.split()) > MAX_NAME_WORDS or not any(c.isalpha() for c in name):
            return None
        if len(name.split()) <= 6 and _PLURAL_PROJECTS.search(name):
            return None  # "Käynnissä olevat hankkeet" titles a list; it is none of its items
        return ProjectCandidate(
            name,
            block.start + start,
            block.start + end,
            source,
            block,
            lead.text if lead else "",
            headings,
            lead_block=lead,
        )

    text = block.text
    if block.kind in ("list_item", "heading") or (block.kind == "paragraph" and _is_short_line(text)):
        end = _name_end(text)
        source = block.kind if block.kind != "paragraph" else "line"
        if (candidate := make(0, end, source)) is not None:
            yield candidate
    for start, end in _labelled_values(text):
        if (candidate := make(start, end, "label_value")) is not None:
            yield candidate
    for match in _QUOTED.finditer(text):
        if (candidate := make(match.start(1), match.end(1), "quoted")) is not None:
            yield candidate


def _name_end(text: str) -> int:
    """Where the name of an item ends: "Name – what it does", "Name: ...", or the whole short item."""
    if len(text.split()) <= SHORT_ITEM_WORDS:
        return len(text)
    cut = _SEPARATORS.search(text)
    if cut is not None and len(text[: cut.start()].split()) <= MAX_NAME_WORDS:
        return cut.start()
    return len(text) if len(text.split()) <= WHOLE_ITEM_WORDS else 0


def _is_short_line(text: str) -> bool:
    return len(text.split()) <= 8 and not text.rstrip().endswith((".", "?", "!"))


def _labelled_values(text: str) -> Iterator[tuple[int, int]]:
    """The value after each project-name label, up to the next known label or the end of the line."""
    labels = _labels()
    names = "|".join(re.escape(label) for label in sorted(labels["name_labels"], key=len, reverse=True))
    stops = "|".join(re.escape(label) for label in sorted(labels["following_labels"], key=len, reverse=True))
    stop = re.compile(rf"\n|\s(?:{stops})\b", re.IGNORECASE)
    colon_names = "|".join(re.escape(label) for label in labels["colon_name_labels"])
    label = re.compile(rf"(?:^|\b)(?:(?:{names})\s*:?|(?:{colon_names})\s*:)\s*", re.IGNORECASE)
    for match in label.finditer(text):
        start = match.end()
        end_match = stop.search(text, start)
        end = end_match.start() if end_match else len(text)
        words = text[start:end].split()
        if words:
            end = min(end, start + len(" ".join(words[:MAX_NAME_WORDS])) + 1)
            yield start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    end = min(end, len(text))
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _heading_chains(section: Section, above: tuple[str, ...], out: dict[int, tuple[str, ...]]) -> None:
    """Each section's headings, innermost first, keyed by the section's identity."""
    chain = (section.heading.text, *above) if section.heading is not None else above
    out[id(section)] = chain
    for sub in section.subsections:
        _heading_chains(sub, chain, out)


def _unique(candidates: list[ProjectCandidate]) -> list[ProjectCandidate]:
    seen: dict[tuple[int, int], ProjectCandidate] = {}
    for candidate in candidates:
        seen.setdefault((candidate.start, candidate.end), candidate)
    groups = Counter(_group(c) for c in seen.values())
    return [replace(c, group_size=groups[_group(c)]) for c in seen.values()]


def _group(candidate: ProjectCandidate) -> tuple[str, str, tuple[str, ...]]:
    return candidate.source, candidate.lead if candidate.source == "list_item" else "", candidate.headings


def split_listed_applicant(
    document: Document, candidate: ProjectCandidate, organisations: list[OrganisationMention]
) -> tuple[ProjectCandidate, OrganisationMention | None]:
    """ "<name>, <applicant>[, <sum>]": the organisation after the item's last comma before the sum
    applies for the project, and the name runs up to that comma."""
    block = candidate.block
    if block.kind != "list_item":
        return candidate, None
    for mention in sorted((m for m in organisations if candidate.start < m.start < block.end), key=lambda m: -m.start):
        before = document.text[candidate.start : mention.start]
        after = document.text[mention.end : block.end]
        if re.search(r",\s*$", before) and re.fullmatch(r"\s*(?:,[^,]*\d[^,]*)?[.;]?\s*", after):
            name = before.rstrip(" ,")
            return replace(candidate, name=name, end=candidate.start + len(name)), mention
    return candidate, None


def is_clause(candidate: ProjectCandidate, finite_verbs: frozenset[int]) -> bool:
    """A line with a finite verb is a statement, unless the text marks it as a name (quotes, a form label):
    "KohTalo D – kohtaamisen taide loikkaa digitaaliseen maailmaan" is a title."""
    if candidate.source in ("quoted", "label_value"):
        return False
    return any(candidate.start <= at < candidate.end for at in finite_verbs)
