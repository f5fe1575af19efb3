#!/bin/sh
# Hostile input at scale (issue 8): 1,000 files at once with one unreadable,
# a configuration file that is a directory, files deleted and recreated while
# dflint reads them. Each case ends with the documented exit status and a
# message naming the file; a report with an unreadable file never looks
# complete (text summary, SARIF invocation, GitHub annotation); never a
# crash or a hang. (Single-file cases are in tests/cli_check.sh.)
#   usage: tests/hostile_check.sh BINARY SRCDIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*" >&2; }

# Permission bits do not stop root: run dflint as nobody then.
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv > /dev/null; then
    as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  else
    as_user() { echo "no setpriv: cannot drop root" >&2; return 99; }
  fi
fi
chmod 755 "$tmp"
# The user dflint runs as must reach the binary: the build may sit under a
# home directory nobody else can enter (/root).
cp "$bin" "$tmp/dflint"
chmod 755 "$tmp/dflint"
mkdir "$tmp/many"
i=1
while [ $i -le 1000 ]; do
  printf 'FROM alpine:3.20\nMAINTAINER n%d\n' $i > "$tmp/many/f$(printf %04d $i).Dockerfile"
  i=$((i + 1))
done
chmod 755 "$tmp/many"
chmod 000 "$tmp/many/f0500.Dockerfile"
cd "$tmp/many" || exit 1
run() { # FORMAT: output in $tmp/out.FORMAT, stderr in $tmp/err.FORMAT, status in $rc
  as_user timeout 120 "$tmp/dflint" check --no-config --shellcheck off --format "$1" -- f*.Dockerfile \
    > "$tmp/out.$1" 2> "$tmp/err.$1"
  rc=$?
}
run text
[ $rc = 2 ] && ok "1,000 files, one unreadable: exit 2" || bad "exit $rc, want 2"
grep -q "^f0500.Dockerfile: error: .*Permission denied" "$tmp/out.text" \
  && ok "the unreadable file is named where it belongs in the report" || bad "no error line for f0500"
tail -1 "$tmp/out.text" | grep -q "^1000 files checked: 1998 problems .*; 1 file could not be read\.$" \
  && ok "the summary counts the other 999 files' findings and the unreadable one" \
  || bad "summary: $(tail -1 "$tmp/out.text")"
run json
[ $rc = 2 ] && [ "$(jq length "$tmp/out.json")" = 1998 ] && grep -q "f0500.Dockerfile: Permission denied" "$tmp/err.json" \
  && ok "json: the 999 files' findings, the error on stderr, exit 2" || bad "json: exit $rc, $(cat "$tmp/err.json")"
run sarif
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
schema=$src/../shared/schemas/sarif-schema-2.1.0.json
[ -f "$schema" ] || schema=""
if "$py" - "$tmp/out.sarif" "$schema" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
if sys.argv[2]:
    import jsonschema
    jsonschema.validate(doc, json.load(open(sys.argv[2])))
run = doc["runs"][0]
inv = run["invocations"][0]
assert inv["executionSuccessful"] is False, inv
notes = inv["toolExecutionNotifications"]
assert len(notes) == 1 and "Permission denied" in notes[0]["message"]["text"], notes
assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "f0500.Dockerfile"
assert len(run["results"]) == 1998, len(run["results"])
PY
then ok "sarif: executionSuccessful false with a notification naming the file${schema:+ (schema-valid)}"
else bad "sarif run incomplete without saying so"; fi
run github
grep -q "^::error file=f0500.Dockerfile,title=dflint could not read this file::" "$tmp/out.github" \
  && ok "github: an error annotation on the unreadable file" || bad "github: no annotation"
cd "$tmp" || exit 1

# A configuration file that is a directory.
mkdir -p "$tmp/cfg/proj/.dflint.yaml"
printf 'FROM alpine:3.20\n' > "$tmp/cfg/proj/Dockerfile"
"$bin" check --config "$tmp/cfg" "$tmp/cfg/proj/Dockerfile" > /dev/null 2> "$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q "configuration file $tmp/cfg: is a directory" "$tmp/err" \
  && ok "--config DIR: exit 2, named" || bad "--config DIR: exit $rc, $(cat "$tmp/err")"
"$bin" check "$tmp/cfg/proj/Dockerfile" > /dev/null 2> "$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q "proj/.dflint.yaml: is a directory" "$tmp/err" \
  && ok "a discovered .dflint.yaml that is a directory: exit 2, named" || bad "found dir config: exit $rc, $(cat "$tmp/err")"

# Files deleted and recreated while dflint reads them: each run reads a
# whole file (exit 0/1), or says it is gone (exit 2, named), nothing else.
mkdir "$tmp/churn"
for n in 1 2 3 4 5 6 7 8; do printf 'FROM alpine:3.20\nRUN echo %s\n' $n > "$tmp/churn/d$n.Dockerfile"; done
(
  end=$(($(date +%s) + 4))
  while [ "$(date +%s)" -lt "$end" ]; do
    for n in 1 2 3 4 5 6 7 8; do
      rm -f "$tmp/churn/d$n.Dockerfile"
      printf 'FROM alpine:3.20\nRUN echo %s\n' $n > "$tmp/churn/d$n.Dockerfile"
    done
  done
) &
churner=$!
runs=0 odd=0
while kill -0 $churner 2> /dev/null; do
  timeout 30 "$bin" check --no-config --shellcheck off -- "$tmp"/churn/d*.Dockerfile > "$tmp/churn.out" 2> "$tmp/churn.err"
  rc=$?
  runs=$((runs + 1))
  case $rc in
    0 | 1) ;;
    # gone when the paths were listed (named on stderr), or when read
    # (named in the report)
    2) grep -q "d[1-8].Dockerfile: No such file or directory" "$tmp/churn.err" ||
         grep -q "d[1-8].Dockerfile: error: .*No such file or directory" "$tmp/churn.out" ||
         { odd=$((odd + 1)); cat "$tmp/churn.err" "$tmp/churn.out" >&2; } ;;
    *) odd=$((odd + 1)); echo "exit $rc" >&2 ;;
  esac
done
wait $churner
[ $odd = 0 ] && [ $runs -gt 0 ] && ok "$runs runs over files being deleted and recreated: whole reads or a named error" \
  || bad "$odd of $runs runs ended otherwise"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
