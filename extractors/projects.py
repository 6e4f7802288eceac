"""Projects (hankkeet): found in headings and in prose, with dates, theme, status and roles.

1. Heading projects: a section heading that ends in a period in parentheses
   ("Kerhoiloa 2021! (1.1.2021–31.12.2021)"), ends in a project word
   ("Kaupunkiviljelyhanke", "Hiilineutraali Hämeenlinna -ohjelma"), or is
   named "<heading> -hanke" in its own text. A sub-heading that repeats the
   project's name is the same project.
2. Prose projects: "<Name> -hankkeessa", "Kurob-hankkeessa": the name is the
   last capitalised word before the project word with what follows it, or
   the name of the section's own project when the text ends with that.
3. Each sentence of a project's scope gives roles: every organisation takes
   the role of the nearest role word (hallinnoi -> coordinator, mukana ->
   partner, rahoittaa -> funder); an organisation in the allative
   ("kaupungille") receives, it does not fund.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from extractors.conventions import conventions
from extractors.dates import DateMention, PeriodMention, find_periods
from extractors.fielded_records import project_record
from extractors.organisations import OrganisationMention
from extractors.project_candidates import ProjectCandidate, is_clause, split_listed_applicant, structural_candidates
from extractors.project_classifier import active_classifier, candidate_features, is_cued
from extractors.project_fields import FieldedProject
from extractors.project_names import (
    block_mentions,
    hyphen_mentions,
    name_key,
    names_no_project,
    prefix_match,
    same_name,
    same_words,
    text_ends_with,
    without_leading_context,
)
from extractors.records import ContactRecord, ProjectRecord, Provenance
from extractors.roles import is_fund, role_in_sentence
from extractors.sections import SectionNode, innermost_section, section_nodes
from extractors.sentences import sentence_spans
from pipeline.document import Block, Document, TextSpan

NAME = "fi.projects"
VERSION = "1"
# A heading that names a project, found by a rule or taken by the classifier: its section is the project's text.
HEADING_RULES = ("projects.heading", "projects.heading.learned")

_PERIOD_SUFFIX = re.compile(r"\s*\((?P<period>[^()]*\d{4}[^()]*)\)\s*$")


def _conventions() -> dict:
    return conventions("projects_fi.json")


@dataclass
class _Project:
    name: str
    start: int
    end: int
    rule: str
    node: SectionNode | None = None
    period: PeriodMention | None = None
    scope: list[tuple[int, int]] = field(default_factory=list)
    status: str | None = None
    theme: str | None = None
    roles: dict[str, list[OrganisationMention]] = field(default_factory=dict)
    # The line that introduces a list the project is an item of.
    lead: str = ""
    # Where that line stands: its funders fund every item ("Maakuntahallitus myönsi rahoitusta seuraaville hankkeille:").
    lead_scope: tuple[int, int] | None = None
    # "<name>, <applicant>, <sum>": the organisation written right after a listed name.
    applicant: OrganisationMention | None = None


@dataclass(frozen=True)
class ProjectScope:
    """Where a found project's text lies, for linking contacts and sums to it."""

    name: str
    ranges: tuple[tuple[int, int], ...]
    heading_project: bool


def extract_projects(
    document: Document,
    organisations: list[OrganisationMention],
    contacts: list[ContactRecord],
    fielded: list[FieldedProject],
    *,
    finite_verbs: frozenset[int] = frozenset(),
) -> tuple[list[ProjectRecord], list[ProjectScope]]:
    """Projects of the document, and the text each one covers."""
    nodes = section_nodes(document)
    people = [(c.provenance.start, c.provenance.end) for c in contacts]
    rule_found = _rule_projects(document, nodes, organisations)
    projects = _judged(document, nodes, rule_found, organisations, people, finite_verbs)
    _assign_scopes(document, nodes, projects)
    for project in projects:
        project.status = _status(document, project)
        project.theme = _theme(project, projects, nodes)
        project.roles = _with_list_roles(document, project, _roles(document, project, organisations), organisations)
    records = [_record(document, p, contacts) for p in projects]
    scopes = [ProjectScope(p.name, tuple(p.scope), p.rule in HEADING_RULES) for p in projects]
    fielded_all = fielded
    for index, fielded in enumerate(fielded_all):
        record = project_record(document, fielded, _status_of, organisations)
        earlier = any(f.source == "form" for f in fielded_all[:index])
        scope = _fielded_scope(fielded, fielded_all[index + 1 :], len(document.text), earlier)
        own_contacts = tuple(c.email or c.name for c in contacts if scope[0] <= c.provenance.start < scope[1])
        record = replace(record, contacts=tuple(dict.fromkeys(x for x in own_contacts if x)))
        node = innermost_section(nodes, scope[0])
        placed = _Project(record.name, scope[0], scope[1], "projects.field", node, scope=[scope])
        theme = _theme(placed, projects, nodes)
        record = replace(record, theme=_first_theme(theme, node), status=record.status or _status(document, placed))
        records, scopes = _merged(records, scopes, record, scope, fielded_name=fielded.source == "form")
    records, scopes = _referred_back(document, records, scopes, organisations)
    return _single_project_period(document, records), scopes


