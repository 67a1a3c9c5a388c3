#!/usr/bin/env bash
# Installs the system libraries WeasyPrint needs to write PDFs (Pango, HarfBuzz),
# only when they are missing. Fonts ship with cycleaudit itself.
set -euo pipefail

have_lib() {
  python3 - "$1" <<'PY'
import ctypes.util, sys
sys.exit(0 if ctypes.util.find_library(sys.argv[1]) else 1)
PY
}

# The browser tests (the intake form) drive Debian's Chromium through Playwright.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium
fi

# harfbuzz-subset makes font subsetting fast; without it WeasyPrint falls back
# to fontTools, which is slower and warns on every report.
# poppler-utils (pdftotext) lets the tests read every word's position in a PDF.
if have_lib pango-1.0 && have_lib pangoft2-1.0 && have_lib harfbuzz && have_lib harfbuzz-subset \
  && command -v pdftotext >/dev/null 2>&1; then
  exit 0
fi

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 poppler-utils"
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "cycleaudit: installing the PDF libraries: $packages" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $packages >/dev/null
elif command -v brew >/dev/null 2>&1; then
  brew install pango poppler
else
  echo "cycleaudit: please install Pango (1.44 or newer) with your system's package manager" >&2
  exit 1
fi
