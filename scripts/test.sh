#!/usr/bin/env bash
# Runs every check of the project: formatting, clippy, the OpenAPI drift check, all Rust tests on SQLite and on
# PostgreSQL, the fleet test (three replicas behind nginx on PostgreSQL; installs nginx with apt-get when
# /usr/sbin/nginx is missing), the SDKs' tests (sdk/web; sdk/wxapp on SQLite and on PostgreSQL), the scanner mini program's tests (miniprogram), the browser
# tests in Chromium (tests/browser), the benchmark tool in its smoke mode (crates/bench), and the Debian package built
# from the debug binary, installed, served and purged (packaging/test-deb.sh, as root or with sudo; it installs
# systemd, adduser and binutils with apt-get when missing). PostgreSQL comes from
# TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); when none answers, the PostgreSQL suite
# is skipped and this says so loudly. The JavaScript steps need Node.js 20+ and npm; the browser step installs
# Debian's chromium with apt-get when /usr/bin/chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Runs cargo test, keeping its output for the final count.
run_tests() { cargo test --workspace --locked 2>&1 | tee -a "$log"; }

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (cargo clippy, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "OpenAPI document is current"
cargo run -q --locked -p denglu -- openapi | diff -u openapi.json - \
  || { echo "openapi.json is stale: run 'cargo run -q -p denglu -- openapi > openapi.json' and commit it" >&2; exit 1; }

step "tests on SQLite"
run_tests

postgres_url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
have_postgres=false
if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -d "$postgres_url"; then have_postgres=true; fi
step "tests on PostgreSQL ($postgres_url)"
if $have_postgres; then
  TEST_DATABASE_URL="$postgres_url" run_tests
else
  echo "!! PostgreSQL SKIPPED: no server answers at $postgres_url (set TEST_POSTGRES_URL to use another)."
  echo "!! Only the SQLite suite ran."
fi

if $have_postgres; then
  step "fleet test (three replicas behind nginx, PostgreSQL)"
  if [ ! -x /usr/sbin/nginx ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 || { echo "nginx is missing and this is not root: apt-get install nginx-light" >&2; exit 1; }
      sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y --no-install-recommends nginx-light >/dev/null \
      || $sudo apt-get install -y --no-install-recommends nginx >/dev/null
  fi
  TEST_DATABASE_URL="$postgres_url" DENGLU_FLEET_TEST=1 cargo test --locked -p denglu --test fleet 2>&1 | tee -a "$log"
fi

step "web SDK (sdk/web): clean install, unit tests, dist/ is current"
sdk/web/scripts/check.sh

step "mini program SDK (sdk/wxapp): wire tests and integration tests against denglu dev"
sdk/wxapp/scripts/check.sh
if $have_postgres; then
  step "mini program SDK (sdk/wxapp) again, with denglu dev on PostgreSQL"
  DENGLU_TEST_POSTGRES_URL="$postgres_url" sdk/wxapp/scripts/check.sh
fi

step "scanner mini program (miniprogram): its pages under a wx stand-in against denglu dev"
miniprogram/scripts/test.sh

step "browser tests in Chromium (tests/browser)"
tests/browser/run.sh

step "benchmark tool, smoke mode (crates/bench: a few hundred requests per flow and against the peer, oidc-provider; the figures mean nothing)"
cargo build -q --locked -p denglu -p denglu-bench
npm ci --prefix crates/bench/peer --silent --no-audit --no-fund
target_dir="$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
smoke_databases=sqlite
if $have_postgres; then smoke_databases=sqlite,postgres; fi
TEST_POSTGRES_URL="$postgres_url" "$target_dir/debug/denglu-bench" --smoke --databases "$smoke_databases" \
  --denglu-bin "$target_dir/debug/denglu" >/dev/null

step "Debian package from the debug binary (packaging/test-deb.sh: install, check, serve as the unit would, purge)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "the package test installs a package and this is not root" >&2; exit 1; }
  sudo="sudo"
fi
$sudo packaging/test-deb.sh "$target_dir/debug/denglu"

step "all checks passed"
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "Rust: %d passed, %d failed\n", passed, failed }' "$log"
