#!/bin/bash
# dflint check --online against a real registry on loopback
# (tests/registry/start.sh: Debian's docker-registry with synthetic images):
# InvalidBaseImagePlatform reports a single-platform image pulled for another
# platform and a multi-platform tag without the platform, and stays silent
# when the platforms agree, for stages the target does not build, and
# offline; DF101 takes its sizes from the registry and drops an alternative
# the registry shows no lighter; an unreachable registry is a note and the
# catalog's figures, never a failure; -j gives the same output.
#   usage: tests/check_online_check.sh BINARY SRCDIR
# Exit 77 (skipped) when docker-registry is not installed.
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
# shellcheck source=tests/registry/session.sh
. "$src/tests/registry/session.sh"
R=$REGISTRY_HOST
mirror="--registry-mirror docker.io=$REGISTRY_URL"

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*" >&2; }
# lint NAME ARGS...: JSON findings in $tmp/NAME.json, stderr in NAME.err,
# exit status in $rc
lint() {
  name=$1
  shift
  "$bin" check --no-config --shellcheck off --today 2026-12-07 --format json "$@" \
    > "$tmp/$name.json" 2> "$tmp/$name.err"
  rc=$?
}
# messages NAME RULE: the messages of RULE's findings, one per line
messages() { jq -r --arg r "$2" '.[] | select(.rule == $r) | .message' "$tmp/$1.json"; }
expect_msg() { # expect_msg DESCRIPTION NAME RULE TEXT: exactly one such finding
  got=$(messages "$2" "$3")
  if [ "$got" = "$4" ]; then ok "$1"; else bad "$1: got '$got', want '$4'"; cat "$tmp/$2.err" >&2; fi
}
expect_none() { # expect_none DESCRIPTION NAME RULE
  got=$(messages "$2" "$3")
  if [ -z "$got" ] && [ -s "$tmp/$2.json" ]; then ok "$1"; else bad "$1: got '$got'"; cat "$tmp/$2.err" >&2; fi
}

printf 'FROM %s/library/debian:bookworm\nCMD ["x"]\n' "$R" > "$tmp/single.Dockerfile"
lint offline --platform linux/arm64 "$tmp/single.Dockerfile"
expect_none "offline (no --online): silent" offline InvalidBaseImagePlatform
[ ! -s "$tmp/offline.err" ] && [ ! -d "$tmp/cache/dflint" ] && ok "offline: no note, no cache written" \
  || bad "offline run touched the registry: $(cat "$tmp/offline.err")"
lint single --online --platform linux/arm64 "$tmp/single.Dockerfile"
expect_msg "single-platform amd64 image in an arm64 build" single InvalidBaseImagePlatform \
  "Base image $R/library/debian:bookworm was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build"
[ $rc = 1 ] && ok "a finding fails the run (exit 1)" || bad "exit $rc, want 1"
loc=$(jq -r '.[] | select(.rule == "InvalidBaseImagePlatform") | "\(.line):\(.column)-\(.end_line):\(.end_column)"' "$tmp/single.json")
line1=$(head -1 "$tmp/single.Dockerfile")
[ "$loc" = "1:1-1:$((${#line1} + 1))" ] && ok "reported on the FROM line" || bad "location $loc"

lint same --online "$tmp/single.Dockerfile"
expect_none "amd64 image in the default amd64 build: silent" same InvalidBaseImagePlatform


printf 'ARG P=linux/arm64\nFROM --platform=$P %s/library/alpine:3.20 AS a\nRUN true\nFROM --platform=linux/ppc64le %s/library/alpine:3.20\nCOPY --from=a /etc/os-release /x\n' "$R" "$R" > "$tmp/index.Dockerfile"
lint index --online "$tmp/index.Dockerfile"
expect_msg "an index without the stage's platform lists what it has" index InvalidBaseImagePlatform \
  "Base image $R/library/alpine:3.20 was pulled with platform \"[linux/amd64, linux/arm64/v8, linux/arm/v7]\", expected \"linux/ppc64le\" for current build"
line=$(jq -r '.[] | select(.rule == "InvalidBaseImagePlatform") | .line' "$tmp/index.json")
[ "$line" = 4 ] && ok "--platform from an ARG (arm64) matches the index: only line 4" || bad "lines $line"

printf 'FROM %s/library/debian:bookworm AS unused\nRUN true\nFROM %s/library/alpine:3.20\nCMD ["x"]\n' "$R" "$R" > "$tmp/unused.Dockerfile"
lint unused --online --platform linux/arm64 "$tmp/unused.Dockerfile"
expect_none "a stage the target does not build is not pulled: silent" unused InvalidBaseImagePlatform

