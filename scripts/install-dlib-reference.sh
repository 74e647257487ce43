#!/usr/bin/env bash
# Installs what the chip cutter's reference test compiles against: Debian's dlib 19.24 headers and
# library (libdlib-dev, ~17 MB, ~15 s) and a C++ compiler. Needs root and apt-get; exits 1 otherwise.
# Only dlib's code is used, not its data: libdlib-data (iBUG 300-W landmarks, non-commercial) is not installed.
set -euo pipefail
if [ -f /usr/include/dlib/image_transforms.h ] && command -v g++ >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "dlib reference: not root or no apt-get: cannot install libdlib-dev and g++" >&2
  exit 1
fi
echo "installing Debian's libdlib-dev and g++ for the dlib reference tests ..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends libdlib-dev g++ >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends libdlib-dev g++ >/dev/null
fi
