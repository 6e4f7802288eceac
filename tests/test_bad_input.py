"""Bad input: a clear error or warning naming the file and the reason, and the rest of a batch goes on.

``read_file`` either returns a Document (with a warning where it worked
around something) or raises a ReadError whose typed reason a batch can
report and whose message starts with the file's path; no library
exception gets past it. A batch turns every refusal into a Failure and
reads the good files beside them.
"""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from pipeline.batch import Failure, Skipped, discover_sources, read_or_fail
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers import read_file
from pipeline.settings import Settings
from pipeline.source import HTML, TEXT
from plansift.cli import app
from tests.fixtures import bad_files


@dataclass(frozen=True)
class Refusal:
    """A file ``read_file`` must refuse: how to make it, the typed reason, words its message must say."""

    make: Callable[[Path], Path]
    reason: ReadFailure
    says: str


REFUSALS: dict[str, Refusal] = {
    "empty.txt": Refusal(partial(bad_files.empty_file, suffix=".txt"), ReadFailure.EMPTY, "empty"),
    "empty.pdf": Refusal(partial(bad_files.empty_file, suffix=".pdf"), ReadFailure.EMPTY, "empty"),
    "empty.html": Refusal(partial(bad_files.empty_file, suffix=".html"), ReadFailure.EMPTY, "empty"),
    "empty.docx": Refusal(partial(bad_files.empty_file, suffix=".docx"), ReadFailure.EMPTY, "empty"),
    "truncated.pdf": Refusal(bad_files.truncated_pdf, ReadFailure.CORRUPT, "truncated"),
    "random-after-header.pdf": Refusal(bad_files.corrupt_pdf, ReadFailure.CORRUPT, "cannot open the PDF"),
    "encrypted.pdf": Refusal(bad_files.encrypted_pdf, ReadFailure.ENCRYPTED, "password"),
    "binary.txt": Refusal(bad_files.binary_named_txt, ReadFailure.UNSUPPORTED, "binary"),
    "broken-zip.docx": Refusal(bad_files.broken_zip_docx, ReadFailure.CORRUPT, "damaged"),
    "no-text.html": Refusal(bad_files.html_without_text, ReadFailure.NO_TEXT, "no text"),
    "missing.txt": Refusal(bad_files.missing_file, ReadFailure.NOT_FOUND, "no such file"),
}

THOUSAND_PAGES = 1000


@pytest.fixture(scope="session")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad")


@pytest.fixture(scope="session")
def refused(bad_folder: Path) -> dict[str, Path]:
    return {name: case.make(bad_folder) for name, case in REFUSALS.items()}


@pytest.fixture(scope="session")
def html_named_pdf(bad_folder: Path) -> Path:
    return bad_files.html_named_pdf(bad_folder)


@pytest.fixture(scope="session")
def thousand_pages(bad_folder: Path) -> Path:
    return bad_files.thousand_page_pdf(bad_folder)


# -- one file at a time ------------------------------------------------------------------


@pytest.mark.parametrize("name", REFUSALS)
def test_a_bad_file_is_refused_with_a_typed_reason_and_its_path(name: str, refused: dict[str, Path]) -> None:
    path, case = refused[name], REFUSALS[name]
    # pytest.raises lets any other exception through, which fails the test.
    with pytest.raises(ReadError) as caught:
        read_file(path)
    error = caught.value
    assert error.reason is case.reason
    assert error.source == str(path)
    assert str(error).startswith(f"{path}: ")
    assert case.says in error.detail


def test_a_web_page_named_pdf_is_read_as_html_with_a_warning_naming_it(html_named_pdf: Path) -> None:
    doc = read_file(html_named_pdf)
    assert doc.media_type == HTML
    assert doc.warnings[0].code == "type_mismatch"
    assert str(html_named_pdf) in doc.warnings[0].message
    assert "Elinvoimaohjelma 2024–2026" in doc.text
    assert "Uusien yritysten määrä" in doc.text


