"""Goals: objective -> actions -> indicators, from goal tables and from goal lists.

Tables: a header row naming an objective column and an actions or
indicators column ("Toiminnalliset tavoitteet 2024–2026 | Toimenpiteet 2024 |
Mittarit", "Tavoite | Toimenpide | Mittari | Vastuutaho | Aikataulu"); the
period is the year range of the header. A table with the same columns and
no header straight after one continues it. One action or indicator per cell
paragraph; a cell of one paragraph holding several sentences gives one per
sentence ("Tehty. Tehty.").

Lists: a numbered heading whose section has a "Toimenpiteet ...:" line with
a list under it, and a "Mittarit: ..." line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractors.conventions import conventions
from extractors.dates import find_periods
from extractors.records import GoalRecord, Provenance
from extractors.sections import SectionNode, innermost_section, section_nodes
from extractors.sentences import split_sentences
from pipeline.document import Block, Cell, Document, Table

NAME = "fi.goals"
VERSION = "1"
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_WORD = re.compile(r"[a-zåäö]{5,}")


def _conventions() -> dict:
    return conventions("goals_fi.json")


@dataclass(frozen=True)
class _Columns:
    roles: dict[int, str]
    period: str | None
    width: int


def column_role(header: str) -> str | None:
    """The role of a goal-table column from its header text, or None."""
    key = re.sub(r"[\d\s–\-.,:/()]+", " ", header.casefold()).strip()
    for role, variants in _conventions()["table_headers"].items():
        if any(key.startswith(v) for v in sorted(variants, key=len, reverse=True)):
            return role
    return None


def extract_goals(document: Document) -> list[GoalRecord]:
    """Goals of the document: goal tables first, then goal lists."""
    nodes = section_nodes(document)
    found = [*_table_goals(document, nodes), *_list_goals(document, nodes)]
    if found:
        return found
    return [*_headed_goals(document, nodes), *_enumerated_goals(document, nodes), *_visions(document, nodes)]


# -- tables ---------------------------------------------------------------------


def _table_goals(document: Document, nodes: list[SectionNode]) -> list[GoalRecord]:
    goals: list[GoalRecord] = []
    columns: _Columns | None = None
    previous_end = 0
    for _, block in document.blocks():
        if block.table is None:
            continue
        found = _columns(block.table)
        body = block.table.body
        if found is None and columns is not None and not block.table.header and _width(block.table) == columns.width:
            found = columns  # a continuation without its header
        elif found is None:
            previous_end = block.end
            continue
        else:
            body = block.table.rows[1:] if not block.table.header else body
        columns = found
        section = _section_of(document, nodes, block, previous_end)
        period = columns.period or _period_above(document, nodes, block.start)
        goals.extend(_rows_to_goals(document, body, replace(columns, period=period), section))
        previous_end = block.end
    return goals


def _columns(table: Table) -> _Columns | None:
    first = table.rows[0]
    roles = {c.col: role for c in first if (role := column_role(c.text))}
    if "objective" not in roles.values() or not {"actions", "indicators"} & set(roles.values()):
        return None
    period = None
    for cell in sorted(first, key=lambda c: roles.get(c.col) != "objective"):
        years = [p for p in find_periods(cell.text) if p.start_date and p.end_date]
        if years:
            period = cell.text[years[0].start : years[0].end]
            break
    return _Columns(roles, period, _width(table))


def _period_above(document: Document, nodes: list[SectionNode], offset: int) -> str | None:
    """A year range in the headings above ("Strategiset päämäärät 2025–2027") or in the title."""
    node = innermost_section(nodes, offset)
    texts = [n.title or "" for n in ([node, *node.ancestors()] if node is not None else [])]
    texts.append(document.title or "")
    for text in texts:
        ranges = [p for p in find_periods(text) if p.start_date and p.end_date]
        if ranges:
            return text[ranges[0].start : ranges[0].end]
    return None


def _width(table: Table) -> int:
    return max(len(row) for row in table.rows)


def _rows_to_goals(
    document: Document, rows: tuple[tuple[Cell, ...], ...], columns: _Columns, section: str | None
) -> list[GoalRecord]:
    goals: list[GoalRecord] = []
    for row in rows:
        by_role = {columns.roles[c.col]: c for c in row if c.col in columns.roles}
        objective = by_role.get("objective")
        actions = _items(by_role.get("actions"))
        indicators = _items(by_role.get("indicators"))
        if objective is None or not objective.text:
            if goals and (actions or indicators):
                last = goals.pop()
                goals.append(_extended(last, actions, indicators))
            continue
        schedule = by_role.get("schedule")
        goals.append(
            GoalRecord(
                objective=" ".join(p.text for p in objective.paragraphs),
                provenance=_provenance(document, objective.span.start, objective.span.end, "goals.table"),
                section=section,
                period=schedule.text if schedule is not None and schedule.text else columns.period,
                actions=tuple(actions),
                indicators=tuple(indicators),
            )
        )
    return goals


def _extended(goal: GoalRecord, actions: list[str], indicators: list[str]) -> GoalRecord:
    return replace(goal, actions=goal.actions + tuple(actions), indicators=goal.indicators + tuple(indicators))


def _items(cell: Cell | None) -> list[str]:
    if cell is None or not cell.paragraphs:
        return []
    if len(cell.paragraphs) > 1:
        return [p.text for p in cell.paragraphs]
    return split_sentences(cell.paragraphs[0].text)


def _section_of(document: Document, nodes: list[SectionNode], table: Block, previous_end: int) -> str | None:
    """The part of the plan a goal table closes.

    Work programmes put one goal table at the end of each part, so the
    candidates are the headings between the previous goal table and this
    one; the one whose own text shares most words with the table wins.
    """
    tables = [b for _, b in document.blocks() if b.table is not None and b.start != table.start and _columns(b.table)]
    candidates = [
        n
        for n in nodes
        if previous_end <= n.start < table.start
        and n.heading.level > 1
        # A part holding several goal tables groups parts; it is not the part this table closes.
        and not any(n.start <= t.start < n.end for t in tables)
    ]
    if not candidates:
        node = innermost_section(nodes, table.start)
        return node.title if node is not None else None
    # The outermost part the table stands inside is the one it belongs to, unless its heading
    # only says what a goal table holds ("Tavoitteet ja mittarit 2025–2027"). Plain text
    # gives no reliable nesting, so there the words decide.
    holding = [n for n in candidates if n.start <= table.start < n.end and not _names_a_goal_table(n.title or "")]
    if holding and document.media_type != "text/plain":
        return min(holding, key=lambda n: (n.heading.level, n.start)).title
    table_words = set(_WORD.findall(table.text.casefold()))

    def overlap(node: SectionNode) -> int:
        # A part's text includes its sub-parts, up to the table itself.
        text = " ".join(
            b.text for _, b in document.blocks() if node.start <= b.start < min(node.end, table.start) and b.table is None
        )
        return len(table_words & set(_WORD.findall(text.casefold())))

    return max(candidates, key=lambda n: (overlap(n), -n.start)).title


def _names_a_goal_table(title: str) -> bool:
    words = [w for w in _WORD.findall(title.casefold()) if not w.isdigit() and w not in ("ja", "sekä")]
    headers = [h for forms in _conventions()["table_headers"].values() for h in forms]
    return bool(words) and all(any(h.startswith(w) or w.startswith(h) for h in headers) for w in words)


# -- lists ------------------------------------------------------------------------


def _list_goals(document: Document, nodes: list[SectionNode]) -> list[GoalRecord]:
    goals = []
    for node in nodes:
        actions, indicators = _list_parts(node.own_blocks())
        if not actions or not indicators:
            continue  # a list alone is no goal structure; with its indicators it is
        heading = node.heading
        objective = _NUMBERING.sub("", heading.text).strip()
        goals.append(
            GoalRecord(
                objective=objective,
                provenance=_provenance(document, heading.end - len(objective), heading.end, "goals.list"),
                section=node.parent.title if node.parent is not None else None,
                period=_schedule(node.own_blocks()),
                actions=tuple(actions),
                indicators=tuple(indicators),
            )
        )
    return goals


def _list_parts(blocks: list[Block]) -> tuple[list[str], list[str]]:
    actions: list[str] = []
    indicators: list[str] = []
    for i, block in enumerate(blocks):
        label, rest = _label(block.text)
        if label in _conventions()["action_labels"] and not actions:
            actions = _list_after(blocks, i) if not rest else [rest]
        elif label in _conventions()["indicator_labels"] and rest:
            indicators.extend(s for part in rest.split(";") for s in split_sentences(part))
    return actions, indicators


def _schedule(blocks: list[Block]) -> str | None:
    """ "Aikataulu: 2024–2027" under a goal gives its period."""
    for block in blocks:
        label, rest = _label(block.text)
        if label in _conventions()["schedule_labels"] and rest:
            return rest.rstrip(".")
    return None


def _label(text: str) -> tuple[str | None, str]:
    """ "Toimenpiteet Hattulassa:" -> ("toimenpiteet", ""), "Mittarit: X" -> ("mittarit", "X")."""
    head, colon, rest = text.partition(":")
    if not colon:
        return None, ""
    first = head.split(" ", 1)[0].casefold()
    return (first if len(head.split()) <= 4 else None), rest.strip()


def _list_after(blocks: list[Block], index: int) -> list[str]:
    items = []
    marker = None
    for block in blocks[index + 1 :]:
        if block.kind != "list_item" or (marker is not None and block.marker != marker):
            break
        marker = block.marker
        items.append(block.text)
    return items


def _provenance(document: Document, start: int, end: int, rule: str) -> Provenance:
    return Provenance.of_span(document, start, end, extractor=NAME, version=VERSION, rule=rule, confidence=0.8)


# -- enumerations in prose ------------------------------------------------------------

_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\b")
MAX_GOAL_WORDS = 15


def _enumerated_goals(document: Document, nodes: list[SectionNode]) -> list[GoalRecord]:
    """ "Maakuntaohjelman 2022–2025 kehittämisen painopisteet ovat: - A - B" and "Ohjelman tavoitteena on
    tukea X, tuoda Y sekä vauhdittaa Z": each item of the enumeration is a goal."""
    goals: list[GoalRecord] = []
    for _, block in document.blocks():
        if block.kind == "table":
            continue
        for match in _enumeration().finditer(block.text):
            items = _enumeration_items(block.text, match.end())
            if len(items) < 2:
                continue
            # A plan's aim ("Ohjelman tavoitteena on ...") is filed under no part of it.
            group = (match.group("group") or match.group("group3") or "").strip()
            section, period = _section_and_period(group, document, nodes, block.start)
            for start, end in items:
                goals.append(
                    GoalRecord(
                        objective=block.text[start:end],
                        provenance=_provenance(document, block.start + start, block.start + end, "goals.enumeration"),
                        section=section,
                        period=period,
                    )
                )
    return goals


