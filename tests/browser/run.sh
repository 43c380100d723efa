#!/usr/bin/env bash
# Real-browser tests of denglu's web QR login: Debian's Chromium driven by playwright-core, one `denglu dev` per
# test file. Needs Rust, Node.js 20+ with npm, and (first time) apt-get for Chromium.
#   tests/browser/run.sh                          # everything
#   tests/browser/run.sh test/03-cancel.test.js   # some files (paths relative to tests/browser)
# Environment: CHROMIUM_PATH (default /usr/bin/chromium), DENGLU_BIN (skip the cargo build and use this binary),
# CARGO_TARGET_DIR (respected).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

step() { printf '\n--> %s\n' "$*"; }

# 1. Chromium from Debian (never a browser download).
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
    exit 1
  fi
  step "installing Debian's chromium (apt-get)"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "chromium is missing and this is not root: apt-get install chromium" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # fonts-noto-cjk: the pages are Chinese; without it the screenshots show boxes instead of characters.
  $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
"$chromium" --version 2>/dev/null | head -n 1 || true

# 2. Node.js 20+ and the test dependencies, exactly as locked.
# shellcheck source=../../scripts/lib/js-tests.sh
source "$root/scripts/lib/js-tests.sh"
require_node_20
step "npm ci (tests/browser)"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

# 3. The server binary.
use_denglu_bin "$root"
export CHROMIUM_PATH="$chromium"

# 4. The tests, one file at a time (each starts its own server and browser).
step "node --test (Chromium: $chromium, server: $DENGLU_BIN)"
if [ "$#" -gt 0 ]; then files=("$@"); else files=(test/*.test.js); fi
concurrency=()
if node --test-concurrency=1 -e '' >/dev/null 2>&1; then concurrency=(--test-concurrency=1); fi
rm -f screenshots/*.png
status=0
node --test "${concurrency[@]}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./lib/summary-reporter.js --test-reporter-destination=stdout \
  "${files[@]}" || status=$?
echo "screenshots: $here/screenshots/"
if [ "$status" -ne 0 ]; then
  echo "browser tests FAILED (exit $status)"
else
  echo "browser tests passed"
fi
exit "$status"
