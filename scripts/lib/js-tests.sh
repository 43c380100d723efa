# Sourced by the JavaScript test scripts (sdk/wxapp, miniprogram, tests/browser), which all need Node.js 20+ and a
# `denglu` binary to start `denglu dev` from.

# Stops with a clear message unless Node.js is 20 or newer.
require_node_20() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    echo "Node.js 20 or newer is needed (found $(node --version))" >&2
    exit 1
  fi
}

# Exports DENGLU_BIN: as given, or else the debug binary built now with `cargo build -p denglu` in the repository
# at $1 (in cargo's target directory, which respects CARGO_TARGET_DIR and .cargo/config). Stops when there is none.
use_denglu_bin() {
  local root="$1" target_dir
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
}