@lru_cache(maxsize=1)
def _enumeration() -> re.Pattern[str]:
    conv = _conventions()
    nouns = "|".join(re.escape(n) for n in sorted(conv["enumeration_nouns"], key=len, reverse=True))
    plans = "|".join(re.escape(n) for n in conv["plan_nouns"])
    aims = "|".join(re.escape(a) for a in conv["plan_aim_phrases"])
    return re.compile(
        rf"(?P<group>(?:[\w\-–]+\s+){{0,4}}?(?:{nouns}))(?:\s+(?:ovat|on|är|var))?\s*:\s*"
        rf"|(?P<group2>\b\w*(?:{plans})\w*)\s+(?:{aims})\s+"
        rf"|(?P<group3>(?:[\w\-–]+\s+){{0,2}}?(?:{nouns}))\s+(?:ovat|är)\s+",
        re.IGNORECASE,
    )


def _enumeration_items(text: str, start: int) -> list[tuple[int, int]]:
    """The items of the enumeration from ``start``: dash bullets, or a comma list ending in ja/sekä/och."""
    end = _sentence_end(text, start)
    body = text[start:end]
    if re.match(r"\s*[-–•]\s", body):
        parts = [(m.start(1), m.end(1)) for m in re.finditer(r"[-–•]\s+((?:(?![-–•]\s).)+)", body)]
        if parts:
            last_start, last_end = parts[-1]
            parts[-1] = (last_start, last_start + _until_new_sentence(body[last_start:last_end]))
    else:
        parts = _comma_items(body)
    found = []
    for s, e in parts:
        s, e = _stripped(body, s, e)
        if e > s and len(body[s:e].split()) <= MAX_GOAL_WORDS:
            found.append((start + s, start + e))
    return found if len(found) == len(parts) else []