def test_a_thousand_page_pdf_is_read_or_refused_clearly(thousand_pages: Path) -> None:
    try:
        doc = read_file(thousand_pages)
    except ReadError as error:
        assert error.reason is ReadFailure.TOO_LARGE
        assert str(error).startswith(f"{thousand_pages}: ")
        return
    assert doc.page_count == THOUSAND_PAGES
    last_heading = [block for _, block in doc.blocks() if block.kind == "heading"][-1]
    skipped = [w for w in doc.warnings if w.code == "pages_skipped"]
    if last_heading.page < THOUSAND_PAGES:
        assert skipped and str(thousand_pages) in skipped[0].message
    else:
        assert not skipped
        assert last_heading.text == f"Luku {THOUSAND_PAGES}"


def test_max_pages_reads_the_first_pages_and_says_how_many_were_skipped(thousand_pages: Path) -> None:
    doc = read_file(thousand_pages, Settings(max_pages=25))
    assert doc.page_count == THOUSAND_PAGES
    assert max(block.page for _, block in doc.blocks()) == 25
    (warning,) = [w for w in doc.warnings if w.code == "pages_skipped"]
    assert str(thousand_pages) in warning.message
    assert f"{THOUSAND_PAGES - 25} pages skipped" in warning.message


# -- a batch -------------------------------------------------------------------------------


def _copy_into(folder: Path, paths: list[Path]) -> None:
    for path in paths:
        if path.exists():
            shutil.copy(path, folder / path.name)


def test_a_batch_fails_each_bad_file_with_its_reason_and_reads_the_rest(
    tmp_path: Path,
    refused: dict[str, Path],
    html_named_pdf: Path,
    thousand_pages: Path,
    seed_paths: list[Path],
    capfd: pytest.CaptureFixture[str],
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = [seed_paths[0], seed_paths[4]]
    _copy_into(inbox, [*refused.values(), html_named_pdf, thousand_pages, *good])
    missing = inbox / refused["missing.txt"].name
    capfd.readouterr()

    found = list(discover_sources([inbox, missing]))
    outcomes = {p.name: read_or_fail(p, Settings()) for p in found if isinstance(p, Path)}

    assert capfd.readouterr() == ("", ""), "reading a batch writes nothing to the terminal"
    assert [p for p in found if isinstance(p, Skipped)] == []
    assert set(outcomes) == {p.name for p in [*refused.values(), html_named_pdf, thousand_pages, *good]}
    for name, case in REFUSALS.items():
        outcome = outcomes[refused[name].name]
        assert isinstance(outcome, Failure), name
        assert (outcome.reason, outcome.source) == (case.reason.value, str(inbox / refused[name].name)), name
        assert outcome.message.startswith(f"{outcome.source}: ") and case.says in outcome.detail, name
    for seed in good:
        assert isinstance(outcomes[seed.name], Document) and outcomes[seed.name].media_type == TEXT
    assert isinstance(outcomes[html_named_pdf.name], Document)
    assert outcomes[html_named_pdf.name].warnings[0].code == "type_mismatch"
    long_pdf = outcomes[thousand_pages.name]
    assert isinstance(long_pdf, Document) or long_pdf.reason == ReadFailure.TOO_LARGE.value


# -- the command line --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["binary.txt", "broken-zip.docx"])
def test_parse_of_a_bad_file_prints_one_error_line_and_exits_1(name: str, refused: dict[str, Path]) -> None:
    path = refused[name]
    with pytest.raises(ReadError) as caught:
        read_file(path)
    reason_text = caught.value.detail
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {reason_text}\n"
    assert result.stdout == ""
    assert REFUSALS[name].says in reason_text and path.name not in reason_text


# -- inputs that used to hang, blow memory or lose text ------------------------------------

# Each of these once ran for minutes or for ever; a generous bound keeps a
# regression from hanging the suite.
HANG_BOUND_SECONDS = 60


def _within_bound(call: Callable[[], object]) -> object:
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(call()), daemon=True)
    worker.start()
    worker.join(HANG_BOUND_SECONDS)
    assert not worker.is_alive(), f"still running after {HANG_BOUND_SECONDS} s"
    return outcome[0]


