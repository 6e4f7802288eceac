"""Bad input: a clear error or warning naming the file and the reason, and the rest of a batch goes on.

``read_file`` either returns a Document (with a warning where it worked
around something) or raises a ReadError whose typed reason a batch can
report and whose message starts with the file's path; no library
exception gets past it. A batch turns every refusal into a Failure and
reads the good files beside them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

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
