#!/usr/bin/env bash
# Builds FerretDB (Apache-2.0) from the Go module proxy once and prints the binary's path.
# Reuses the cached binary when present. Usage: scripts/build-ferretdb.sh [--check] [target-binary]
# --check builds nothing: prints "<version> <target>", exits 0 when the binary is ready, 2 when a build is due.
# Exit 3: Go is not on PATH; 4: the module could not be downloaded; anything else: the build failed.
set -euo pipefail
version=v1.24.2
check=false
if [ "${1:-}" = --check ]; then
  check=true
  shift
fi
target=${1:-${CIM_FERRETDB_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/cim/ferretdb-$version}}
if [ -x "$target" ] && "$target" --version >/dev/null 2>&1; then
  if $check; then echo "$version $target"; else echo "$target"; fi
  exit 0
fi
if $check; then
  echo "$version $target"
  exit 2
fi
command -v go >/dev/null || { echo "Go is needed to build FerretDB (go not on PATH)" >&2; exit 3; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
if ! module=$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$version"); then
  echo "could not download FerretDB $version from the Go module proxy:" >&2
  echo "$module" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/  \1/p' >&2
  exit 4
fi
source_dir=$(echo "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$source_dir" ] || { echo "the Go module proxy gave no source for FerretDB $version" >&2; exit 4; }
cp -r "$source_dir" "$work/src"
chmod -R u+w "$work/src"
# The module zip has no version file; FerretDB refuses to start without one.
echo "$version" > "$work/src/build/version/version.txt"
mkdir -p "$(dirname "$target")"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$target.tmp" ./cmd/ferretdb) >&2
mv "$target.tmp" "$target"
echo "$target"
