# Sourced by the registry tests (tests/*_check.sh): starts the fixture in
# $tmp/r for this test, stops it and removes $tmp on exit, and leaves only
# loopback reachable. Expects $src (the source tree) and $tmp (a fresh
# directory); exits 77 (skipped) when docker-registry is not installed.
# Afterwards REGISTRY_URL, REGISTRY_HOST, REGISTRY_EXPECTED ... are set
# (tests/registry/README.md) and $reg is the fixture's directory.
# DFLINT_KEEP=1 keeps the files (and the registry) for a look.
reg=$tmp/r
dfl_session_cleanup() {
  [ -f "$reg/env" ] && bash "$src/tests/registry/stop.sh" "$reg" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap dfl_session_cleanup EXIT
[ -n "${DFLINT_KEEP:-}" ] && trap "" EXIT
DFLINT_FIXTURE_LIFETIME=300 bash "$src/tests/registry/start.sh" --dir "$reg" > "$tmp/start.log" 2>&1
rc=$?
if [ $rc -eq 77 ]; then
  echo "docker-registry is not installed: skipped"
  exit 77
fi
if [ $rc -ne 0 ]; then
  echo "FAIL: the registry fixture did not start" >&2
  cat "$tmp/start.log" >&2
  exit 1
fi
# shellcheck disable=SC1091
. "$reg/env"
# Only loopback is reachable: every other registry fails at once.
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
  https_proxy=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 \
  NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
export XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME=/nonexistent HOME="$tmp/home"
mkdir -p "$tmp/home"