def _single_project_period(document: Document, records: list[ProjectRecord]) -> list[ProjectRecord]:
    """A page about one project states its period once, behind a label ("toteutusaika on 1.11.2022–31.8.2023",
    "Alkamisvuosi 2016"), often far from its name: that period is the project's."""
    if len(records) != 1 or records[0].start_date or records[0].end_date:
        return records
    period = _labelled_period(document)
    if period is None:
        return records
    return [replace(records[0],
                    start_date=period.start_date.value if period.start_date else None,
                    end_date=period.end_date.value if period.end_date else None)]


def _labelled_period(document: Document) -> PeriodMention | None:
    labels = tuple(_conventions()["period_labels"])
    for _, block in document.blocks():
        if block.kind == "table":
            continue
        for s, e in sentence_spans(block.text):
            sentence = block.text[s:e]
            if any(label in sentence.casefold() for label in labels):
                periods = [p for p in find_periods(sentence) if p.start_date or p.end_date]
                if periods:
                    return periods[0]
    return None


# "Espoon kaupungin hallinnoimassa verkostohankkeessa ...": a project named
# by a common noun and its coordinator, after a list or table named it.
_UNNAMED_PROJECT = re.compile(r"\b\w*(?:hanke|hankkee\w*|projekti\w*)\b", re.IGNORECASE)


def _referred_back(
    document: Document,
    records: list[ProjectRecord],
    scopes: list[ProjectScope],
    organisations: list[OrganisationMention],
) -> tuple[list[ProjectRecord], list[ProjectScope]]:
    """Paragraphs outside every project's text that speak of "the project of <its coordinator>".

    When exactly one known project has that coordinator, the paragraph is
    its text too: its partners and funders are added and its quotes and
    sums can be tied to it.
    """
    covered = [r for scope in scopes for r in scope.ranges]
    for _, block in document.blocks():
        if block.kind in ("heading", "table") or any(a <= block.start < b for a, b in covered):
            continue
        project = _project_by_coordinator(document, block, records, organisations)
        if project is None:
            continue
        index = records.index(project)
        roles = _roles(document, _Project(project.name, block.start, block.end, "projects.referred", scope=[(block.start, block.end)]), organisations)
        partners = [m.name for m in roles["partner"] if m.name not in (project.coordinator, *project.partners)]
        funders = [m.name for m in roles["funder"] if m.name not in (project.coordinator, *project.funders)]
        records[index] = replace(project, partners=project.partners + tuple(dict.fromkeys(partners)),
                                 funders=project.funders + tuple(dict.fromkeys(funders)))
        scopes[index] = replace(scopes[index], ranges=scopes[index].ranges + ((block.start, block.end),))
    return records, scopes


def _project_by_coordinator(
    document: Document, block, records: list[ProjectRecord], organisations: list[OrganisationMention]  # type: ignore[no-untyped-def]
) -> ProjectRecord | None:
    for s, e in sentence_spans(block.text):
        s, e = block.start + s, block.start + e
        if not _UNNAMED_PROJECT.search(document.text, s, e):
            continue
        inside = [m for m in organisations if s <= m.start < e]
        coordinators = {m.name for m in inside if role_in_sentence(document, m, (s, e), inside) == "coordinator"}
        matching = [r for r in records if r.coordinator in coordinators]
        if len(coordinators) == 1 and len(matching) == 1:
            return matching[0]
    return None


def _can_be_theme(node: SectionNode) -> bool:
    """Theme headings name a field of work; numbered form parts, questions and links do not."""
    title = (node.title or "").casefold()
    if re.match(r"^\d+(\.\d+)*\.?\s", title) and title.upper() == title:
        return False
    return not any(marker in title for marker in _conventions()["non_theme_markers"]) and not find_periods(title)


