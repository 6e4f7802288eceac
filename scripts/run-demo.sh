#!/usr/bin/env bash
# Sets up plansift and ingests the sample corpus into the embedded SQLite warehouse.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"
# Exit code 1 only says that some document failed; the summary says which.
"$VENV/bin/plansift" ingest corpus/ "$@" || [ $? -eq 1 ]
cat <<'NEXT'

The warehouse is var/plansift.db (SQLite). Try:
  .venv/bin/plansift parse corpus/inbox/004_ac5919b1e4bd2c2c.txt
  .venv/bin/plansift export out/ && ls out/
  .venv/bin/plansift eval corpus/gold
  .venv/bin/python -c "import pandas as pd, sqlalchemy as sa; print(pd.read_sql('SELECT name, start_date, end_date, status, theme FROM projects', sa.create_engine('sqlite:///var/plansift.db')))"
NEXT
