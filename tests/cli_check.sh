#!/bin/sh
# The command line on bad input: each case ends with a clear message and a
# documented exit code, never a crash or a hang.
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
check() { # name, expected exit, expected stderr substring, command...
  name=$1 want=$2 msg=$3
  shift 3
  timeout 60 "$@" > "$tmp/out" 2> "$tmp/err"
  got=$?
  if [ "$got" -ne "$want" ] || ! grep -q -- "$msg" "$tmp/err" "$tmp/out"; then
    echo "FAIL $name: exit $got (want $want), output:" >&2
    head -5 "$tmp/err" "$tmp/out" >&2
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
printf 'FROM alpine\nMAINTAINER x\n' > "$tmp/Dockerfile"
printf 'FROM scratch\nCMD ["x"]\n' > "$tmp/good.Dockerfile"

check "missing path" 2 "nope: No such file or directory" "$bin" "$tmp/nope"
check "missing path, others still linted" 2 "MaintainerDeprecated" "$bin" "$tmp/nope" "$tmp/Dockerfile"
check "directory for print ast" 2 "is a directory" "$bin" print ast "$tmp"
check "unknown option" 2 "unknown option '--frobnicate'" "$bin" --frobnicate "$tmp/Dockerfile"
check "unknown format" 2 "unknown format" "$bin" --format yaml "$tmp/Dockerfile"
check "bad threshold" 2 "failure-threshold" "$bin" --failure-threshold loud "$tmp/Dockerfile"
check "no paths" 2 "no Dockerfile given" "$bin" check
check "unknown rule page" 2 "unknown rule" "$bin" rule NoSuchRule
check "catalog list" 0 "docker.io/library/node" "$bin" catalog
check "catalog json" 0 '"repository": "docker.io/library/node"' "$bin" catalog --format json
printf 'repository\ttag\n' > "$tmp/bad-catalog.tsv"
check "catalog bad file" 2 "bad-catalog.tsv:1:" "$bin" catalog --catalog "$tmp/bad-catalog.tsv"
check "catalog bad format" 2 "unknown format" "$bin" catalog --format yaml
check "advise" 0 "verdict" "$bin" advise --offline "$tmp/Dockerfile"
check "advise json" 0 '"verdict"' "$bin" advise --offline --format json "$tmp/Dockerfile"
check "advise missing path" 2 "nope: No such file or directory" "$bin" advise --offline "$tmp/nope"
printf '# no stage\n' > "$tmp/nofrom.Dockerfile"
check "advise without FROM" 2 "no FROM instruction" "$bin" advise --offline "$tmp/nofrom.Dockerfile"
check "advise unknown target" 2 'target stage "nope" could not be found' "$bin" advise --offline --target nope "$tmp/Dockerfile"
check "advise bad format" 2 "unknown format" "$bin" advise --format sarif "$tmp/Dockerfile"
check "advise bad platform" 2 "\-\-platform" "$bin" advise --platform linux/ "$tmp/Dockerfile"
check "advise bad date" 2 "is not a date" "$bin" advise --today 2026-13-01 "$tmp/Dockerfile"
check "advise bad mirror" 2 "mirror" "$bin" advise --registry-mirror 'docker.io=ftp://x' "$tmp/Dockerfile"
check "advise no paths" 2 "no Dockerfile given" "$bin" advise --offline
# libcurl is loaded only when a registry is asked: without it the advisor
# falls back to the catalog and says why; linting never needs it.
check "no libcurl: advise falls back" 0 "needs libcurl" env DFLINT_LIBCURL=/nonexistent/libcurl.so.4 "$bin" advise --no-cache "$tmp/Dockerfile"
check "no libcurl: inspect fails clearly" 1 "needs libcurl" env DFLINT_LIBCURL=/nonexistent/libcurl.so.4 "$bin" inspect alpine:3.20
check "no libcurl: check still lints" 1 "MaintainerDeprecated" env DFLINT_LIBCURL=/nonexistent/libcurl.so.4 "$bin" "$tmp/Dockerfile"
check "findings exit 1" 1 "MaintainerDeprecated" "$bin" "$tmp/Dockerfile"
check "clean exit 0" 0 "no problems" "$bin" "$tmp/good.Dockerfile"
check "no-fail" 0 "MaintainerDeprecated" "$bin" --no-fail "$tmp/Dockerfile"
check "threshold error" 0 "MaintainerDeprecated" "$bin" --failure-threshold error "$tmp/Dockerfile"
check "stdin with name" 1 "Dockerfile.stdin:2:1" sh -c "'$bin' --stdin-filename Dockerfile.stdin - < '$tmp/Dockerfile'"
check "directory recursion" 1 "sub/Dockerfile.dev" sh -c "mkdir -p '$tmp/tree/sub' && cp '$tmp/Dockerfile' '$tmp/tree/sub/Dockerfile.dev' && '$bin' '$tmp/tree'"
check "endless input is capped" 2 "larger than the 256 MiB limit" sh -c "head -c 300000000 /dev/zero | '$bin' -"
mkfifo "$tmp/fifo"
( printf 'FROM alpine\nMAINTAINER x\n' > "$tmp/fifo" ) &
check "fifo" 1 "MaintainerDeprecated" "$bin" "$tmp/fifo"
check "closed pipe" 0 "dflint-exit=0" sh -c "('$bin' --format json $(for i in $(seq 1 300); do printf '%s ' "$tmp/Dockerfile"; done); echo dflint-exit=\$? > '$tmp/rc') | head -c 10 > /dev/null; cat '$tmp/rc'"
# ShellCheck runs in batches across files, each distinct script once: 150
# Dockerfiles with 2 distinct RUN scripts make one shellcheck process, and
# every file still gets its finding.
if command -v shellcheck > /dev/null; then
  mkdir "$tmp/sc"
  printf '#!/bin/sh\necho run >> "%s/sc/calls"\nexec shellcheck "$@"\n' "$tmp" > "$tmp/sc/wrap"
  chmod +x "$tmp/sc/wrap"
  i=0
  while [ $i -lt 150 ]; do
    printf 'FROM debian:12\nRUN echo $FOO%s\n' "$((i % 2))" > "$tmp/sc/$i.Dockerfile"
    i=$((i + 1))
  done
  DFLINT_SHELLCHECK="$tmp/sc/wrap" "$bin" check --no-config --select ShellCheck -j 1 --format json "$tmp"/sc/*.Dockerfile > "$tmp/sc/out" 2>&1
  calls=$(wc -l < "$tmp/sc/calls")
  n=$(jq '[.[] | select(.rule == "SC2086")] | length' "$tmp/sc/out")
  if [ "$calls" = 1 ] && [ "$n" = 150 ]; then pass=$((pass + 1)); else
    echo "FAIL shellcheck batching: $calls processes (want 1), $n SC2086 findings (want 150)" >&2
    fail=$((fail + 1))
  fi
fi
# -j never changes the output.
files=$(find "$src/testdata" -name Dockerfile | sort)
# shellcheck disable=SC2086
"$bin" --no-color -j 1 $files > "$tmp/j1" 2>&1
# shellcheck disable=SC2086
"$bin" --no-color -j 8 $files > "$tmp/j8" 2>&1
if cmp -s "$tmp/j1" "$tmp/j8"; then pass=$((pass + 1)); else echo "FAIL -j output differs" >&2; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