def _first_theme(theme: str | None, node: SectionNode | None) -> str | None:
    # A table or form stands inside its theme's section, not under it.
    if node is not None and node.heading is not None and not _is_status_heading(node.heading.text) and _can_be_theme(node):
        return node.title if node.heading.level > 1 else theme
    return theme


def _fielded_scope(
    fielded: FieldedProject, later: list[FieldedProject], text_end: int, earlier_forms: bool = False
) -> tuple[int, int]:
    """A table row covers its cells; a project form covers the text up to the next form or the end."""
    start = min(v.start for v in fielded.fields.values())
    if fielded.source == "table":
        return start, max(v.end for v in fielded.fields.values())
    following = [min(v.start for v in f.fields.values()) for f in later if f.source == "form"]
    if following or earlier_forms:
        # Several forms in a row (a list of granted projects): each covers its own fields.
        return start, max(v.end for v in fielded.fields.values())
    return start, text_end


def _merged(
    records: list[ProjectRecord],
    scopes: list[ProjectScope],
    record: ProjectRecord,
    scope: tuple[int, int],
    *,
    fielded_name: bool = False,
) -> tuple[list[ProjectRecord], list[ProjectScope]]:
    """Adds a fielded project, or fills in the fields of the same project found otherwise."""
    for i, known in enumerate(records):
        if same_name(known.name, record.name) or prefix_match(known.name, record.name):
            filled = {
                name: getattr(record, name)
                for name in ("start_date", "end_date", "status", "coordinator", "partners", "funders", "contacts")
                if not getattr(known, name) and getattr(record, name)
            }
            # A period given in a table column or form field is stated for the project; a date in
            # prose may be about something else in the sentence ("jatkaa vuonna 2009 käynnistetyn ...").
            if known.provenance.rule == "projects.prose":
                filled.update({n: getattr(record, n) for n in ("start_date", "end_date") if getattr(record, n)})
            if fielded_name and len(record.name) > len(known.name):
                filled["name"] = record.name  # a form's "Hankkeen nimi" is the full official name
            records[i] = replace(known, **filled)
            scopes[i] = ProjectScope(records[i].name, scopes[i].ranges + (scope,), scopes[i].heading_project)
            return records, scopes
    return records + [record], scopes + [ProjectScope(record.name, (scope,), False)]


# -- 1. headings --------------------------------------------------------------


_OWN_PROJECTS = re.compile(r"\bom(?:at|a|ia|ien)\s+(?:\w+\s+)?(?:hank|projekt)", re.IGNORECASE)
_LISTED = re.compile(r"^(?P<name>[A-ZÅÄÖ0-9][^()]{2,150}?)\s*\((?P<period>[^()]*\d{4}[^()]*)\)")


def _listed_projects(document: Document, nodes: list[SectionNode]) -> list[_Project]:
    """List items that open with a name and its period: "PortCirc – satamat ... (1.3.2023–31.5.2027). ..."."""
    found = []
    lead = ""
    for _, block in document.blocks():
        if block.kind != "list_item":
            lead = block.text
            continue
        match = _LISTED.match(block.text)
        if not match or len(match["name"].split()) > 15 or not find_periods(match["period"]):
            continue
        name, period = _split_period(block.text[: match.end()], block.start)
        if period is None:
            continue
        start = block.start + match.start("name")
        # "Liiton käynnissä olevat omat hankkeet:": the publisher's own projects.
        rule = "projects.list.own" if _OWN_PROJECTS.search(lead) else "projects.list"
        project = _Project(name, start, start + len(name), rule, innermost_section(nodes, block.start), period)
        project.scope = [(block.start, block.end)]
        project.lead = lead
        found.append(project)
    return found


def _heading_projects(document: Document, nodes: list[SectionNode]) -> list[_Project]:
    projects: list[_Project] = []
    for node in nodes:
        heading = node.heading
        if heading is None or _is_status_heading(heading.text):
            continue
        name, period = _split_period(heading.text, heading.start)
        parent = next((p for p in projects if p.node is not None and p.node in node.ancestors()), None)
        if parent is not None and name_key(name).startswith(name_key(parent.name)):
            # "Teemme yhdessä! Työllisyyden ... (1.2.2020-31.1.2022)" under "Teemme yhdessä! (2020-2022)"
            if period is not None and _more_precise(period, parent.period):
                parent.period = period
            continue
        if (
            period is not None
            or _ends_in_project_word(name)
            or _named_as_project_below(document, node, name)
            or _introduced_as_project(node)
        ):
            projects.append(_Project(name, heading.start, heading.start + len(name), "projects.heading", node, period))
    return projects


