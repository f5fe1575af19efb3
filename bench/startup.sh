#!/bin/sh
# Startup cost: `dflint check` of a one-line Dockerfile, run many times,
# next to processes that do nothing (`true`, `cat` of the same file) and to
# dflint with one rule selected instead of all of them. The embedded
# catalog is compiled-in sorted arrays (scripts/gen-catalog.sh) and the rule
# table is static, so neither should cost anything at startup: the
# difference between all rules and one rule is the cost of running them on
# one line. Prints medians per run in milliseconds; compare the rows of one
# run (machines are shared and noisy).
#   usage: bench/startup.sh [BUILD_DIR] [RUNS]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
runs=${2:-300}
bin=$build/dflint
[ -x "$bin" ] || { echo "bench/startup.sh: build dflint first (make build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/ctx"
printf 'FROM scratch\n' > "$tmp/ctx/Dockerfile"
# A catalog of one row, to show the embedded one costs nothing extra.
printf 'repository\ttag\tfamily\tlibc\tshell\tpkg\tuser\tcc\truntime\tkind\tsize_amd64\tsize_arm64\tsize_status\tsize_as_of\tsize_source\teol\teol_source\tsource\n' > "$tmp/one.tsv"

# per_run NAME COMMAND...: median milliseconds of RUNS sequential runs,
# timed in batches of 10 to keep the clock's own cost out.
per_run() {
  name=$1
  shift
  i=0
  while [ $i -lt $((runs / 10)) ]; do
    s=$(date +%s%N)
    for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" > /dev/null 2>&1 || true; done
    e=$(date +%s%N)
    echo $(( (e - s) / 10 ))
    i=$((i + 1))
  done | sort -n | awk -v name="$name" '{a[NR]=$1} END {printf "%-46s %8.3f ms\n", name, a[int((NR+1)/2)] / 1e6}'
}
cd "$tmp/ctx"
echo "one-line Dockerfile, $runs runs each (medians per run):"
per_run "/bin/true (a process that does nothing)" /bin/true
per_run "cat Dockerfile" cat Dockerfile
per_run "dflint --version" "$bin" --version
per_run "dflint check (one rule: --select DL3006)" "$bin" check --no-config --shellcheck off --select DL3006 Dockerfile
per_run "dflint check (every default rule)" "$bin" check --no-config --shellcheck off Dockerfile
per_run "dflint check (default rules, with config search)" "$bin" check --shellcheck off Dockerfile
