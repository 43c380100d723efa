#!/usr/bin/env bash
# Builds the release packages of denglu into <target dir>/dist:
#   denglu-<version>-<target>.tar.gz   the release binary, the docs and the systemd unit with its settings
#   denglu_<version>_<arch>.deb        the Debian package (packaging/build-deb.sh), from the same binary
# and a SHA256SUMS of both. A release build of the whole binary takes minutes, so scripts/test.sh does not run this:
# it tests the package built from its debug binary instead (packaging/test-deb.sh). Needs cargo, dpkg-deb and
# readelf (binutils).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p denglu
target_dir="$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
binary="$target_dir/release/denglu"
version="$("$binary" --version | awk '$1 == "denglu" { print $2 }')"
target="$(rustc -vV | sed -n 's/^host: //p')"
dist="$target_dir/dist"
name="denglu-$version-$target"

rm -rf "${dist:?}/$name" "$dist/$name.tar.gz"
mkdir -p "$dist/$name/config" "$dist/$name/systemd"
install -m 0755 "$binary" "$dist/$name/denglu"
install -m 0644 -t "$dist/$name" README.md CHANGELOG.md LICENSE
install -m 0644 config/denglu.example.toml "$dist/$name/config/denglu.example.toml"
install -m 0644 packaging/denglu.toml "$dist/$name/config/denglu.toml"
install -m 0644 packaging/denglu.service "$dist/$name/systemd/denglu.service"
cp -R docs "$dist/$name/docs"
tar -C "$dist" --sort=name --owner=0 --group=0 --numeric-owner -czf "$dist/$name.tar.gz" "$name"
rm -rf "${dist:?}/$name"

deb="$(packaging/build-deb.sh "$binary" "$dist")"
(cd "$dist" && sha256sum "$name.tar.gz" "$(basename "$deb")" >SHA256SUMS)
ls -l "$dist/$name.tar.gz" "$deb" "$dist/SHA256SUMS"
