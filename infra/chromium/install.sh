#!/usr/bin/env bash
# Debian's chromium for the dashboard's browser tests (driven by playwright-core through its
# executable path; no browser is ever downloaded). Prints the path. Needs root, or chromium present.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$path" ]; then
  info "installing chromium from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  retry 3 apt-get update -qq >&2 || true
  # With its recommended packages, as the browser tests have always run it.
  retry 3 apt-get install -y -qq chromium fonts-dejavu-core >&2
fi
"$path" --version >&2 || true
echo "$path"
