#!/usr/bin/env bash
# Installs a folder's npm packages from its lockfile, once: skipped while node_modules is newer
# than package-lock.json. Usage: scripts/npm-install.sh DIR
set -euo pipefail
dir=$1
if [ -d "$dir/node_modules" ] && [ "$dir/node_modules" -nt "$dir/package-lock.json" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "npm is required (Node.js 20+) to install $dir/package.json" >&2
  exit 1
fi
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
touch "$dir/node_modules"
