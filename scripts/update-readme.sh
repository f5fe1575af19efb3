#!/bin/sh
# Regenerates the rule table in README.md from the rule registry.
#   usage: scripts/update-readme.sh [path/to/dflint]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/dflint}
table=$(mktemp)
"$bin" rules --format markdown > "$table"
awk -v table="$table" '
  /<!-- rules:begin -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
  /<!-- rules:end -->/ { skip = 0 }
  !skip { print }
' "$root/README.md" > "$root/README.md.tmp"
mv "$root/README.md.tmp" "$root/README.md"
rm -f "$table"
