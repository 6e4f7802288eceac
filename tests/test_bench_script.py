"""The ingestion benchmark script runs end to end at its smallest size and prints its table.

Only its behaviour is checked, never its timings: those depend on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "bench_ingest.py"
HEADER = (
    "configuration", "documents", "outcome", "wall s", "docs/s", "ratio", "relative to",
    "main MiB", "workers MiB", "largest child MiB",
)


@pytest.mark.slow
def test_the_benchmark_prints_the_baseline_a_flow_run_and_its_skipping_rerun() -> None:
    smallest = ["--documents", "2", "--runners", "thread", "--workers", "1", "--repeat", "1"]
    command = [sys.executable, str(SCRIPT), *smallest]
    # A server another test may have named is not the script's to use; it starts its own.
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, env=environment)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("configuration"))
    assert header.split() == " ".join(HEADER).split()
    body = lines[lines.index(header) + 2 :]
    table = body[: body.index("")] if "" in body else body
    rows = {line[: header.index("documents")].strip(): line for line in table}
    baseline, flow, rerun = rows["baseline (no Prefect)"], rows["thread, workers=1"], rows["rerun, unchanged folder"]
    assert "2 new" in baseline and "itself" in baseline
    assert "2 new" in flow and "baseline" in flow
    # The rerun finds every document unchanged: none is loaded again.
    assert "2 unchanged" in rerun and "its first run" in rerun
    assert "warmed up" in done.stdout


def test_the_diff_benchmark_prints_the_baseline_and_each_measurement_as_a_ratio() -> None:
    script = REPO / "scripts" / "bench_diff.py"
    done = subprocess.run(
        [sys.executable, str(script), "--documents", "6", "--repeat", "1"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("6 documents per run, 6 with differences")
    rows = {line[:45].strip(): line[45:].split() for line in lines[2:]}
    assert list(rows) == ["baseline: plain SELECT of the record rows", "diff_runs", "render text", "render HTML"]
    assert rows["baseline: plain SELECT of the record rows"][1] == "1.0"
    assert all(float(seconds) > 0 for seconds, _ in rows.values())
