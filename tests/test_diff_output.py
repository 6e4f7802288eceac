"""An extraction diff as terminal text and as an HTML page: counts that agree with the diff, each change with
its id, values and evidence, reviewers' verdicts, and document text that can neither drive a terminal nor
inject markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from warehouse.diff_html import render_html
from warehouse.diff_text import printable, render_text, shown_value
from warehouse.diffs import ExtractionDiff
from warehouse.record_diff import diff_versions
from warehouse.record_sets import RECORD_TYPES, Evidence, StoredRecord, VersionRecords, WarningNote
from warehouse.review import Mark

SOURCE = "https://www.hameenlinna.fi/hankkeet/"
OTHER_SOURCE = "https://www.hattula.fi/strategia.pdf"
UNCHANGED_SOURCE = "https://www.janakkala.fi/hankkeet/"
HOSTILE = '<script>alert(1)</script> "quotes" & Co'
HOSTILE_SOURCE = 'https://example.fi/?a=1&b="2"<script>alert(1)</script>'
# What a scanned page can carry: an ANSI colour sequence, a bell, and the one-byte CSI.
TERMINAL_CONTROL = "\x1b[31m\x07\x9b"
RAW_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# The new version's text around the project's end date; the span is the date itself.
END_CONTEXT = "Hanke päättyy\n30.6.2022 ja raportoidaan."
END_CONTEXT_START = 1000
END_SPAN = (END_CONTEXT_START + END_CONTEXT.index("30.6.2022"), END_CONTEXT_START + END_CONTEXT.index(" ja"))

PROJECT: dict[str, Any] = {
    "name": "Teemme yhdessä!",
    "start_date": "2020-02-01",
    "end_date": "2022-01-31",
    "status": None,
    "theme": "Elinvoimainen asumiskaupunki",
    "coordinator": "Hämeenlinnan kaupunki",
    "partners": ["Hattulan kunta", "Janakkalan kunta"],
    "funders": [],
    "contacts": [],
}
STEADY: dict[str, Any] = {**PROJECT, "name": "Pysyvä hanke", "start_date": "2019"}
FUNDING: dict[str, Any] = {
    "project": "Opitaan luonnossa ja luonnosta",
    "funder": "Opetushallitus",
    "amount_eur": 68850,
    "qualifier": "exact",
    "instrument": "valtionavustus",
}
CONTACT: dict[str, Any] = {
    "name": "Hilkka Luukkonen",
    "title": "projektipäällikkö",
    "email": "hilkka.luukkonen@hameenlinna.fi",
    "phone": None,
    "organization": "Hämeenlinnan kaupunki",
    "project": "Teemme yhdessä!",
}
GOAL: dict[str, Any] = {"section": "Liikenne", "period": "2024–2026", "objective": "Pyöräilyn osuus kasvaa",
                        "actions": ["Pyöräteiden kunnostus"], "indicators": []}
MARKED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def evidence(text: str, page: int = 3, start: int = 0, context: str | None = None, context_start: int | None = None,
             end: int | None = None) -> Evidence:
    return Evidence(page, start, start + len(text) if end is None else end, text, "test.rule", context, context_start)


def version(source: str, version_id: int, *records: StoredRecord, warnings: tuple[WarningNote, ...] = ()) -> VersionRecords:
    held = VersionRecords(source, source.rsplit("/", 1)[-1] or "index", version_id=version_id)
    for record in records:
        held.records[record.record_type].append(record)
    held.warnings = list(warnings)
    return held


def sample_diff(**more: Any) -> ExtractionDiff:
    """Three documents: one with every kind of change, one new, one whose records did not change."""
    old = version(
        SOURCE,
        1,
        StoredRecord("projects", PROJECT, evidence("31.1.2022", page=2), "P3"),
        StoredRecord("projects", STEADY, evidence("Pysyvä hanke"), "P4"),
        StoredRecord("contacts", CONTACT, evidence("hilkka.luukkonen@hameenlinna.fi"), "C7"),
        warnings=(WarningNote("unreadable_page", "page 4 has no text layer", 4),),
    )
    new = version(
        SOURCE,
        2,
        StoredRecord(
            "projects",
            {**PROJECT, "end_date": "2022-06-30"},
            evidence("30.6.2022", start=END_SPAN[0], end=END_SPAN[1], context=END_CONTEXT,
                     context_start=END_CONTEXT_START),
            "P12",
        ),
        StoredRecord("projects", STEADY, evidence("Pysyvä hanke"), "P13"),
        StoredRecord("fundings", FUNDING, evidence("68 850 euroa"), "F5"),
        StoredRecord("fundings", {**FUNDING, "amount_eur": 12000, "instrument": "ESR"}, evidence("12 000 €"), "F6"),
        warnings=(WarningNote("impossible_date", "31.11.2021 is not a date", 2),),
    )
    fresh = version(OTHER_SOURCE, 9, StoredRecord("goals", GOAL, evidence("Pyöräilyn osuus kasvaa", page=5), "G1"))
    same = [StoredRecord("projects", STEADY, evidence("Pysyvä hanke"), reference) for reference in ("P1", "P20")]
    documents = [
        diff_versions(old, new),
        diff_versions(None, fresh),
        diff_versions(version(UNCHANGED_SOURCE, 5, same[0]), version(UNCHANGED_SOURCE, 6, same[1])),
    ]
    return ExtractionDiff("run 1", "run 2", documents, compared=4, **more)


def hostile_diff() -> ExtractionDiff:
    """A changed project whose document put markup and terminal controls in every text it gave."""
    hostile = HOSTILE + TERMINAL_CONTROL
    context = f"Otsikko {hostile}\nhanke alkaa 1.2.2020."
    old = StoredRecord("projects", {**PROJECT, "name": hostile}, evidence(hostile, context=context, context_start=0), "P3")
    new_values = {**PROJECT, "name": hostile, "theme": hostile, "partners": [hostile]}
    new = StoredRecord("projects", new_values, evidence(hostile, start=8, context=context, context_start=0), "P12")
    warning = WarningNote("reader_warning", f"bad glyph {hostile}", 1)
    document = diff_versions(version(HOSTILE_SOURCE, 1, old), version(HOSTILE_SOURCE, 2, new, warnings=(warning,)))
    mark = Mark("P12.theme", "rejected", hostile, f"note {hostile}", f"maija{TERMINAL_CONTROL}", MARKED_AT)
    return ExtractionDiff("run 1", "run 2", [document], compared=1, marks={"P12.theme": mark})


def mark(value_id: str, verdict: str, by: str, note: str | None) -> Mark:
    return Mark(value_id, verdict, None, note, by, MARKED_AT)


# --- text ------------------------------------------------------------------------------------------------------


def summary_counts(lines: list[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for line in lines:
        row = re.fullmatch(r"(\w+)\s+(\d+)\s+(\d+)\s+(\d+)", line)
        if row and row[1] in RECORD_TYPES:
            counts[row[1]] = dict(zip(("added", "removed", "changed"), map(int, row.groups()[1:])))
        warnings = re.fullmatch(r"warnings: (\d+) appeared, (\d+) went away", line)
        if warnings:
            counts["warnings"] = {"appeared": int(warnings[1]), "went away": int(warnings[2])}
    return counts


def test_text_opens_with_counts_that_agree_with_the_diff() -> None:
    diff = sample_diff()
    lines = list(render_text(diff))
    first_document = next(i for i, line in enumerate(lines) if line.startswith("== "))
    assert lines[0] == "run 1 -> run 2: 4 document(s) compared, 2 with differences"
    assert summary_counts(lines[:first_document]) == diff.counts()
    # Worked out by hand, so that counts() agreeing with itself is not all this shows.
    assert diff.counts()["projects"] == {"added": 0, "removed": 0, "changed": 1}
    assert diff.counts()["fundings"] == {"added": 2, "removed": 0, "changed": 0}
    assert diff.counts()["contacts"] == {"added": 0, "removed": 1, "changed": 0}
    assert diff.counts()["goals"] == {"added": 1, "removed": 0, "changed": 0}
    assert diff.counts()["warnings"] == {"appeared": 1, "went away": 1}


def test_text_lists_changes_only() -> None:
    text = "\n".join(render_text(sample_diff()))
    assert "Pysyvä hanke" not in text
    assert UNCHANGED_SOURCE not in text
    assert f"== {SOURCE} (changed, version 1 -> 2)" in text
    assert f"== {OTHER_SOURCE} (new, version - -> 9)" in text


def test_text_shows_each_change_with_its_id_values_and_evidence() -> None:
    lines = list(render_text(sample_diff()))
    head = lines.index("    ~ Teemme yhdessä! [P12]")
    assert lines[head + 1] == "        end_date: 2022-01-31 -> 2022-06-30  [P12.end_date]"
    assert lines[head + 2] == '        old: p2 "31.1.2022"'
    # The sentence around the span, its line break flattened.
    assert lines[head + 3] == '        new: p3 "Hanke päättyy 30.6.2022 ja raportoidaan."'
    assert "    - Hilkka Luukkonen <hilkka.luukkonen@hameenlinna.fi> [C7]" in lines
    assert "    + Opitaan luonnossa ja luonnosta: 12 000 € [F6]" in lines
    removed = lines.index("    - Hilkka Luukkonen <hilkka.luukkonen@hameenlinna.fi> [C7]")
    assert lines[removed + 1] == (
        "        name=Hilkka Luukkonen; title=projektipäällikkö; email=hilkka.luukkonen@hameenlinna.fi; "
        "organization=Hämeenlinnan kaupunki; project=Teemme yhdessä!"
    )
    assert "    + impossible_date p2: 31.11.2021 is not a date" in lines
    assert "    - unreadable_page p4: page 4 has no text layer" in lines


def test_text_never_sends_document_controls_to_the_terminal() -> None:
    lines = list(render_text(hostile_diff()))
    raw = [line for line in lines if RAW_CONTROL.search(line)]
    assert raw == []
    text = "\n".join(lines)
    escaped = r"\x1b[31m\x07\x9b"
    # The label, the theme's new value, both sides' evidence, the warning, and the verdict's reviewer and note.
    assert text.count(escaped) == 7
    assert f"bad glyph {HOSTILE}{escaped}" in text
    assert f"(rejected by maija{escaped}: note {HOSTILE}{escaped})" in text


def test_line_breaks_inside_a_document_do_not_break_a_line() -> None:
    lines = list(render_text(hostile_diff()))
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert any(f'p3 "Otsikko {HOSTILE}' in line and 'hanke alkaa 1.2.2020."' in line for line in lines)


def test_unicode_line_separators_do_not_break_a_line() -> None:
    assert len(printable("Hanke päättyy\u202830.6.2022\u2029ja raportoidaan.").splitlines()) == 1


def test_bidirectional_overrides_from_a_document_are_shown_escaped() -> None:
    # U+202E would make the rest of the terminal line read backwards.
    assert printable("nimi\u202eakkeh") == "nimi\\u202eakkeh"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("rivi\r\nrivi\tsarake\n", "rivi rivi sarake "),
        ("\x1b[31mpunainen\x1b[0m", r"\x1b[31mpunainen\x1b[0m"),
        ("kello\x07\x00\x7f\x9b\x85", r"kello\x07\x00\x7f\x9b\x85"),
        ("Hämeenlinna – 68 850 €", "Hämeenlinna – 68 850 €"),
    ],
)
def test_printable_flattens_lines_and_escapes_controls(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "(none)"),
        ("", "(none)"),
        ([], "(none)"),
        (0, "0"),
        (68850.5, "68850.5"),
        (["Hattulan kunta", "Lopen kunta"], '["Hattulan kunta", "Lopen kunta"]'),
        (["Ääneseudun\x1b[2J kunta"], r'["Ääneseudun\u001b[2J kunta"]'),
        ("Päijät-Häme\n2060", "Päijät-Häme 2060"),
    ],
)
def test_shown_value(value: Any, shown: str) -> None:
    assert shown_value(value) == shown


def test_a_verdict_shows_beside_the_value_it_is_on() -> None:
    marks = {
        "P12.end_date": mark("P12.end_date", "rejected", "maija", "väärä päivämäärä"),
        "F6": mark("F6", "accepted", "matti", None),
    }
    lines = list(render_text(sample_diff(marks=marks)))
    assert (
        "        end_date: 2022-01-31 -> 2022-06-30  [P12.end_date]  (rejected by maija: väärä päivämäärä)" in lines
    )
    assert "    + Opitaan luonnossa ja luonnosta: 12 000 € [F6]  (accepted by matti)" in lines
    # A verdict on one field is not one on the record as a whole.
    assert "    ~ Teemme yhdessä! [P12]" in lines


def test_text_shows_quality_before_and_after_with_the_signed_change() -> None:
    quality = {
        "projects": (0.812, 0.845),
        "fundings": (0.9, 0.85),
        "contacts": (0.7, 0.7),
        "goals": (None, 0.6),
    }
    lines = list(render_text(sample_diff(quality=quality)))
    start = lines.index("F1 against gold, before -> after:")
    assert lines[start + 1 : start + 5] == [
        "  projects  0.812 -> 0.845  (+0.033)",
        "  fundings  0.900 -> 0.850  (-0.050)",
        "  contacts  0.700 -> 0.700  (unchanged)",
        "  goals       -   -> 0.600",
    ]
    assert start < next(i for i, line in enumerate(lines) if line.startswith("== "))


def test_text_without_quality_has_no_quality_lines() -> None:
    assert not any("F1" in line for line in render_text(sample_diff()))


# --- HTML ------------------------------------------------------------------------------------------------------

VOID_TAGS = {"meta", "input", "br"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], ancestors: tuple[Element, ...]) -> None:
        self.tag, self.attrs, self.ancestors, self.text = tag, attrs, ancestors, ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def within(self, tag: str, **attrs: str) -> bool:
        return any(a.tag == tag and all(a.attrs.get(k) == v for k, v in attrs.items()) for a in self.ancestors)

    def within_class(self, tag: str, cls: str) -> bool:
        return any(a.tag == tag and cls in a.classes for a in self.ancestors)


class Page(HTMLParser):
    """Every element of a page with its attributes and text as a browser reads them (entities decoded)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(self._open))
        self.elements.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def all(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and (cls is None or cls in e.classes)]

    def change(self, value_id: str) -> Element:
        (found,) = [e for e in self.all("div", "change") if e.attrs.get("data-id") == value_id]
        return found

    def inside(self, outer: Element, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.all(tag, cls) if outer in e.ancestors]


