"""The same document read from text, HTML, Word and PDF gives the same sections, text and table cells.

Each sample document is read with the text reader, drawn by the test
fixtures as a CMS web page, a Word file and a PDF (tables with rules and
without), and read back through ``read_file``. What is compared:

* the section tree: every section's heading level and text, the kinds of
  its blocks in order, and its subsections, so a paragraph that lands
  under the wrong heading shows;
* the paragraphs and list items in reading order: kind, level and text;
* the tables: how many header rows, and every cell's text and paragraphs;
* spans: ``doc.text[start:end]`` is the text of every block, cell and
  cell paragraph, in the source and in every format read back.

HTML and Word carry all of it, so those are compared exactly. A PDF drawn
by the fixture carries less; :func:`as_pdf_carries_it` says what and why,
and everything it does not name is compared exactly too. List markers are
not compared: each renderer draws its own bullets.

The first four seed documents, which hold no tables, are also drawn on
two-column pages (a heading across the page, the rest flowing through two
columns) and must read as in one column: left column first, then the
right, lists and paragraphs running on over column breaks, no table made
of the columns. Tables set inside a column are beyond the reader (it cuts
the page at a ruled table across both columns), and so is a column that
happens to end on a sentence end or on a line that fills it, as some
newer samples do when drawn so: whether the paragraph goes on in the next
column cannot be seen there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.builder import DocumentBuilder
from pipeline.document import Document, Section, Table
from pipeline.readers import read_file
from pipeline.source import DOCX, HTML, PDF
from tests.fixtures.document_shape import span_mismatches
from tests.fixtures.render_docx import render_docx
from tests.fixtures.render_html import render_html
from tests.fixtures.render_pdf import HEADING_SIZES, PAGE_WIDTH, render_pdf

INBOX = Path(__file__).resolve().parent.parent / "corpus" / "inbox"
# The five seed documents and newer ones with deep headings, lists, goal
# tables with several paragraphs per cell, and hyphens written before a space.
NEWER = ("101", "102", "103", "104", "105", "108", "110", "111", "112", "114")
SEEDS: tuple[Path, ...] = (
    *sorted(INBOX.glob("00[0-4]_*.txt")),
    *(path for number in NEWER for path in sorted(INBOX.glob(f"{number}_*.txt"))),
)
# The first four seed documents, which hold no tables (see the module docstring).
TWO_COLUMN_SEEDS = tuple(path for path in SEEDS if path.name[:3] in ("000", "001", "002", "003"))

MEDIA_TYPES = {"html": HTML, "docx": DOCX, "pdf-ruled": PDF, "pdf-unruled": PDF, "pdf-two-columns": PDF}
FORMATS = ("html", "docx", "pdf-ruled", "pdf-unruled")
CASES = (
    *((seed, form) for seed in SEEDS for form in FORMATS),
    *((seed, "pdf-two-columns") for seed in TWO_COLUMN_SEEDS),
)


@dataclass(frozen=True)
class Rendition:
    """A source document, the format it was drawn in, and what the reader made of the drawing."""

    form: str
    source: Document
    read: Document


def render(source: Document, form: str, path: Path) -> Path:
    """Draws ``source`` in ``form`` at ``path`` (the suffix is added here)."""
    if form == "html":
        return render_html(source, path.with_suffix(".html"))
    if form == "docx":
        return render_docx(source, path.with_suffix(".docx"))
    if form == "pdf-two-columns":
        return render_pdf(source, path.with_suffix(".pdf"), two_columns=True)
    return render_pdf(source, path.with_suffix(".pdf"), ruled_tables=form == "pdf-ruled")


@pytest.fixture(scope="session")
def sources() -> dict[Path, Document]:
    return {seed: read_file(seed) for seed in SEEDS}


@pytest.fixture(scope="session")
def rendition_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("renditions")


@pytest.fixture(
    scope="session",
    params=CASES,
    ids=lambda case: f"{case[0].name[:3]}-{case[1]}",
)
def rendition(request: pytest.FixtureRequest, sources: dict[Path, Document], rendition_dir: Path) -> Rendition:
    seed, form = request.param
    source = sources[seed]
    path = render(source, form, rendition_dir / f"{seed.stem}-{form}")
    return Rendition(form, source, read_file(path))


# -- what is compared ------------------------------------------------------------------


def outline(doc: Document) -> list[str]:
    """The section tree, one line per section, indented by depth: level, heading, block kinds."""
    lines: list[str] = []

    def visit(section: Section, depth: int) -> None:
        kinds = ", ".join(block.kind for block in section.blocks)
        lines.append(f"{'  ' * depth}H{section.level} {section.title!r} [{kinds}]")
        for sub in section.subsections:
            visit(sub, depth + 1)

    visit(doc.root, 0)
    return lines


def running_text(doc: Document) -> list[tuple[str, int, str]]:
    """Paragraphs and list items in reading order: kind, level, text."""
    return [(b.kind, b.level, b.text) for _, b in doc.blocks() if b.kind in ("paragraph", "list_item")]


def header_row_count(table: Table) -> int:
    count = 0
    for row in table.rows:
        if not all(cell.is_header for cell in row):
            break
        count += 1
    return count


def table_cells(doc: Document) -> list[dict[str, object]]:
    """Every table: its header rows and each cell's text and paragraphs."""
    return [
        {
            "header_rows": header_row_count(table),
            "rows": [[(cell.text, [p.text for p in cell.paragraphs]) for cell in row] for row in table.rows],
        }
        for table in doc.tables()
    ]


# -- what a PDF cannot carry -------------------------------------------------------------

PDF_HEADING_LEVELS = len(HEADING_SIZES)
_HYPHEN_BEFORE_SPACE = re.compile(r"(?<=\w)- (?=\w)")


