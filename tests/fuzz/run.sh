#!/bin/sh
# Runs one fuzz target for a while with the project's settings:
#   sh tests/fuzz/run.sh TARGET SECONDS [BUILD] [WORK]
# BUILD is a -DDFLINT_FUZZ=ON build directory (default build-fuzz), WORK a
# scratch directory (default /tmp/dflint-fuzz) that gets the seeds
# (tests/fuzz/seeds.sh), the growing corpus WORK/corpus/TARGET and any crash,
# leak or timeout input in WORK/artifacts/TARGET/. The exit status is
# libFuzzer's: 0 when nothing was found.
set -eu
t=${1:?usage: run.sh TARGET SECONDS [BUILD] [WORK]}
secs=${2:?usage: run.sh TARGET SECONDS [BUILD] [WORK]}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${3:-$src/build-fuzz}
work=${4:-/tmp/dflint-fuzz}
# Inputs longer than these add time, not coverage: a Dockerfile or RUN
# script of a few KiB exercises every construct; references, pragmas and
# lexer words are short.
case $t in
  parse) max_len=16384 ;;
  lint|shell) max_len=8192 ;;
  config|dockerignore) max_len=4096 ;;
  expand) max_len=2048 ;;
  pragma|refs) max_len=512 ;;
  registry_json) max_len=65536 ;;
  *) echo "run.sh: unknown target $t" >&2; exit 2 ;;
esac
[ -d "$work/seeds/$t" ] || sh "$src/tests/fuzz/seeds.sh" "$work/seeds" >/dev/null
mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
exec "$build/tests/fuzz/fuzz_$t" "$work/corpus/$t" "$work/seeds/$t" \
  -max_len=$max_len -timeout=10 -rss_limit_mb=2048 -max_total_time="$secs" \
  -artifact_prefix="$work/artifacts/$t/" -print_final_stats=1