def test_html_escapes_everything_a_document_says() -> None:
    page = render_html(hostile_diff())
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '"quotes"' not in page
    assert "&quot;quotes&quot;" in page
    assert "& Co" not in page
    assert "&amp; Co" in page
    # The page's own script is the only one.
    assert page.count("<script>") == 1


def test_html_shows_the_documents_text_as_it_was() -> None:
    # Escaped once, not twice: a browser shows the document's characters unchanged.
    parsed = Page(render_html(hostile_diff()))
    hostile = HOSTILE + TERMINAL_CONTROL
    change = parsed.change("P12")
    (label,) = parsed.inside(change, "span", "label")
    assert label.text == hostile
    assert change.attrs["data-document"] == HOSTILE_SOURCE
    (section,) = parsed.all("section", "document")
    assert section.attrs["data-document"] == HOSTILE_SOURCE
    assert HOSTILE_SOURCE in [o.attrs.get("value") for o in parsed.all("option")]
    rows = {parsed.inside(row, "th")[0].text: row for row in parsed.inside(change, "tr")}
    (old_value,) = parsed.inside(rows["theme"], "td", "old-value")
    (new_value,) = parsed.inside(rows["theme"], "td", "new-value")
    # Values read as the text diff shows them, controls escaped there too.
    assert (old_value.text, new_value.text) == ("Elinvoimainen asumiskaupunki", HOSTILE + r"\x1b[31m\x07\x9b")
    (verdict,) = parsed.inside(rows["theme"], "span", "verdict")
    assert verdict.text == f"rejected by maija{TERMINAL_CONTROL}: note {hostile}"
    (warning,) = parsed.all("div", "warning")
    assert f"bad glyph {hostile}" in warning.text


