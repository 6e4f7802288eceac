"""Projects written as fields: rows of project tables and form-like project plans.

Both are label -> value pairs: a table row under a header ("Hanke | Hakija |
AKKE-rahoitus | Toteutusaika"), or the lines of a project form
("Hankkeen nimi: ...", "Hakija: ...", "Aloituspäivämäärä: 1.9.2024"). The
labels come from project_fields_fi.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.conventions import conventions
from pipeline.document import Block, Document, Table

_LABEL = re.compile(r"^(?P<label>[^:]{2,60}):\s*(?P<value>.*)$")


@dataclass(frozen=True)
class FieldValue:
    """A field's text and span; ``lines`` keeps a cell's paragraphs or a form value's lines apart."""

    text: str
    start: int
    end: int
    lines: tuple[str, ...] = ()

    @property
    def first_line(self) -> str:
        return self.lines[0] if self.lines else self.text


@dataclass
class FieldedProject:
    """A project's fields by role (name, coordinator, amount, period ...), each with its span."""

    fields: dict[str, FieldValue]
    source: str  # "table" or "form"
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> FieldValue:
        return self.fields["name"]


def _conventions() -> dict:
    return conventions("project_fields_fi.json")


def field_role(label: str) -> str | None:
    """The role of a field label or column header ("Hankkeen nimi" -> name), or None."""
    key = re.sub(r"[\s:€()]+", " ", label.casefold()).strip()
    best: tuple[int, str] | None = None
    for role, variants in _conventions()["fields"].items():
        for variant in variants:
            if key == variant or key.startswith(variant + " ") or (role == "amount" and variant in key):
                if best is None or len(variant) > best[0]:
                    best = (len(variant), role)
    return best[1] if best else None


def fielded_projects(document: Document) -> list[FieldedProject]:
    """Every project given as table rows or as a form in the document."""
    found: list[FieldedProject] = []
    for _, block in document.blocks():
        if block.table is not None:
            found.extend(_table_rows(block.table))
    found.extend(_forms(document))
    found.extend(_flattened_forms(document))
    return found


def _table_rows(table: Table) -> list[FieldedProject]:
    header = table.rows[0]
    roles = {c.col: role for c in header if (role := field_role(c.text))}
    if "name" not in roles.values() or len(roles) < 2:
        return []
    projects = []
    for row in table.rows[1:]:
        values = {
            roles[c.col]: FieldValue(c.text, c.span.start, c.span.end, tuple(p.text for p in c.paragraphs))
            for c in row
            if c.col in roles and c.text
        }
        labels = {roles[c.col]: c.text for c in header if c.col in roles}
        if "name" in values:
            projects.append(FieldedProject(values, "table", labels))
    return projects


def _forms(document: Document) -> list[FieldedProject]:
    """Runs of "Label: value" blocks that name a project."""
    blocks = [b for _, b in document.blocks() if b.table is None]
    projects: list[FieldedProject] = []
    current: dict[str, FieldValue] = {}
    labels: dict[str, str] = {}
    pending: str | None = None
    previous_block: Block | None = None
    consumed = False  # was the previous block a continuation line of a field value?
    for block in blocks:
        role, label, value = _field(block)
        if role == "name" and "name" in current:
            if len(current) > 1:
                projects.append(FieldedProject(current, "form", labels))
            current, labels = {}, {}
        can_name = _can_name(previous_block) and not consumed
        if role not in (None, "name") and not current and can_name:
            # "Työkykyä teollisuuteen" / "Toteuttaja: ...": the line above the fields names the project.
            assert previous_block is not None
            current["name"] = FieldValue(
                previous_block.text, previous_block.start, previous_block.end, (previous_block.text,)
            )
        elif (
            role not in (None, "name")
            and "name" in current
            and can_name
            and previous_block.start > current["name"].end
            and role in current
        ):
            projects.append(FieldedProject(current, "form", labels))
            assert previous_block is not None
            current, labels = (
                {
                    "name": FieldValue(
                        previous_block.text, previous_block.start, previous_block.end, (previous_block.text,)
                    )
                },
                {},
            )
        if role is not None:
            labels[role] = label
            if value is not None:
                current.setdefault(role, value)
                pending = None
            else:
                pending = role  # the value is on the lines below ("Osatoteuttajat:")
        elif pending is not None and block.kind in ("paragraph", "list_item", "heading") and len(block.text) < 120:
            consumed = True
            previous_block = block
            previous = current.get(pending)
            text = f"{previous.text}\n{block.text}" if previous else block.text
            lines = (previous.lines if previous else ()) + (block.text,)
            current[pending] = FieldValue(text, previous.start if previous else block.start, block.end, lines)
            continue
        else:
            pending = None
        consumed = False
        previous_block = block
    if "name" in current and len(current) > 1:
        projects.append(FieldedProject(current, "form", labels))
    return projects


