#!/bin/sh
# The shell completions in completions/: bash, zsh and fish parse them, and
# each, asked as the shell asks it, offers what the dflint under test has:
# its options, formats, severities, rule ids, commands, stage names.
#   bash: source it, set COMP_WORDS/COMP_CWORD, call _dflint.
#   zsh: an interactive zsh on a pseudo-terminal (zsh/zpty) with compinit
#        and the file in $fpath; a TAB, and compadd's matches are recorded.
#   fish: `complete -C LINE`.
# zsh or fish missing: the others still run, and the test reports skipped
# (77) instead of passed.
#   usage: tests/completion_check.sh BINARY SRCDIR
set -u
bin=$1
src=$2
comp=$src/completions
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/work"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/dflint"
PATH=$tmp/bin:$PATH
HOME=$tmp
export PATH HOME
cd "$tmp/work" || exit 1
printf 'FROM alpine AS build\nRUN true\nFROM build AS final\n' > Dockerfile
fail=0
pass=0
skipped=""

# expect SHELL LINE WANT...: every WANT is among the candidates for LINE
# (candidates: one per line in $tmp/got).
expect() {
  sh_=$1 line=$2
  shift 2
  for w in "$@"; do
    if ! grep -qxF -- "$w" "$tmp/got"; then
      echo "FAIL $sh_: '$line' does not offer '$w'; it offers:" >&2
      tr '\n' ' ' < "$tmp/got" >&2
      echo >&2
      fail=$((fail + 1))
      return
    fi
  done
  pass=$((pass + 1))
}

# What the binary has, to compare against.
flags=$(dflint check --help | sed -n 's/^  \(-[-a-zA-Z]*\).*/\1/p')
formats=$(dflint check '--format=?' 2>&1 | sed -n 's/.*expected one of: *\([^)]*\)).*/\1/p')
rule_ids=$(dflint rules --format json | sed -n 's/^ *"id": "\([^"]*\)",\{0,1\}$/\1/p')
first_rule=$(echo "$rule_ids" | head -1)
commands=$(dflint --help | sed -n 's/^\(Usage:\)\{0,1\} *dflint \[\{0,1\}\([a-z][a-z]*\).*/\2/p' | sort -u)
if [ -z "$flags" ] || [ -z "$formats" ] || [ -z "$first_rule" ] || [ -z "$commands" ]; then
  echo "FAIL: could not read flags, formats, rules or commands from dflint" >&2
  exit 1
fi

# cmd_opts CMD: the options in the usage line of a command (rules, config ...).
cmd_opts() {
  dflint --help | sed -n "s/^\(Usage:\)\{0,1\} *dflint $1 \(.*\)/\2/p" | grep -o -- '--[a-z][a-z-]*' | sort -u
}
other_cmds=$(echo "$commands" | grep -vx 'check\|print')

