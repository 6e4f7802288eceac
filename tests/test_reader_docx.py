"""The DOCX reader: body order, styles to structure, merged cells, pages, damaged files."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers.docx import read_docx
from pipeline.readers.text import read_text
from pipeline.settings import Settings
from pipeline.source import DOCX, SourceBytes, load_source, sha256_of
from tests.fixtures.document_shape import document_shape, span_mismatches
from tests.fixtures.render_docx import mark_header_row, render_docx, set_numbering_level
from tests.strategies import FINNISH_ALPHABET, spaces

CORPUS = Path(__file__).parent.parent / "corpus" / "inbox"
GOAL_HEADER = ["Toiminnalliset tavoitteet 2024–2026", "Toimenpiteet 2024", "Mittarit"]


def work_programme() -> Document:
    """Headings on three levels, lists four deep, and tables between paragraphs."""
    b = DocumentBuilder()
    b.heading("Työohjelma 2024", level=1)
    b.paragraph("Liitto on maakunnan kehittämisen ja yhteistyön keskus.")
    b.heading("Hallinto- ja tukipalvelut", level=2)
    b.table(
        [GOAL_HEADER, ["Tiedonhallintamallin päivittäminen", ["Päivitetään mallia.", "Koulutetaan."], "Tehty."]],
        header_rows=1,
    )
    b.paragraph("Maakuntahallitus kokoontuu 10 kertaa vuonna 2024.")
    b.heading("Aluesuunnittelu", level=2)
    b.list_item("Maakuntakaavan laatiminen", level=1)
    b.list_item("Kaavaluonnos", level=2)
    b.list_item("Viranomaisneuvottelut", level=3)
    b.list_item("Aloitusvaiheen neuvottelu", level=4)
    b.list_item("Liikennejärjestelmätyö", level=1)
    b.heading("Rahoitus", level=3)
    b.table([["Rahoittaja", "Summa"], ["EAKR", "480 000 €"], ["Kunta", "120 000 €"]], header_rows=1)
    b.table([["Hankkeen nimi", "Kylätiet kuntoon"], ["Kesto", "1.1.2024–31.12.2025"]])
    b.paragraph("Lisätietoja antaa kehittämisjohtaja.")
    return b.build(source="tyoohjelma.txt", sha256="0" * 64, media_type="text/plain", title="Työohjelma 2024")


def read_bytes(data: bytes, name: str = "asiakirja.docx") -> Document:
    return read_docx(SourceBytes(name, data, DOCX, sha256_of(data)), Settings())


def read_word(word: docx.document.Document, name: str = "asiakirja.docx") -> Document:
    buffer = io.BytesIO()
    word.save(buffer)
    return read_bytes(buffer.getvalue(), name)


def read_path(path: Path) -> Document:
    return read_bytes(path.read_bytes(), str(path))


def texts(doc: Document) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for _, b in doc.blocks() if b.table is None]


def only_table(doc: Document) -> list[list[list[str]]]:
    (table,) = list(doc.tables())
    return [[[p.text for p in cell.paragraphs] for cell in row] for row in table.rows]


def add_style(word: docx.document.Document, name: str, *, outline: int | None = None) -> None:
    """A custom paragraph style, as a Finnish template or a converter names it."""
    style_id = name.replace(" ", "")
    outline_xml = f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>' if outline is not None else ""
    word.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/>{outline_xml}</w:style>'
        )
    )


# -- round trips -------------------------------------------------------------------


def test_round_trip_keeps_blocks_tables_and_their_order(tmp_path: Path) -> None:
    original = work_programme()
    read = read_path(render_docx(original, tmp_path / "tyoohjelma.docx"))
    assert document_shape(read) == document_shape(original)
    assert read.title == "Työohjelma 2024"
    assert read.media_type == DOCX
    assert read.warnings == []


def test_goal_table_keeps_header_and_one_cell_paragraph_per_word_paragraph(tmp_path: Path) -> None:
    read = read_path(render_docx(work_programme(), tmp_path / "tyoohjelma.docx"))
    goal_table = next(read.tables())
    assert [cell.text for cell in goal_table.header] == GOAL_HEADER
    assert [p.text for p in goal_table.rows[1][1].paragraphs] == ["Päivitetään mallia.", "Koulutetaan."]


def test_spans_are_exact_for_blocks_cells_and_cell_paragraphs(tmp_path: Path) -> None:
    read = read_path(render_docx(work_programme(), tmp_path / "tyoohjelma.docx"))
    assert span_mismatches(read) == []


@pytest.mark.parametrize("seed", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_round_trip_of_documents_read_from_the_corpus(tmp_path: Path, seed: Path) -> None:
    original = read_text(load_source(seed, max_bytes=10**8), Settings())
    read = read_path(render_docx(original, tmp_path / f"{seed.stem}.docx"))
    assert document_shape(read) == document_shape(original)


# Random words of four characters or more do not, in practice, spell a
# residue line ("Jaa") or a language menu ("fi"), which the readers drop
# by design; "<", ">" and "&" check that text survives markup escaping.
_WORD = st.text(alphabet=FINNISH_ALPHABET + "<>&", min_size=4, max_size=12)
_TEXT = st.lists(st.tuples(_WORD, spaces), min_size=2, max_size=6).map(lambda pairs: "".join(w + s for w, s in pairs))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """Random documents: headings, paragraphs, lists up to four deep, tables with multi-paragraph cells."""
    b = DocumentBuilder()
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["heading", "paragraph", "list", "table"]))
        if kind == "heading":
            b.heading(draw(_TEXT), level=draw(st.integers(1, 9)))
        elif kind == "paragraph":
            b.paragraph(draw(_TEXT))
        elif kind == "list":
            level = 1
            for _ in range(draw(st.integers(1, 4))):
                b.list_item(draw(_TEXT), level=level)
                level = draw(st.integers(1, min(level + 1, 4)))
        else:
            width = draw(st.integers(1, 3))
            cell = st.lists(_TEXT, min_size=1, max_size=2)
            rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=2, max_size=3))
            b.table(rows, header_rows=draw(st.integers(0, 1)))
    return b.build(source="x.txt", sha256="0" * 64, media_type="text/plain")


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(original=documents())
def test_round_trip_of_random_documents(tmp_path: Path, original: Document) -> None:
    read = read_path(render_docx(original, tmp_path / "random.docx"))
    assert document_shape(read) == document_shape(original)
    assert span_mismatches(read) == []


# -- styles and properties ----------------------------------------------------------------


def test_headings_from_finnish_style_names_outline_levels_and_title_style() -> None:
    word = docx.Document()
    add_style(word, "Otsikko 2")
    add_style(word, "Väliotsikko", outline=2)
    word.add_paragraph("Kuntastrategia 2030", style="Title")
    word.add_paragraph("Strategia ohjaa kunnan toimintaa.")
    word.add_paragraph("Visio", style="Otsikko 2")
    word.add_paragraph("Arvot", style="Väliotsikko")
    direct = word.add_paragraph("Toimeenpano")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    direct._p.get_or_add_pPr().append(outline)
    read = read_word(word)
    assert texts(read) == [
        ("heading", 1, "Kuntastrategia 2030"),
        ("paragraph", 0, "Strategia ohjaa kunnan toimintaa."),
        ("heading", 2, "Visio"),
        ("heading", 3, "Arvot"),
        ("heading", 2, "Toimeenpano"),
    ]
    assert read.title == "Kuntastrategia 2030"


def test_core_properties_title_wins_over_the_first_heading() -> None:
    word = docx.Document()
    word.core_properties.title = "Elinvoimaohjelma 2024–2027"
    word.add_paragraph("Johdanto", style="Heading 1")
    word.add_paragraph("Ohjelma kuvaa kunnan elinvoiman tavoitteet.")
    assert read_word(word).title == "Elinvoimaohjelma 2024–2027"


def test_list_levels_from_numbering_and_list_styles() -> None:
    word = docx.Document()
    add_style(word, "Luettelomerkki 2")
    word.add_paragraph("Tyylin ensimmäinen taso", style="List Bullet")
    word.add_paragraph("Tyylin toinen taso", style="List Bullet 2")
    word.add_paragraph("Suomenkielinen tyyli", style="Luettelomerkki 2")
    for ilvl, text in enumerate(["Numerointi taso 1", "Numerointi taso 2", "Numerointi taso 3"]):
        set_numbering_level(word.add_paragraph(text, style="List Paragraph"), ilvl)
    switched_off = word.add_paragraph("Numerointi pois päältä", style="List Bullet")
    set_numbering_level(switched_off, 0, num_id=0)
    assert texts(read_word(word)) == [
        ("list_item", 1, "Tyylin ensimmäinen taso"),
        ("list_item", 2, "Tyylin toinen taso"),
        ("list_item", 2, "Suomenkielinen tyyli"),
        ("list_item", 1, "Numerointi taso 1"),
        ("list_item", 2, "Numerointi taso 2"),
        ("list_item", 3, "Numerointi taso 3"),
        ("paragraph", 0, "Numerointi pois päältä"),
    ]


def test_list_markers_follow_word_numbering() -> None:
    word = docx.Document()
    word.add_paragraph("Ensimmäinen tavoite", style="List Number")
    word.add_paragraph("Toinen tavoite", style="List Number")
    word.add_paragraph("Luettelomerkillä", style="List Bullet")
    word.add_paragraph("Kolmas tavoite", style="List Number")
    markers = [(b.marker, b.text) for _, b in read_word(word).blocks()]
    assert markers == [
        ("1.", "Ensimmäinen tavoite"),
        ("2.", "Toinen tavoite"),
        ("•", "Luettelomerkillä"),
        ("3.", "Kolmas tavoite"),
    ]


def test_line_breaks_split_paragraphs_but_not_headings_or_list_items() -> None:
    word = docx.Document()
    heading = word.add_paragraph("Lisätietoja", style="Heading 2")
    heading.add_run().add_break()
    heading.add_run("ja yhteystiedot")
    contact = word.add_paragraph("Projektipäällikkö Maija Esimerkki")
    contact.add_run().add_break()
    contact.add_run("puh. 040 123 4567")
    item = word.add_paragraph("Ensimmäinen rivi", style="List Bullet")
    item.add_run().add_break()
    item.add_run("jatkuu")
    assert texts(read_word(word)) == [
        ("heading", 2, "Lisätietoja ja yhteystiedot"),
        ("paragraph", 0, "Projektipäällikkö Maija Esimerkki"),
        ("paragraph", 0, "puh. 040 123 4567"),
        ("list_item", 1, "Ensimmäinen rivi jatkuu"),
    ]


def test_tracked_deletions_are_left_out_and_insertions_kept() -> None:
    word = docx.Document()
    paragraph = word.add_paragraph("Budjetti on ")
    paragraph._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="A"><w:r><w:delText>400 000</w:delText></w:r></w:del>')
    )
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="A"><w:r><w:t>480 000</w:t></w:r></w:ins>')
    )
    paragraph.add_run(" euroa.")
    assert texts(read_word(word)) == [("paragraph", 0, "Budjetti on 480 000 euroa.")]


def test_text_box_text_stays_out_of_the_paragraph_and_is_warned_about() -> None:
    word = docx.Document()
    paragraph = word.add_paragraph("Kaavoitus etenee.")
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
            "<w:txbxContent><w:p><w:r><w:t>Huom!</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    )
    read = read_word(word)
    assert texts(read) == [("paragraph", 0, "Kaavoitus etenee.")]
    assert [w.code for w in read.warnings] == ["text_boxes_skipped"]


def test_table_of_contents_is_skipped() -> None:
    word = docx.Document()
    word.element.body.insert(
        0,
        parse_xml(
            f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Johdanto 3</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    add_style(word, "toc 1")
    word.add_paragraph("Johdanto\t3", style="toc 1")
    word.add_paragraph("Johdanto", style="Heading 1")
    assert texts(read_word(word)) == [("heading", 1, "Johdanto")]


# -- tables -------------------------------------------------------------------------------


def test_merged_cells_are_read_once_and_columns_stay_aligned() -> None:
    word = docx.Document()
    word.add_paragraph("Rahoitus vuosittain:")
    table = word.add_table(rows=4, cols=3)
    for r, row in enumerate([["Hanke", "Vuosi", "Summa"], ["Iso hanke", "2024", "10 000 €"], ["", "2025", "20 000 €"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(3, 1))
    table.cell(3, 0).text = "Yhteensä"
    table.cell(3, 2).text = "30 000 €"
    mark_header_row(table.rows[0])
    read = read_word(word)
    assert only_table(read) == [
        [["Hanke"], ["Vuosi"], ["Summa"]],
        [["Iso hanke"], ["2024"], ["10 000 €"]],
        [[], ["2025"], ["20 000 €"]],
        [["Yhteensä"], [], ["30 000 €"]],
    ]
    assert read.text.count("Iso hanke") == 1
    assert span_mismatches(read) == []


def test_first_row_is_a_header_when_the_table_look_says_so() -> None:
    word = docx.Document()
    table = word.add_table(rows=2, cols=2)  # Word's default look formats the first row
    table.cell(0, 0).text, table.cell(0, 1).text = "Tavoite", "Mittari"
    table.cell(1, 0).text, table.cell(1, 1).text = "Pyöräily kasvaa", "Osuus 15 %"
    (read_table,) = list(read_word(word).tables())
    assert [cell.text for cell in read_table.header] == ["Tavoite", "Mittari"]


# -- pages ------------------------------------------------------------------------------------


def test_hard_page_breaks_give_pages() -> None:
    word = docx.Document()
    word.add_paragraph("Ensimmäisen sivun teksti.")
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_paragraph("Toisen sivun teksti.")
    read = read_word(word)
    assert [(b.text, b.page) for _, b in read.blocks()] == [
        ("Ensimmäisen sivun teksti.", 1),
        ("Toisen sivun teksti.", 2),
    ]
    assert read.page_count == 2


def test_pages_word_recorded_win_over_hard_breaks() -> None:
    word = docx.Document()
    word.add_paragraph("Sivu yksi.")
    second = word.add_paragraph()
    second._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:lastRenderedPageBreak/><w:t>Sivu kaksi.</w:t></w:r>'))
    third = word.add_paragraph("Vielä sivulla kaksi, ")
    third._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:lastRenderedPageBreak/><w:t>jatkuu sivulla kolme.</w:t></w:r>'))
    word.add_paragraph("Sivu kolme.")
    read = read_word(word)
    assert [b.page for _, b in read.blocks()] == [1, 2, 2, 3]
    assert read.page_at(read.text.index("Sivu kolme")) == 3


def test_table_cells_keep_their_own_pages_across_a_page_break() -> None:
    word = docx.Document()
    word.add_paragraph("Ennen taulukkoa.")
    table = word.add_table(rows=3, cols=2)
    for r, row in enumerate([["Vaihe", "Aika"], ["Suunnittelu", "2024"], ["Toteutus", "2025"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    page_start = parse_xml(f'<w:r {nsdecls("w")}><w:lastRenderedPageBreak/></w:r>')
    table.cell(2, 0).paragraphs[0].runs[0]._r.addprevious(page_start)
    table.cell(2, 1).merge(table.cell(1, 1))
    read = read_word(word)
    (read_table,) = list(read.tables())
    assert [[cell.span.page for cell in row] for row in read_table.rows] == [[1, 1], [1, 1], [2, 2]]
    assert all(read.page_at(cell.span.start) == cell.span.page for cell in read_table.cells())


# -- failures ------------------------------------------------------------------------------------


def test_truncated_file_is_corrupt_and_named(tmp_path: Path) -> None:
    data = render_docx(work_programme(), tmp_path / "kokonainen.docx").read_bytes()
    with pytest.raises(ReadError) as caught:
        read_bytes(data[: len(data) // 2], "katkennut.docx")
    assert caught.value.reason is ReadFailure.CORRUPT
    assert "katkennut.docx" in str(caught.value)


def test_package_without_document_part_is_corrupt(tmp_path: Path) -> None:
    data = render_docx(work_programme(), tmp_path / "kokonainen.docx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
    with pytest.raises(ReadError) as caught:
        read_bytes(buffer.getvalue(), "osaton.docx")
    assert caught.value.reason is ReadFailure.CORRUPT
    assert "osaton.docx" in str(caught.value)


def test_damaged_document_xml_is_corrupt(tmp_path: Path) -> None:
    data = render_docx(work_programme(), tmp_path / "kokonainen.docx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, content[: len(content) // 2] if item.filename == "word/document.xml" else content)
    with pytest.raises(ReadError) as caught:
        read_bytes(buffer.getvalue(), "vioittunut.docx")
    assert caught.value.reason is ReadFailure.CORRUPT


def test_document_without_text_is_refused() -> None:
    word = docx.Document()
    word.add_paragraph("")
    word.add_table(rows=1, cols=2)
    with pytest.raises(ReadError) as caught:
        read_word(word, "tyhja.docx")
    assert caught.value.reason is ReadFailure.NO_TEXT
    assert "tyhja.docx" in str(caught.value)


# -- zip bombs and lying zips ----------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _with_document_xml(data: bytes, document_xml: bytes) -> bytes:
    """A copy of the Word file ``data`` whose word/document.xml is ``document_xml``, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, content)
    return buffer.getvalue()


