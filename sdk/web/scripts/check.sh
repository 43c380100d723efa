#!/usr/bin/env bash
# CI check of the web SDK: clean install from the lock file, the tests, dist/ being exactly what
# `npm run build` produces from the sources, and the package as `npm pack` makes it installing and running.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../../../scripts/lib/npm-pack.sh
source ../../scripts/lib/npm-pack.sh

npm ci --no-audit --no-fund
npm test

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node scripts/build.mjs "$tmp"
if ! diff -r "$tmp" dist; then
  echo "dist/ is out of date: run 'npm run build' in sdk/web and commit dist/" >&2
  exit 1
fi
echo "dist/ is up to date"

check_npm_pack "$PWD" "$PWD/scripts/packed.mjs" dist index.d.ts
