#!/usr/bin/env bash
# Sets up plansift and ingests the sample corpus into the embedded SQLite warehouse.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"
# Exit code 1 only says that some document failed; the summary says which.
"$VENV/bin/plansift" ingest corpus/ "$@" || [ $? -eq 1 ]
cat <<'NEXT'

The warehouse is var/plansift.db (SQLite). Try:
  sqlite3 var/plansift.db "SELECT d.name, c.kind, c.value FROM contact_channels c JOIN document_versions v ON v.id = c.version_id JOIN documents d ON d.id = v.document_id"
  .venv/bin/plansift parse corpus/inbox/004_ac5919b1e4bd2c2c.txt
NEXT
