#!/usr/bin/env bash
# Installs, only when missing, the system packages cycleaudit relies on:
# - Pango and HarfBuzz, which WeasyPrint needs to write PDFs;
# - Noto fonts, so notes in any script (Greek, Cyrillic, Arabic, Hebrew,
#   Chinese, Japanese, Korean, emoji) print with real glyphs. The report's own
#   DejaVu fonts ship in templates/fonts and stay first; Pango falls back to
#   the Noto families through fontconfig for characters DejaVu lacks;
# - Chromium, which the tests use to check the HTML report and the intake form
#   in a real browser (through Playwright, never its own browser download).
# When everything is present it only checks and exits (well under a second).
set -euo pipefail

have_lib() {
  python3 - "$1" <<'PY'
import ctypes.util, sys
sys.exit(0 if ctypes.util.find_library(sys.argv[1]) else 1)
PY
}

# fc-list answers from fontconfig's cache, so this check stays fast.
have_font() {
  command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list "$1" family 2>/dev/null | head -n 1)" ]
}

missing=""
# harfbuzz-subset makes font subsetting fast; without it WeasyPrint falls back
# to fontTools, which is slower and warns on every report.
if ! { have_lib pango-1.0 && have_lib pangoft2-1.0 && have_lib harfbuzz && have_lib harfbuzz-subset; }; then
  missing="$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1"
fi
command -v fc-list >/dev/null 2>&1 || missing="$missing fontconfig"
have_font "Noto Sans" || missing="$missing fonts-noto-core"
have_font "Noto Sans CJK SC" || missing="$missing fonts-noto-cjk"
have_font "Noto Color Emoji" || missing="$missing fonts-noto-color-emoji"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"

[ -z "$missing" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "cycleaudit: installing:$missing" >&2
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
elif command -v brew >/dev/null 2>&1; then
  brew install pango
  brew install --cask font-noto-sans font-noto-sans-cjk font-noto-color-emoji chromium ||
    echo "cycleaudit: install Noto fonts and Chromium by hand for other scripts and the browser tests" >&2
else
  echo "cycleaudit: please install with your system's package manager:$missing" >&2
  exit 1
fi
