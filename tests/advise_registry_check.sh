#!/bin/sh
# dflint advise against a real registry on loopback (tests/registry/start.sh,
# Debian's docker-registry with synthetic images): the base image's size and
# digest come from the registry, through --registry-mirror; what the mirror
# lacks falls back to the catalog with a note (origin registries are made
# unreachable with a dead proxy, so the test never leaves the machine); a
# second run is answered from the cache, also offline and with the registry
# stopped; an expired entry is used with a note; --offline --no-cache is the
# catalog alone, without notes.
#   usage: tests/advise_registry_check.sh BINARY SRCDIR
# Exit 77 (skipped) when docker-registry is not installed.
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
# shellcheck source=tests/registry/session.sh
. "$src/tests/registry/session.sh"
mkdir -p "$tmp/app" "$tmp/home"
cat > "$tmp/app/Dockerfile" <<'DF'
FROM golang:1.23-alpine AS build
RUN go build -o /out/app .
FROM debian:bookworm
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
DF
cat > "$tmp/app/distroless.Dockerfile" <<'DF'
FROM golang:1.23-alpine AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
DF
mirrors="--registry-mirror docker.io=$REGISTRY_URL --registry-mirror gcr.io=$REGISTRY_URL"
run() { # NAME ARGS...: JSON into $tmp/NAME.json, text into $tmp/NAME.txt
  name=$1
  shift
  # shellcheck disable=SC2086
  "$bin" advise --today 2026-12-07 --format json "$@" > "$tmp/$name.json" 2> "$tmp/$name.err" &&
    "$bin" advise --today 2026-12-07 "$@" > "$tmp/$name.txt" 2>> "$tmp/$name.err"
}
fail=0
# shellcheck disable=SC2086
run online $mirrors "$tmp/app/Dockerfile" "$tmp/app/distroless.Dockerfile" || fail=1
# The configuration file's registry-mirrors, and online: false.
printf 'registry-mirrors:\n  docker.io: %s\n' "$REGISTRY_URL" > "$tmp/mirrors.yaml"
run cfgmirror --no-cache --config "$tmp/mirrors.yaml" "$tmp/app/Dockerfile" || fail=1
printf 'online: false\n' > "$tmp/offline.yaml"
run cfgoffline --no-cache --config "$tmp/offline.yaml" "$tmp/app/Dockerfile" || fail=1
bash "$src/tests/registry/stop.sh" "$reg" >/dev/null 2>&1
# shellcheck disable=SC2086
run cached $mirrors "$tmp/app/Dockerfile" || fail=1
run offline --offline "$tmp/app/Dockerfile" || fail=1
run catalog --offline --no-cache "$tmp/app/Dockerfile" || fail=1
sleep 2
# shellcheck disable=SC2086
run stale $mirrors --cache-ttl 1 "$tmp/app/Dockerfile" || fail=1
[ $fail -eq 0 ] || { echo "FAIL: dflint advise failed" >&2; cat "$tmp"/*.err >&2; exit 1; }

py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" - "$tmp" "$REGISTRY_EXPECTED" "$src/docs/advise.schema.json" <<'PY'
import json, os, sys
import jsonschema
tmp, expected, schema = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)
def load(name):
    data = json.load(open(os.path.join(tmp, name + ".json")))
    jsonschema.validate(data, schema)
    return data
def want(image):
    e = expected["images"][image]
    return e["digest"], e["platforms"]["linux/amd64"]

online = load("online")
deb, dl = online
digest, plat = want("library/debian:bookworm")
b = deb["base"]
check(b["source"]["kind"] == "registry", "online: debian from %s" % b["source"]["kind"])
check(b["digest"] == digest, "online: digest %s, want %s" % (b["digest"], digest))
check(b["compressed_bytes"] == plat["layers_bytes"],
      "online: size %s, want the layers' %s" % (b["compressed_bytes"], plat["layers_bytes"]))
check(b["source"]["as_of"] is not None and b["source"]["age_days"] is not None, "online: undated")
check(b["kind"] == "full" and b["libc"] == "glibc", "online: catalog traits missing")
# What the mirror does not have comes from the catalog, with the reason.
fallen = [a for a in deb["alternatives"]
          if a["source"]["kind"] == "catalog" and a["ref"] != "scratch"]
check(fallen and all(a["source"]["note"] for a in fallen), "online: silent fallback")
digest, plat = want("distroless/static-debian12:nonroot")
b = dl["base"]
check(b["source"]["kind"] == "registry" and b["digest"] == digest,
      "online: distroless %s %s" % (b["source"]["kind"], b["digest"]))
check(b["user"] == (plat["user"] or "root"), "online: user %r, want %r" % (b["user"], plat["user"]))
text = " ".join(open(os.path.join(tmp, "online.txt")).read().split())
# (The text run comes second: the cache answers it.)
check("(cache, as of" in text and "fallback" in text and "pin it:" in text
      and "debian:bookworm@sha256:" in text,
      "online: text lacks the source, the fallback notes or the pin")

cached = load("cached")[0]["base"]
check(cached["source"]["kind"] == "cache" and cached["digest"] == expected["images"]["library/debian:bookworm"]["digest"],
      "cached: %s" % cached["source"]["kind"])
offline = load("offline")[0]
check(offline["base"]["source"]["kind"] == "cache", "offline: %s" % offline["base"]["source"]["kind"])
check(all(a["source"]["note"] is None for a in offline["alternatives"]), "offline: notes for cache misses")
catalog = load("catalog")[0]
check(catalog["base"]["source"]["kind"] == "catalog" and catalog["base"]["source"]["note"] is None
      and catalog["base"]["digest"] is None, "catalog: %s" % catalog["base"]["source"])
cfg = load("cfgmirror")[0]["base"]
check(cfg["source"]["kind"] == "registry", "config registry-mirrors: %s" % cfg["source"])
cfg = load("cfgoffline")[0]["base"]
check(cfg["source"]["kind"] == "catalog" and cfg["source"]["note"] is None,
      "config online: false: %s" % cfg["source"])
stale = load("stale")[0]["base"]
check(stale["source"]["kind"] == "cache" and stale["source"]["note"] and "expired" in stale["source"]["note"],
      "stale: %s" % stale["source"])
for p in problems:
    print("FAIL " + p, file=sys.stderr)
if problems:
    sys.exit(1)
print("advise against the registry: registry, cache, offline, catalog and stale answers as expected")
PY
