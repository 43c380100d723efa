#!/usr/bin/env bash
# Tests the Debian package end to end on this machine, as root:
#   packaging/test-deb.sh BINARY
# builds the package from BINARY (scripts/test.sh passes the debug binary it built), installs it with dpkg, checks
# the binary, the denglu user, the master key, the settings and the unit (systemd-analyze verify), runs the unit's
# ExecStartPre and ExecStart as the unit would (as the denglu user with setpriv, in its working directory, with a
# clean environment, on a free port) until /readyz answers 200, then purges the package and checks that it is
# gone. Installs what it needs with apt-get. It refuses to run where denglu is installed already, and purges the
# package (and removes the denglu user and group it made) even when a check fails.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
binary="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "$0 installs a package: run it as root" >&2; exit 1; }
if dpkg-query -W -f '${Status}' denglu 2>/dev/null | grep -qv 'not-installed'; then
  echo "the package denglu is installed on this machine: this test would replace and purge it" >&2
  exit 1
fi

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

missing=()
command -v adduser >/dev/null 2>&1 || missing+=(adduser)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work="$(mktemp -d)"
made_user=false
getent passwd denglu >/dev/null || made_user=true
made_group=false
getent group denglu >/dev/null || made_group=true
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server"
    wait "$server" || true
  fi
  if dpkg-query -W -f '${Status}' denglu 2>/dev/null | grep -qv 'not-installed'; then
    dpkg --purge denglu >/dev/null || echo "could not purge denglu: dpkg --purge denglu" >&2
  fi
  if $made_user && getent passwd denglu >/dev/null; then userdel denglu; fi
  if $made_group && getent group denglu >/dev/null; then groupdel denglu; fi
  rm -rf "$work"
}
trap cleanup EXIT

deb="$("$here/build-deb.sh" --fast "$binary" "$work")"
ok "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i $deb"; }
cat "$work/install.log"

version="$(dpkg-deb -f "$deb" Version)"
[ "$(/usr/bin/denglu --version)" = "denglu $version" ] || fail "/usr/bin/denglu --version: $(/usr/bin/denglu --version)"
ok "/usr/bin/denglu --version says denglu $version"
getent passwd denglu >/dev/null || fail "no denglu user"
[ "$(id -gn denglu)" = denglu ] || fail "the denglu user's group is $(id -gn denglu), not denglu"
ok "the denglu user and group exist"
[ "$(stat -c '%a %U:%G' /etc/denglu/master.key)" = "640 root:denglu" ] \
  || fail "/etc/denglu/master.key is $(stat -c '%a %U:%G' /etc/denglu/master.key), not 640 root:denglu"
ok "/etc/denglu/master.key: 640 root:denglu"
[ "$(stat -c '%a %U:%G' /etc/denglu/denglu.toml)" = "640 root:denglu" ] \
  || fail "/etc/denglu/denglu.toml is $(stat -c '%a %U:%G' /etc/denglu/denglu.toml), not 640 root:denglu"
grep -qx /etc/denglu/denglu.toml /var/lib/dpkg/info/denglu.conffiles || fail "denglu.toml is not a conffile"
ok "/etc/denglu/denglu.toml: 640 root:denglu, a conffile"
[ "$(stat -c '%a %U:%G' /var/lib/denglu)" = "750 denglu:denglu" ] || fail "/var/lib/denglu is not 750 denglu:denglu"
ok "/var/lib/denglu: 750 denglu:denglu"
for doc in LICENSE copyright README.md CHANGELOG.md docs/operations.md config/denglu.example.toml; do
  [ -f "/usr/share/doc/denglu/$doc" ] || fail "/usr/share/doc/denglu/$doc is missing"
done
ok "the license and the docs are in /usr/share/doc/denglu"
/usr/bin/denglu --config /etc/denglu/denglu.toml check-config >"$work/check.log" 2>&1 \
  || { cat "$work/check.log" >&2; fail "denglu --config /etc/denglu/denglu.toml check-config"; }
