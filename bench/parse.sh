#!/bin/sh
# Parser throughput on the public corpus, in one process, next to the time
# `cat` takes to read the same files. Prints ratios; compare them, not the
# absolute times (machines are shared and noisy).
#   usage: bench/parse.sh [BUILD_DIR] [ROUNDS]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
rounds=${2:-5}
corpus=$here/../shared/corpus/public
[ -d "$corpus" ] || { echo "bench/parse.sh: $corpus is absent" >&2; exit 2; }
[ -x "$build/dflint-bench-parse" ] || cmake --build "$build" --target dflint-bench-parse >/dev/null
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$corpus" -type f | sort > "$list"
# cat: best of ROUNDS, all files in one process (warm cache, as the parser sees).
best_cat=999
i=0
while [ $i -lt "$rounds" ]; do
  s=$(date +%s.%N)
  xargs cat < "$list" > /dev/null
  e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc -l)
  best_cat=$(echo "if ($t < $best_cat) $t else $best_cat" | bc -l)
  i=$((i + 1))
done
out=$("$build/dflint-bench-parse" "$rounds" < "$list")
echo "$out"
parse=$(echo "$out" | sed -n 's/^parse (best of [0-9]*): \([0-9.]*\) s.*/\1/p')
printf 'cat (best of %s): %.4f s\n' "$rounds" "$best_cat"
printf 'parse/cat ratio: %.2f (target: <= 3)\n' "$(echo "$parse / $best_cat" | bc -l)"
