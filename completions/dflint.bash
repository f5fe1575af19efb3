# bash completion for dflint.
#
# Nothing here is a copy of a list. Commands, the options of every command
# and which of them take a value, option values, output formats, rule ids and
# names, and stage names all come from the dflint being completed: its usage
# lines (`dflint --help`), `dflint check --help`, the format list of its
# registry, `dflint rules --format json` and `dflint print targets`. A new
# command or option is completed as soon as the binary has it.
#
# Install as $datadir/bash-completion/completions/dflint (cmake --install
# does), or source it from ~/.bashrc.

# The output of the dflint on the command line ($1), without errors.
_dflint_run() {
  local bin=$1
  shift
  command "$bin" "$@" 2>/dev/null
}

# The usage lines, one per command: "dflint print ast FILE", ...
_dflint_usage() {
  _dflint_run "$1" --help | sed -n 's/^\(Usage:\)\{0,1\} *\(dflint .*\)/\2/p'
}

# Commands: the first word after dflint in the usage lines ([check] too).
_dflint_commands() {
  _dflint_usage "$1" | sed -n 's/^dflint \[\{0,1\}\([a-z][a-z]*\).*/\1/p' | sort -u
}

# "FLAG ARG" or "FLAG" per option of check. The left column of --help is 24
# wide; a wider one is followed by one space, and its value's name is in
# capitals.
_dflint_check_options() {
  _dflint_run "$1" check --help | awk '/^  -/ {
    if (length($0) > 27 && substr($0, 26, 2) ~ /^ +$/ && substr($0, 28, 1) != " ")
      n = split(substr($0, 3, 24), t, " ")
    else if ((n = split(substr($0, 3), t, " ")) > 1 && t[2] !~ /^[A-Z0-9][A-Z0-9_=|,.:-]*$/)
      n = 1
    print t[1], (n > 1 ? t[2] : "") }'
}

# The values an option of check lists in its help, as in "...: error,
# warning, info (default), style, none" (parenthesised text left out).
_dflint_help_values() {
  _dflint_run "$1" check --help | awk -v f="$2" '$1 == f {
    s = $0; gsub(/ *\([^)]*\)/, "", s)
    if (!match(s, /: [a-z][a-z-]*(, [a-z][a-z-]*)+$/)) exit
    s = substr(s, RSTART + 2); gsub(/,/, "", s); print s }'
}

# Output formats, from the renderer registry: dflint names them all when it
# is given one it does not know.
_dflint_formats() {
  command "$1" check '--format=?' 2>&1 >/dev/null | sed -n 's/.*expected one of: *\([^)]*\)).*/\1/p'
}

# Rule ids and names; with a third argument, also sources and all.
_dflint_rules() {
  local keys='id\|name'
  [ -n "${2:-}" ] && keys='id\|name\|source'
  _dflint_run "$1" rules --format json | sed -n "s/^ *\"\\($keys\\)\": \"\\([^\"]*\\)\",\\{0,1\\}\$/\\2/p" | sort -u
  [ -n "${2:-}" ] && echo all
}

# Stage names of the first Dockerfile among the words, else ./Dockerfile.
_dflint_stages() {
  local bin=$1 w file=""
  shift
  for w in "$@"; do
    if [ -f "$w" ]; then file=$w; break; fi
  done
  [ -n "$file" ] || file=Dockerfile
  [ -f "$file" ] || return 0
  _dflint_run "$bin" print targets "$file" | sed -n 's/^ *"name": "\([^"]*\)",\{0,1\}$/\1/p'
}

# The usage line of a command (CMD may be "print outline").
_dflint_usage_of() {
  _dflint_usage "$1" | grep -m1 "^dflint $2\( \|\$\)"
}

# What follows OPT in a usage line: "text|json" gives its values, a name in
# capitals (FILE, K=V) gives nothing (paths are readline's default).
_dflint_usage_values() {
  _dflint_usage_of "$1" "$2" | grep -o -- "$3 [a-z|-]*" | head -1 | sed "s/^$3 //" | tr '|' ' '
}

