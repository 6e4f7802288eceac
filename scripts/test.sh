#!/usr/bin/env bash
# Sets up plansift, makes sure PostgreSQL is up, and runs the whole test suite.
set -euo pipefail
# The end-to-end tests drive Debian's chromium; the bootstrap installs it when asked.
export PLANSIFT_WITH_BROWSER=1
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"

start_postgres() {
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && return 0
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "Installing PostgreSQL"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  return 1
}

start_postgres
exec "$VENV/bin/python" -m pytest "$@"