_SINGULAR_PROJECT_WORD = re.compile(r"\b(?:hanke|hankkeen|hankkeessa|hanketta|hankkeella|hankkeelle|hankkeeseen|projekti|projektin|projektissa|projektia)\b", re.IGNORECASE)


def _introduced_as_project(node: SectionNode) -> bool:
    """A heading in a list of projects whose first sentence speaks of "the project" names one.

    Only a section without sub-sections, under a status heading
    ("Suunnitteilla olevat hankkeet"), counts: a theme heading has its
    projects under it, and a news headline is no list.
    """
    if node.section.subsections or node.heading is None or node.heading.level < 2:
        return False
    if not _in_status_region(node):
        return False
    paragraphs = [b for b in node.own_blocks() if b.kind == "paragraph"]
    if not paragraphs:
        return False
    first_sentence = next(iter(sentence_spans(paragraphs[0].text)), (0, 0))
    return bool(_SINGULAR_PROJECT_WORD.search(paragraphs[0].text[first_sentence[0] : first_sentence[1]]))


def _in_status_region(node: SectionNode) -> bool:
    if any(a.heading is not None and _is_status_heading(a.heading.text) for a in node.ancestors()):
        return True
    parent = node.parent
    siblings = parent.section.subsections if parent is not None else []
    index = next((i for i, s in enumerate(siblings) if s is node.section), 0)
    return any(s.heading is not None and _is_status_heading(s.heading.text) for s in siblings[:index])


def _split_period(text: str, offset: int) -> tuple[str, PeriodMention | None]:
    match = _PERIOD_SUFFIX.search(text)
    if not match:
        return text, None
    periods = find_periods(match["period"])
    if not periods:
        return text, None
    base = offset + match.start("period")
    first, last = periods[0], periods[-1]
    start_date = first.start_date or first.end_date if first is not last else first.start_date
    end_date = last.end_date
    period = PeriodMention(
        _shifted(start_date, base), _shifted(end_date, base), base + first.start, base + last.end
    )
    return text[: match.start()].strip(), period


def _shifted(date: DateMention | None, base: int) -> DateMention | None:
    if date is None:
        return None
    return replace(date, start=date.start + base, end=date.end + base)


def _more_precise(new: PeriodMention, old: PeriodMention | None) -> bool:
    def precision(p: PeriodMention | None) -> int:
        if p is None:
            return 0
        return sum(len(d.value) for d in (p.start_date, p.end_date) if d is not None)

    return precision(new) > precision(old)


def _ends_in_project_word(name: str) -> bool:
    last = name.split()[-1].casefold().lstrip("-–") if name.split() else ""
    return any(last.endswith(word) for word in _conventions()["heading_project_words"])


def _is_status_heading(text: str) -> bool:
    key = text.casefold()
    return any(key.startswith(word) for words in _conventions()["status_words"].values() for word in words)


def _named_as_project_below(document: Document, node: SectionNode, name: str) -> bool:
    text = " ".join(b.text for b in node.own_blocks())
    return any(same_name(candidate, name) for candidate, _, _ in hyphen_mentions(text, 0))


# -- learned: which candidates name projects ------------------------------------


def _rule_projects(document: Document, nodes: list[SectionNode], organisations: list[OrganisationMention]) -> list[_Project]:
    projects = _heading_projects(document, nodes)
    projects += _listed_projects(document, nodes)
    projects += _prose_projects(document, nodes, projects, organisations)
    return [p for p in projects if not names_no_project(p.name)]


def project_candidates(
    document: Document, organisations: list[OrganisationMention]
) -> list[tuple[ProjectCandidate, str | None]]:
    """What the classifier judges in ``document``: rule-found projects and structural candidates."""
    return judged_candidates(document, _rule_projects(document, section_nodes(document), organisations))


