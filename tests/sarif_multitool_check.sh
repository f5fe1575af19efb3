#!/bin/sh
# Optional: Microsoft's SARIF Multitool (`npx @microsoft/sarif-multitool
# validate`) on dflint's SARIF output. It checks SARIF's rules beyond the
# schema (e.g. a rule's name must differ from its id). It needs the npm
# registry, so it runs only when asked (DFLINT_SARIF_MULTITOOL=1), and when
# the tool cannot be had it says so and exits 77 (ctest's "skipped"). It never
# fails for want of a network. Usage: sarif_multitool_check.sh BINARY SRCDIR
set -eu
bin=$1
src=$2
if [ "${DFLINT_SARIF_MULTITOOL:-}" != 1 ]; then
  echo "sarif-multitool: skipped (set DFLINT_SARIF_MULTITOOL=1 to run it; needs npx and the npm registry)"
  exit 77
fi
if ! command -v npx >/dev/null 2>&1; then
  echo "sarif-multitool: skipped: npx not found"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && timeout 600 npx --yes @microsoft/sarif-multitool --version) > "$tmp/version" 2>&1; then
  echo "sarif-multitool: skipped: could not install or run it:"
  tail -n 5 "$tmp/version"
  exit 77
fi
echo "sarif-multitool: $(tail -n 1 "$tmp/version")"
find "$src/testdata" "$src/examples" -name Dockerfile | sort > "$tmp/list"
# shellcheck disable=SC2046
"$bin" check --format sarif --select all --enable-experimental $(cat "$tmp/list") > "$tmp/all.sarif" || true
(cd "$src/testdata/output/inputs" && "$bin" check --format sarif \
  Dockerfile odd*.Dockerfile clean.Dockerfile > "$tmp/odd.sarif") || true
fail=0
for f in all odd; do
  (cd "$tmp" && npx --yes @microsoft/sarif-multitool validate "$f.sarif" -o "$f.result.sarif" >/dev/null 2>&1) || true
  if [ ! -f "$tmp/$f.result.sarif" ]; then
    echo "sarif-multitool: no validation log for $f.sarif" >&2
    fail=1
    continue
  fi
  # Its findings are SARIF results; errors and warnings fail this check.
  py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
  if ! "$py" - "$tmp/$f.result.sarif" <<'PY'
import json, sys
results = [r for run in json.load(open(sys.argv[1]))["runs"] for r in run.get("results", [])]
bad = [r for r in results if r.get("level", "warning") in ("error", "warning")]
for r in bad:
    print("  %s %s: %s" % (r.get("level", "warning"), r["ruleId"], r["message"].get("text", r["message"])))
print("sarif-multitool: %s: %d results, %d errors or warnings" % (sys.argv[1].rsplit("/", 1)[-1], len(results), len(bad)))
sys.exit(1 if bad else 0)
PY
  then
    fail=1
  fi
done
exit $fail
