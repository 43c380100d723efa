#!/usr/bin/env bash
# Runs the whole benchmark suite (crates/bench) against a release build of denglu, on SQLite and on PostgreSQL,
# and rewrites the results section of BENCHMARKS.md. Arguments go to denglu-bench (see `--help`), e.g.
#   scripts/bench.sh --databases sqlite --seconds 5
#   scripts/bench.sh --smoke                 (a quick check that the tool works; writes nothing)
# PostgreSQL comes from TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); the suite makes a
# throwaway database there and drops it. The peer (oidc-provider, crates/bench/peer) needs Node.js 20+ and npm: its
# packages are installed here with `npm ci` first, unless --no-peer is given.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p denglu -p denglu-bench
target_dir="$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

update=(--update BENCHMARKS.md --json target/bench-results.json)
peer=true
for arg in "$@"; do
  case "$arg" in
    --smoke|--update|--update=*) update=() ;;
    --no-peer) peer=false ;;
  esac
done
if $peer; then
  npm ci --prefix crates/bench/peer --silent --no-audit --no-fund
fi
mkdir -p target
exec "$target_dir/release/denglu-bench" --denglu-bin "$target_dir/release/denglu" "${update[@]}" "$@"
