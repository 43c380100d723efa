#!/usr/bin/env bash
# CI check of the mini program SDK: a clean install from the lock file, a denglu binary, then every test (wire
# tests against a fake server, integration tests against `denglu dev` and its WeChat simulator), then the package as
# `npm pack` makes it installing and running.
#   sdk/wxapp/scripts/check.sh
# Environment: DENGLU_BIN (use this binary, no cargo build), CARGO_TARGET_DIR (respected).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkg="$(cd "$here/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"

# shellcheck source=../../../scripts/lib/js-tests.sh
source "$root/scripts/lib/js-tests.sh"
# shellcheck source=../../../scripts/lib/npm-pack.sh
source "$root/scripts/lib/npm-pack.sh"
require_node_20

echo "--> npm ci (sdk/wxapp)"
(cd "$pkg" && npm ci --no-audit --no-fund)

use_denglu_bin "$root"

echo "--> npm test (server: $DENGLU_BIN)"
export DENGLU_REQUIRE_SERVER=1
cd "$pkg"
npm test

check_npm_pack "$pkg" "$pkg/scripts/packed.cjs" authing index.d.ts