def _one_long_paragraph(characters: int) -> bytes:
    return (
        f'<?xml version="1.0"?><w:document xmlns:w="{_MAIN}"><w:body><w:p><w:r><w:t>'.encode()
        + b"A" * characters
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )


def _declare_size(data: bytes, name: str, declared: int) -> bytes:
    """``data`` with the inflated size of member ``name`` set to ``declared`` in both its headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = archive.getinfo(name)
    struct.pack_into("<I", patched, member.header_offset + 22, declared)  # local header
    entry = patched.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", patched, entry + 28)[0]
        if patched[entry + 46 : entry + 46 + name_length] == name.encode():
            struct.pack_into("<I", patched, entry + 24, declared)  # central directory
        entry = patched.find(b"PK\x01\x02", entry + 4)
    return bytes(patched)


@pytest.fixture(scope="module")
def word_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return render_docx(work_programme(), tmp_path_factory.mktemp("docx") / "tyoohjelma.docx").read_bytes()


def test_a_zip_bomb_is_refused_before_it_is_inflated(word_file: bytes) -> None:
    bomb = _with_document_xml(word_file, _one_long_paragraph(20 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(ReadError) as caught:
        read_bytes(bomb, "pommi.docx")
    assert caught.value.reason is ReadFailure.TOO_LARGE
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        member = archive.getinfo("word/document.xml")
    assert caught.value.detail == (
        f"word/document.xml inflates from {member.compress_size:,} to {member.file_size:,} bytes "
        f"({member.file_size / member.compress_size:,.0f} times, over 500): a zip bomb or a damaged file; "
        "open and re-save it in Word"
    )


def test_a_word_file_inflating_past_max_bytes_is_refused_naming_the_size(word_file: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(word_file)) as archive:
        inflated = sum(member.file_size for member in archive.infolist())
        largest = max(archive.infolist(), key=lambda member: member.file_size)
    raw = SourceBytes("iso.docx", word_file, DOCX, sha256_of(word_file))
    with pytest.raises(ReadError) as caught:
        read_docx(raw, Settings(max_bytes=inflated - 1))
    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert str(caught.value) == (
        f"iso.docx: the Word file inflates to {inflated:,} bytes ({largest.filename} alone {largest.file_size:,}), "
        f"over the limit of {inflated - 1:,}; raise --max-bytes to read it"
    )


def test_xml_inflating_past_a_quarter_of_max_bytes_is_refused(word_file: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(word_file)) as archive:
        members = archive.infolist()
    inflated = sum(member.file_size for member in members)
    xml = sum(member.file_size for member in members if member.filename.endswith((".xml", ".rels")))
    assert xml > inflated // 4
    raw = SourceBytes("iso.docx", word_file, DOCX, sha256_of(word_file))
    with pytest.raises(ReadError) as caught:
        read_docx(raw, Settings(max_bytes=inflated))
    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert caught.value.detail.startswith(f"the Word file's XML inflates to {xml:,} bytes")
    assert caught.value.detail.endswith("raise --max-bytes to read it")


def test_a_zip_that_declares_less_than_it_inflates_to_is_refused(word_file: bytes) -> None:
    # Declared small, the member escapes the size checks; python-docx would
    # inflate all 5 MB before noticing. It is refused without that.
    five_megabytes = _with_document_xml(word_file, _one_long_paragraph(5 * 1024 * 1024))
    lying = _declare_size(five_megabytes, "word/document.xml", 1000)
    with pytest.raises(ReadError) as caught:
        read_bytes(lying, "valehtelija.docx")
    assert caught.value.reason is ReadFailure.CORRUPT
    assert caught.value.detail == (
        "word/document.xml inflates to more than the 1,000 bytes the zip declares: "
        "a zip bomb or a damaged file; open and re-save it in Word"
    )


def test_a_word_file_within_the_limits_is_read_as_before(word_file: bytes) -> None:
    raw = SourceBytes("tyoohjelma.docx", word_file, DOCX, sha256_of(word_file))
    assert "Maakuntahallitus kokoontuu 10 kertaa vuonna 2024." in read_docx(raw, Settings()).text