def test_html_marks_the_span_within_its_sentence() -> None:
    parsed = Page(render_html(sample_diff()))
    change = parsed.change("P12")
    (new_side,) = parsed.inside(change, "div", "new")
    (shown,) = parsed.inside(new_side, "p", "evidence")
    (marked,) = parsed.inside(shown, "mark")
    assert shown.text == END_CONTEXT
    assert marked.text == "30.6.2022"
    assert "page 3" in new_side.text
    # Without a sentence around it, the evidence text itself is marked.
    (old_side,) = parsed.inside(change, "div", "old")
    (old_marked,) = parsed.inside(old_side, "mark")
    assert old_marked.text == "31.1.2022"


def test_html_marks_the_span_after_escaped_markup_at_the_right_characters() -> None:
    parsed = Page(render_html(hostile_diff()))
    (new_side,) = parsed.inside(parsed.change("P12"), "div", "new")
    (marked,) = parsed.inside(new_side, "mark")
    # The span starts at character 8 of the sentence, just after "Otsikko ".
    assert marked.text == HOSTILE + TERMINAL_CONTROL


def test_html_counts_agree_with_the_diff() -> None:
    diff = sample_diff()
    parsed = Page(render_html(diff))
    shown: dict[str, dict[str, int]] = {}
    for cell in parsed.all("td"):
        if "data-kind" in cell.attrs and cell.within("table", id="counts"):
            (row,) = [a for a in cell.ancestors if a.tag == "tr"]
            shown.setdefault(row.attrs["data-type"], {})[cell.attrs["data-kind"]] = int(cell.text)
    for span in parsed.all("span"):
        if "data-kind" in span.attrs and span.within("p", id="warning-counts"):
            shown.setdefault("warnings", {})[span.attrs["data-kind"]] = int(span.text)
    assert shown == diff.counts()
    assert shown["fundings"]["added"] == 2
    # A reader goes by the column headings, not the attributes: each cell must sit under its own.
    (table,) = [e for e in parsed.all("table") if e.attrs.get("id") == "counts"]
    header, *rows = parsed.inside(table, "tr")
    headings = [th.text for th in parsed.inside(header, "th")][1:]
    assert headings == ["added", "removed", "changed"]
    assert all([td.attrs["data-kind"] for td in parsed.inside(row, "td")] == headings for row in rows)


def test_html_lists_changes_only() -> None:
    parsed = Page(render_html(sample_diff()))
    assert {s.attrs["data-document"] for s in parsed.all("section", "document")} == {SOURCE, OTHER_SOURCE}
    assert sorted(c.attrs.get("data-id", "") for c in parsed.all("div", "change")) == [
        "", "", "C7", "F5", "F6", "G1", "P12",
    ]
    assert not any("Pysyvä hanke" in e.text for e in parsed.all("div", "change"))