def as_pdf_carries_it(doc: Document) -> Document:
    """``doc`` reduced to what a PDF drawn by the fixture can carry; applied to source and reading alike.

    1. Heading levels stop at four: a PDF has no heading levels, only type
       sizes, and the renderer has four heading sizes.
    2. Every list item is on level 1: the renderer draws all items at one indent.
    3. A hyphen and a space between lowercase letters ("pro- senttia",
       "suunnittelu- ja") are dropped: reportlab may break the line right
       there, a line-end hyphen cannot show whether a space followed it, and
       the reader then joins the parts by Finnish spelling ("prosenttia",
       "suunnittelu- ja"). A hyphen without a space is compared as written.
    4. Cell paragraphs lose their white space: reportlab breaks a word too
       long for a narrow column without a hyphen (no typesetter would), and
       the break reads back as a space. How a table splits into rows,
       cells and cell paragraphs is still compared exactly.
    """
    b = DocumentBuilder()
    for _, block in doc.blocks():
        text = _without_breakable_hyphens(block.text)
        if block.kind == "heading":
            b.heading(text, level=min(block.level, PDF_HEADING_LEVELS))
        elif block.kind == "list_item":
            b.list_item(text, level=1)
        elif block.table is not None:
            rows = [
                [["".join(_without_breakable_hyphens(p.text).split()) for p in cell.paragraphs] for cell in row]
                for row in block.table.rows
            ]
            b.table(rows, header_rows=header_row_count(block.table))
        else:
            b.paragraph(text)
    return b.build(source=doc.source, sha256=doc.sha256, media_type=doc.media_type, title=doc.title)


def _without_breakable_hyphens(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        between_lowercase = text[match.start() - 1].islower() and text[match.end()].islower()
        return "" if between_lowercase else match.group()

    return _HYPHEN_BEFORE_SPACE.sub(replace, text)


def compared(rendition: Rendition) -> tuple[Document, Document]:
    """The source and the reading, as far as the rendition's format carries them."""
    if rendition.form.startswith("pdf"):
        return as_pdf_carries_it(rendition.source), as_pdf_carries_it(rendition.read)
    return rendition.source, rendition.read


# -- the same document in every format ----------------------------------------------------


def test_each_rendition_is_read_by_the_reader_of_its_format(rendition: Rendition) -> None:
    assert rendition.read.media_type == MEDIA_TYPES[rendition.form]


def test_section_tree_is_the_sources(rendition: Rendition) -> None:
    expected, read = compared(rendition)
    assert outline(read) == outline(expected)


def test_paragraphs_and_list_items_are_the_sources(rendition: Rendition) -> None:
    expected, read = compared(rendition)
    assert running_text(read) == running_text(expected)


def test_table_cells_are_the_sources(rendition: Rendition) -> None:
    expected, read = compared(rendition)
    assert table_cells(read) == table_cells(expected)


def test_spans_are_exact_in_the_source_and_the_reading(rendition: Rendition) -> None:
    assert span_mismatches(rendition.source) == []
    assert span_mismatches(rendition.read) == []


# -- the comparison has something to compare -----------------------------------------------


def test_the_samples_hold_deep_headings_lists_and_multi_paragraph_cells(sources: dict[Path, Document]) -> None:
    assert len(sources) == 5 + len(NEWER)
    blocks = [block for doc in sources.values() for _, block in doc.blocks()]
    assert max(b.level for b in blocks if b.kind == "heading") > PDF_HEADING_LEVELS
    assert sum(1 for b in blocks if b.kind == "list_item") >= 20
    cells = [cell for doc in sources.values() for table in doc.tables() for cell in table.cells()]
    assert sum(1 for cell in cells if len(cell.paragraphs) > 1) >= 5
    assert sum(1 for doc in sources.values() if next(doc.tables(), None) is not None) >= 2


def test_pdf_allowances_change_only_what_they_name() -> None:
    b = DocumentBuilder()
    b.heading("Luku", level=6)
    b.paragraph("Noin 30 pro- senttia, suunnittelu- ja EU- rahoitus sekä EU-hanke")
    b.list_item("Alakohta", level=2)
    b.table([["Otsake"], [["Pitkä solu teksti", "toinen kappale"]]], header_rows=1)
    carried = as_pdf_carries_it(b.build(source="x.txt", sha256="0" * 64, media_type="text/plain"))
    assert [(blk.kind, blk.level, blk.text) for _, blk in carried.blocks() if blk.table is None] == [
        ("heading", PDF_HEADING_LEVELS, "Luku"),
        ("paragraph", 0, "Noin 30 prosenttia, suunnitteluja EU- rahoitus sekä EU-hanke"),
        ("list_item", 1, "Alakohta"),
    ]
    squeezed_cell = ("Pitkäsoluteksti\ntoinenkappale", ["Pitkäsoluteksti", "toinenkappale"])
    assert table_cells(carried) == [{"header_rows": 1, "rows": [[("Otsake", ["Otsake"])], [squeezed_cell]]}]


def test_two_column_renditions_fill_both_columns_and_hold_no_tables(
    sources: dict[Path, Document], rendition_dir: Path
) -> None:
    for seed in TWO_COLUMN_SEEDS:
        assert next(sources[seed].tables(), None) is None, seed.name
        path = render(sources[seed], "pdf-two-columns", rendition_dir / f"{seed.stem}-columns-check")
        document = pdfium.PdfDocument(str(path))
        try:
            right_column = document[0].get_textpage().get_text_bounded(left=PAGE_WIDTH / 2)
        finally:
            document.close()
        assert len(right_column.split()) > 50, f"{seed.name}: the right column of page 1 is empty"
