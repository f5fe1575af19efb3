#!/bin/sh
# Regenerates the two generated blocks of man/dflint.1: the options of check
# (from `dflint check --help`, which prints dfl_check_option_docs) and the
# output formats (from the README's "Output formats" table).
#   usage: scripts/update-man.sh [path/to/dflint] [output]
# With an output file, writes the result there instead of man/dflint.1
# (tests/docs_sync_check.sh compares the two).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/dflint}
out=${2:-$root/man/dflint.1}
man=$root/man/dflint.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# roff text: a backslash is \e, a hyphen \- (so it can be copied and
# searched), and a line may not start with a control character.
esc='
function roff(s) {
  gsub(/\\/, "\\e", s)
  gsub(/-/, "\\-", s)
  sub(/^[.'"'"']/, "\\\\\\&&", s)
  return s
}'

# `  FLAG [ARG]<padding> HELP`: the left column is 24 wide; a longer one is
# followed by a single space, and then ARG is told by its capitals.
"$bin" check --help | awk "$esc"'
/^  -/ {
  if (length($0) > 27 && substr($0, 26, 2) ~ /^ +$/ && substr($0, 28, 1) != " ") {
    left = substr($0, 3, 24); help = substr($0, 28)
    sub(/ +$/, "", left)
    n = split(left, t, " ")
  } else {
    n = split(substr($0, 3), t, " ")
    if (n > 1 && t[2] !~ /^[A-Z0-9][A-Z0-9_=|,.:-]*$/) n = 1
    help = substr($0, 3)
    for (i = 1; i <= n; i++) sub(/^ *[^ ]+/, "", help)
    sub(/^ +/, "", help)
  }
  print ".TP"
  if (n > 1) printf ".BI %s \" %s\"\n", roff(t[1]), roff(t[2])
  else printf ".B %s\n", roff(t[1])
  print roff(help)
}' > "$tmp/options"

# README rows `| \`name\` | description |` under "## Output formats".
awk "$esc"'
function inline(s,   out, m) {
  gsub(/\\\|/, "\001", s)                       # an escaped | inside a cell
  while (match(s, /\[[^]]*\]\([^)]*\)/)) {      # [text](url): the text
    m = substr(s, RSTART + 1, RLENGTH - 1); sub(/\].*/, "", m)
    s = substr(s, 1, RSTART - 1) m substr(s, RSTART + RLENGTH)
  }
  s = roff(s)
  out = ""
  while (match(s, /`[^`]*`/)) {                 # `code`: bold
    out = out substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 1, RLENGTH - 2) "\\fR"
    s = substr(s, RSTART + RLENGTH)
  }
  out = out s
  gsub(/\001/, "|", out)
  return out
}
/^## / { on = ($0 == "## Output formats"); rows = 0; next }
on && /^\|[-| ]+\|$/ { rows = 1; next }          # below the header row
on && rows && /^\| `[^`]+` \|/ {
  line = $0
  gsub(/\\\|/, "\001", line)
  split(line, c, "|")
  name = c[2]; gsub(/[ `]/, "", name)
  desc = c[3]; sub(/^ +/, "", desc); sub(/ +$/, "", desc)
  gsub(/\001/, "\\|", desc)
  print ".TP"
  printf ".B %s\n", roff(name)
  print inline(desc)
}' "$root/README.md" > "$tmp/formats"

[ -s "$tmp/options" ] || { echo "update-man: no options in '$bin check --help'" >&2; exit 1; }
[ -s "$tmp/formats" ] || { echo "update-man: no formats table in README.md" >&2; exit 1; }

awk -v opts="$tmp/options" -v fmts="$tmp/formats" '
  /^\.\\" options:begin$/ { print; while ((getline l < opts) > 0) print l; skip = 1; next }
  /^\.\\" formats:begin$/ { print; while ((getline l < fmts) > 0) print l; skip = 1; next }
  /^\.\\" (options|formats):end$/ { skip = 0 }
  !skip { print }
' "$man" > "$tmp/page"
if [ "$out" = "$man" ]; then
  cat "$tmp/page" > "$man"
else
  cp "$tmp/page" "$out"
fi
