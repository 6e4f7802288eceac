"""Diffs of two versions of what a document says: records paired as the gold scorer pairs them, changes field
by field in the format's order, new and withdrawn documents, warnings, and the plain data the renderers read."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from warehouse.record_diff import (
    FieldChange,
    RecordChange,
    diff_records,
    diff_versions,
    diff_warnings,
    record_label,
)
from warehouse.record_sets import Evidence, StoredRecord, VersionRecords, WarningNote

SOURCE = "https://www.hameenlinna.fi/hankkeet/"

# One record of each type, worded as the interchange format's own example.
PROJECT: dict[str, Any] = {
    "name": "Teemme yhdessä!",
    "start_date": "2020-02-01",
    "end_date": "2022-01-31",
    "status": None,
    "theme": "Elinvoimainen asumiskaupunki",
    "coordinator": "Hämeenlinnan kaupunki",
    "partners": ["Hattulan kunta", "Janakkalan kunta", "Hämeen ammattikorkeakoulu"],
    "funders": [],
    "contacts": ["hilkka.luukkonen@hameenlinna.fi"],
}
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
GOAL: dict[str, Any] = {
    "section": "Aluesuunnittelu",
    "period": "2024–2026",
    "objective": "Kokonaismaakuntakaava",
    "actions": ["Päijät-Hämeen maakuntakaavan 2060 laatiminen", "Kaavaluonnos nähtäville"],
    "indicators": ["Kaava on kuulutettu vireille"],
}
SAMPLES = {"projects": PROJECT, "fundings": FUNDING, "contacts": CONTACT, "goals": GOAL}
LETTERS = {"projects": "P", "fundings": "F", "contacts": "C", "goals": "G"}
PAGE_GONE = WarningNote("unreadable_page", "page 4 has no text layer", 4)
BAD_DATE = WarningNote("impossible_date", "31.11.2021 is not a date", 2)


def stored(record_type: str, reference: str | None = None, **values: Any) -> StoredRecord:
    return StoredRecord(record_type, values, Evidence(1, 0, 5, "Hanke", "test.rule"), reference)


def version(version_id: int, *records: StoredRecord, warnings: tuple[WarningNote, ...] = ()) -> VersionRecords:
    held = VersionRecords(SOURCE, "hankkeet", version_id=version_id)
    for record in records:
        held.records[record.record_type].append(record)
    held.warnings = list(warnings)
    return held


def one_of_each(first_row: int) -> list[StoredRecord]:
    # A newer version's rows have other ids: references must not make records differ.
    return [stored(t, f"{LETTERS[t]}{first_row + i}", **values) for i, (t, values) in enumerate(SAMPLES.items())]


def kinds(changes: list[RecordChange]) -> list[tuple[str, str]]:
    return [(c.kind, c.key) for c in changes]


def test_identical_versions_have_no_changes() -> None:
    old = version(1, *one_of_each(1), warnings=(BAD_DATE,))
    new = version(2, *one_of_each(40), warnings=(BAD_DATE,))
    diff = diff_versions(old, new)
    assert diff.changes == [] and diff.warnings == []
    assert diff.empty
    assert (diff.status, diff.old_version, diff.new_version) == ("changed", 1, 2)


@pytest.mark.parametrize(
    ("record_type", "reworded"),
    [
        ("projects", {"partners": list(reversed(PROJECT["partners"]))}),
        ("goals", {"actions": list(reversed(GOAL["actions"]))}),
        ("contacts", {"name": " Hilkka Luukkonen "}),
    ],
    ids=["partners-reordered", "actions-reordered", "surrounding-space"],
)
def test_what_only_looks_different_is_no_change(record_type: str, reworded: dict[str, Any]) -> None:
    old = stored(record_type, **SAMPLES[record_type])
    new = stored(record_type, **{**SAMPLES[record_type], **reworded})
    assert diff_records(record_type, [old], [new]) == []


def test_a_large_whole_sum_as_float_is_no_change() -> None:
    old = stored("fundings", **{**FUNDING, "amount_eur": 100000})
    new = stored("fundings", **{**FUNDING, "amount_eur": 100000.0})
    assert diff_records("fundings", [old], [new]) == []


def test_record_order_is_no_change() -> None:
    second = {**PROJECT, "name": "Metsäpolku kaikille", "partners": ["Lopen kunta"]}
    old = version(1, stored("projects", **PROJECT), stored("projects", **second))
    new = version(2, stored("projects", **second), stored("projects", **PROJECT))
    assert diff_versions(old, new).empty


def test_a_partner_more_is_a_change() -> None:
    # The counterpart of the reordering cases: a list that really differs must show.
    new_values = {**PROJECT, "partners": [*PROJECT["partners"], "Lopen kunta"]}
    (change,) = diff_records("projects", [stored("projects", **PROJECT)], [stored("projects", **new_values)])
    assert change.kind == "changed"
    assert change.fields == (FieldChange("partners", PROJECT["partners"], new_values["partners"]),)


@pytest.mark.parametrize(
    ("old_name", "new_name"),
    [
        ("Kävelyn ja pyöräilyn edistämisohjlema", "Kävelyn ja pyöräilyn edistämisohjelma"),
        ("Teemme yhdessä!", "Teemme yhdessä! Työllisyyden kehittämishanke"),
        ("Teemme yhdessä! Työllisyyden kehittämishanke", "Teemme yhdessä!"),
    ],
    ids=["typo-fixed", "words-added", "words-dropped"],
)
def test_a_corrected_project_name_is_one_change(old_name: str, new_name: str) -> None:
    old = stored("projects", "P3", **{**PROJECT, "name": old_name})
    new = stored("projects", "P12", **{**PROJECT, "name": new_name, "end_date": "2022-06-30"})
    (change,) = diff_records("projects", [old], [new])
    assert change.kind == "changed"
    assert (change.old, change.new) == (old, new)
    assert change.fields == (
        FieldChange("name", old_name, new_name),
        FieldChange("end_date", "2022-01-31", "2022-06-30"),
    )


def test_a_different_project_name_is_a_removal_and_an_addition() -> None:
    old = stored("projects", **PROJECT)
    new = stored("projects", **{**PROJECT, "name": "Metsäpolku kaikille"})
    changes = diff_records("projects", [old], [new])
    # The newer version's records first, removals last.
    assert kinds(changes) == [("added", "metsäpolku kaikille"), ("removed", "teemme yhdessä")]
    assert (changes[0].new, changes[1].old) == (new, old)


def test_a_short_name_is_no_leading_words_of_a_longer_one() -> None:
    # The scorer needs five characters before it trusts leading words.
    old = stored("projects", **{**PROJECT, "name": "Ilo"})
    new = stored("projects", **{**PROJECT, "name": "Ilo liikkua kaikille"})
    assert [c.kind for c in diff_records("projects", [old], [new])] == ["added", "removed"]


def test_a_contact_with_the_same_email_is_the_same_contact() -> None:
    old = stored("contacts", **CONTACT)
    new = stored("contacts", **{**CONTACT, "name": "Maija Virtanen"})
    (change,) = diff_records("contacts", [old], [new])
    assert change.kind == "changed"
    assert change.fields == (FieldChange("name", "Hilkka Luukkonen", "Maija Virtanen"),)


def test_a_contact_with_another_email_is_another_contact_whatever_the_name() -> None:
    old = stored("contacts", **CONTACT)
    new = stored("contacts", **{**CONTACT, "email": "hilkka.luukkonen@hattula.fi"})
    assert [c.kind for c in diff_records("contacts", [old], [new])] == ["added", "removed"]


def test_contacts_without_email_pair_by_name() -> None:
    old = stored("contacts", **{**CONTACT, "email": None})
    new = stored("contacts", **{**CONTACT, "email": None, "title": "hankekoordinaattori"})
    (change,) = diff_records("contacts", [old], [new])
    assert change.fields == (FieldChange("title", "projektipäällikkö", "hankekoordinaattori"),)


def test_a_funding_with_another_sum_is_another_funding() -> None:
    old = stored("fundings", **FUNDING)
    new = stored("fundings", **{**FUNDING, "amount_eur": 75000})
    changes = diff_records("fundings", [old], [new])
    assert kinds(changes) == [
        ("added", "opitaan luonnossa ja luonnosta | 75000.00"),
        ("removed", "opitaan luonnossa ja luonnosta | 68850.00"),
    ]


def test_a_funding_with_another_instrument_and_the_same_sum_is_changed() -> None:
    old = stored("fundings", **FUNDING)
    new = stored("fundings", **{**FUNDING, "amount_eur": 68850.0, "instrument": "ESR"})
    (change,) = diff_records("fundings", [old], [new])
    assert change.kind == "changed"
    assert change.fields == (FieldChange("instrument", "valtionavustus", "ESR"),)


@pytest.mark.parametrize(("olds", "news", "kind"), [(2, 1, "removed"), (1, 2, "added"), (3, 1, "removed")])
def test_repeated_identical_records_count_one_by_one(olds: int, news: int, kind: str) -> None:
    old = [stored("contacts", **CONTACT) for _ in range(olds)]
    new = [stored("contacts", **CONTACT) for _ in range(news)]
    changes = diff_records("contacts", old, new)
    assert [c.kind for c in changes] == [kind] * abs(olds - news)


def test_an_identical_record_is_not_taken_by_a_fuzzy_neighbour() -> None:
    # Exact pairs come first: the unchanged record stays unchanged, the edited one is the change.
    exact = {**PROJECT, "name": "Kävelyn ja pyöräilyn edistämisohjelma"}
    edited = {**exact, "theme": "Liikenne"}
    near = {**exact, "name": "Kävelyn ja pyöräilyn edistämisohjelmat"}
    olds = [stored("projects", **near), stored("projects", **exact)]
    news = [stored("projects", **exact), stored("projects", **edited)]
    (change,) = diff_records("projects", olds, news)
    assert change.kind == "changed"
    assert [f.field for f in change.fields] == ["name", "theme"]


@pytest.mark.parametrize(
    ("record_type", "changed", "expected_order"),
    [
        (
            "projects",
            {"start_date": "2021", "end_date": "2023-12", "status": "ongoing", "theme": "Hyvinvointi",
             "coordinator": "Hattulan kunta", "partners": ["Lopen kunta"], "funders": ["Opetushallitus"],
             "contacts": ["Maija Virtanen"]},
            ["start_date", "end_date", "status", "theme", "coordinator", "partners", "funders", "contacts"],
        ),
        (
            "fundings",
            {"project": "Teemme yhdessä!", "funder": "Hämeen liitto", "qualifier": "max", "instrument": "AKKE"},
            ["project", "funder", "qualifier", "instrument"],
        ),
        (
            "contacts",
            {"name": "Maija Virtanen", "title": "kehittämispäällikkö", "phone": "+358505050211",
             "organization": "Hattulan kunta", "project": None},
            ["name", "title", "phone", "organization", "project"],
        ),
        (
            "goals",
            {"section": "Liikenne", "period": "2025", "actions": ["Pyörätiet"], "indicators": []},
            ["section", "period", "actions", "indicators"],
        ),
    ],
)
def test_every_changed_field_is_listed_in_the_formats_order(
    record_type: str, changed: dict[str, Any], expected_order: list[str]
) -> None:
    before = SAMPLES[record_type]
    # Written in reverse, so the order shown cannot come from how the dict was built.
    after = dict(reversed({**before, **changed}.items()))
    (change,) = diff_records(record_type, [stored(record_type, **before)], [stored(record_type, **after)])
    assert [f.field for f in change.fields] == expected_order
    assert all((f.old, f.new) == (before[f.field], changed[f.field]) for f in change.fields)


def test_a_new_document_is_all_additions() -> None:
    new = version(7, *one_of_each(1), warnings=(BAD_DATE, BAD_DATE))
    diff = diff_versions(None, new)
    assert (diff.status, diff.old_version, diff.new_version) == ("new", None, 7)
    assert (diff.source, diff.name) == (SOURCE, "hankkeet")
    assert [(c.record_type, c.kind) for c in diff.changes] == [(t, "added") for t in SAMPLES]
    assert [w.kind for w in diff.warnings] == ["appeared", "appeared"]


def test_a_withdrawn_document_is_all_removals() -> None:
    old = version(7, *one_of_each(1), stored("projects", **{**PROJECT, "name": "Metsäpolku"}), warnings=(PAGE_GONE,))
    diff = diff_versions(old, None)
    assert (diff.status, diff.old_version, diff.new_version) == ("withdrawn", 7, None)
    assert Counter((c.record_type, c.kind) for c in diff.changes) == {
        ("projects", "removed"): 2, ("fundings", "removed"): 1, ("contacts", "removed"): 1, ("goals", "removed"): 1,
    }
    assert all(c.new is None and c.old is not None for c in diff.changes)
    assert [(w.kind, w.warning) for w in diff.warnings] == [("went away", PAGE_GONE)]


def test_a_diff_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        diff_versions(None, None)


def test_warnings_that_appear_and_go_away_count_with_repeats() -> None:
    other_page = WarningNote(BAD_DATE.code, BAD_DATE.message, 3)
    changes = diff_warnings([BAD_DATE, BAD_DATE, PAGE_GONE], [BAD_DATE, other_page, other_page])
    assert Counter((c.kind, c.warning) for c in changes) == {
        ("appeared", other_page): 2, ("went away", BAD_DATE): 1, ("went away", PAGE_GONE): 1,
    }


def test_warnings_of_two_versions_are_in_the_document_diff() -> None:
    diff = diff_versions(version(1, warnings=(PAGE_GONE,)), version(2, warnings=(BAD_DATE,)))
    assert [(w.kind, w.warning) for w in diff.warnings] == [("appeared", BAD_DATE), ("went away", PAGE_GONE)]
    assert not diff.empty


@pytest.mark.parametrize(
    ("record_type", "label"),
    [
        ("projects", "Teemme yhdessä!"),
        ("fundings", "Opitaan luonnossa ja luonnosta: 68 850 €"),
        ("contacts", "Hilkka Luukkonen <hilkka.luukkonen@hameenlinna.fi>"),
        ("goals", "Kokonaismaakuntakaava"),
    ],
)
def test_a_change_names_its_record_and_the_values_a_reviewer_can_mark(record_type: str, label: str) -> None:
    letter = LETTERS[record_type]
    values = SAMPLES[record_type]
    field_name = {"projects": "end_date", "fundings": "funder", "contacts": "phone", "goals": "period"}[record_type]
    old = stored(record_type, f"{letter}3", **values)
    new = stored(record_type, f"{letter}12", **{**values, field_name: "2030"})

    (changed,) = diff_records(record_type, [old], [new])
    assert (changed.label, changed.reference) == (label, f"{letter}12")
    assert changed.value_ids() == [f"{letter}12", f"{letter}12.{field_name}"]

    (removed,) = diff_records(record_type, [old], [])
    assert (removed.label, removed.reference, removed.value_ids()) == (label, f"{letter}3", [f"{letter}3"])

    (added,) = diff_records(record_type, [], [new])
    assert (added.reference, added.value_ids()) == (f"{letter}12", [f"{letter}12"])


def test_a_change_without_stored_rows_has_nothing_to_mark() -> None:
    # A dry run's fresh side was never loaded, so it has no references.
    (change,) = diff_records("projects", [], [stored("projects", None, **PROJECT)])
    assert change.reference is None
    assert change.value_ids() == []


@pytest.mark.parametrize(
    ("record_type", "values", "label"),
    [
        ("fundings", {"project": None, "amount_eur": None}, "(no project): no sum"),
        ("fundings", {"project": "Kurob", "amount_eur": 507300.4}, "Kurob: 507 300 €"),
        ("contacts", {"name": "Hilkka Luukkonen", "email": None}, "Hilkka Luukkonen"),
        ("contacts", {"name": None, "email": "kirjaamo@hattula.fi"}, "kirjaamo@hattula.fi"),
        ("contacts", {"name": None, "email": None}, "(no name)"),
        ("projects", {"name": None}, "(none)"),
        ("goals", {"objective": ""}, "(none)"),
    ],
)
def test_a_record_missing_its_naming_fields_still_has_a_label(
    record_type: str, values: dict[str, Any], label: str
) -> None:
    assert record_label(record_type, values) == label


def test_a_document_diff_is_plain_json() -> None:
    old = version(1, stored("projects", "P3", **PROJECT), stored("contacts", "C4", **CONTACT), warnings=(PAGE_GONE,))
    new = version(
        2,
        stored("projects", "P12", **{**PROJECT, "end_date": "2022-06-30"}),
        stored("fundings", "F5", **FUNDING),
        warnings=(BAD_DATE,),
    )
    diff = diff_versions(old, new)
    diff.notes.append("the source's bytes changed since they were loaded")

    loaded = json.loads(json.dumps(diff.to_dict()))

    assert {k: loaded[k] for k in ("source", "name", "status", "old_version", "new_version", "notes")} == {
        "source": SOURCE, "name": "hankkeet", "status": "changed", "old_version": 1, "new_version": 2,
        "notes": ["the source's bytes changed since they were loaded"],
    }
    by_id = {c["id"]: c for c in loaded["changes"]}
    assert set(by_id) == {"P12", "F5", "C4"}
    assert by_id["P12"]["kind"] == "changed"
    assert by_id["P12"]["label"] == "Teemme yhdessä!"
    assert by_id["P12"]["fields"] == [{"field": "end_date", "old": "2022-01-31", "new": "2022-06-30"}]
    assert by_id["P12"]["old"]["reference"] == "P3"
    assert by_id["P12"]["new"]["values"]["partners"] == PROJECT["partners"]
    assert by_id["P12"]["new"]["evidence"] == {
        "page": 1, "start": 0, "end": 5, "text": "Hanke", "rule": "test.rule", "context": None, "context_start": None,
    }
    assert (by_id["F5"]["kind"], by_id["F5"]["old"], by_id["F5"]["new"]["values"]) == ("added", None, FUNDING)
    assert (by_id["C4"]["kind"], by_id["C4"]["new"]) == ("removed", None)
    assert loaded["warnings"] == [
        {"kind": "appeared", "code": "impossible_date", "message": "31.11.2021 is not a date", "page": 2},
        {"kind": "went away", "code": "unreadable_page", "message": "page 4 has no text layer", "page": 4},
    ]


def test_an_empty_list_and_no_list_are_the_same() -> None:
    old = stored("projects", **PROJECT)
    new = stored("projects", **{**PROJECT, "funders": None})
    assert diff_records("projects", [old], [new]) == []
