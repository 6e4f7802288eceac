"""Reader bugs found by the cross-format and bad-input tests, each kept as the input that showed it.

1. Two columns of text, one of them holding short lines (a list, contact
   lines), were read as a two-column table.
2. "e." (euros) or "n." (noin) wrapped to the start of a line was taken
   for a list marker.
3. A short paragraph closing a page below a table was taken for a full
   line and run on into the first paragraph of the next page.
4. A PDF's error message named the file twice.
5. A page PDFium cannot load raised PdfiumError out of ``read_file``.
6. A Word file without a numbering part (a file with no lists) raised
   NotImplementedError.

Each bug has its fixture. The tests beside them hold what the fixes must
not break, or settled on the way: tables without rules stay tables, a list
after a finished sentence stays a list, and a line under the mark of a
full one-line item is a quotation (dash), the item's own text (bullet),
or a new paragraph (capital).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers import read_file
from pipeline.settings import Settings
from plansift.cli import app
from tests.conftest import INBOX
from tests.fixtures import bad_files
from tests.fixtures.render_pdf import render_lines, render_pdf, render_scanned

LONG = (
    "Maakuntastrategia on maakunnan toimijoiden yhdessä laatima aluekehittämisen asiakirja, joka ohjaa "
    "maakunnan viranomaisten toimintaa ja kokoaa yhteen alueen tärkeimmät tavoitteet vuosille 2024–2026."
)


def text_blocks(doc: Document) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for _, b in doc.blocks() if b.table is None]


def table_cells(doc: Document) -> list[list[list[list[str]]]]:
    return [[[[p.text for p in cell.paragraphs] for cell in row] for row in t.rows] for t in doc.tables()]


def build(b: DocumentBuilder) -> Document:
    return b.build(source="lähde.txt", sha256="0" * 64, media_type="text/plain")


# -- 1. two columns of text, one of short lines --------------------------------------------


@pytest.fixture
def columns_with_short_lines() -> Document:
    """Paragraphs with contact lines in the left column, paragraphs and a list in the right."""
    b = DocumentBuilder()
    b.heading("Aluekehitysselvitykset", level=1)
    for n in range(1, 5):
        b.paragraph(f"Kappale {n}. {LONG}")
    for line in ("Lisätietoja:", "Osmo Esimerkki", "kehittämisjohtaja", "050 123 4567"):
        b.paragraph(line)
    b.heading("Teemat", level=2)
    for n in range(5, 9):
        b.paragraph(f"Kappale {n}. {LONG}")
    for item in ("yrittämisen edellytykset", "hyvä peruselämä", "kehittäjien roolit ja yhteistyö", "saavutettavuus"):
        b.list_item(item)
    b.paragraph(f"Lopuksi: {LONG}")
    return build(b)


def test_two_columns_with_short_lines_in_one_are_read_column_by_column(
    tmp_path: Path, columns_with_short_lines: Document
) -> None:
    doc = read_file(render_pdf(columns_with_short_lines, tmp_path / "kaksi_palstaa.pdf", two_columns=True))
    assert list(doc.tables()) == []
    assert text_blocks(doc) == text_blocks(columns_with_short_lines)


@pytest.mark.parametrize("seed", ["000", "002"])
def test_seed_documents_in_two_columns_read_as_in_one(tmp_path: Path, seed: str) -> None:
    # 000 has lists running across the column break; 002 opens its left
    # column with a two-line heading beside text, so the columns' first
    # lines share no baseline.
    source = read_file(next(INBOX.glob(f"{seed}_*.txt")))
    doc = read_file(render_pdf(source, tmp_path / f"{seed}.pdf", two_columns=True))
    assert list(doc.tables()) == []
    assert text_blocks(doc) == text_blocks(source)


@pytest.mark.parametrize("shape", ["labels and prose", "prose in both"])
def test_a_two_column_table_without_rules_stays_a_table(tmp_path: Path, shape: str) -> None:
    # Its rows start side by side in both columns; text columns start
    # their paragraphs side by side only by chance.
    if shape == "labels and prose":
        rows = [[f"Hanke numero {i} kehittämisessä", LONG[: 40 + 9 * i]] for i in range(10)]
    else:
        rows = [[LONG[: 30 + 11 * i], [LONG[:60], LONG[: 20 + 10 * i]]] for i in range(8)]
    b = DocumentBuilder()
    b.heading("Hankkeet", level=1)
    b.paragraph("Taulukossa ovat kauden hankkeet.")
    b.table([["Hanke", "Kuvaus"], *rows], header_rows=1)
    b.paragraph("Taulukon jälkeen.")
    source = build(b)
    doc = read_file(render_pdf(source, tmp_path / "taulukko.pdf", ruled_tables=False))
    assert table_cells(doc) == table_cells(source)
    assert text_blocks(doc) == text_blocks(source)


# -- 2. an abbreviation opening a wrapped line --------------------------------------------


@pytest.fixture(
    params=[
        (
            [
                "Hämeen ELY-keskus tukee hanketta vesienhoidon valtionavustuksella, jonka suuruus on noin 50 000",
                "e. Kunnat osallistuvat hankkeen rahoitukseen seuraavasti: Forssa 9 000 €, Jokioinen 6 500 €,",
                "Tammela 5 500 € ja Humppila 3 000 €.",
            ],
            "Hämeen ELY-keskus tukee hanketta vesienhoidon valtionavustuksella, jonka suuruus on noin 50 000 e. "
            "Kunnat osallistuvat hankkeen rahoitukseen seuraavasti: Forssa 9 000 €, Jokioinen 6 500 €, "
            "Tammela 5 500 € ja Humppila 3 000 €.",
        ),
        (
            [
                "Hankkeen koulutuksiin ja työpajoihin on tähän mennessä osallistunut kaikkiaan",
                "n. 40 yritystä eri puolilta maakuntaa, ja palaute on ollut hyvää.",
            ],
            "Hankkeen koulutuksiin ja työpajoihin on tähän mennessä osallistunut kaikkiaan "
            "n. 40 yritystä eri puolilta maakuntaa, ja palaute on ollut hyvää.",
        ),
    ],
    ids=["euro", "noin"],
)
def wrapped_abbreviation(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """A justified paragraph whose wrapped line starts with a one-letter abbreviation, and its text."""
    lines, paragraph = request.param
    return render_lines(tmp_path / "rivit.pdf", [lines], justify=True), paragraph


def test_an_abbreviation_opening_a_wrapped_line_does_not_start_a_list(wrapped_abbreviation) -> None:
    path, paragraph = wrapped_abbreviation
    assert text_blocks(read_file(path)) == [("paragraph", 0, paragraph)]


def test_an_enumerated_list_after_a_finished_sentence_is_still_a_list(tmp_path: Path) -> None:
    lines = [
        "Hanke toteutetaan kahdessa vaiheessa, jotka seuraavat toisiaan:",
        "a) suunnittelu ja kilpailutus",
        "b) rakentaminen ja käyttöönotto",
    ]
    doc = read_file(render_lines(tmp_path / "lista.pdf", [lines]))
    assert text_blocks(doc) == [
        ("paragraph", 0, lines[0]),
        ("list_item", 1, "suunnittelu ja kilpailutus"),
        ("list_item", 1, "rakentaminen ja käyttöönotto"),
    ]


WRAPPED_FIRST = "Hanke onnistui hyvin ja tavoitteet saavutettiin kaikilta osin"
WRAPPED_ON = "vuoden 2024 loppuun mennessä, sanoo kehittämisjohtaja."
NEW_PARAGRAPH = "Seuraava vaihe alkaa vuoden 2025 alussa."


@pytest.mark.parametrize(
    "mark, second, expected",
    [
        ("–", WRAPPED_ON, [("paragraph", 0, f"– {WRAPPED_FIRST} {WRAPPED_ON}")]),
        ("•", WRAPPED_ON, [("list_item", 1, f"{WRAPPED_FIRST} {WRAPPED_ON}")]),
        ("•", NEW_PARAGRAPH, [("list_item", 1, WRAPPED_FIRST), ("paragraph", 0, NEW_PARAGRAPH)]),
    ],
    ids=["a dash opens a quotation", "a bullet opens an item without hanging indent", "a capital opens a paragraph"],
)
def test_a_line_under_the_mark_of_a_full_one_line_item(tmp_path: Path, mark: str, second: str, expected) -> None:
    doc = read_file(render_lines(tmp_path / "lainaus.pdf", [[f"{mark} {WRAPPED_FIRST}", second]]))
    assert text_blocks(doc) == expected


# -- 3. a short paragraph closing a page below a table ------------------------------------


# As the rows grow from 28 to 39, the page break moves from below both
# paragraphs to between them, then above the short one, then into the table.
@pytest.fixture(
    params=[(rows, ruled) for ruled in (True, False) for rows in range(28, 40)],
    ids=lambda case: f"{case[0]}-rows-{'ruled' if case[1] else 'unruled'}",
)
def table_closing_a_page(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Document, Path]:
    """A table, a one-line paragraph and a longer one, with the page break somewhere among them."""
    rows, ruled = request.param
    b = DocumentBuilder()
    b.heading("Tavoitteet ja toimenpiteet", level=1)
    b.table(
        [
            ["Tavoite", "Toimenpide", "Mittari"],
            *([f"Tavoite {i}", f"Toimenpide {i}", f"Mittari {i}"] for i in range(rows)),
        ],
        header_rows=1,
    )
    b.paragraph("4 Ohjelmaa tukevat hankkeet")
    b.paragraph(
        "Ohjelman toteutusta tukee suunnitteilla oleva hanke, jossa kehitetään koulutus- ja rekrytointimalleja."
    )
    source = build(b)
    return source, render_pdf(source, tmp_path / "taulukko.pdf", ruled_tables=ruled)


def test_a_short_paragraph_closing_a_page_below_a_table_stays_apart(table_closing_a_page) -> None:
    source, path = table_closing_a_page
    assert text_blocks(read_file(path)) == text_blocks(source)


# -- 4. the path written twice --------------------------------------------------------------


@pytest.fixture(
    params=[bad_files.truncated_pdf, bad_files.corrupt_pdf, bad_files.encrypted_pdf],
    ids=["truncated", "corrupt", "encrypted"],
)
def unreadable_pdf(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return request.param(tmp_path)


def test_a_pdf_error_names_the_file_once(unreadable_pdf: Path) -> None:
    with pytest.raises(ReadError) as caught:
        read_file(unreadable_pdf)
    assert str(unreadable_pdf) not in caught.value.detail
    result = CliRunner().invoke(app, ["parse", str(unreadable_pdf)])
    assert result.stderr == f"Error: {unreadable_pdf}: {caught.value.detail}\n"
    assert result.stderr.count(unreadable_pdf.name) == 1


def test_a_pdf_without_text_names_the_file_once(tmp_path: Path) -> None:
    path = render_scanned(tmp_path / "skannattu.pdf", [["Maakuntahallitus kokoontuu."]])
    with pytest.raises(ReadError) as caught:
        read_file(path, Settings(ocr=False))
    assert caught.value.reason is ReadFailure.NO_TEXT
    assert str(path) not in caught.value.detail
    assert str(caught.value).count(path.name) == 1


# -- 5. a page PDFium cannot load ---------------------------------------------------------


@pytest.fixture
def damage_pages(tmp_path: Path) -> Callable[[list[int]], Path]:
    """A two-page PDF with the page objects of the given pages (1-based) made unloadable."""
    data = render_lines(tmp_path / "kaksi.pdf", [["Ensimmäinen sivu."], ["Toinen sivu."]]).read_bytes()
    page_objects = [m.start() for m in re.finditer(rb"/Type /Page\b", data)]

    def damage(pages: list[int]) -> Path:
        damaged = bytearray(data)
        for number in pages:
            start = page_objects[number - 1]
            damaged[start : start + len(b"/Type /Page")] = b"/Type /Pxge"
        path = tmp_path / "vioittunut.pdf"
        path.write_bytes(bytes(damaged))
        return path

    return damage


def test_the_pages_around_a_damaged_page_are_read_with_a_warning(damage_pages) -> None:
    doc = read_file(damage_pages([2]))
    assert doc.text == "Ensimmäinen sivu."
    assert [(w.code, w.page) for w in doc.warnings] == [("page_problem", 2)]
    assert "page 2" in doc.warnings[0].message


def test_a_pdf_whose_every_page_is_damaged_is_refused_as_corrupt(damage_pages) -> None:
    with pytest.raises(ReadError) as caught:
        read_file(damage_pages([1, 2]))
    assert caught.value.reason is ReadFailure.CORRUPT


# -- 6. a Word file without a numbering part ------------------------------------------------


@pytest.fixture
def word_file_without_numbering(tmp_path: Path) -> Path:
    """A valid .docx with one paragraph and no word/numbering.xml (nor a relationship to it)."""
    word = docx.Document()
    word.add_paragraph("Kunnan hankkeet etenevät aikataulussa.")
    buffer = io.BytesIO()
    word.save(buffer)
    stripped = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            if item.filename == "word/numbering.xml":
                continue
            content = source.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                content = re.sub(rb"<Relationship [^>]*numbering[^>]*/>", b"", content)
            target.writestr(item, content)
    path = tmp_path / "ilman_numerointia.docx"
    path.write_bytes(stripped.getvalue())
    with zipfile.ZipFile(path) as check:
        assert "word/numbering.xml" not in check.namelist()
    return path


def test_a_word_file_without_a_numbering_part_is_read(word_file_without_numbering: Path) -> None:
    assert read_file(word_file_without_numbering).text == "Kunnan hankkeet etenevät aikataulussa."