# ---- bash --------------------------------------------------------------------
if bash -n "$comp/dflint.bash"; then pass=$((pass + 1)); else echo "FAIL bash -n" >&2; fail=$((fail + 1)); fi
bashc() { # WORD...: the candidates when the last word is being completed
  bash -c '
    source "$1" || exit 1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    _dflint
    [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
  ' bash "$comp/dflint.bash" "$@" > "$tmp/got" 2> "$tmp/err"
  [ -s "$tmp/err" ] && { echo "bash printed errors:" >&2; cat "$tmp/err" >&2; fail=$((fail + 1)); }
}
# shellcheck disable=SC2086
{
  bashc dflint -;                   expect bash "dflint -" $flags
  bashc dflint --fo;                expect bash "dflint --fo" --format
  bashc dflint --format "";         expect bash "dflint --format" $formats
  bashc dflint --format = "";       expect bash "dflint --format=" $formats
  bashc dflint --format=js;         expect bash "dflint --format=js (one word)" --format=json
  bashc dflint check --failure-threshold ""; expect bash "--failure-threshold" error warning info style none
  bashc dflint --select "";         expect bash "--select" "$first_rule" all buildkit
  bashc dflint --ignore DF000,;     expect bash "--ignore DF000," "DF000,$first_rule"
  bashc dflint "";                  expect bash "dflint" $commands Dockerfile
  bashc dflint print "";            expect bash "dflint print" ast outline targets
  bashc dflint print outline --;    expect bash "dflint print outline --" --target --build-arg
  bashc dflint --target "";         expect bash "dflint --target" build final
  bashc dflint rules --format "";   expect bash "dflint rules --format" text markdown json
  bashc dflint rule "";             expect bash "dflint rule" $rule_ids
  bashc dflint config --;           expect bash "dflint config --" --config --no-config
  bashc dflint print outline Dockerfile --target ""; expect bash "dflint print outline --target" build final
  for c in $other_cmds; do
    o=$(cmd_opts "$c")
    [ -z "$o" ] || { bashc dflint "$c" --; expect bash "dflint $c --" $o; }
  done
}

# ---- zsh ---------------------------------------------------------------------
if command -v zsh >/dev/null 2>&1 && zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
  if zsh -n "$comp/_dflint"; then pass=$((pass + 1)); else echo "FAIL zsh -n" >&2; fail=$((fail + 1)); fi
  # Records what completion adds (compadd's matches, after matching) and
  # says when a completion has ended.
  cat > "$tmp/hook.zsh" <<'EOF'
compadd() {
  if (( ${@[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi
  local -a __h
  builtin compadd -O __h "$@"
  (( $#__h )) && print -rl -- $__h >> $CAPTURE
  builtin compadd "$@"
}
_capture_done() { print -r -- done > $CAPTURE.done }
EOF
  cat > "$tmp/capture.zsh" <<'EOF'
# zsh -f capture.zsh COMPDIR OUT LINE: completes LINE (a TAB after it) in an
# interactive zsh on a pseudo-terminal; the matches end up in OUT.
zmodload zsh/zpty
dir=$1 out=$2 line=$3
zpty z zsh -f -i
zpty -w z "PS1='> '; CAPTURE=$out; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -d $out.dump; source ${0:h}/hook.zsh"
zpty -w z "zstyle ':completion:*' menu no; bindkey '^I' complete-word"
zpty -w z "comppostfuncs=(_capture_done); print -r -- ready > $out.ready"
for i in {1..400}; do [[ -f $out.ready ]] && break; sleep 0.05; done
: > $out
zpty -w -n z "$line"$'\t'
for i in {1..400}; do [[ -f $out.done ]] && break; sleep 0.05; done
zpty -d z
[[ -f $out.done ]] || { print -u2 "zsh: no completion for '$line' within 20 s"; exit 1 }
EOF
  zshc() {
    rm -f "$tmp/z" "$tmp/z.done" "$tmp/z.ready" "$tmp/z.dump"
    zsh -f "$tmp/capture.zsh" "$comp" "$tmp/z" "$1" 2>&1 | grep -v '^$' >&2
    sort -u "$tmp/z" > "$tmp/got" 2>/dev/null
  }
  # shellcheck disable=SC2086
  {
    zshc "dflint -";                  expect zsh "dflint -" $flags
    zshc "dflint --format ";          expect zsh "dflint --format" $formats
    zshc "dflint --format=j";         expect zsh "dflint --format=j" json
    zshc "dflint --failure-threshold "; expect zsh "--failure-threshold" error warning info style none
    zshc "dflint --select DF000,";    expect zsh "--select DF000," "$first_rule" all
    zshc "dflint ";                   expect zsh "dflint" $commands Dockerfile
    zshc "dflint print ";             expect zsh "dflint print" ast outline targets
    zshc "dflint --target ";          expect zsh "dflint --target" build final
    zshc "dflint rules --format ";    expect zsh "dflint rules --format" text markdown json
    zshc "dflint rule ";              expect zsh "dflint rule" $rule_ids
    zshc "dflint config --";          expect zsh "dflint config --" --config --no-config
    zshc "dflint print outline --target "; expect zsh "dflint print outline --target" build final
    for c in $other_cmds; do
      o=$(cmd_opts "$c")
      [ -z "$o" ] || { zshc "dflint $c --"; expect zsh "dflint $c --" $o; }
    done
  }
else
  skipped="$skipped zsh"
fi

# ---- fish --------------------------------------------------------------------
if command -v fish >/dev/null 2>&1; then
  if fish -n "$comp/dflint.fish"; then pass=$((pass + 1)); else echo "FAIL fish -n" >&2; fail=$((fail + 1)); fi
  fishc() {
    # shellcheck disable=SC2016 # fish's $argv
    fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$comp/dflint.fish" "$1" 2> "$tmp/err" | cut -f1 > "$tmp/got"
    [ -s "$tmp/err" ] && { echo "fish printed errors:" >&2; cat "$tmp/err" >&2; fail=$((fail + 1)); }
  }
  # shellcheck disable=SC2086
  {
    fishc "dflint -";                  expect fish "dflint -" $flags
    fishc "dflint --format ";          expect fish "dflint --format" $formats
    fishc "dflint --format=j";         expect fish "dflint --format=j" --format=json
    fishc "dflint --failure-threshold "; expect fish "--failure-threshold" error warning info style none
    fishc "dflint --select DF000,";    expect fish "--select DF000," "DF000,$first_rule" DF000,all
    fishc "dflint ";                   expect fish "dflint" $commands Dockerfile
    fishc "dflint print ";             expect fish "dflint print" ast outline targets
    fishc "dflint --target ";          expect fish "dflint --target" build final
    fishc "dflint rules --format ";    expect fish "dflint rules --format" text markdown json
    fishc "dflint rule ";              expect fish "dflint rule" $rule_ids
    fishc "dflint config --";          expect fish "dflint config --" --config --no-config
    fishc "dflint print outline --target "; expect fish "dflint print outline --target" build final
    for c in $other_cmds; do
      o=$(cmd_opts "$c")
      [ -z "$o" ] || { fishc "dflint $c --"; expect fish "dflint $c --" $o; }
    done
  }
else
  skipped="$skipped fish"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
if [ -n "$skipped" ]; then
  echo "not installed:$skipped (scripts/install-deps.sh installs them): skipped"
  exit 77
fi
