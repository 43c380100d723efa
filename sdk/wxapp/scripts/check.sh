#!/usr/bin/env bash
# CI check of the mini program SDK: a clean install from the lock file, a denglu binary, then every test (wire
# tests against a fake server, integration tests against `denglu dev` and its WeChat simulator).
#   sdk/wxapp/scripts/check.sh
# Environment: DENGLU_BIN (use this binary, no cargo build), CARGO_TARGET_DIR (respected).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkg="$(cd "$here/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed (found $(node --version))" >&2
  exit 1
fi

echo "--> npm ci (sdk/wxapp)"
(cd "$pkg" && npm ci --no-audit --no-fund)

if [ -n "${DENGLU_BIN:-}" ]; then
  echo "--> using DENGLU_BIN=$DENGLU_BIN (no build)"
else
  echo "--> cargo build -p denglu --locked"
  (cd "$root" && cargo build -p denglu --locked)
  target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps --locked 2>/dev/null \
    | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{try{process.stdout.write(JSON.parse(s).target_directory)}catch{}})' \
    || true)"
  if [ -z "$target_dir" ]; then
    target_dir="${CARGO_TARGET_DIR:-$root/target}"
    case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
  fi
  export DENGLU_BIN="$target_dir/debug/denglu"
fi
[ -x "$DENGLU_BIN" ] || { echo "no denglu binary at $DENGLU_BIN" >&2; exit 1; }

echo "--> npm test (server: $DENGLU_BIN)"
export DENGLU_REQUIRE_SERVER=1
cd "$pkg"
npm test
