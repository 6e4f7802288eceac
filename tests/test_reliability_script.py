"""The reliability script runs end to end on its cheapest cases and reports its figures in both forms.

Only the shape of the report is checked, never whether the product
handles a case (that is what the script is for), except for an empty
file, which the product has always refused with its reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "reliability.py"
SUMMARY = (
    r"kinds tried: (\d+), handled: (\d+)",
    r"kills survived: (\d+) of (\d+)",
    r"concurrent runs equal: (\d+) of (\d+)",
    r"write attempts refused: (\d+) of (\d+)",
)
RUN_FIGURES = {"exit_code", "seconds", "peak_mib", "timed_out", "traceback", "named", "reason", "handled", "problems"}


def test_the_script_tries_an_empty_file_and_a_delete_and_prints_tables_summary_and_json(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    command = [
        sys.executable,
        str(SCRIPT),
        "--backend",
        "sqlite",
        "--documents",
        "1",
        "--only",
        "empty_file,write_delete",
        "--json",
        str(figures),
    ]
    # Its temporary folders go under tmp_path, so that what it leaves behind can be seen.
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, env=environment)

    assert done.returncode in (0, 1), done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for title in (
        "Reference (clean runs)",
        "Bad inputs: plansift ingest",
        "Bad inputs: plansift parse FILE",
        "Bad inputs: kinds",
        "Kills",
        "Two ingests at once",
        "Write attempts through plansift query",
    ):
        assert any(line.startswith(title) for line in lines), title
    printed = [re.fullmatch(pattern, line) for pattern, line in zip(SUMMARY, lines[-4:])]
    assert all(printed), lines[-4:]
    kinds, kills, together, writes = ((int(m.group(1)), int(m.group(2))) for m in printed)  # type: ignore[union-attr]
    assert kinds == (1, 1)  # an empty file is refused with its reason, the good document loaded beside it
    assert kills == (0, 0) and together == (0, 0)
    assert writes[1] == 1

    data = json.loads(figures.read_text("utf-8"))
    assert data["summary"]["kinds_tried"] == 1 and data["summary"]["write_attempts"] == 1
    assert data["reference"]["sqlite"][-1]["documents"] == 1
    (ingest,) = data["bad_inputs"]
    assert ingest["case"] == "empty_file" and ingest["backend"] == "sqlite"
    assert RUN_FIGURES <= set(ingest) and ingest["seconds"] > 0 and ingest["peak_mib"] > 0
    assert ingest["named"] and ingest["reason"] and ingest["good_loaded"] and ingest["handled"]
    (parse,) = data["parse"]
    assert RUN_FIGURES <= set(parse) and parse["exit_code"] != 0 and parse["named"]
    (write,) = data["writes"]
    assert write["name"] == "write_delete" and isinstance(write["refused"], bool)
    # Nothing of the run stays behind: its temporary folders are removed.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.json"]
