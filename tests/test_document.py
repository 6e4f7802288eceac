"""The Document model: exact spans everywhere, lossless JSON, page lookup."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.builder import DocumentBuilder, RawCell
from pipeline.document import Block, Document, TextSpan
from pipeline.readers import read_file
from tests.strategies import finnish_lines


def all_spans(document: Document) -> list[TextSpan]:
    spans = []
    for _, block in document.blocks():
        spans.append(block.span)
        if block.table is not None:
            for cell in block.table.cells():
                spans.append(cell.span)
                spans.extend(cell.paragraphs)
    return spans


def assert_spans_exact(document: Document) -> None:
    for span in all_spans(document):
        assert document.text[span.start : span.end] == span.text
        assert 1 <= span.page <= document.page_count
        assert document.page_at(span.start) == span.page or span.start == span.end


def sample_document() -> Document:
    builder = DocumentBuilder()
    builder.heading("Hankkeet  2024", level=1, page=1)
    builder.paragraph("Kaupunki\u00a0kehittää palveluja. ", page=1)
    builder.list_item("elinvoimaista asumiskaupunkia", page=1)
    builder.table(
        [
            ["Tavoite", "Toimenpiteet", "Mittarit"],
            ["Tiedonhallinta", ["Päivitetään mallia.", "Koulutetaan."], ""],
            [RawCell(["Arkistointi"], page=2), RawCell(["Otetaan käyttöön."], page=2), RawCell(["Tehty."], page=2)],
        ],
        page=1,
        header_rows=1,
    )
    builder.heading("Yhteystiedot", level=2, page=3)
    builder.paragraph("hilkka.luukkonen@hameenlinna.fi", page=3)
    return builder.build(source="inbox/x.txt", sha256="0" * 64, media_type="text/plain")


def test_spans_are_exact_for_blocks_cells_and_cell_paragraphs() -> None:
    assert_spans_exact(sample_document())


def test_builder_normalises_spaces_and_records_pages() -> None:
    document = sample_document()
    texts = [block.text for _, block in document.blocks()]
    assert texts[:3] == ["Hankkeet 2024", "Kaupunki kehittää palveluja.", "elinvoimaista asumiskaupunkia"]
    assert document.page_count == 3
    table = next(document.tables())
    assert [c.text for c in table.header] == ["Tavoite", "Toimenpiteet", "Mittarit"]
    assert [p.text for p in table.rows[1][1].paragraphs] == ["Päivitetään mallia.", "Koulutetaan."]
    assert table.rows[2][0].span.page == 2
    assert document.page_at(document.text.index("Yhteystiedot")) == 3


def test_sections_nest_by_heading_level() -> None:
    document = sample_document()
    top = document.root.subsections
    assert [s.title for s in top] == ["Hankkeet 2024"]
    assert [s.title for s in top[0].subsections] == ["Yhteystiedot"]
    assert [b.kind for b in top[0].blocks] == ["paragraph", "list_item", "table"]


def test_title_defaults_to_the_top_heading() -> None:
    assert sample_document().title == "Hankkeet 2024"


def test_json_round_trip_is_lossless() -> None:
    document = sample_document()
    again = Document.from_dict(json.loads(json.dumps(document.to_dict(), ensure_ascii=False)))
    assert again == document
    assert again.to_dict() == document.to_dict()


def test_seed_documents_round_trip_and_keep_exact_spans(seed_paths) -> None:
    for path in seed_paths:
        document = read_file(path)
        assert_spans_exact(document)
        assert Document.from_dict(json.loads(json.dumps(document.to_dict()))) == document


def test_a_span_that_does_not_fit_its_text_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        TextSpan("abc", 0, 4, 1)
    with pytest.raises(ValueError, match="page numbers start at 1"):
        TextSpan("abc", 0, 3, 0)


def test_a_block_kind_outside_the_model_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown block kind"):
        Block("figure", TextSpan("x", 0, 1, 1))  # type: ignore[arg-type]


def test_page_at_rejects_offsets_outside_the_text() -> None:
    with pytest.raises(IndexError):
        sample_document().page_at(10_000)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["heading", "paragraph", "list_item", "table"]), finnish_lines(), st.integers(0, 2)),
        max_size=12,
    )
)
def test_any_sequence_of_blocks_keeps_spans_exact_and_round_trips(blocks) -> None:
    builder = DocumentBuilder()
    page = 1
    for kind, text, page_step in blocks:
        page += page_step
        if kind == "heading":
            builder.heading(text, level=1 + page_step, page=page)
        elif kind == "table":
            builder.table([[text, text[::-1]], ["", text]], page=page, header_rows=1)
        else:
            getattr(builder, kind)(text, page=page)
    document = builder.build(source="x", sha256="f" * 64, media_type="text/plain")
    assert_spans_exact(document)
    assert Document.from_dict(json.loads(json.dumps(document.to_dict()))) == document