# DF101 with registry figures: debian:bookworm is small here, alpine smaller.
printf 'FROM debian:bookworm\nCOPY app /app\nCMD ["/app"]\n' > "$tmp/debian.Dockerfile"
lint deb-off "$tmp/debian.Dockerfile"
# shellcheck disable=SC2086
lint deb-on --online $mirror "$tmp/debian.Dockerfile"
size=$(jq -r '.images["library/debian:bookworm"].platforms["linux/amd64"].compressed_bytes // empty' "$REGISTRY_EXPECTED")
off=$(messages deb-off DF101)
on=$(messages deb-on DF101)
case "$off" in "debian:bookworm is a full image (48 MB);"*) ok "DF101 offline: the catalog's 48 MB" ;; *) bad "DF101 offline: $off" ;; esac
case "$on" in
  "debian:bookworm is a full image ($(( (size + 500) / 1000 )) kB); debian:bookworm-slim (28 MB) or alpine:latest ("*" kB) are lighter bases")
    ok "DF101 --online: the registry's size for debian and alpine, the catalog's for the missing slim tag" ;;
  *) bad "DF101 --online: '$on' (registry size $size)" ;;
esac
grep -q "debian:bookworm-slim (linux/amd64): .*the catalog's figures are used" "$tmp/deb-on.err" \
  && ok "an image the registry lacks: a note naming it" || bad "no note: $(cat "$tmp/deb-on.err")"

# The same from a configuration file: online: true and registry-mirrors.
mkdir -p "$tmp/cfg"
cp "$tmp/debian.Dockerfile" "$tmp/cfg/Dockerfile"
printf 'online: true\nregistry-mirrors:\n  docker.io: %s\n' "$REGISTRY_URL" > "$tmp/cfg/.dflint.yaml"
"$bin" check --shellcheck off --today 2026-12-07 --format json "$tmp/cfg/Dockerfile" > "$tmp/cfg-on.json" 2> "$tmp/cfg-on.err"
[ "$(messages cfg-on DF101)" = "$(messages deb-on DF101)" ] && ok "online: true and registry-mirrors in .dflint.yaml" \
  || bad "config online: $(messages cfg-on DF101); $(cat "$tmp/cfg-on.err")"
"$bin" check --offline --shellcheck off --today 2026-12-07 --format json "$tmp/cfg/Dockerfile" > "$tmp/cfg-off.json" 2> "$tmp/cfg-off.err"
[ "$(messages cfg-off DF101)" = "$(messages deb-off DF101)" ] && ok "--offline beats online: true" \
  || bad "--offline with online config: $(messages cfg-off DF101)"

# node:20 is lighter than node:20-alpine in this registry: that advice goes.
printf 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/server.js"]\n' > "$tmp/node.Dockerfile"
lint node-off "$tmp/node.Dockerfile"
# shellcheck disable=SC2086
lint node-on --online $mirror "$tmp/node.Dockerfile"
off=$(messages node-off DF101)
on=$(messages node-on DF101)
case "$off" in *"node:20-alpine"*) ok "DF101 offline offers node:20-alpine" ;; *) bad "DF101 offline: $off" ;; esac
case "$on" in
  "node:20 is a full image ("*" kB); "*) case "$on" in *"node:20-alpine"*) bad "DF101 --online still offers the heavier node:20-alpine: $on" ;;
                                       *) ok "DF101 --online drops node:20-alpine, heavier in the registry" ;; esac ;;
  *) bad "DF101 --online: '$on'" ;;
esac

# The registry gone: same findings as offline, a note, no failure.
bash "$src/tests/registry/stop.sh" "$reg" >/dev/null 2>&1
# shellcheck disable=SC2086
lint down --online --no-cache $mirror "$tmp/debian.Dockerfile"
[ "$(messages down DF101)" = "$(messages deb-off DF101)" ] && ok "registry down: the catalog's figures" \
  || bad "registry down: $(messages down DF101)"
[ $rc = 1 ] && grep -q "note: debian:bookworm (linux/amd64):" "$tmp/down.err" \
  && ok "registry down: a note, the usual exit status" || bad "registry down: exit $rc, $(cat "$tmp/down.err")"
# Cached answers serve a later run while the registry is down.
# shellcheck disable=SC2086
lint cached --online $mirror "$tmp/debian.Dockerfile"
[ "$(messages cached DF101)" = "$(messages deb-on DF101)" ] && ok "registry down, cache fresh: the registry's figures" \
  || bad "cached: $(messages cached DF101)"

# Usage errors.
"$bin" check --online --platform nope/x/y/z "$tmp/debian.Dockerfile" > /dev/null 2> "$tmp/usage.err"
rc=$?
[ $rc = 2 ] && grep -q -- "--platform" "$tmp/usage.err" && ok "bad --platform: exit 2 with a message" || bad "bad --platform: exit $rc"
"$bin" check --online --ca-cert "$tmp/none.pem" "$tmp/debian.Dockerfile" > /dev/null 2> "$tmp/usage.err"
rc=$?
[ $rc = 2 ] && grep -q "ca-cert" "$tmp/usage.err" && ok "unreadable --ca-cert: exit 2" || bad "--ca-cert: exit $rc"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
