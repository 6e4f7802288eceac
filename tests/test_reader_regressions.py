"""Failing tests for reader bugs found by the cross-format and bad-input tests."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers import read_file
from plansift.cli import app
from tests.conftest import INBOX
from tests.fixtures import bad_files
from tests.fixtures.render_pdf import render_lines, render_pdf

LONG = (
    "Maakuntastrategia on maakunnan toimijoiden yhdessä laatima aluekehittämisen asiakirja, joka ohjaa "
    "maakunnan viranomaisten toimintaa ja kokoaa yhteen alueen tärkeimmät tavoitteet vuosille 2024–2026."
)


def text_blocks(doc: Document) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for _, b in doc.blocks() if b.table is None]


# 1. pipeline/readers/pdf_layout.py: a two-column page is read as a table
def test_two_columns_with_a_short_list_in_one_are_read_as_columns_not_a_table(tmp_path: Path) -> None:
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
    source = b.build(source="two.txt", sha256="0" * 64, media_type="text/plain")
    doc = read_file(render_pdf(source, tmp_path / "kaksi_palstaa.pdf", two_columns=True))
    assert list(doc.tables()) == []
    assert text_blocks(doc) == text_blocks(source)


@pytest.mark.parametrize("seed", ["000", "002"])
def test_seed_documents_in_two_columns_read_as_in_one(tmp_path: Path, seed: str) -> None:
    source = read_file(next(INBOX.glob(f"{seed}_*.txt")))
    doc = read_file(render_pdf(source, tmp_path / f"{seed}.pdf", two_columns=True))
    assert list(doc.tables()) == []
    assert text_blocks(doc) == text_blocks(source)


# 2. pipeline/readers/pdf_blocks.py: "e." / "n." opening a wrapped line is taken for a list marker
@pytest.mark.parametrize(
    "lines, paragraph",
    [
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
def test_an_abbreviation_opening_a_wrapped_line_does_not_start_a_list(tmp_path, lines, paragraph) -> None:
    doc = read_file(render_lines(tmp_path / "rivit.pdf", [lines], justify=True))
    assert text_blocks(doc) == [("paragraph", 0, paragraph)]


# 3. pipeline/readers/pdf_blocks.py: a short line ending a page after a table is judged "full"
@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
@pytest.mark.parametrize("rows", range(28, 40))
def test_a_short_paragraph_closing_a_page_after_a_table_stays_apart(tmp_path: Path, rows: int, ruled: bool) -> None:
    b = DocumentBuilder()
    b.heading("Tavoitteet ja toimenpiteet", level=1)
    b.table(
        [["Tavoite", "Toimenpide", "Mittari"], *([f"Tavoite {i}", f"Toimenpide {i}", f"Mittari {i}"] for i in range(rows))],
        header_rows=1,
    )
    b.paragraph("4 Ohjelmaa tukevat hankkeet")
    b.paragraph("Ohjelman toteutusta tukee suunnitteilla oleva hanke, jossa kehitetään koulutus- ja rekrytointimalleja.")
    source = b.build(source="t.txt", sha256="0" * 64, media_type="text/plain")
    doc = read_file(render_pdf(source, tmp_path / "taulukko.pdf", ruled_tables=ruled))
    assert text_blocks(doc) == text_blocks(source)


# 4. pipeline/readers/pdf_source.py, pipeline/readers/pdf.py: the path is written twice
@pytest.mark.parametrize("make", [bad_files.truncated_pdf, bad_files.corrupt_pdf, bad_files.encrypted_pdf])
def test_a_pdf_error_names_the_file_once(tmp_path: Path, make) -> None:
    path = make(tmp_path)
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert str(path) not in caught.value.detail
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.stderr == f"Error: {path}: {caught.value.detail}\n"
    assert result.stderr.count(path.name) == 1


# 5. pipeline/readers/pdf.py: a page PDFium cannot load raises PdfiumError out of read_file
def test_a_pdf_with_a_damaged_page_object_is_read_or_refused_as_corrupt(tmp_path: Path) -> None:
    data = render_lines(tmp_path / "kaksi.pdf", [["Ensimmäinen sivu."], ["Toinen sivu."]]).read_bytes()
    second_page = [m.start() for m in re.finditer(rb"/Type /Page\b", data)][1]
    damaged = tmp_path / "vioittunut.pdf"
    damaged.write_bytes(data[:second_page] + b"/Type /Pxge" + data[second_page + len(b"/Type /Page"):])
    try:
        doc = read_file(damaged)
    except ReadError as error:
        assert error.reason is ReadFailure.CORRUPT
        return
    assert doc.text == "Ensimmäinen sivu."
    assert [w.code for w in doc.warnings] == ["page_problem"]


# 6. pipeline/readers/docx.py: a Word file without a numbering part raises NotImplementedError
def test_a_word_file_without_a_numbering_part_is_read(tmp_path: Path) -> None:
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
    assert read_file(path).text == "Kunnan hankkeet etenevät aikataulussa."