def _sentence_end(text: str, start: int) -> int:
    match = re.search(r"\.(?:\s|$)", text[start:])
    return start + match.start() if match else len(text)


def _until_new_sentence(text: str) -> int:
    """A list run into the next sentence without a full stop: "... monipaikkaisuus Keski-Pohjanmaan liitto kiittää"."""
    match = re.search(r"(?<=[a-zåäö])\s+(?=[A-ZÅÄÖ])", text)
    return match.start() if match else len(text)


def _comma_items(body: str) -> list[tuple[int, int]]:
    bounds = [m.span() for m in re.finditer(r",\s+(?:(?:ja|sekä|och|and)\s+)?", body)]
    if not bounds:
        return []  # "A sekä B ja C" without a comma is one goal as often as three
    last = list(re.finditer(r"\s(?:ja|sekä|och)\s", body))
    if last and (not bounds or last[-1].start() > bounds[-1][1]):
        bounds.append(last[-1].span())
    parts, at = [], 0
    for s, e in bounds:
        parts.append((at, s))
        at = e
    parts.append((at, len(body)))
    return parts


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " -–•:;,":
        start += 1
    while end > start and text[end - 1] in " -–•:;,.":
        end -= 1
    return start, end


def _section_and_period(group: str, document: Document, nodes: list[SectionNode], at: int) -> tuple[str | None, str | None]:
    years = _YEARS.search(group)
    period = f"{years.group(1)}–{years.group(2)}" if years else None
    words = _YEARS.sub("", group).split()
    # "för projekt inom fyra tematiska områden": the section is the noun phrase after the last preposition or numeral.
    stops = set(_conventions()["section_stop_words"])
    cut = max((i + 1 for i, w in enumerate(words) if w.casefold() in stops), default=0)
    section = " ".join(words[cut:]) or None
    if period is None:
        node = innermost_section(nodes, at)
        titles = [n.title or "" for n in ([node, *node.ancestors()] if node else [])]
        found = next((m for t in titles if (m := _YEARS.search(t))), None)
        period = f"{found.group(1)}–{found.group(2)}" if found else None
    if section is not None and len(section.split()) == 1:
        section = None  # "painopisteet" alone names no part of a plan
    return section, period


