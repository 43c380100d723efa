#!/usr/bin/env bash
# Tests of the scanner mini program (miniprogram/) under Node with a wx stand-in, against a real `denglu dev` and
# its WeChat simulator. Needs Node.js 20+ with npm, and Rust (unless DENGLU_BIN names a built binary).
#   miniprogram/scripts/test.sh                              # everything
#   miniprogram/scripts/test.sh test/confirm.test.js         # some files (paths relative to miniprogram/)
# Environment: DENGLU_BIN (use this binary, no cargo build), CARGO_TARGET_DIR (respected when building).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

step() { printf '\n--> %s\n' "$*"; }

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed (found $(node --version))" >&2
  exit 1
fi

step "npm ci (miniprogram)"
npm ci --no-audit --no-fund

if [ -n "${DENGLU_BIN:-}" ]; then
  echo "using DENGLU_BIN=$DENGLU_BIN (no build)"
else
  step "cargo build -p denglu --locked"
  (cd "$root" && cargo build -p denglu --locked)
  # Where cargo put it: `cargo metadata` knows the target directory (CARGO_TARGET_DIR, .cargo/config, …).
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

step "node --test (server: $DENGLU_BIN)"
if [ "$#" -gt 0 ]; then files=("$@"); else files=(test/*.test.js); fi
node --test --test-reporter=spec "${files[@]}"