def judged_candidates(document: Document, projects: list[_Project]) -> list[tuple[ProjectCandidate, str | None]]:
    """Every candidate with the rule that found it (None for a structural place no rule took).

    A rule-found project becomes a candidate in the block it stands in, so it
    is judged with the same structural facts as the places no rule took.
    """
    structural = structural_candidates(document)
    by_span = {(c.start, c.end): c for c in structural}
    judged: list[tuple[ProjectCandidate, str | None]] = []
    taken: list[tuple[int, int]] = []
    for project in projects:
        candidate = by_span.get((project.start, project.end)) or _candidate_at(document, project, structural)
        judged.append((candidate, project.rule))
        taken.append((project.start, project.end))
    for candidate in structural:
        if not any(s < candidate.end and candidate.start < e for s, e in taken) and not any(
            same_name(candidate.name, p.name) for p in projects
        ):
            judged.append((candidate, None))
    return judged


def _candidate_at(document: Document, project: _Project, structural: list[ProjectCandidate]) -> ProjectCandidate:
    holder = next((c for c in structural if c.block.start <= project.start < c.block.end), None)
    block = holder.block if holder else next(
        (b for _, b in document.blocks() if b.start <= project.start < max(b.end, b.start + 1)), None
    )
    if block is None:
        block = Block("paragraph", TextSpan(project.name, project.start, project.end, document.page_at(project.start)))
    return ProjectCandidate(
        project.name, project.start, project.end, "rule", block, holder.lead if holder else "",
        holder.headings if holder else (),
    )


def _judged(
    document: Document,
    nodes: list[SectionNode],
    projects: list[_Project],
    organisations: list[OrganisationMention],
    people: list[tuple[int, int]] = (),
    finite_verbs: frozenset[int] = frozenset(),
) -> list[_Project]:
    """The rule-found projects the classifier keeps, and the candidates it adds; all of them without one."""
    classifier = active_classifier()
    if classifier is None:
        return projects
    spans = [(m.start, m.end) for m in organisations]
    kept: list[_Project] = []
    by_start = {(p.start, p.end): p for p in projects}
    for candidate, rule in judged_candidates(document, projects):
        features = candidate_features(candidate, rule=rule, organisation_spans=spans, document_text=document.text)
        accepted = classifier.accepts(features)
        if rule is not None:
            project = by_start[(candidate.start, candidate.end)]
            if accepted or not classifier.use.get("drop_rule_projects"):
                kept.append(project)
        elif accepted and classifier.use.get("add_candidates") and _may_add(candidate, features, nodes, kept, people, finite_verbs):
            candidate, applicant = split_listed_applicant(document, candidate, organisations)
            project = _learned_project(document, nodes, candidate)
            project.applicant = applicant
            kept.append(project)
    return kept


def _may_add(
    candidate: ProjectCandidate,
    features: dict[str, float],
    nodes: list[SectionNode],
    kept: list[_Project],
    people: list[tuple[int, int]],
    finite_verbs: frozenset[int],
) -> bool:
    """What the classifier accepts is added only where the text speaks of projects, and never as a
    person's line, a theme over projects, a clause, a form label or a name already taken."""
    return (
        is_cued(features)
        # A contact person's line ("Jari Harvio, digikehittämispäällikkö") names no project.
        and not any(s < candidate.end and candidate.start < e for s, e in people)
        and not _heads_projects(nodes, candidate, kept)
        # "Muut tehtävät hoidetaan omin voimin.", "Yhteistyö lisää resurssitehokkuutta": a clause, not a name.
        and not is_clause(candidate, finite_verbs)
        and not names_no_project(candidate.name)
        and not any(same_name(candidate.name, p.name) for p in kept)
    )


def _with_list_roles(
    document: Document, project: _Project, roles: dict[str, list[OrganisationMention]], organisations: list[OrganisationMention]
) -> dict[str, list[OrganisationMention]]:
    """A listed project's applicant coordinates it, and the funders of the list's introducing line fund it."""
    applicant = project.applicant or _implementer_line(project, organisations)
    if applicant is not None and not roles["coordinator"]:
        roles["coordinator"] = [applicant]
        roles["partner"] = [m for m in roles["partner"] if m.name != applicant.name]
    if project.lead_scope is not None:
        lead = _roles(document, _Project(project.name, *project.lead_scope, project.rule, scope=[project.lead_scope]), organisations)
        known = {m.name for ms in roles.values() for m in ms}
        roles["funder"] += [m for m in lead["funder"] if m.name not in known]
    return roles