MIN_FLATTENED_LABELS = 3


def _flattened_forms(document: Document) -> list[FieldedProject]:
    """A form published as running text, labels and values without colons or line breaks
    ("Hankkeen julkinen nimi X Alkamispäivämäärä Päättymispäivämäärä 1.1.2015 31.12.2017")."""
    projects = []
    for _, block in document.blocks():
        if block.table is not None or ":" in block.text[:40]:
            continue
        cuts = [m for m in _flattened_label().finditer(block.text)]
        if len(cuts) < MIN_FLATTENED_LABELS:
            continue
        fields: dict[str, FieldValue] = {}
        labels: dict[str, str] = {}
        waiting: list[str] = []  # labels standing side by side, their values after them in order
        for index, match in enumerate(cuts):
            end = cuts[index + 1].start() if index + 1 < len(cuts) else len(block.text)
            role = _flattened_role(match.group())
            start = match.end()
            while start < end and block.text[start] in " \t\n":
                start += 1
            value = block.text[start:end].rstrip()
            if role is not None:
                labels.setdefault(role, match.group())
                waiting.append(role)
            if not value:
                continue
            if len(waiting) == 2 and set(waiting) == {"start", "end"}:
                # "Alkamispäivämäärä Päättymispäivämäärä 1.1.2015 31.12.2017": one value each, in order.
                dates = list(re.finditer(r"\d{1,2}\.\d{1,2}\.\d{4}", value))
                for role_, date in zip(waiting, dates):
                    fields.setdefault(
                        role_,
                        FieldValue(date.group(), block.start + start + date.start(), block.start + start + date.end()),
                    )
            elif role is not None:
                fields.setdefault(
                    role, FieldValue(value, block.start + start, block.start + start + len(value), (value,))
                )
            waiting = []
        if "name" in fields and len(fields) > 1:
            projects.append(FieldedProject(fields, "form", labels))
    return projects


def _flattened_role(label: str) -> str | None:
    for role, labels in _conventions()["flattened"]["labels"].items():
        if label in labels:
            return role
    return None


@lru_cache(maxsize=1)
def _flattened_label() -> re.Pattern[str]:
    flattened = _conventions()["flattened"]
    every = [label for labels in flattened["labels"].values() for label in labels] + flattened["boundaries"]
    alternatives = "|".join(re.escape(label) for label in sorted(every, key=len, reverse=True))
    return re.compile(rf"(?<![\wåäö-])(?:{alternatives})(?![\wåäö-])")


def _can_name(block: Block | None) -> bool:
    """A heading or a short line that is no sentence ("Kotoutumisen kiihdyttämö") can name the fields below it."""
    if block is None or ":" in block.text or len(block.text) > 100:
        return False
    return block.kind == "heading" or (block.kind == "paragraph" and not block.text.rstrip().endswith((".", "!", "?")))


def _field(block: Block) -> tuple[str | None, str, FieldValue | None]:
    match = _LABEL.match(block.text)
    if not match or block.kind == "heading":
        return None, "", None
    role = field_role(match["label"])
    if role is None or (role == "name" and match["label"].strip().casefold() in ("hanke", "projekti", "nimi")):
        # "Nimi:" alone names a person in a contact block, not a project.
        if role != "name" or match["label"].strip().casefold() == "nimi":
            return (None, "", None) if role == "name" else (role, match["label"], _value(block, match))
    return role, match["label"], _value(block, match)


def _value(block: Block, match: re.Match[str]) -> FieldValue | None:
    value = match["value"].strip()
    if not value:
        return None
    start = block.start + match.start("value")
    return FieldValue(value, start, start + len(value), (value,))


_SHARED_TAIL = re.compile(r"(\w)- (ja|sekä|tai) ")


def split_list(text: str) -> list[str]:
    """ "Forssan kaupunki, Jokioisten kunta ja Tammelan kunta" -> three names.

    "Opetus- ja kulttuuriministeriö" stays one: a hyphen before "ja" says
    the two words share the tail of the compound.
    """
    protected = _SHARED_TAIL.sub(lambda m: f"{m[1]}-\u0000{m[2]}\u0000", text)
    parts = [protected]
    for separator in _conventions()["list_separators"]:
        parts = [p for part in parts for p in part.split(separator)]
    restored = [p.replace("\u0000", " ") for p in parts]
    return [p.strip(" .-•") for p in restored if p.strip(" .-•")]
