#!/usr/bin/env bash
# Runs the whole benchmark suite (crates/bench) against a release build of denglu, on SQLite and on PostgreSQL,
# and rewrites the results section of BENCHMARKS.md. Arguments go to denglu-bench (see `--help`), e.g.
#   scripts/bench.sh --databases sqlite --seconds 5
#   scripts/bench.sh --smoke                 (a quick check that the tool works; writes nothing)
# PostgreSQL comes from TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); the suite makes a
# throwaway database there and drops it.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p denglu -p denglu-bench
target_dir="$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

update=(--update BENCHMARKS.md --json target/bench-results.json)
for arg in "$@"; do
  case "$arg" in --smoke|--update|--update=*) update=() ;; esac
done
mkdir -p target
exec "$target_dir/release/denglu-bench" --denglu-bin "$target_dir/release/denglu" "${update[@]}" "$@"