def _implementer_line(project: _Project, organisations: list[OrganisationMention]) -> OrganisationMention | None:
    """A project's heading with a line under it that only names an organisation: its implementer
    ("Vipinää kestävään kehitykseen" / "Demos Helsinki" / "Hankkeessa koostettiin ...")."""
    node = project.node
    if node is None or node.heading is None or project.rule not in HEADING_RULES:
        return None
    under = [*node.own_blocks(), *(sub.heading for sub in node.section.subsections if sub.heading is not None)]
    first = min(under, key=lambda b: b.start, default=None)
    if first is None or first.kind not in ("paragraph", "heading") or len(first.text.split()) > 6:
        return None
    inside = [m for m in organisations if first.start <= m.start < first.end]
    if len(inside) == 1 and inside[0].end - inside[0].start >= 0.8 * len(first.text.strip()):
        return inside[0]
    return None


def _heads_projects(nodes: list[SectionNode], candidate: ProjectCandidate, projects: list[_Project]) -> bool:
    """A heading with projects in its sub-sections is their theme, not a project itself."""
    if candidate.block.kind != "heading":
        return False
    node = next((n for n in nodes if n.heading is candidate.block), None)
    return node is not None and any(p.node is not None and node in p.node.ancestors() for p in projects)


def _learned_project(document: Document, nodes: list[SectionNode], candidate: ProjectCandidate) -> _Project:
    block = candidate.block
    node = innermost_section(nodes, block.start)
    name, period = _split_period(candidate.name, candidate.start)
    if block.kind == "heading" and node is not None and node.heading is block:
        # A heading names the project its section is about.
        return _Project(name, candidate.start, candidate.start + len(name), "projects.heading.learned", node, period)
    project = _Project(name, candidate.start, candidate.start + len(name), "projects.list.learned", node, period)
    project.period = project.period or _period_in(document, (block.start, block.end))
    project.scope = [(block.start, block.end)]
    project.lead = candidate.lead
    if block.kind == "list_item" and candidate.lead_block is not None:
        project.lead_scope = (candidate.lead_block.start, candidate.lead_block.end)
    return project


# -- 2. prose -------------------------------------------------------------------


def _prose_projects(
    document: Document, nodes: list[SectionNode], known: list[_Project], organisations: list[OrganisationMention]
) -> list[_Project]:
    found: list[_Project] = []
    organisation_spans = [(m.start, m.end) for m in organisations]
    for _, block in document.blocks():
        if block.kind == "heading":
            continue
        for name, start, end in block_mentions(block.text, block.start, organisation_spans):
            trimmed = without_leading_context(name)
            start, name = start + len(name) - len(trimmed), trimmed
            node = innermost_section(nodes, start)
            own = next((p for p in known if p.node is not None and node is not None and p.node in [node, *node.ancestors()]), None)
            if own is not None and (
                prefix_match(name, own.name) or text_ends_with(document.text, start, own.name) or same_words(name, own.name)
            ):
                continue
            if any(same_name(name, p.name) or prefix_match(name, p.name) for p in [*known, *found]):
                continue
            found.append(_Project(name, start, end, "projects.prose", node))
    return found


def _assign_scopes(document: Document, nodes: list[SectionNode], projects: list[_Project]) -> None:
    prose = [p for p in projects if p.rule == "projects.prose"]
    mentions = sorted(p.start for p in prose)
    listed = [p for p in projects if p.rule.startswith("projects.list")]
    for project in projects:
        if project.rule.startswith("projects.list"):
            continue
        if project.rule == "projects.prose":
            sentence = _sentence_around(document, project.start)
            following = [m for m in mentions if m >= sentence[1]]
            project.scope = [*_lead_sentences(document, sentence, mentions), sentence]
            # "X-hanke jatkaa Y-hankkeen työtä. Hankkeessa ovat mukana ...": what
            # follows goes on about the sentence's first project, its subject.
            if not any(sentence[0] <= m < project.start for m in mentions):
                project.scope += _anaphoric_sentences(document, sentence[1], following[0] if following else None)
            project.period = _first_period(document, project.scope)
            continue
        node = project.node
        assert node is not None
        inner = [p.node for p in projects if p.node is not None and p is not project and node in p.node.ancestors()]
        ranges = [(node.start, node.end)]
        for child in inner:
            ranges = _cut(ranges, child.start, child.end)
        for other in prose:
            sentence = other.scope[0] if other.scope else _sentence_around(document, other.start)
            ranges = _cut(ranges, *sentence)
        for item in listed:
            ranges = _cut(ranges, *item.scope[0])
        project.scope = ranges


