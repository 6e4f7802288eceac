"""The command line: help is the manual, errors say the fix, exit codes mean something."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from plansift.cli import app

runner = CliRunner()


def commands() -> dict:
    return dict(typer.main.get_command(app).commands)


def every_command() -> dict:
    """Commands and the commands of groups (`review approve`), by their full name."""
    found = {}
    for name, command in commands().items():
        found[name] = command
        for sub_name, sub in getattr(command, "commands", {}).items():
            found[f"{name} {sub_name}"] = sub
    return found


def test_every_command_and_option_has_help_text() -> None:
    assert "review reject" in every_command()
    for name, command in every_command().items():
        assert command.help and len(command.help) > 30, f"{name} needs a help text"
        for parameter in command.params:
            if parameter.param_type_name == "option" and parameter.name != "help":
                assert parameter.help, f"{name} --{parameter.name} needs a help text"


def test_top_level_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in commands():
        assert name in result.output
    assert "--db" in result.output or "PLANSIFT_DB" in result.output


def test_parse_prints_the_section_tree_and_tables(seed_paths: list[Path]) -> None:
    result = runner.invoke(app, ["parse", str(seed_paths[4])])
    assert result.exit_code == 0, result.output
    assert "H1 PÄIJÄT-HÄMEEN LIITON TYÖOHJELMA 2024" in result.output
    assert "Mittarit" in result.output


def test_parse_json_is_the_document(seed_paths: list[Path]) -> None:
    result = runner.invoke(app, ["parse", "--json", str(seed_paths[0])])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["title"] == "Aluekehitysselvitykset" and data["media_type"] == "text/plain"


def test_parse_of_an_unreadable_file_names_it_and_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {path}: file is empty"


def test_a_missing_path_is_listed_as_failed_and_the_batch_goes_on(tmp_path: Path, seed_paths: list[Path]) -> None:
    missing = tmp_path / "nope"
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = runner.invoke(app, ["ingest", str(missing), str(seed_paths[0]), "--db", db])
    assert result.exit_code == 1, result.output
    assert f"failed: {missing}: " in result.output and "Traceback" not in result.output
    loaded = runner.invoke(app, ["query", "SELECT name FROM documents", "--db", db])
    assert seed_paths[0].name in loaded.stdout


def test_ingest_with_a_bad_url_says_what_a_good_one_looks_like(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", "nonsense"])
    assert result.exit_code == 2
    assert "is not a database URL; use e.g. sqlite:///var/plansift.db" in result.output


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_prints_a_summary_and_fails_when_a_document_failed(tmp_path: Path, seed_paths: list[Path]) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / seed_paths[0].name).write_bytes(seed_paths[0].read_bytes())
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n%truncated")
    result = runner.invoke(app, ["ingest", str(inbox), "--db", f"sqlite:///{tmp_path / 'w.db'}"])
    assert result.exit_code == 1, result.output
    assert "new 1, changed 0, unchanged 0, failed 1" in result.output
    assert "broken.pdf" in result.output


def test_eval_with_answers_scores_one_annotation_against_another(tmp_path: Path) -> None:
    gold = Path(__file__).resolve().parent.parent / "corpus" / "real" / "agreement" / "second"
    same = runner.invoke(app, ["eval", str(gold), "--answers", str(gold)])
    assert same.exit_code == 0, same.output
    assert "overall slot F1 1.000" in same.output
    missing = runner.invoke(app, ["eval", str(gold), "--answers", str(tmp_path / "nothing")])
    assert missing.exit_code == 2
    assert "no such folder" in missing.output


def test_eval_rules_only_scores_without_the_learned_components(tmp_path: Path) -> None:
    real = Path(__file__).resolve().parent.parent / "corpus" / "real" / "dev"
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "c08_uef_spatia_hankkeet.json").write_bytes((real / "gold" / "c08_uef_spatia_hankkeet.json").read_bytes())
    args = ["eval", str(gold), "--documents", str(real / "docs")]
    learned, rules = runner.invoke(app, args), runner.invoke(app, [*args, "--rules-only"])
    assert learned.exit_code == rules.exit_code == 0
    f1 = {name: float(out.output.split("projects")[1].split("F1")[1].split()[0]) for name, out in (("learned", learned), ("rules", rules))}
    assert f1["learned"] > f1["rules"]
