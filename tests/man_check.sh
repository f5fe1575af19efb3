#!/bin/sh
# man/dflint.1 renders without a markup error or warning: groff with every
# warning on (-ww), then man-db's `man -l` as a reader would run it (with
# --warnings). The rendered page has every section of the source and says
# what `dflint --version` says the program is. Skipped (77) only without
# groff or man.
#   usage: tests/man_check.sh BINARY SRCDIR
set -u
bin=$1
page=$2/man/dflint.1
if ! command -v groff >/dev/null 2>&1 || ! command -v man >/dev/null 2>&1; then
  echo "groff or man is not installed (scripts/install-deps.sh installs them): skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0

if groff -ww -z -man "$page" 2> "$tmp/groff.err" && [ ! -s "$tmp/groff.err" ]; then
  pass=$((pass + 1))
else
  echo "FAIL groff -ww -z -man:" >&2
  cat "$tmp/groff.err" >&2
  fail=$((fail + 1))
fi

if LANG=C.UTF-8 MANWIDTH=80 MANPAGER=cat PAGER=cat man --warnings -l "$page" > "$tmp/page" 2> "$tmp/man.err" &&
  [ ! -s "$tmp/man.err" ] && [ -s "$tmp/page" ]; then
  pass=$((pass + 1))
else
  echo "FAIL man --warnings -l:" >&2
  cat "$tmp/man.err" >&2
  fail=$((fail + 1))
fi

# Every .SH of the source is a heading of the rendered page.
sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$page" > "$tmp/sections"
[ -s "$tmp/sections" ] || { echo "FAIL: no .SH in $page" >&2; fail=$((fail + 1)); }
while IFS= read -r s; do
  if grep -qx -- "$s" "$tmp/page"; then pass=$((pass + 1)); else
    echo "FAIL section '$s' is not in the rendered page" >&2
    fail=$((fail + 1))
  fi
done < "$tmp/sections"

# The NAME line whatis/apropos read: "dflint - ...".
if grep -q '^ *dflint - ' "$tmp/page"; then pass=$((pass + 1)); else
  echo "FAIL the NAME section is not 'dflint - description'" >&2
  fail=$((fail + 1))
fi
name=$("$bin" --version | awk '{ print $1 }')
if [ "$name" = dflint ] && grep -q '^DFLINT(1)' "$tmp/page"; then pass=$((pass + 1)); else
  echo "FAIL the page's title is not DFLINT(1) for '$name'" >&2
  fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
