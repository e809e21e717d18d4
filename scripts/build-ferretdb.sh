#!/usr/bin/env bash
# Builds FerretDB (Apache-2.0) from the Go module proxy once and prints the binary's path.
# Reuses the cached binary when present. Usage: scripts/build-ferretdb.sh [target-binary]
set -euo pipefail
version=v1.24.2
target=${1:-${CIM_FERRETDB_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/cim/ferretdb-$version}}
if [ -x "$target" ] && "$target" --version >/dev/null 2>&1; then
  echo "$target"
  exit 0
fi
command -v go >/dev/null || { echo "Go is needed to build FerretDB (go not on PATH)" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
source_dir=$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$source_dir" ] || { echo "could not download FerretDB $version from the Go module proxy" >&2; exit 1; }
cp -r "$source_dir" "$work/src"
chmod -R u+w "$work/src"
# The module zip has no version file; FerretDB refuses to start without one.
echo "$version" > "$work/src/build/version/version.txt"
mkdir -p "$(dirname "$target")"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$target.tmp" ./cmd/ferretdb) >&2
mv "$target.tmp" "$target"
echo "$target"
