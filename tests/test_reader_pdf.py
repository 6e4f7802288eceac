"""The PDF reader against PDFs drawn from known Documents.

Every PDF is rendered at test time from a Document built here, so each
test compares what the reader found with the exact source it was drawn
from: block texts and kinds, table cells, pages and spans.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.normalise import normalise_inline
from pipeline.readers import pdf as pdf_reader
from pipeline.readers.pdf import OCR_PROBE_PAGES, read_pdf
from pipeline.settings import Settings
from pipeline.source import PDF, SourceBytes, sha256_of
from tests.fixtures.render_pdf import (
    render_lines,
    render_many_pages,
    render_pdf,
    render_scanned,
    truncate,
)

GOAL_HEADER = ["Toiminnalliset tavoitteet 2024–2026", "Toimenpiteet 2024", "Mittarit"]
RUNNING_HEADER = "Päijät-Hämeen liiton työohjelma 2024"

PARAGRAPHS = [
    "Päijät-Hämeen liiton perussopimuksen mukaan liitto on maakunnan kehittämisen ja yhteistyön keskus, "
    "joka vastaa jäsenkuntia ja niiden väestöä palvelevasta maakunnallisesta suunnittelu- ja "
    "kehittämistyöstä sekä edunvalvonnasta.",
    "Maakuntastrategia on maakunnan toimijoiden yhdessä laatima aluekehittämisen asiakirja, joka ohjaa "
    "maakunnan viranomaisten toimintaa. Maakuntastrategiassa tunnistetaan toimintaympäristön muutostekijät "
    "ja maakunnan ominaispiirteet, ja hankkeen kokonaisbudjetti on 1 234 500 € vuosina 2024–2026.",
    "Hallinnon toimintojen kehittämistä jatketaan edelleen vuoden 2024 aikana. Keskeisiä toimenpiteitä ovat "
    "tiedonhallintamallin päivittäminen, sähköisen arkistoinnin käyttöönotto ja tietoturvan parantaminen.",
    "Maakuntahallitus vastaa liiton käytännön toiminnasta ja hallinnosta sekä johtaa valtuuston "
    "aluekehitystyölle asettamien tavoitteiden toteutumista, ja se kokoontuu kymmenen kertaa vuodessa.",
]

GOAL_ROWS = [
    ["Tiedonhallintamallin päivittäminen", ["Päivitetään tiedonhallintamallia vastaamaan nykytilaa."], ["Tehty."]],
    [
        ["Asianhallinnan kehittäminen ja sähköisen arkistoinnin käyttöönotto."],
        ["Jatkuva asianhallinnan kehittäminen.", "Sähköisen arkistoinnin jalkauttaminen."],
        ["Tehty."],
    ],
    [["Sääntöjen ja ohjeiden päivittäminen."], ["Päivitetään sääntöjä ja ohjeita tarpeen mukaan."], ["Tehty."]],
    [
        ["Rakennerahastotoiminta ja muu aluekehityksen rahoituksen valmistelu."],
        ["EAKR-päätökset joulukuun hakukierrokselle.", "AKKE-rahoituksen loppuerät on sidottu."],
        ["Joulukuulta hankepäätökset tehtynä kevään aikana.", "AKKE-rahoitus pääosin sidottu."],
    ],
]


def _as_paragraphs(cell: str | list[str]) -> list[str]:
    return [cell] if isinstance(cell, str) else cell


def source_document(*, long_table_rows: int = 0) -> Document:
    """A plan with headings, paragraphs, a list and goal tables, as the text reader would give it."""
    b = DocumentBuilder()
    b.heading("Päijät-Hämeen liiton työohjelma 2024", level=1)
    b.paragraph(PARAGRAPHS[0])
    b.paragraph("Perussopimuksen mukaisia liiton tehtäviä ovat:")
    b.list_item("huolehtia maankäyttö- ja rakennuslaissa kuntayhtymälle säädetyistä tehtävistä")
    b.list_item(
        "hoitaa maakuntien yhtäpitävin päätöksin aluekehityslain mukaiset yhteistoiminta-alueen tehtävät, "
        "joihin kuuluvat Päijät-Häme, Kanta-Häme ja Uusimaa"
    )
    b.list_item("hoitaa muutkin sille lainsäädännössä määrätyt tehtävät")
    b.heading("Strategiset linjaukset", level=2)
    b.paragraph(PARAGRAPHS[1])
    b.heading("Hallinto ja tukipalvelut", level=2)
    b.paragraph(PARAGRAPHS[2])
    b.table([GOAL_HEADER, *GOAL_ROWS], header_rows=1)
    b.paragraph(PARAGRAPHS[3])
    if long_table_rows:
        b.heading("Aluekehitys", level=2)
        rows = [
            [f"Tavoite {n}: maakunnan vetovoiman kehittäminen", [f"Toimenpide {n} toteutetaan yhdessä kuntien kanssa."], [f"Mittari {n}"]]
            for n in range(1, long_table_rows + 1)
        ]
        b.table([GOAL_HEADER, *rows], header_rows=1)
        b.paragraph("Taulukon jälkeen tulee vielä yksi kappale.")
    return b.build(source="source.txt", sha256="0" * 64, media_type="text/plain")


def raw_pdf(path: Path) -> SourceBytes:
    data = path.read_bytes()
    return SourceBytes(str(path), data, PDF, sha256_of(data))


def read(path: Path, settings: Settings | None = None) -> Document:
    return read_pdf(raw_pdf(path), settings or Settings())


def text_blocks(doc: Document) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for _, b in doc.blocks() if b.kind != "table"]


def table_cells(doc: Document) -> list[list[list[list[str]]]]:
    return [[[[p.text for p in c.paragraphs] for c in row] for row in t.rows] for t in doc.tables()]


def source_tables(doc: Document) -> list[list[list[list[str]]]]:
    return table_cells(doc)


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def source() -> Document:
    return source_document(long_table_rows=30)


@pytest.fixture(scope="module", params=["ruled", "unruled"])
def rendered(request: pytest.FixtureRequest, pdf_dir: Path, source: Document) -> tuple[Path, Document]:
    ruled = request.param == "ruled"
    path = render_pdf(source, pdf_dir / f"plan_{request.param}.pdf", ruled_tables=ruled, running_header=RUNNING_HEADER)
    return path, read(path)


# -- structure comes back ----------------------------------------------------------


def test_headings_paragraphs_and_list_items_come_back_as_written(rendered, source):
    _, doc = rendered
    assert text_blocks(doc) == text_blocks(source)


def test_tables_come_back_cell_by_cell(rendered, source):
    _, doc = rendered
    assert table_cells(doc) == source_tables(source)
    first = next(doc.tables())
    assert [c.text for c in first.header] == GOAL_HEADER


def test_table_text_is_not_repeated_as_paragraphs(rendered):
    _, doc = rendered
    loose = " ".join(b.text for _, b in doc.blocks() if b.kind != "table")
    for table in doc.tables():
        for cell in table.cells():
            for paragraph in cell.paragraphs:
                assert paragraph.text not in loose


def test_a_table_over_a_page_break_is_one_table_with_cells_on_both_pages(rendered):
    _, doc = rendered
    tables = list(doc.tables())
    long_table = tables[-1]
    pages = {c.span.page for c in long_table.cells()}
    assert len(pages) >= 2, "the fixture's long table must cross a page break"
    assert len(long_table.rows) == 31
    assert sum(1 for row in long_table.rows if row[0].text == GOAL_HEADER[0]) == 1
    assert all(c.span.page == min(pages) for c in long_table.rows[0])
    assert all(c.span.page == max(pages) for c in long_table.rows[-1])


def test_running_headers_and_page_numbers_are_gone(rendered):
    _, doc = rendered
    assert doc.page_count >= 3
    assert RUNNING_HEADER not in doc.text.replace("Päijät-Hämeen liiton työohjelma 2024\n", "", 1)
    assert not any(b.text.strip().isdigit() for _, b in doc.blocks())


def test_spans_are_exact_and_pages_right(rendered):
    path, doc = rendered
    pdf = pdfium.PdfDocument(str(path))
    page_texts = [normalise_inline(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    for _, block in doc.blocks():
        assert doc.text[block.start : block.end] == block.text
        if block.table is None:
            assert " ".join(block.text.split()[:3]) in page_texts[block.page - 1]
            continue
        for cell in block.table.cells():
            assert doc.text[cell.span.start : cell.span.end] == cell.text
            for paragraph in cell.paragraphs:
                assert doc.text[paragraph.start : paragraph.end] == paragraph.text
                assert paragraph.text.split()[0] in page_texts[paragraph.page - 1]


# -- layout -----------------------------------------------------------------------


def test_two_columns_are_read_left_column_first(pdf_dir):
    b = DocumentBuilder()
    b.heading("Kaksipalstainen sivu koko leveydeltä", level=1)
    for n in range(1, 15):
        b.paragraph(f"Kappale {n}. " + PARAGRAPHS[n % len(PARAGRAPHS)])
    source = b.build(source="two.txt", sha256="0" * 64, media_type="text/plain")
    path = render_pdf(source, pdf_dir / "two_columns.pdf", two_columns=True)
    doc = read(path)
    assert text_blocks(doc) == text_blocks(source)
    assert not list(doc.tables())
    first_page = [b for _, b in doc.blocks() if b.page == 1]
    right_column = pdfium.PdfDocument(str(path))[0].get_textpage().get_text_bounded(left=300)
    assert first_page[-1].text.split()[-1] in right_column, "the fixture must fill both columns of page 1"


def test_prose_alone_makes_no_table(pdf_dir):
    b = DocumentBuilder()
    for text in PARAGRAPHS * 3:
        b.paragraph(text)
    doc = read(render_pdf(b.build(source="p.txt", sha256="0" * 64, media_type="text/plain"), pdf_dir / "prose.pdf"))
    assert not list(doc.tables())


def test_line_end_hyphens_are_joined_unless_spelling_keeps_them(pdf_dir):
    lines = [
        "Liiton aluesuunnittelun ja maakunnan yhteinen kehittämis-",
        "työ jatkuu, ja hankkeille haetaan lisäksi uutta ja laajaa EU-",
        "rahoitusta. Maakuntakaavassa osoitetaan aivan uusi maa-",
        "alue teollisuudelle sekä tuleville ja alkaville suunnittelu-",
        "ja rakentamisvaiheen hankkeille koko läntisessä Etelä-",
        "Suomessa vuosina 2023 sekä uudelleen kaudella 2024–",
        "2026.",
    ]
    doc = read(render_lines(pdf_dir / "hyphens.pdf", [lines], justify=True))
    assert [b.text for _, b in doc.blocks()] == [
        "Liiton aluesuunnittelun ja maakunnan yhteinen kehittämistyö jatkuu, ja hankkeille haetaan lisäksi uutta "
        "ja laajaa EU-rahoitusta. Maakuntakaavassa osoitetaan aivan uusi maa-alue teollisuudelle sekä tuleville "
        "ja alkaville suunnittelu- ja rakentamisvaiheen hankkeille koko läntisessä Etelä-Suomessa vuosina 2023 "
        "sekä uudelleen kaudella 2024–2026."
    ]


def test_a_paragraph_cut_by_a_page_break_mid_sentence_is_one_paragraph(pdf_dir):
    doc = read(render_lines(pdf_dir / "cut.pdf", [["Ensimmäinen sivu päättyy kesken"], ["lauseen, joka jatkuu tässä."]]))
    blocks = [b for _, b in doc.blocks()]
    assert [b.text for b in blocks] == ["Ensimmäinen sivu päättyy kesken lauseen, joka jatkuu tässä."]
    assert blocks[0].page == 1


# -- title -------------------------------------------------------------------------


def test_title_comes_from_metadata_when_it_names_the_document(pdf_dir):
    source = source_document()
    named = read(render_pdf(source, pdf_dir / "named.pdf", title="Työohjelma ja talousarvio 2024"))
    assert named.title == "Työohjelma ja talousarvio 2024"
    placeholder = read(render_pdf(source, pdf_dir / "placeholder.pdf"))
    assert placeholder.title == "Päijät-Hämeen liiton työohjelma 2024"


# -- scanned pages -------------------------------------------------------------------

SCANNED_LINES = ["Maakuntahallitus kokoontuu", "kymmenen kertaa vuonna 2024."]


def test_scanned_pdf_without_ocr_says_there_is_no_text(pdf_dir):
    path = render_scanned(pdf_dir / "scanned.pdf", [SCANNED_LINES])
    with pytest.raises(ReadError) as caught:
        read(path, Settings(ocr=False))
    assert caught.value.reason is ReadFailure.NO_TEXT
    assert "scanned.pdf" in str(caught.value)
    assert "tesseract" in str(caught.value)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_scanned_pdf_is_read_with_ocr(pdf_dir):
    path = render_scanned(pdf_dir / "scanned_ocr.pdf", [SCANNED_LINES])
    doc = read(path, Settings(ocr=True, ocr_language="fin"))
    assert "Maakuntahallitus kokoontuu kymmenen kertaa vuonna 2024." in doc.text
    assert [w.code for w in doc.warnings] == ["ocr"]
    assert "1" in doc.warnings[0].message


def test_pages_without_text_are_named_in_a_warning(pdf_dir):
    text_page = render_lines(pdf_dir / "mixed_text.pdf", [["Tekstisivu on luettavissa."]])
    scanned = render_scanned(pdf_dir / "mixed_scan.pdf", [SCANNED_LINES])
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(text_page)))
    mixed.import_pages(pdfium.PdfDocument(str(scanned)))
    mixed.save(str(pdf_dir / "mixed.pdf"))
    doc = read(pdf_dir / "mixed.pdf", Settings(ocr=False))
    assert doc.text == "Tekstisivu on luettavissa."
    assert [w.code for w in doc.warnings] == ["no_text_pages"]
    assert "pages 2" in doc.warnings[0].message


# -- bad input -----------------------------------------------------------------------


def _read_error(path: Path) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read(path)
    assert path.name in str(caught.value)
    return caught.value


def test_truncated_pdf_is_corrupt(pdf_dir):
    whole = render_pdf(source_document(), pdf_dir / "whole.pdf")
    assert _read_error(truncate(whole, pdf_dir / "truncated.pdf", keep=0.3)).reason is ReadFailure.CORRUPT


def test_garbage_after_a_pdf_header_is_corrupt(pdf_dir):
    path = pdf_dir / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    assert _read_error(path).reason is ReadFailure.CORRUPT


def test_encrypted_pdf_says_it_needs_a_password(pdf_dir):
    path = render_pdf(source_document(), pdf_dir / "locked.pdf", encrypt_password="salasana")
    error = _read_error(path)
    assert error.reason is ReadFailure.ENCRYPTED
    assert "password" in str(error)


def test_empty_file_is_empty(pdf_dir):
    path = pdf_dir / "empty.pdf"
    path.write_bytes(b"")
    assert _read_error(path).reason is ReadFailure.EMPTY


# -- long documents -------------------------------------------------------------------


@pytest.fixture(scope="module")
def thousand_pages(pdf_dir: Path) -> Path:
    return render_many_pages(pdf_dir / "thousand.pdf", 1000)


def test_a_thousand_page_pdf_is_read_whole(thousand_pages):
    doc = read(thousand_pages)
    assert doc.page_count == 1000
    headings = [b for _, b in doc.blocks() if b.kind == "heading"]
    assert len(headings) == 1000
    assert headings[-1].text == "Luku 1000" and headings[-1].page == 1000
    assert "Pitkä asiakirja" not in doc.text


def test_pages_past_max_pages_are_skipped_with_a_warning(thousand_pages):
    doc = read(thousand_pages, Settings(max_pages=40))
    assert doc.page_count == 1000
    assert max(b.page for _, b in doc.blocks()) == 40
    assert [w.code for w in doc.warnings] == ["pages_skipped"]
    assert "960 pages skipped (raise --max-pages to read them)" in doc.warnings[0].message


# -- a real plan ------------------------------------------------------------------------

SEED = Path(__file__).resolve().parent.parent / "corpus" / "inbox" / "004_ac5919b1e4bd2c2c.txt"


def _squeezed(tables: list[list[list[list[str]]]]) -> list:
    # reportlab breaks a word too long for a narrow column without a hyphen
    # (no typesetter would), so cells are compared without their spaces.
    return [[["".join("".join(cell).split()) for cell in row] for row in table] for table in tables]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_real_work_plan_survives_the_trip_through_pdf(pdf_dir, ruled):
    from pipeline.readers import read_file

    source = read_file(SEED)
    doc = read(render_pdf(source, pdf_dir / f"seed_{ruled}.pdf", ruled_tables=ruled, running_header=RUNNING_HEADER))
    assert text_blocks(doc) == text_blocks(source)
    assert _squeezed(table_cells(doc)) == _squeezed(table_cells(source))
    headers = [[c.text for c in t.header] for t in doc.tables()]
    assert headers.count(GOAL_HEADER) == 3


# -- blank pages and pages OCR finds nothing on ------------------------------------------

# Blank pages used to go to OCR one by one, a second or more each; these
# reads must return, and a generous bound keeps a regression from hanging the suite.
HANG_BOUND_SECONDS = 60


def _within_bound(call: Callable[[], object]) -> object:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as error:  # noqa: BLE001 - handed to the test to look at
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_BOUND_SECONDS)
    assert not worker.is_alive(), f"still running after {HANG_BOUND_SECONDS} s"
    return outcome[0]


def _blank_pdf(path: Path, pages: int) -> Path:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    document.save(str(path))
    return path


def _white_picture_pdf(path: Path, pages: int) -> Path:
    """Pages that each hold a picture of nothing, as a scanner makes of an empty sheet."""
    from PIL import Image

    white = pdfium.PdfBitmap.from_pil(Image.new("L", (200, 280), 255))
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        page = document.new_page(595, 842)
        picture = pdfium.PdfImage.new(document)
        picture.set_bitmap(white)
        picture.set_matrix(pdfium.PdfMatrix().scale(595, 842))
        page.insert_obj(picture)
        page.gen_content()
    document.save(str(path))
    return path


@pytest.fixture
def fake_ocr(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """OCR, as if Tesseract were installed, that finds nothing; the page numbers it was asked to read."""
    asked: list[int] = []

    def ocr_page(_document: object, number: int, _language: str) -> list[str]:
        asked.append(number)
        return []

    monkeypatch.setattr(pdf_reader, "tesseract_available", lambda: True)
    monkeypatch.setattr(pdf_reader, "_ocr_page", ocr_page)
    return asked


def test_thousands_of_blank_pages_are_refused_at_once_without_ocr(pdf_dir, fake_ocr):
    path = _blank_pdf(pdf_dir / "tyhjat.pdf", 3000)
    error = _within_bound(lambda: read(path))
    assert isinstance(error, ReadError) and error.reason is ReadFailure.NO_TEXT
    assert error.detail == (
        "every page is blank, with no text or images "
        "(the first 2,000 of 3,000 pages read; raise --max-pages to read more)"
    )
    assert fake_ocr == []


def test_blank_pages_between_text_pages_are_passed_over_quietly(pdf_dir, fake_ocr):
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(render_lines(pdf_dir / "teksti.pdf", [["Tekstisivu on luettavissa."]]))))
    mixed.import_pages(pdfium.PdfDocument(str(_blank_pdf(pdf_dir / "tyhja.pdf", 3))))
    mixed.save(str(pdf_dir / "valisivut.pdf"))
    doc = read(pdf_dir / "valisivut.pdf")
    assert doc.text == "Tekstisivu on luettavissa." and doc.page_count == 4
    assert doc.warnings == [] and fake_ocr == []


def test_ocr_gives_up_when_the_first_pages_it_reads_are_empty(pdf_dir, fake_ocr):
    path = _white_picture_pdf(pdf_dir / "valkoiset.pdf", OCR_PROBE_PAGES + 5)
    error = _within_bound(lambda: read(path))
    assert isinstance(error, ReadError) and error.reason is ReadFailure.NO_TEXT
    assert error.detail == (
        f"no text layer, and OCR found no text on any page it tried (10 of the {OCR_PROBE_PAGES + 5} without one)"
    )
    assert fake_ocr == list(range(1, OCR_PROBE_PAGES + 1))


def test_ocr_reads_at_most_max_ocr_pages_and_names_the_option(pdf_dir, monkeypatch):
    monkeypatch.setattr(pdf_reader, "tesseract_available", lambda: True)
    monkeypatch.setattr(pdf_reader, "_ocr_page", lambda _document, number, _language: [f"Sivun {number} teksti."])
    path = _white_picture_pdf(pdf_dir / "skannattu.pdf", 5)
    doc = read(path, Settings(max_ocr_pages=2))
    assert doc.text == "Sivun 1 teksti.\n\nSivun 2 teksti."
    assert [w.code for w in doc.warnings] == ["ocr", "ocr_pages_skipped"]
    assert doc.warnings[1].message == (
        f"{path}: pages 3–5 have no text layer and were not read: "
        "OCR reads at most 2 pages of a PDF (raise --max-ocr-pages to read more)"
    )


def test_with_ocr_off_the_refusal_names_the_option_that_turned_it_off(pdf_dir):
    path = render_scanned(pdf_dir / "skannattu-ilman.pdf", [SCANNED_LINES])
    with pytest.raises(ReadError) as caught:
        read(path, Settings(ocr=False))
    assert caught.value.detail == (
        "no text layer on any page (scanned PDF?); "
        "OCR is off (--no-ocr); without that option tesseract reads such pages"
    )


def test_ocr_failing_on_every_page_it_tries_is_said_so(pdf_dir, monkeypatch):
    def failing(_document: object, _number: int, language: str) -> list[str]:
        raise pdf_reader.OcrError(f"tesseract failed (language {language!r}): no such language")

    monkeypatch.setattr(pdf_reader, "tesseract_available", lambda: True)
    monkeypatch.setattr(pdf_reader, "_ocr_page", failing)
    path = _white_picture_pdf(pdf_dir / "kieleton.pdf", 2)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.detail == "no text layer, and OCR failed on every page it tried (2 of the 2 without one)"


def test_no_ocr_pages_allowed_says_which_option_allows_them(pdf_dir, fake_ocr):
    path = _white_picture_pdf(pdf_dir / "ei-ocr-sivuja.pdf", 2)
    with pytest.raises(ReadError) as caught:
        read(path, Settings(max_ocr_pages=0))
    assert caught.value.detail == (
        "no text layer on any page (scanned PDF?); OCR reads at most 0 pages of a PDF "
        "(raise --max-ocr-pages to read them)"
    )
    assert fake_ocr == []
