#!/bin/sh
# `cmake --install BUILD --prefix TMP` installs exactly the files listed in
# CMakeLists.txt, unchanged: the binary (which runs), the man page, the
# catalog's reference copy, every page under docs/ with README.md, and the
# bash, zsh and fish completions, and nothing else. The installed rule pages
# are the ones `dflint rule` prints, and the installed bash completion
# completes with the installed binary.
#   usage: tests/install_check.sh BUILDDIR SRCDIR BINDIR MANDIR DATADIR DOCDIR
# (the last four as GNUInstallDirs gives them, relative to the prefix)
set -u
build=$1 src=$2 bindir=$3 mandir=$4 datadir=$5 docdir=$6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
p=$tmp/prefix
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*" >&2; fail=$((fail + 1)); }

if ! cmake --install "$build" --prefix "$p" > "$tmp/install.log" 2>&1; then
  echo "FAIL cmake --install:" >&2
  cat "$tmp/install.log" >&2
  exit 1
fi

# What must be there: destination and source, one pair a line.
{
  echo "$bindir/dflint -"
  echo "$mandir/man1/dflint.1 $src/man/dflint.1"
  echo "$datadir/dflint/catalog.tsv $src/data/catalog.tsv"
  echo "$docdir/README.md $src/README.md"
  (cd "$src/docs" && find . -type f | sed 's|^\./||' | sort) | while IFS= read -r f; do
    echo "$docdir/$f $src/docs/$f"
  done
  echo "$datadir/bash-completion/completions/dflint $src/completions/dflint.bash"
  echo "$datadir/zsh/site-functions/_dflint $src/completions/_dflint"
  echo "$datadir/fish/vendor_completions.d/dflint.fish $src/completions/dflint.fish"
} > "$tmp/expected"
while read -r dest from; do
  if [ ! -f "$p/$dest" ]; then
    bad "not installed: $dest"
  elif [ "$from" != - ] && ! cmp -s "$p/$dest" "$from"; then
    bad "$dest differs from $from"
  else
    ok
  fi
done < "$tmp/expected"

# Nothing else.
(cd "$p" && find . -type f | sed 's|^\./||' | sort) > "$tmp/installed"
awk '{ print $1 }' "$tmp/expected" | sort > "$tmp/wanted"
extra=$(comm -23 "$tmp/installed" "$tmp/wanted")
if [ -z "$extra" ]; then ok; else bad "installed but not expected: $extra"; fi

# The binary runs, and prints the installed rule pages.
if [ -x "$p/$bindir/dflint" ] && "$p/$bindir/dflint" --version | grep -q '^dflint '; then ok; else
  bad "the installed dflint does not run"; fi
id=$(find "$src/docs/rules" -name '*.md' | sort | head -1 | sed 's|.*/||; s/\.md$//')
if DFLINT_DOCS_DIR=$p/$docdir "$p/$bindir/dflint" rule "$id" > "$tmp/page" &&
  cmp -s "$tmp/page" "$src/docs/rules/$id.md"; then ok; else
  bad "dflint rule $id does not print the installed page"; fi
# Every rule's page is there.
for r in $("$p/$bindir/dflint" rules --format json | sed -n 's/^ *"id": "\([^"]*\)",\{0,1\}$/\1/p'); do
  [ -f "$p/$docdir/rules/$r.md" ] || bad "no installed page for rule $r"
done
ok

# The installed man page renders; the installed bash completion completes.
if command -v man >/dev/null 2>&1; then
  if LANG=C.UTF-8 MANWIDTH=80 man -l "$p/$mandir/man1/dflint.1" 2>&1 | grep -q '^DFLINT(1)'; then ok; else
    bad "the installed man page does not render"; fi
fi
got=$(PATH=$p/$bindir:$PATH bash -c '
  source "$1" || exit 1
  COMP_WORDS=(dflint --fo); COMP_CWORD=1; _dflint; echo "${COMPREPLY[*]}"' bash \
  "$p/$datadir/bash-completion/completions/dflint")
if [ "$got" = --format ]; then ok; else bad "installed bash completion: '--fo' gives '$got'"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
