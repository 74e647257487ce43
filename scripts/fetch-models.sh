#!/usr/bin/env bash
# Fetches the face models from their npm package and checks every file's SHA-256.
# Cached under .cache/models: a second build finds them and fetches nothing.
# Usage: scripts/fetch-models.sh [DEST_DIR]
set -euo pipefail

PACKAGE="faceplugin-face-recognition-js@0.0.1"
here=$(cd "$(dirname "$0")/.." && pwd)
dest="${1:-$here/.cache/models/faceplugin-0.0.1}"

# file -> sha256 (from the package as published; see README "Models")
declare -A SUMS=(
  [fr_detect.onnx]=6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854
  [fr_landmark.onnx]=f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258
  [fr_feature.onnx]=87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581
)

verify() { # dir -> 0 when every file is there with its sum
  local dir=$1 f
  for f in "${!SUMS[@]}"; do
    [ -f "$dir/$f" ] || return 1
    [ "$(sha256sum "$dir/$f" | cut -d' ' -f1)" = "${SUMS[$f]}" ] || return 1
  done
  [ -f "$dir/LICENSE" ]
}

if verify "$dest"; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "models: fetching $PACKAGE from the npm registry" >&2
if ! (cd "$work" && npm pack "$PACKAGE" --silent >/dev/null 2>"$work/npm.err"); then
  echo "models: ERROR: could not fetch npm package $PACKAGE:" >&2
  sed 's/^/  /' "$work/npm.err" >&2
  exit 1
fi
tar -xzf "$work"/*.tgz -C "$work" package/model package/LICENSE
for f in "${!SUMS[@]}"; do
  got=$(sha256sum "$work/package/model/$f" 2>/dev/null | cut -d' ' -f1 || true)
  if [ "$got" != "${SUMS[$f]}" ]; then
    echo "models: ERROR: $PACKAGE file model/$f has SHA-256 '${got:-missing}', expected ${SUMS[$f]}" >&2
    exit 1
  fi
done
mkdir -p "$dest"
tmp="$dest.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
for f in "${!SUMS[@]}"; do cp "$work/package/model/$f" "$tmp/"; done
cp "$work/package/LICENSE" "$tmp/LICENSE"
rm -rf "$dest" && mv "$tmp" "$dest"
echo "models: $PACKAGE verified into $dest" >&2
