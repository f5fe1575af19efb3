#!/bin/sh
# The whole default check on the public corpus, next to reading the same
# files with cat (the floor) and to the npm linters users choose today
# (dockerfile-utils, behind the VS Code Docker extension, and dockerfilelint),
# each driven in one node process. Prints medians of several runs and the
# ratios that docs/performance.md reports. Machines are shared and noisy:
# compare the ratios of one run, not absolute times.
#
# dflint's own rules are timed with --shellcheck off; the default run with
# ShellCheck (an external program, when installed) is timed once on its own
# row. The npm linters are timed in their node process on texts already in
# memory; dflint's "in-process" row is the same measure (bench/parse_bench.c
# lint mode), so that ratio compares like with like.
#   usage: bench/run.sh [BUILD_DIR] [ROUNDS]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
rounds=${2:-5}
bin=$build/dflint
corpus=$here/../shared/corpus/public
[ -d "$corpus" ] || { echo "bench/run.sh: $corpus is absent" >&2; exit 2; }
[ -x "$bin" ] || { echo "bench/run.sh: build dflint first (make build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$corpus" -type f | sort > "$tmp/list"
nfiles=$(wc -l < "$tmp/list")
bytes=$(xargs cat < "$tmp/list" | wc -c)

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() { # rounds, command...: prints the median wall time
  n=$1; shift
  i=0
  while [ $i -lt "$n" ]; do
    s=$(now); "$@" > /dev/null 2>&1 || true; e=$(now)
    echo "$e - $s" | bc -l
    i=$((i + 1))
  done | median
}

cat_t=$(time_cmd "$rounds" sh -c "xargs cat < '$tmp/list'")
j1_t=$(time_cmd "$rounds" sh -c "xargs '$bin' check -q --no-color --shellcheck off -j 1 < '$tmp/list'")
jn_t=$(time_cmd "$rounds" sh -c "xargs '$bin' check -q --no-color --shellcheck off < '$tmp/list'")
# Peak RSS of one process over the whole corpus.
xargs -s 2000000 /usr/bin/time -f '%M' -o "$tmp/rss" "$bin" check -q --no-color --shellcheck off -j 1 < "$tmp/list" > /dev/null 2>&1 || true
rss=$(tail -1 "$tmp/rss")
# The default run, ShellCheck included when it is installed: once (slow).
sc_t=-
if command -v shellcheck > /dev/null; then
  sc_t=$(time_cmd 1 sh -c "xargs -s 2000000 '$bin' check -q --no-color < '$tmp/list'")
fi

# npm linters, installed into a scratch folder (the npm registry is reachable).
npm_dir=${DFLINT_BENCH_NPM_DIR:-$here/build/bench-npm}
if [ ! -d "$npm_dir/node_modules/dockerfilelint" ] || [ ! -d "$npm_dir/node_modules/dockerfile-utils" ]; then
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && [ -f package.json ] || npm init -y > /dev/null 2>&1
   cd "$npm_dir" && npm install --no-audit --no-fund dockerfile-utils@0.16.3 dockerfilelint@1.8.0 > /dev/null 2>&1) \
    || echo "bench/run.sh: could not install the npm linters" >&2
fi
du_t=-; dl_t=-
if command -v node > /dev/null && [ -d "$npm_dir/node_modules/dockerfile-utils" ]; then
  du_t=$(node "$here/bench/npm_linters.js" "$npm_dir/node_modules" dockerfile-utils "$tmp/list" "$rounds" | sed 's/.*"median":\([0-9.e-]*\).*/\1/')
  dl_t=$(node "$here/bench/npm_linters.js" "$npm_dir/node_modules" dockerfilelint "$tmp/list" "$rounds" | sed 's/.*"median":\([0-9.e-]*\).*/\1/')
fi
# dflint in-process, same measure as the npm figures (reading excluded).
cmake --build "$build" --target dflint-bench-parse > /dev/null
ip_t=$("$build/dflint-bench-parse" "$rounds" lint < "$tmp/list" | sed -n 's/^lint (best of [0-9]*): \([0-9.]*\) s.*/\1/p')

printf 'corpus: %s files, %s bytes; medians of %s runs\n' "$nfiles" "$bytes" "$rounds"
printf '%-34s %10s %12s %10s\n' what seconds files/s ratio
row() { printf '%-34s %10.4f %12.0f %10s\n' "$1" "$2" "$(echo "$nfiles / $2" | bc -l)" "$3"; }
row "cat (read only, the floor)" "$cat_t" "1.00x cat"
row "dflint check -j 1" "$j1_t" "$(printf '%.2fx cat' "$(echo "$j1_t / $cat_t" | bc -l)")"
row "dflint check (all cores)" "$jn_t" "$(printf '%.2fx cat' "$(echo "$jn_t / $cat_t" | bc -l)")"
[ "$sc_t" != - ] && row "dflint check, ShellCheck too (all cores)" "$sc_t" "$(printf '%.0fx cat' "$(echo "$sc_t / $cat_t" | bc -l)")"
row "dflint in-process (no I/O, best)" "$ip_t" "1.00x"
if [ "$du_t" != - ]; then
  row "dockerfile-utils (in node, no I/O)" "$du_t" "$(printf '%.1fx dflint' "$(echo "$du_t / $ip_t" | bc -l)")"
  row "dockerfilelint (in node, no I/O)" "$dl_t" "$(printf '%.1fx dflint' "$(echo "$dl_t / $ip_t" | bc -l)")"
fi
# One file, as an editor or a pre-commit hook runs a linter: a process per
# file, start-up included, on the corpus's median-sized file. Timed in
# batches of 10 runs between clock reads (the clock is a process too), the
# median of 7 batches, per run.
one=$(xargs ls -S < "$tmp/list" | sed -n "$(( (nfiles + 1) / 2 ))p")
per_file() { # command...: median seconds of one run
  k=0
  while [ $k -lt 7 ]; do
    s=$(now)
    for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" > /dev/null 2>&1 || true; done
    e=$(now)
    echo "($e - $s) / 10" | bc -l
    k=$((k + 1))
  done | median
}
pf_dflint=$(per_file "$bin" check -q --no-color --shellcheck off "$one")
printf '\none file per process (%s bytes), per run (median of 7 batches of 10):\n' "$(wc -c < "$one")"
printf '%-34s %10.4f %12s\n' "dflint check" "$pf_dflint" "1.00x"
if [ -x "$npm_dir/node_modules/.bin/dockerfilelint" ]; then
  pf=$(per_file "$npm_dir/node_modules/.bin/dockerfilelint" "$one")
  printf '%-34s %10.4f %12s\n' "dockerfilelint FILE" "$pf" "$(printf '%.0fx dflint' "$(echo "$pf / $pf_dflint" | bc -l)")"
fi
if [ -x "$npm_dir/node_modules/.bin/dockerfile-utils" ]; then
  pf=$(per_file "$npm_dir/node_modules/.bin/dockerfile-utils" lint "$one")
  printf '%-34s %10.4f %12s\n' "dockerfile-utils lint FILE" "$pf" "$(printf '%.0fx dflint' "$(echo "$pf / $pf_dflint" | bc -l)")"
fi
printf '\ndflint peak RSS (one process, whole corpus): %s KB\n' "$rss"
printf 'MB/s (dflint -j 1, including reading): %.1f\n' "$(echo "$bytes / $j1_t / 1000000" | bc -l)"