def _zip_bomb_docx(path: Path) -> Path:
    """A Word file whose document.xml inflates a thousand times, to 30 MB."""
    xml = b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml + b"A" * 30_000_000 + b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def _blank_pdf(path: Path, pages: int) -> Path:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    document.save(str(path))
    return path


SENTENCE = "Hankkeen nimi on Testi ja sen rahoitus 5 000 euroa."


def test_a_batch_of_hostile_inputs_ends_quickly_with_a_named_reason_for_each(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.mkfifo(inbox / "putki.txt")
    (inbox / "nollat.txt").symlink_to("/dev/zero")
    _zip_bomb_docx(inbox / "pommi.docx")
    _blank_pdf(inbox / "tyhjat.pdf", 2500)
    (inbox / "valtava.txt").write_text(f"{SENTENCE}\n" * 5000, encoding="utf-8")
    (inbox / "syva.html").write_text("<div>" * 10000 + SENTENCE + "</div>" * 10000, encoding="utf-8")
    (inbox / "utf16.txt").write_bytes(f"{SENTENCE}\n".encode("utf-16-le"))
    missing = tmp_path / "poistettu.pdf"
    settings = Settings(max_text_chars=200_000)

    found = _within_bound(lambda: list(discover_sources([inbox, missing, "/dev/zero"])))
    outcomes = _within_bound(lambda: {str(p): read_or_fail(p, settings) for p in found if not isinstance(p, Skipped)})

    skipped = {Path(s.source).name: s.detail for s in found if isinstance(s, Skipped)}
    assert skipped == {
        "putki.txt": "not a regular file: a named pipe",
        "nollat.txt": "symbolic link to outside the folder: /dev/zero",
    }
    failures = {Path(source).name: (o.reason, o.detail) for source, o in outcomes.items() if isinstance(o, Failure)}
    assert failures["poistettu.pdf"] == ("not_found", "no such file or folder")
    assert failures["zero"] == ("not_a_file", "not a regular file: a character device")
    assert failures["pommi.docx"][0] == "too_large" and "inflates from" in failures["pommi.docx"][1]
    assert failures["tyhjat.pdf"][0] == "no_text" and "every page is blank" in failures["tyhjat.pdf"][1]
    assert failures["valtava.txt"][0] == "too_large" and "--max-text" in failures["valtava.txt"][1]
    assert set(failures) == {"poistettu.pdf", "zero", "pommi.docx", "tyhjat.pdf", "valtava.txt"}
    for name in ("syva.html", "utf16.txt"):
        document = outcomes[str(inbox / name)]
        assert isinstance(document, Document) and SENTENCE in document.text, name


def _named_pipe(folder: Path) -> Path:
    os.mkfifo(folder / "putki.txt")
    return folder / "putki.txt"


def _device(_folder: Path) -> Path:
    return Path("/dev/zero")


def _missing(folder: Path) -> Path:
    return folder / "poistettu.txt"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_named_pipe, "not a regular file: a named pipe"),
        (_device, "not a regular file: a character device"),
        (_missing, "no such file or folder"),
    ],
    ids=["named pipe", "device", "missing"],
)
def test_parse_of_what_is_not_a_file_prints_one_error_line_and_exits_1(
    tmp_path: Path, make: Callable[[Path], Path], says: str
) -> None:
    path = make(tmp_path)
    result = _within_bound(lambda: CliRunner().invoke(app, ["parse", str(path)]))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {says}\n"


def test_a_document_of_more_paragraphs_than_the_limit_is_refused_before_extraction(tmp_path: Path) -> None:
    path = tmp_path / "kohdat.txt"
    path.write_text("\n\n".join(f"Kohta {n}." for n in range(12)), encoding="utf-8")
    with pytest.raises(ReadError) as refused:
        read_file(path, Settings(max_blocks=10))
    assert refused.value.reason is ReadFailure.TOO_LARGE
    assert "12 paragraphs" in refused.value.detail and "--max-paragraphs" in refused.value.detail
    assert len(list(read_file(path, Settings(max_blocks=12)).blocks())) == 12