_dflint() {
  local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} cword=$COMP_CWORD
  local prev="" eq=""
  [ "$cword" -gt 0 ] && prev=${COMP_WORDS[cword - 1]}
  COMPREPLY=()
  # `--opt=value`: bash splits at = (the default COMP_WORDBREAKS); put the
  # option back in prev and the value in cur. Without = in COMP_WORDBREAKS
  # the word is whole, and the candidates must repeat "--opt=".
  if [ "$cur" = "=" ]; then
    cur=""
  elif [ "$prev" = "=" ] && [ "$cword" -gt 1 ]; then
    prev=${COMP_WORDS[cword - 2]}
  elif [[ $cur == --*=* ]]; then
    prev=${cur%%=*}
    eq=$prev=
    cur=${cur#*=}
  fi
  _dflint_complete
  if [ -n "$eq" ] && [ ${#COMPREPLY[@]} -gt 0 ]; then
    COMPREPLY=("${COMPREPLY[@]/#/$eq}")
  fi
}

# The body of _dflint, with bin, cur, prev and cword set (its locals).
_dflint_complete() {

  # The command: the first word after dflint, when it names one; check
  # otherwise. "print" takes what to print as a second word.
  local cmds cmd=check next=1
  cmds=$(_dflint_commands "$bin")
  if [ "$cword" -gt 1 ] && grep -qx -- "${COMP_WORDS[1]}" <<<"$cmds"; then
    cmd=${COMP_WORDS[1]}
    next=2
    if [ "$cmd" = print ] && [ "$cword" -gt 2 ]; then
      cmd="print ${COMP_WORDS[2]}"
      next=3
    fi
  fi

  if [ "$cmd" = print ]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_dflint_usage "$bin" | sed -n 's/^dflint print \([a-z][a-z]*\).*/\1/p')" -- "$cur")
    return
  fi

  if [ "$cmd" != check ]; then
    # Any other command, from its usage line: its options, their values,
    # rule ids for `rule`, stage names for --target, else paths.
    case $prev in
      --target)
        mapfile -t COMPREPLY < <(compgen -W "$(_dflint_stages "$bin" "${COMP_WORDS[@]:next}")" -- "$cur")
        return ;;
      --*)
        local vals
        vals=$(_dflint_usage_values "$bin" "$cmd" "$prev")
        if [ -n "$vals" ]; then
          mapfile -t COMPREPLY < <(compgen -W "$vals" -- "$cur")
          return
        fi
        # A value named in capitals (FILE): paths, readline's default.
        _dflint_usage_of "$bin" "$cmd" | grep -q -- "$prev [A-Z]" && return
        ;;
    esac
    if [[ $cur == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$(_dflint_usage_of "$bin" "$cmd" | grep -o -- '--[a-z][a-z-]*')" -- "$cur")
    elif [ "$cmd" = rule ] && [ "$cword" -eq "$next" ]; then
      mapfile -t COMPREPLY < <(compgen -W "$(_dflint_rules "$bin")" -- "$cur")
    fi
    return
  fi

  # check: the value of an option, an option, or a path.
  local opts arg
  opts=$(_dflint_check_options "$bin")
  arg=$(awk -v f="$prev" '$1 == f { print $2 }' <<<"$opts")
  if [ -n "$arg" ]; then
    local words=""
    case $prev:$arg in
      --format:*) words=$(_dflint_formats "$bin") ;;
      --target:*) words=$(_dflint_stages "$bin" "${COMP_WORDS[@]:1}") ;;
      *:IDS)
        # A comma-separated list: complete its last item.
        local head=""
        [[ $cur == *,* ]] && head=${cur%,*},
        mapfile -t COMPREPLY < <(compgen -P "$head" -W "$(_dflint_rules "$bin" selectors)" -- "${cur##*,}")
        compopt -o nospace 2>/dev/null
        return ;;
      *:DIR)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return ;;
      *) words=$(_dflint_help_values "$bin" "$prev") ;;
    esac
    # No values known (FILE, NAME, K=V, N ...): readline's default (paths).
    [ -n "$words" ] && mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    return
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(awk '{ print $1 }' <<<"$opts")" -- "$cur")
    return
  fi
  if [ "$cword" -eq 1 ]; then
    # A command, or a path for the default command.
    mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur"; compgen -f -- "$cur")
  fi
}

complete -o default -o bashdefault -F _dflint dflint
