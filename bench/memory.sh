#!/bin/sh
# Time and peak memory of `dflint print ast` and `dflint check` on generated
# files of 1, 10 and 100 MB (many short instructions: the worst case per
# byte), to show both grow linearly with the input.
#   usage: bench/memory.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build}/dflint
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { # size in MB
  awk -v mb="$1" 'BEGIN {
    print "FROM alpine AS base"
    target = mb * 1024 * 1024; n = 20; i = 0
    while (n < target) {
      line = sprintf("RUN echo line %d && apk add --no-cache curl git", i++)
      print line; n += length(line) + 1
    }
  }' > "$tmp/$1.Dockerfile"
}
printf '%-6s %-10s %10s %12s %10s\n' size command seconds peak_rss_kb rss/input
for mb in 1 10 100; do
  gen "$mb"
  # ShellCheck (an external program) is left out: it would be timed, not dflint.
  for cmd in "print ast" "check --no-color -q --shellcheck off"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %M' -o "$tmp/t" "$bin" $cmd "$tmp/$mb.Dockerfile" > /dev/null 2>&1 || true
    # (time writes "Command exited with non-zero status 1" first when
    # dflint reports findings: the figures are on the last line)
    set -- $(tail -1 "$tmp/t")
    secs=$1 rss=$2
    ratio=$(echo "$rss * 1024 / ($mb * 1048576)" | bc -l)
    printf '%-6s %-10s %10s %12s %10.1f\n' "${mb}MB" "$(echo "$cmd" | cut -d' ' -f1)" "$secs" "$rss" "$ratio"
  done
done
