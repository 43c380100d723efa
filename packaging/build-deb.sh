#!/usr/bin/env bash
# Builds the Debian package of denglu from an already built binary, with dpkg-deb alone:
#   packaging/build-deb.sh [--fast] BINARY OUT_DIR
# writes OUT_DIR/denglu_<version>_<arch>.deb and prints its path. The version is the binary's own
# (`denglu --version`), the architecture dpkg's. --fast compresses with gzip -1 instead of xz, for the test of
# scripts/test.sh, which packages the large debug binary. What the package holds and does: "Packages" in
# docs/operations.md. scripts/package.sh uses this with the release binary.
set -euo pipefail

usage() { echo "usage: $0 [--fast] BINARY OUT_DIR" >&2; exit 2; }
compression=(-Zxz)
if [ "${1:-}" = --fast ]; then
  compression=(-Zgzip -z1)
  shift
fi
[ $# -eq 2 ] || usage
binary="$1"
out_dir="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"

[ -x "$binary" ] || { echo "$binary is not an executable: build denglu first" >&2; exit 1; }
for tool in dpkg-deb readelf; do
  command -v "$tool" >/dev/null 2>&1 \
    || { echo "$tool is missing: apt-get install dpkg binutils" >&2; exit 1; }
done

version="$("$binary" --version | awk '$1 == "denglu" { print $2 }')"
[ -n "$version" ] || { echo "$binary --version does not say 'denglu VERSION'" >&2; exit 1; }
arch="$(dpkg --print-architecture)"

# The shared libraries the binary links, as Debian packages; the C library at the newest symbol version used.
depends="adduser"
glibc="$(readelf --dyn-syms --wide "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
while read -r library; do
  case "$library" in
  libc.so.6 | libm.so.6 | libpthread.so.0 | libdl.so.2 | librt.so.1 | ld-linux*) ;;
  libgcc_s.so.1) depends="$depends, libgcc-s1" ;;
  *)
    echo "$binary links $library, which packaging/build-deb.sh does not know the package of: add it there" >&2
    exit 1
    ;;
  esac
done < <(readelf --dynamic --wide "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
depends="libc6 (>= ${glibc:?no GLIBC symbol version found in $binary}), $depends"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
doc="$stage/usr/share/doc/denglu"
install -D -m 0755 "$binary" "$stage/usr/bin/denglu"
install -D -m 0644 "$root/packaging/denglu.service" "$stage/lib/systemd/system/denglu.service"
install -D -m 0644 "$root/packaging/denglu.toml" "$stage/etc/denglu/denglu.toml"
install -D -m 0644 -t "$doc" "$root/README.md" "$root/CHANGELOG.md" "$root/LICENSE"
install -D -m 0644 -t "$doc/config" "$root/config/denglu.example.toml"
cp -R "$root/docs" "$doc/docs"
find "$doc/docs" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
cat >"$doc/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: denglu

Files: *
License: Apache-2.0
 The full text is in /usr/share/doc/denglu/LICENSE and /usr/share/common-licenses/Apache-2.0.
COPYRIGHT

mkdir -m 0755 "$stage/DEBIAN"
install -m 0755 -t "$stage/DEBIAN" "$root/packaging/debian/postinst" "$root/packaging/debian/prerm" \
  "$root/packaging/debian/postrm"
echo /etc/denglu/denglu.toml >"$stage/DEBIAN/conffiles"
(cd "$stage" && find usr lib -type f -print0 | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
cat >"$stage/DEBIAN/control" <<CONTROL
Package: denglu
Version: $version
Architecture: $arch
Maintainer: denglu maintainers <maintainers@users.noreply.h-seed-24efd16f.example>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: net
Priority: optional
Description: self-hosted login server for the WeChat ecosystem
 denglu runs web QR login, app-launched mini program login and mini program
 login, wire-compatible with Authing's legacy API and SDKs, on SQLite or
 PostgreSQL. This package runs it as the systemd service denglu.service with
 the settings in /etc/denglu/denglu.toml; it is installed but not started.
CONTROL
chmod 0644 "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control"

mkdir -p "$out_dir"
deb="$out_dir/denglu_${version}_${arch}.deb"
dpkg-deb --root-owner-group "${compression[@]}" --build "$stage" "$deb" >/dev/null
echo "$deb"