ok "denglu --config /etc/denglu/denglu.toml check-config passes"

unit=/lib/systemd/system/denglu.service
[ -f "$unit" ] || fail "no $unit"
systemd-analyze verify "$unit" >"$work/verify.log" 2>&1 \
  || { cat "$work/verify.log" >&2; fail "systemd-analyze verify $unit"; }
if grep -q denglu "$work/verify.log"; then
  cat "$work/verify.log" >&2
  fail "systemd-analyze verify warns about $unit"
fi
ok "systemd-analyze verify $unit"

# MemoryDenyWriteExecute: no segment of the binary may be both writable and executable, and where the kernel has
# PR_SET_MDWE (Linux 6.3+) the server runs under it, refused any memory made writable and executable at once.
if readelf --program-headers --wide /usr/bin/denglu | grep -E '^ *(LOAD|GNU_STACK) ' | grep -q RWE; then
  fail "/usr/bin/denglu has a writable and executable segment: MemoryDenyWriteExecute=yes would stop it"
fi
mdwe=()
if python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) != 0)'; then
  mdwe=(python3 -c 'import ctypes, os, sys
if ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
    sys.exit("PR_SET_MDWE failed")
os.execvp(sys.argv[1], sys.argv[1:])')
  ok "no writable and executable segment; the server runs under PR_SET_MDWE, as MemoryDenyWriteExecute=yes"
else
  ok "no writable and executable segment (this kernel has no PR_SET_MDWE: the server runs without it)"
fi

# The unit's own command lines and working directory, run as its user with systemd's clean environment, on a free
# port (DENGLU_LISTEN wins over the settings file), so that nothing else on this machine is in the way.
setting() { sed -n "s/^$1=//p" "$unit"; }
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_unit=("${mdwe[@]}" setpriv --reuid="$(setting User)" --regid="$(setting Group)" --init-groups --
  env -i -C "$(setting WorkingDirectory)" PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DENGLU_LISTEN="127.0.0.1:$port")
read -r -a start_pre <<<"$(setting ExecStartPre)"
read -r -a start <<<"$(setting ExecStart)"
"${as_unit[@]}" "${start_pre[@]}" >"$work/check-as-unit.log" 2>&1 \
  || { cat "$work/check-as-unit.log" >&2; fail "ExecStartPre as the denglu user: ${start_pre[*]}"; }
ok "ExecStartPre as the denglu user: ${start_pre[*]}"
"${as_unit[@]}" "${start[@]}" >"$work/serve.log" 2>&1 &
server=$!
ready=""
for _ in $(seq 1 60); do
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; fail "the server exited: ${start[*]}"; }
  ready="$(python3 - "$port" <<'PY' || true
import sys, urllib.request
try:
    print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=2).status)
except Exception:
    pass
PY
)"
  [ "$ready" = 200 ] && break
  sleep 0.5
done
[ "$ready" = 200 ] || { cat "$work/serve.log" >&2; fail "/readyz did not answer 200 within 30 s"; }
ok "ExecStart as the denglu user: /readyz answers 200 on 127.0.0.1:$port"
[ "$(stat -c '%U:%G' /var/lib/denglu/denglu.db)" = denglu:denglu ] || fail "the database does not belong to denglu"
ok "/var/lib/denglu/denglu.db belongs to denglu:denglu"
kill "$server"
wait "$server" || fail "the server did not stop cleanly on SIGTERM: $(tail -n 5 "$work/serve.log")"
server=""

dpkg --purge denglu >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge denglu"; }
for gone in /usr/bin/denglu "$unit" /etc/denglu /var/lib/denglu /usr/share/doc/denglu; do
  [ ! -e "$gone" ] || fail "$gone is still there after dpkg --purge"
done
ok "dpkg --purge denglu removed the binary, the unit, the settings, the master key and the data"