def _lead_sentences(document: Document, sentence: tuple[int, int], mentions: list[int]) -> list[tuple[int, int]]:
    """The sentences of a paragraph before its first project name, when they name none: a news
    paragraph leads with the grant ("Lukio sai 62 340 euroa.") and names the project after."""
    block = next((b for _, b in document.blocks() if b.start <= sentence[0] < b.end), None)
    if block is None or any(block.start <= m < sentence[0] for m in mentions):
        return []
    spans = [(block.start + s, block.start + e) for s, e in sentence_spans(block.text)]
    return [span for span in spans if span[1] <= sentence[0]]


_ANAPHORA = re.compile(r"^(?:Hanke|Hankkeen|Hankkeessa|Hankkeella|Hanketta|Hankkeelle|Projekti|Projektin|Projektissa)\b")


def _anaphoric_sentences(document: Document, after: int, stop: int | None) -> list[tuple[int, int]]:
    """Sentences that go on about the project just named: the rest of its paragraph, and
    following paragraphs that open with "Hanke ...", up to the next project named or a heading."""
    found: list[tuple[int, int]] = []
    for _, block in document.blocks():
        if block.end <= after:
            continue
        if block.kind == "heading" or (stop is not None and block.start >= stop):
            break
        if block.start >= after and not _ANAPHORA.match(block.text):
            break
        for s, e in sentence_spans(block.text):
            start, end = block.start + s, block.start + e
            if start >= after and (stop is None or end <= stop):
                found.append((start, end))
    return found


def _first_period(document: Document, scope: list[tuple[int, int]]) -> PeriodMention | None:
    """The first full period (start and end) of the scope; else its first start joined with the first
    end stated apart ("käynnisti tammikuussa 2024 ... on käynnissä vuoden 2025 loppuun"); else its first date."""
    periods = [p for s in scope if (p := _period_in(document, s)) is not None]
    complete = [p for p in periods if p.start_date and p.end_date]
    if complete:
        return complete[0]
    starts = [p for p in periods if p.start_date]
    ends = [p for p in periods if p.end_date and p.end_date.role == "end"]
    if starts and ends and ends[0].start > starts[0].end and ends[0].end_date.value >= starts[0].start_date.value:
        return PeriodMention(starts[0].start_date, ends[0].end_date, starts[0].start, ends[0].end)
    return (periods or [None])[0]


def _sentence_around(document: Document, offset: int) -> tuple[int, int]:
    for _, block in document.blocks():
        if block.start <= offset < block.end:
            for start, end in sentence_spans(block.text):
                if block.start + start <= offset < block.start + end:
                    return block.start + start, block.start + end
            return block.start, block.end
    return offset, offset


