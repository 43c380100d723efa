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
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed (found $(node --version))" >&2
  exit 1
fi
step "npm ci (tests/browser)"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

# 3. The server binary.
if [ -n "${DENGLU_BIN:-}" ]; then
  echo "using DENGLU_BIN=$DENGLU_BIN (no build)"
else
  step "cargo build -p denglu --locked"
  (cd "$root" && cargo build -p denglu --locked)
  target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps --locked 2>/dev/null \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).target_directory)}catch{}})' \
    || true)"
  if [ -z "$target_dir" ]; then
    target_dir="${CARGO_TARGET_DIR:-$root/target}"
    case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
  fi
  export DENGLU_BIN="$target_dir/debug/denglu"
fi
[ -x "$DENGLU_BIN" ] || { echo "no denglu binary at $DENGLU_BIN" >&2; exit 1; }
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
