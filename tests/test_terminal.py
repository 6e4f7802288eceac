"""Text from documents and the warehouse reaches the terminal as text: no markup read, no control codes obeyed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from plansift.cli import app
from plansift.terminal import plain

runner = CliRunner()

ESC = "\x1b"
# A file name cannot hold "/", so no closing tag: opening tags would still be read as styles.
ODD_NAMES = ("[bold]x.txt", "[link=http:]y.txt", f"{ESC}[31mred.txt")
TEXT = (
    "Hankkeet\n\nKylien kehittämishanke [red]markup[/red] (1.2.2020–31.1.2022)\n"
    f"Hanketta rahoittaa Etelä-Savon ELY-keskus 50 000 eurolla. Lisätietoja {ESC}[2J antaa "
    "projektipäällikkö Liisa Virtanen, liisa.virtanen@mikkeli.fi.\n"
)


def test_plain_shows_control_characters_as_escapes_and_keeps_brackets() -> None:
    assert plain(f"a{ESC}[31mb[/]") == "a\\x1b[31mb[/]"
    assert plain("rivi\nrivi", lines=True) == "rivi\nrivi"
    assert plain(None) == ""


@pytest.mark.usefixtures("prefect_harness")
def test_the_ingest_summary_lists_files_whose_names_look_like_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # sources are shown relative to it, short enough for the table
    folder = tmp_path / "plans"
    folder.mkdir()
    for number, name in enumerate(ODD_NAMES):
        (folder / name).write_text(f"{TEXT}\nAsiakirja {number}.\n", encoding="utf-8")
    (folder / "[red]empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["ingest", "plans", "--db", f"sqlite:///{tmp_path / 'w.db'}"])
    assert result.exit_code == 1, result.output  # the empty file failed
    assert "new 3" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert ESC not in result.output
    assert "[bold]x.txt" in result.output and "[link=http:]y.txt" in result.output
    assert "\\x1b[31mred.txt" in result.output
    assert "[red]empty.txt" in result.output and "file is empty" in result.output


@pytest.mark.usefixtures("prefect_harness")
def test_query_output_prints_stored_values_as_text(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["query", "SELECT '[bold]x[/]' AS a, char(27) || '[2J' AS b, 'y' AS c", "--db", db])
    assert result.exit_code == 0, result.output
    assert "[bold]x[/]" in result.stdout and "\\x1b[2J" in result.stdout and ESC not in result.stdout
    names = runner.invoke(app, ["query", "SELECT name FROM project_mentions", "--db", db])
    assert "[red]markup[/red]" in names.stdout


def test_parse_shows_markup_and_escape_sequences_in_a_document_as_text(tmp_path: Path) -> None:
    path = tmp_path / "[b]odd.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "[b]odd.txt" in result.stdout and "[red]markup[/red]" in result.stdout
    assert ESC not in result.stdout and "\\x1b[2J" in result.stdout


def test_parse_of_a_file_the_reader_cannot_handle_says_so_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / f"{ESC}[31mbroken.pdf"
    path.write_bytes(b"%PDF-1.4\n%truncated")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and ESC not in result.output
    assert "broken.pdf" in result.output
