#!/usr/bin/env bash
# Debian's fonts-dejavu-core: DejaVu Sans, regular and bold, which the committee PDF embeds, and
# whose Arabic glyphs and shaping tables the Arabic pack (/reports/committee.pdf?lang=ar) needs.
# Without it the French pack falls back to Helvetica and the Arabic one answers 503
# ARABIC_FONT_MISSING. Prints the font directory. Needs root, or the font present.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
dir="/usr/share/fonts/truetype/dejavu"
if [ ! -f "$dir/DejaVuSans.ttf" ] || [ ! -f "$dir/DejaVuSans-Bold.ttf" ]; then
  info "installing fonts-dejavu-core from Debian's packages"
  apt_install fonts-dejavu-core
fi
ls "$dir/DejaVuSans.ttf" "$dir/DejaVuSans-Bold.ttf" >&2
echo "$dir"