# -- goals listed under a goal heading --------------------------------------------------------

MAX_LISTED_GOAL_WORDS = 15


def _headed_goals(document: Document, nodes: list[SectionNode]) -> list[GoalRecord]:
    """ "Strategiset tavoitteet" / "Painopisteet" with a list or sub-headings under it: each item is a goal;
    "Visio" with a sentence under it: the vision is one."""
    goals: list[GoalRecord] = []
    for node in nodes:
        title = (node.title or "").strip()
        if not _names_goals(title):
            continue
        items = [b for b in node.own_blocks() if b.kind == "list_item"]
        items = items or [sub.heading for sub in node.section.subsections if sub.heading is not None]
        if not items and _is_vision(title):
            items = [b for b in node.own_blocks() if b.kind == "paragraph"][:1]
        section, period = _section_and_period(title, document, nodes, node.start)
        for block in items:
            text = _first_sentence(block.text)
            if not text or len(text.split()) > MAX_LISTED_GOAL_WORDS:
                continue
            start = block.start + block.text.index(text)
            goals.append(
                GoalRecord(
                    objective=text,
                    provenance=_provenance(document, start, start + len(text), "goals.headed"),
                    section=section if not _is_vision(title) else title,
                    period=period,
                )
            )
    return goals


def _names_goals(title: str) -> bool:
    if not title or len(title.split()) > 8:
        return False
    key = title.casefold()
    nouns = [*_conventions()["enumeration_nouns"], *_conventions()["vision_words"]]
    return any(re.search(rf"(?<![\wåäö]){re.escape(noun)}(?![\wåäö])", key) for noun in nouns)


def _is_vision(title: str) -> bool:
    return any(word in title.casefold().split() for word in _conventions()["vision_words"])


def _first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    first = sentences[0] if sentences else text
    return _NUMBERING.sub("", first).strip(" .-–•")


_VISION = re.compile(r"\b(?P<word>visio(?:na|mme|nsa)?|vision)\s+(?:on|är)\s+(?:olla\s+|att\s+vara\s+)?(?P<goal>[^.!?]+)", re.IGNORECASE)


def _visions(document: Document, nodes: list[SectionNode]) -> list[GoalRecord]:
    """ "Vihdin visiona on olla kasvukunta, joka ...": the vision a sentence states is a goal."""
    goals = []
    for _, block in document.blocks():
        if block.kind == "table":
            continue
        for match in _VISION.finditer(block.text):
            goal = match["goal"].strip()
            if not goal or len(goal.split()) > 20:
                continue
            start = block.start + match.start("goal")
            _, period = _section_and_period("", document, nodes, block.start)
            goal = goal[0].upper() + goal[1:]
            goals.append(GoalRecord(objective=goal, provenance=_provenance(document, start, start + len(goal), "goals.vision"),
                                    section="Vision" if match["word"].casefold() == "vision" else "Visio",
                                    period=period))
    return goals
