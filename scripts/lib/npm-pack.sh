# Sourced by the SDKs' scripts/check.sh: packs the package as `npm publish` would, checks that the tarball holds
# exactly what a user needs, installs it into an empty project and runs a script against the installed copy.

# check_npm_pack PKG_DIR SCRIPT_FILE PATH...
#   PKG_DIR      the package folder
#   SCRIPT_FILE  a Node.js script (.cjs or .mjs) run in the empty project after the install; it imports the package
#                by its name and fails (non-zero exit) when something is wrong
#   PATH...      the files and folders of PKG_DIR the tarball must hold, besides package.json, README.md and LICENSE;
#                anything else in the tarball is an error
check_npm_pack() {
  local pkg="$1" script="$2" work tgz expected actual
  shift 2
  work="$(mktemp -d)"
  # A subshell, so that its cd and trap stay inside.
  (
    trap 'rm -rf "$work"' EXIT
    cd "$pkg"
    echo "--> npm pack ($(node -p 'require("./package.json").name'))"
    tgz="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
    expected="$( { printf '%s\n' package.json README.md LICENSE; find "$@" -type f; } | sort)"
    actual="$(tar -tzf "$work/$tgz" | sed 's|^package/||' | sort)"
    if [ "$expected" != "$actual" ]; then
      echo "the packed $tgz does not hold what it should:" >&2
      diff <(echo "$expected") <(echo "$actual") >&2 || true
      exit 1
    fi
    echo "--> npm install $tgz into an empty project, then $(basename "$script")"
    mkdir "$work/project"
    cd "$work/project"
    echo '{"name": "pack-check", "version": "0.0.0", "private": true}' > package.json
    npm install --silent --no-audit --no-fund "$work/$tgz"
    cp "$script" .
    node "./$(basename "$script")"
  )
}
