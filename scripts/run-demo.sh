#!/usr/bin/env bash
# Sets up plansift and ingests the sample corpus into the embedded SQLite warehouse.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"
# Exit code 1 only says that some document failed; the summary says which.
"$VENV/bin/plansift" ingest corpus/inbox "$@" || [ $? -eq 1 ]
cat <<'NEXT'

The warehouse is var/plansift.db (SQLite). Try:
  .venv/bin/plansift query "SELECT name, start_date, end_date, coordinator, total_funding_eur FROM project_overview"
  .venv/bin/plansift report report.html       # a self-contained HTML report
  .venv/bin/plansift browse                   # Datasette on http://127.0.0.1:8001/
  .venv/bin/plansift export out/ --format xlsx
  .venv/bin/plansift parse corpus/inbox/004_ac5919b1e4bd2c2c.txt
  .venv/bin/plansift eval corpus/gold
  .venv/bin/plansift diff --dry-run           # what the extractors as they are now would change
  .venv/bin/plansift review approve           # the run just loaded becomes the baseline for `diff --baseline`
NEXT
