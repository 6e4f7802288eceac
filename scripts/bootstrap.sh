#!/usr/bin/env bash
# Installs what plansift needs on a fresh Debian machine; cheap to run again.
# Sourced by run-demo.sh and test.sh, never meant to be run on its own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  # libvoikko1 + voikko-fi: the Finnish spaCy model lemmatises through Voikko.
  # tesseract-ocr + tesseract-ocr-fin: OCR for scanned PDFs.
  local wanted=(libvoikko1 voikko-fi tesseract-ocr tesseract-ocr-fin) missing=()
  # chromium + chromium-driver: the browser tests drive headless Chromium;
  # only the test run asks for them (PLANSIFT_WITH_BROWSER=1).
  if [ "${PLANSIFT_WITH_BROWSER:-0}" = "1" ]; then
    wanted+=(chromium chromium-driver)
  fi
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_python_packages() {
  local python="${PYTHON:-python3}"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "plansift needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
  }
  [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
  # Reinstall only when the declared dependencies changed.
  local stamp="$VENV/.plansift-installed" wanted
  wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing Python packages into .venv"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT[test]"
    echo "$wanted" >"$stamp"
  fi
}

install_debian_packages
install_python_packages
