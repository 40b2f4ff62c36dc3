#!/usr/bin/env bash
# Debian's chromium for the dashboard's browser tests (driven by playwright-core through its
# executable path; no browser is ever downloaded). Prints the path. Needs root, or chromium present.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$path" ]; then
  echo "[chromium/install.sh] installing chromium from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq chromium fonts-dejavu-core >&2
fi
"$path" --version >&2 || true
echo "$path"
