#!/bin/sh
# make valgrind: a representative subset of the Check suites under valgrind
# (memcheck), in a build without sanitizers:
#   sh scripts/valgrind-check.sh BUILD_DIR
# Each suite runs in one process (CK_FORK=no) so valgrind sees every test.
# The golden subset runs the dflint binary itself under valgrind
# (--trace-children): each child writes its own log, and any line in one is
# an error. Fails on any error or definite/indirect leak.
set -eu
build=${1:?usage: valgrind-check.sh BUILD_DIR}
command -v valgrind >/dev/null 2>&1 || {
  echo "valgrind-check: valgrind is not installed (scripts/install-deps.sh)" >&2
  exit 2
}
# The unit suites: parser, shell lexer, instruction checks, shell model,
# configuration, .dockerignore, image references, catalog, the model
# helpers of the image rules, and the fuzz regressions.
SUITES="test_parser test_expand test_instr_check test_shell test_config test_context
  test_dockerignore test_refs test_catalog test_df_build test_output test_outline
  test_fuzz_replay"
# Golden cases: every parser case, the output formats, dflint's image
# rules, a few hadolint and BuildKit rules, configuration and the CLI.
GOLDEN="parse output config cli rules/DF rules/DL3008 rules/DL3009 rules/DL3015"
GOLDEN="$GOLDEN rules/DL4006 rules/UndefinedVar rules/CopyIgnoredFile rules/JSONArgsRecommended"
VG="valgrind -q --error-exitcode=1 --leak-check=full
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
# Timing assertions scale their limits (tests/testutil.h: tu_time_limit):
# memcheck runs 20-50 times slower than native code.
export CK_FORK=no CK_DEFAULT_TIMEOUT=600 DFLINT_TEST_TIME_SCALE=50
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=0 passed=0
for t in $SUITES; do
  start=$(date +%s)
  if $VG "$build/tests/$t" >"$logs/$t.out" 2>&1; then
    passed=$((passed + 1)); res=ok
  else
    failed=$((failed + 1)); res=FAILED; cat "$logs/$t.out"
  fi
  echo "valgrind: $t: $res ($(($(date +%s) - start)) s)"
done

start=$(date +%s)
mkdir "$logs/golden"
# Children: only dflint (not shellcheck or the shells the CLI may start).
if DFLINT_GOLDEN_SUBSET=$GOLDEN $VG --trace-children=yes \
     --trace-children-skip='*shellcheck*,/bin/*,/usr/bin/*' \
     --log-file="$logs/golden/vg.%p.log" "$build/tests/test_golden" \
     >"$logs/golden.out" 2>&1 &&
   ! find "$logs/golden" -name 'vg.*.log' -size +0 | grep -q .; then
  passed=$((passed + 1)); res=ok
else
  failed=$((failed + 1)); res=FAILED
  cat "$logs/golden.out"
  find "$logs/golden" -name 'vg.*.log' -size +0 -exec cat {} +
fi
echo "valgrind: test_golden (subset: $GOLDEN): $res, $(grep -o '[0-9]* expected files' "$logs/golden.out" || echo '? expected files'), $(find "$logs/golden" -name 'vg.*.log' | wc -l) processes ($(($(date +%s) - start)) s)"
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