def _cut(ranges: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for s, e in ranges:
        if end <= s or start >= e:
            out.append((s, e))
            continue
        if s < start:
            out.append((s, start))
        if end < e:
            out.append((end, e))
    return out


def _period_in(document: Document, scope: tuple[int, int]) -> PeriodMention | None:
    start, end = scope
    periods = find_periods(document.text[start:end])
    if not periods:
        return None
    p = periods[0]
    return PeriodMention(
        replace(p.start_date, start=p.start_date.start + start, end=p.start_date.end + start) if p.start_date else None,
        replace(p.end_date, start=p.end_date.start + start, end=p.end_date.end + start) if p.end_date else None,
        p.start + start,
        p.end + start,
    )


def _status(document: Document, project: _Project) -> str | None:
    """What the text says: a status word just before a name in prose ("jo päättyneessä Talvipyöräily
    -hankkeessa"), in the line introducing its list, in a status heading above it, or in a short
    status line in its scope."""
    if project.rule == "projects.prose":
        before = document.text[max(0, project.start - 40) : project.start].casefold().split()[-3:]
        for status, stems in _conventions()["status_stems_before_name"].items():
            if any(word.startswith(stem) for word in before for stem in stems):
                return status
    # "Liiton käynnissä olevat omat hankkeet:" introduces a list of ongoing ones.
    if project.lead.rstrip().endswith(":") and _status_of(project.lead):
        return _status_of(project.lead)
    node = project.node
    for ancestor in ([node, *node.ancestors()] if node is not None else []):
        if ancestor.heading is not None and _is_status_heading(ancestor.heading.text):
            return _status_of(ancestor.heading.text)
    # Plain text gives no reliable nesting: a status heading ("Päättyneet
    # hankkeet") then holds until the next status heading.
    before = [b for _, b in document.blocks() if b.kind == "heading" and b.start < project.start and _is_status_heading(b.text)]
    if before:
        return _status_of(before[-1].text)
    for start, end in project.scope:
        for _, block in document.blocks():
            if start <= block.start < end and len(block.text) <= 40 and block.kind != "heading":
                status = _status_of(block.text)
                if status:
                    return status
    # "Hanke on käynnissä vuoden 2025 loppuun": the project itself said to be so.
    for start, end in project.scope:
        said = _SAID_TO_BE.match(document.text[start:end])
        if said and _status_of(said["state"]):
            return _status_of(said["state"])
    return None


_SAID_TO_BE = re.compile(r"^(?:Hanke|Projekti)\s+(?:on|oli)\s+(?:jo\s+|vielä\s+)?(?P<state>\w+)", re.IGNORECASE)


def _status_of(text: str) -> str | None:
    words = set(re.findall(r"[\wåäö]+", text.casefold()))
    for status, cues in _conventions()["status_words"].items():
        if any(cue in words for cue in cues if " " not in cue):
            return status
    return None


def _theme(project: _Project, projects: list[_Project], nodes: list[SectionNode]) -> str | None:
    """The nearest heading above the project that is neither a project, a status, nor the title."""
    node = project.node
    if node is None:
        return None
    chain = node.ancestors() if project.rule in HEADING_RULES else [node, *node.ancestors()]
    project_nodes = {id(p.node) for p in projects if p.rule in HEADING_RULES}
    top_level = min((n.heading.level for n in nodes if n.heading is not None), default=1)
    titles = [n for n in nodes if n.heading is not None and n.heading.level == top_level]
    for ancestor in chain:
        if id(ancestor) in project_nodes or _is_status_heading(ancestor.title or "") or not _can_be_theme(ancestor):
            continue
        if len(titles) == 1 and ancestor is titles[0]:
            return None
        return ancestor.title
    return None


def _roles(document: Document, project: _Project, organisations: list[OrganisationMention]) -> dict[str, list[OrganisationMention]]:
    roles: dict[str, list[OrganisationMention]] = {"coordinator": [], "partner": [], "funder": []}
    for start, end in project.scope:
        for s, e in _sentences_in(document, start, end):
            inside = [m for m in organisations if s <= m.start < e]
            for mention in inside:
                role = role_in_sentence(document, mention, (s, e), inside)
                if role and mention.name not in [m.name for m in roles[role]]:
                    roles[role].append(mention)
    return roles


def _sentences_in(document: Document, start: int, end: int) -> Iterator[tuple[int, int]]:
    for _, block in document.blocks():
        if block.end <= start or block.start >= end or block.kind == "table":
            continue
        for s, e in sentence_spans(block.text):
            s, e = block.start + s, block.start + e
            if start <= s and e <= end:
                yield s, e


# -- records ------------------------------------------------------------------------


def _record(document: Document, project: _Project, contacts: list[ContactRecord]) -> ProjectRecord:
    coordinator = project.roles["coordinator"][0].name if project.roles["coordinator"] else None
    # A fund or programme takes part in no project: it pays ("kumppanina Interreg Europe
    # -ohjelman rahoittamassa hankkeessa").
    partners = tuple(m.name for m in project.roles["partner"] if m.name != coordinator and not is_fund(m))
    funders = tuple(m.name for m in project.roles["funder"] if m.name != coordinator and m.name not in partners)
    own_contacts = tuple(
        c.email or c.name
        for c in contacts
        if any(s <= c.provenance.start < e for s, e in project.scope) and (c.email or c.name)
    )
    period = project.period
    return ProjectRecord(
        name=project.name,
        provenance=Provenance.of_span(
            document, project.start, project.end, extractor=NAME, version=VERSION, rule=project.rule,
            confidence=0.85 if project.rule == "projects.heading" else 0.7,
        ),
        start_date=period.start_date.value if period and period.start_date else None,
        end_date=period.end_date.value if period and period.end_date else None,
        status=project.status,
        theme=project.theme,
        coordinator=coordinator,
        partners=partners,
        funders=funders,
        contacts=tuple(dict.fromkeys(own_contacts)),
    )
