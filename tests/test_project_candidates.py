"""Structural places a project name may stand: list items, headings, short lines, labelled values, quotes."""

from __future__ import annotations

from extractors.project_candidates import structural_candidates
from tests.extraction_fixtures import build_document


def _names(blocks) -> dict[str, str]:
    document = build_document(blocks)
    found = structural_candidates(document)
    for candidate in found:
        assert document.text[candidate.start : candidate.end] == candidate.name
    return {c.name: c.source for c in found}


def test_list_items_are_candidates_with_their_introducing_line() -> None:
    document = build_document(
        [
            ("paragraph", "Käynnissä olevat hankkeet:"),
            ("list_item", "Kylät kuntoon", "•"),
            ("list_item", "eKylä – digitaalisia palveluja kylille vuosina 2024–2026 koko maakunnan alueella", "•"),
        ]
    )
    found = {c.name: c for c in structural_candidates(document)}
    assert found["Kylät kuntoon"].lead == "Käynnissä olevat hankkeet:"
    # A long item is cut at its first separator: the name comes first.
    assert "eKylä" in found
    assert found["eKylä"].source == "list_item"


def test_labelled_value_in_a_flattened_form_stops_at_the_next_label() -> None:
    names = _names(
        [
            (
                "paragraph",
                "Hankkeen julkinen nimi Metsästä maailmalle Alkamispäivämäärä Päättymispäivämäärä 1.1.2023 31.12.2024",
            ),
        ]
    )
    assert names.get("Metsästä maailmalle") == "label_value"


def test_headings_short_lines_and_quoted_names_are_candidates() -> None:
    names = _names(
        [
            ("heading", 2, "Vesihuollon kehittäminen"),
            ("paragraph", "Uusi kyläverkko"),
            ("paragraph", "Yhdistys käynnisti ”Kylä kulkee” -nimisen hankkeen keväällä. Se jatkuu vuoteen 2026."),
        ]
    )
    assert names["Vesihuollon kehittäminen"] == "heading"
    assert names["Uusi kyläverkko"] == "line"
    assert names["Kylä kulkee"] == "quoted"


def test_sentences_and_long_paragraphs_are_not_candidates() -> None:
    names = _names(
        [
            ("paragraph", "Hanke päättyi viime vuonna ja sen tulokset esiteltiin valtuustolle."),
        ]
    )
    assert names == {}
