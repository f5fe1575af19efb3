#!/bin/sh
# The README stays true: its rule table is what `dflint rules --format
# markdown` prints, and every option in `dflint check --help` is documented.
set -eu
bin=$1
readme=$2/README.md
want=$(mktemp)
got=$(mktemp)
trap 'rm -f "$want" "$got"' EXIT
"$bin" rules --format markdown > "$want"
awk '/<!-- rules:begin -->/{on=1;next} /<!-- rules:end -->/{on=0} on' "$readme" > "$got"
if ! cmp -s "$want" "$got"; then
  echo "README rule table is stale; run scripts/update-readme.sh" >&2
  diff "$want" "$got" >&2 || true
  exit 1
fi
missing=0
for flag in $("$bin" check --help | sed -n 's/^  \(-[-a-zA-Z]*\).*/\1/p'); do
  if ! grep -q -- "\`$flag" "$readme"; then
    echo "README does not document $flag" >&2
    missing=1
  fi
done
[ $missing -eq 0 ]
echo "README: rule table and options in sync"
