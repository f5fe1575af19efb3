# fish completion for dflint.
#
# Nothing here is a copy of a list. Commands, the options of every command,
# option values, output formats, rule ids and names, and stage names come
# from the dflint being completed (its usage lines, check --help, the format
# list of its registry, `rules --format json`, `print targets`), so a new
# command or option is completed as soon as the binary has it.
#
# Install as dflint.fish in a directory of $fish_complete_path (cmake
# --install puts it in $datadir/fish/vendor_completions.d).

# "FLAG<TAB>ARG<TAB>HELP" per option of check (ARG empty for a flag without a
# value). The left column of --help is 24 wide; a wider one is followed by
# one space, and its value's name is in capitals.
function __dflint_check_options -a bin
    command $bin check --help 2>/dev/null | awk '/^  -/ {
    if (length($0) > 27 && substr($0, 26, 2) ~ /^ +$/ && substr($0, 28, 1) != " ") {
      n = split(substr($0, 3, 24), t, " "); help = substr($0, 28)
    } else {
      n = split(substr($0, 3), t, " ")
      if (n > 1 && t[2] !~ /^[A-Z0-9][A-Z0-9_=|,.:-]*$/) n = 1
      help = substr($0, 3)
      for (i = 1; i <= (n > 1 ? 2 : 1); i++) sub(/^ *[^ ]+/, "", help)
      sub(/^ +/, "", help)
    }
    printf "%s\t%s\t%s\n", t[1], (n > 1 ? t[2] : ""), help }'
end

function __dflint_usage -a bin
    command $bin --help 2>/dev/null | sed -n 's/^\(Usage:\)\{0,1\} *\(dflint .*\)/\2/p'
end

function __dflint_commands -a bin
    __dflint_usage $bin | sed -n 's/^dflint \[\{0,1\}\([a-z][a-z]*\).*/\1/p' | sort -u
end

# dflint names every format of its registry when given one it does not know.
function __dflint_formats -a bin
    command $bin check '--format=?' 2>&1 >/dev/null | sed -n 's/.*expected one of: *\([^)]*\)).*/\1/p' | string split ' '
end

# The values an option of check lists in its help, as in "...: error,
# warning, info (default), style, none" (parenthesised text left out).
function __dflint_help_values -a bin flag
    command $bin check --help 2>/dev/null | awk -v f="$flag" '$1 == f {
    s = $0; gsub(/ *\([^)]*\)/, "", s)
    if (!match(s, /: [a-z][a-z-]*(, [a-z][a-z-]*)+$/)) exit
    s = substr(s, RSTART + 2); gsub(/,/, "", s); print s }' | string split -n ' '
end

# Rule ids and names; with "selectors", also the sources and all.
function __dflint_rules -a bin what
    set -l keys 'id\|name'
    test "$what" = selectors; and set keys 'id\|name\|source'
    command $bin rules --format json 2>/dev/null | sed -n 's/^ *"\('$keys'\)": "\([^"]*\)",\{0,1\}$/\2/p' | sort -u
    test "$what" = selectors; and echo all
end

# Stage names of the first Dockerfile on the line, else ./Dockerfile.
function __dflint_stages -a bin
    set -l file Dockerfile
    for w in (commandline -opc)[2..-1]
        if test -f "$w"
            set file $w
            break
        end
    end
    test -f "$file"; or return
    command $bin print targets $file 2>/dev/null | sed -n 's/^ *"name": "\([^"]*\)",\{0,1\}$/\1/p'
end

function __dflint_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l bin $words[1]
    set -l prev ""
    test (count $words) -gt 1; and set prev $words[-1]
    # --opt=value: complete the value, keeping the option in front of it.
    set -l head ""
    if string match -qr -- '^--[^=]+=' $cur
        set prev (string replace -r -- '=.*' '' $cur)
        set head "$prev="
        set cur (string replace -r -- '^[^=]*=' '' $cur)
    end

    # The command: the first word after dflint when it names one, else
    # check; print takes what to print as a second word.
    set -l cmds (__dflint_commands $bin)
    set -l cmd check
    set -l rest $words[2..-1]
    if test (count $words) -ge 2; and contains -- $words[2] $cmds
        set cmd $words[2]
        set rest $words[3..-1]
        if test $cmd = print; and test (count $rest) -ge 1
            set cmd "print $rest[1]"
            set rest $rest[2..-1]
        end
    end

    if test "$cmd" = print
        __dflint_usage $bin | sed -n 's/^dflint print \([a-z][a-z]*\).*/\1/p' | sort -u
        return
    end

    if test "$cmd" != check
        # Any other command, from its usage line: `--opt a|b` offers a and
        # b, `--opt FILE` paths, --target stages; rule ids for `rule`.
        set -l usage (__dflint_usage $bin | string match -r -- "^dflint $cmd( .*|\$)")[1]
        if test "$prev" = --target
            __dflint_stages $bin | string replace -r '^' -- $head
            return
        end
        if string match -q -- '--*' $prev
            set -l val (string match -r -- "$prev ([^] ]+)" $usage)[2]
            if string match -qr -- '^[a-z-]+(\|[a-z-]+)+$' "$val"
                string split '|' -- $val | string replace -r '^' -- $head
                return
            else if string match -qr -- '^[A-Z]' "$val"
                __fish_complete_path $cur | string replace -r '^' -- $head
                return
            end
        end
        if string match -q -- '-*' $cur
            string match -ar -- '--[a-z][a-z-]*' $usage
            return
        end
        if test "$cmd" = rule
            test (count $rest) -eq 0; and __dflint_rules $bin
            return
        end
        __fish_complete_path $cur
        return
    end

    # check: the value of an option, an option, or a path.
    set -l opts (__dflint_check_options $bin)
    for o in $opts
        set -l f (string split \t -- $o)
        test "$f[1]" = "$prev"; or continue
        test -n "$f[2]"; or break
        switch "$prev:$f[2]"
            case '--format:*'
                __dflint_formats $bin | string replace -r '^' -- $head
            case '--target:*'
                __dflint_stages $bin | string replace -r '^' -- $head
            case '*:IDS'
                # A comma-separated list: complete its last item.
                set -l done (string replace -r -- '[^,]*$' '' $cur)
                __dflint_rules $bin selectors | string replace -r '^' -- "$head$done"
            case '*:DIR'
                __fish_complete_directories $cur | string replace -r '^' -- $head
            case '*:FILE' '*:PATH' '*:NAME'
                __fish_complete_path $cur | string replace -r '^' -- $head
            case '*'
                __dflint_help_values $bin $prev | string replace -r '^' -- $head
        end
        return
    end
    if string match -q -- '-*' $cur
        for o in $opts
            set -l f (string split \t -- $o)
            printf '%s\t%s\n' $f[1] $f[3]
        end
        return
    end
    if test (count $words) -eq 1
        for c in $cmds
            printf '%s\t%s\n' $c command
        end
    end
    __fish_complete_path $cur
end

complete -c dflint -f -a '(__dflint_complete)'
