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

# shellcheck source=../../scripts/lib/js-tests.sh
source "$root/scripts/lib/js-tests.sh"
require_node_20

step "npm ci (miniprogram)"
npm ci --no-audit --no-fund

use_denglu_bin "$root"

step "node --test (server: $DENGLU_BIN)"
if [ "$#" -gt 0 ]; then files=("$@"); else files=(test/*.test.js); fi
node --test --test-reporter=spec "${files[@]}"
