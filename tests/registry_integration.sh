#!/usr/bin/env bash
# The registry client against real servers on 127.0.0.1 (tests/registry/):
# Debian's docker-registry seeded with synthetic images (plain HTTP; Bearer
# tokens; HTTPS with a private CA and Basic auth; a pull-through mirror), the
# fault server (plain and TLS) and its forward-proxy mode. `dflint inspect`
# answers are checked against what the fixture pushed (expected.json) and
# against Debian's skopeo for the same images; every fault must give a clear
# message (or succeed after retrying), exit 0 or 1, and never hang or crash.
# Every command is bounded with timeout; every server is stopped at the end,
# failure or not. Exits 77 (skipped) when docker-registry or another tool is
# missing (scripts/install-deps.sh installs them).
#   usage: tests/registry_integration.sh BINARY SRCDIR
# The servers' settings arrive as NAME_KEY variables, set through eval:
# shellcheck disable=SC2154,SC2034
set -u
bin=$1
src=$2
fixture=$src/tests/registry
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

for tool in docker-registry curl jq openssl timeout "$PY"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)" >&2
    exit 77
  fi
done
skipped=""
command -v skopeo >/dev/null 2>&1 || skipped="$skipped skopeo"
command -v htpasswd >/dev/null 2>&1 || skipped="$skipped htpasswd"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dflint-reg-it.XXXXXX")
dirs=""
cleanup() {
  trap '' INT TERM HUP PIPE # finish stopping the servers whatever comes
  for d in $dirs; do bash "$fixture/stop.sh" "$d" >/dev/null 2>&1; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

# An isolated user: no real credentials, cache or proxy gets in.
export HOME=$tmp/home XDG_CACHE_HOME=$tmp/cache DOCKER_CONFIG=$tmp/docker
mkdir -p "$HOME" "$DOCKER_CONFIG"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
export DFLINT_FIXTURE_LIFETIME=900

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*" >&2; }
check() { # check DESCRIPTION COMMAND...: the command must succeed
  local d=$1; shift
  if "$@"; then ok "$d"; else bad "$d"; fi
}

# run NAME ARGS...: dflint inspect, bounded; stdout in $tmp/NAME.out, stderr
# in $tmp/NAME.err, exit code in $rc, seconds in $secs.
run() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  timeout -k 5 60 "$bin" inspect "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
  rc=$?
  t1=$(date +%s%N)
  secs=$(( (t1 - t0) / 1000000000 ))
  cat "$tmp/$name.out" "$tmp/$name.err" >> "$tmp/all-output"
  if [ $rc -ge 124 ]; then
    bad "$name: dflint inspect hung or crashed (exit $rc)"; sed 's/^/  /' "$tmp/$name.err" >&2
  fi
  # a sanitizer build reports through exit 1 too: look at what it says
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/$name.err"; then
    bad "$name: sanitizer report"; sed 's/^/  /' "$tmp/$name.err" >&2
  fi
}
field() { jq -r ".[$2].$3 // empty" "$tmp/$1.out"; }

start() { # start NAME ARGS...: a registry; its env lines are sourced with prefix NAME_
  local name=$1; shift
  dirs="$dirs $tmp/$name"
  if ! timeout -k 5 120 bash "$fixture/start.sh" --dir "$tmp/$name" "$@" > "$tmp/$name.start" 2> "$tmp/$name.start-err"; then
    local code=$?
    if [ $code = 77 ]; then echo "SKIP: docker-registry is not installed" >&2; exit 77; fi
    echo "SKIP: the test registry '$name' could not be started:" >&2
    sed 's/^/  /' "$tmp/$name.start-err" >&2
    exit 77
  fi
  while IFS='=' read -r k v; do
    case "$k" in REGISTRY_*) eval "${name}_${k#REGISTRY_}=\$v" ;; esac
  done < "$tmp/$name/env"
}

fault() { # fault NAME ARGS...: a fault server; its port in NAME_PORT
  local name=$1; shift
  mkdir -p "$tmp/$name"
  dirs="$dirs $tmp/$name"
  nohup "$PY" "$fixture/fault_server.py" --port-file "$tmp/$name/port" --max-seconds 600 \
    --max-requests 3000 --slow-seconds 20 "$@" > "$tmp/$name/log" 2>&1 &
  echo $! > "$tmp/$name/fault.pid"
  for _ in $(seq 1 100); do [ -s "$tmp/$name/port" ] && break; sleep 0.05; done
  [ -s "$tmp/$name/port" ] || { echo "SKIP: the fault server did not start" >&2; cat "$tmp/$name/log" >&2; exit 77; }
  eval "${name}_PORT=\$(cat \"\$tmp/\$name/port\")"
}
stats() { curl -s --noproxy '*' --max-time 5 "http://127.0.0.1:$1/__stats"; }

echo "# starting the servers"
start plain
start token --auth token
case "$skipped" in
  *htpasswd*) start tls --tls --certs "$tmp/certs" ;;
  *) start tls --auth basic --tls --certs "$tmp/certs" ;;
esac
start mirror --pull-through "$plain_URL" --no-seed
fault faults
fault faultstls --tls-cert "$tmp/certs/server.crt" --tls-key "$tmp/certs/server.key" \
  --http-url "http://127.0.0.1:$faults_PORT"
fault proxy --proxy-to "$plain_HOST"
dead=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
expected=$plain_EXPECTED

# ---- A. every image and platform against what the fixture pushed --------------
echo "# A. digests, sizes and config fields against the fixture's expectations"
for plat in linux/amd64 linux/arm64/v8 linux/arm/v7 linux/arm/v6 linux/arm64 windows/amd64 linux/s390x; do
  # arm64 is arm64/v8: the fixture has both spellings (distroless has no variant)
  alt=$plat
  [ "$plat" = linux/arm64 ] && alt=linux/arm64/v8
  [ "$plat" = linux/arm64/v8 ] && alt=linux/arm64
  mapfile -t refs < <(jq -r --arg p "$plat" --arg a "$alt" '.images | to_entries[] | select(.value.platforms[$p] // .value.platforms[$a]) | .key' "$expected")
  [ ${#refs[@]} -gt 0 ] || continue
  args=()
  for r in "${refs[@]}"; do args+=("$plain_HOST/$r"); done
  name="A-${plat//\//-}"
  run "$name" --no-cache --platform "$plat" "${args[@]}"
  check "$plat: exit 0 for ${#refs[@]} images fetched together" test "$rc" = 0
  for i in "${!refs[@]}"; do
    r=${refs[$i]}
    if jq -e --slurpfile exp "$expected" --arg r "$r" --arg p "$plat" --arg a "$alt" --argjson i "$i" '
        .[$i] as $got | $exp[0].images[$r] as $img | ($img.platforms[$p] // $img.platforms[$a]) as $e
        | $got.error == null and $got.digest == $img.digest and $got.media_type == $img.media_type
          and $got.manifest_digest == $e.manifest_digest and $got.manifest_media_type == $e.manifest_media_type
          and $got.config_digest == $e.config_digest and $got.compressed_bytes == $e.compressed_bytes
          and $got.layers_bytes == $e.layers_bytes and $got.config_bytes == $e.config_bytes
          and $got.layers == $e.layers and $got.os == $e.os and $got.architecture == $e.architecture
          and $got.variant == $e.variant and $got.created == $e.created and $got.user == $e.user
          and $got.env == $e.env and $got.cmd == $e.cmd and $got.entrypoint == $e.entrypoint
          and $got.labels == $e.labels and $got.source == "registry"' "$tmp/$name.out" >/dev/null; then
      ok "$plat $r: digests, sizes and config as pushed"
    else
      bad "$plat $r: differs from the fixture"; jq ".[$i]" "$tmp/$name.out" >&2
    fi
  done
done
# the single-platform Docker manifest asked for arm64: answered, with a warning
run A-single --no-cache --platform linux/arm64 "$plain_HOST/library/debian:bookworm"
check "single-platform image for another platform: answered with a warning" \
  grep -q "single platform, linux/amd64" "$tmp/A-single.out"
run A-noplat --no-cache --platform linux/ppc64le "$plain_HOST/library/alpine:3.20"
check "a platform the index lacks: exit 1, the message lists the platforms" \
  sh -c "[ $rc = 1 ] && grep -q 'no image for linux/ppc64le in the index (it has: linux/amd64, linux/arm64/v8, linux/arm/v7)' '$tmp/A-noplat.err'"
run A-unknown --no-cache "$plain_HOST/library/alpine:9.99" "$plain_HOST/nope/nothing:1"
check "unknown tag and repository: exit 1, MANIFEST_UNKNOWN for both" \
  sh -c "[ $rc = 1 ] && [ \$(grep -c 'MANIFEST_UNKNOWN' '$tmp/A-unknown.err') = 2 ]"

# ---- B. skopeo, another client, on the same images --------------------------
if command -v skopeo >/dev/null 2>&1; then
  echo "# B. the same images through skopeo"
  sk() { timeout -k 5 60 skopeo "$@" 2>>"$tmp/skopeo.err"; }
  for pl in linux/amd64 linux/arm64/v8 linux/arm/v7; do
    IFS=/ read -r sos sarch svar <<< "$pl"
    mapfile -t refs < <(jq -r --arg p "$pl" '.images | to_entries[] | select(.value.platforms[$p]) | .key' "$expected")
    args=()
    for r in "${refs[@]}"; do args+=("$plain_HOST/$r"); done
    name="B-${pl//\//-}"
    run "$name" --no-cache --platform "$pl" "${args[@]}"
    for i in "${!refs[@]}"; do
      r=${refs[$i]}
      img=docker://$plain_HOST/$r
      repo=docker://$plain_HOST/${r%%:*}
      over=(--override-os "$sos" --override-arch "$sarch")
      [ -n "$svar" ] && over+=(--override-variant "$svar")
      raw_digest="sha256:$(sk inspect --raw --tls-verify=false "$img" | sha256sum | cut -d' ' -f1)"
      sk_json=$(sk "${over[@]}" inspect --tls-verify=false "$img")
      sk_cfg=$(sk "${over[@]}" inspect --config --tls-verify=false "$img")
      md=$(field "$name" "$i" manifest_digest)
      sk_size=$(sk inspect --raw --tls-verify=false "$repo@$md" | jq '([.layers[].size] | add) + .config.size')
      got=$(jq -c ".[$i] | [.digest, .layers, .architecture, .env, .compressed_bytes, .user, .cmd, .created]" "$tmp/$name.out")
      want_sk=$(jq -nc --arg raw "$raw_digest" --argjson s "$sk_json" --argjson c "$sk_cfg" --argjson size "${sk_size:-0}" \
        '[$raw, ($s.Layers|length), $s.Architecture, $s.Env, $size, ($c.config.User // ""), $c.config.Cmd, $s.Created]')
      if [ "$got" = "$want_sk" ] && [ "$(echo "$sk_json" | jq -r .Digest)" = "$raw_digest" ]; then
        ok "$pl $r: same digest, layers, architecture, env, size, user, cmd as skopeo"
      else
        bad "$pl $r: dflint $got, skopeo $want_sk"
      fi
    done
  done
fi

# ---- C. Bearer tokens -------------------------------------------------------
echo "# C. token authentication"
tlog=$tmp/token/token.log
n0=$(grep -c 'GET /token' "$tlog")
run C-anon --no-cache "$token_HOST/library/alpine:3.20" "$token_HOST/library/node:20-alpine"
check "token registry, anonymous: both images" sh -c "[ $rc = 0 ] && [ \"\$(jq -r '.[0].digest' '$tmp/C-anon.out')\" = \"\$(jq -r '.images[\"library/alpine:3.20\"].digest' '$token_EXPECTED')\" ]"
check "token registry: one token per repository" sh -c "[ \$((\$(grep -c 'GET /token' '$tlog') - $n0)) = 2 ]"
check "token request scope names the repository" grep -q 'scope=repository%3Alibrary%2Fnode%3Apull' "$tlog"
b64() { printf '%s:%s' "$1" "$2" | base64 | tr -d '\n'; }
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$token_HOST" "$(b64 "$token_USER" "$token_PASSWORD")" > "$tmp/docker-token.json"
run C-creds --no-cache --docker-config "$tmp/docker-token.json" "$token_HOST/library/busybox:latest"
check "token registry with credentials from config.json" test "$rc" = 0
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$token_HOST" "$(b64 "$token_USER" wrong-password)" > "$tmp/docker-token-bad.json"
run C-badcreds --no-cache --docker-config "$tmp/docker-token-bad.json" "$token_HOST/library/busybox:latest"
check "refused credentials: anonymous pull still works, with a warning" \
  sh -c "[ $rc = 0 ] && grep -q 'refused the credentials' '$tmp/C-badcreds.out'"
printf '{"auths":{"%s":{"identitytoken":"%s"}}}\n' "$token_HOST" "$token_IDENTITY_TOKEN" > "$tmp/docker-token-id.json"
run C-identity --no-cache --docker-config "$tmp/docker-token-id.json" "$token_HOST/library/debian:bookworm"
check "identity token: exchanged with POST (refresh_token grant)" \
  sh -c "[ $rc = 0 ] && grep -q 'POST /token' '$tlog'"

# ---- D. TLS with a private CA, Basic auth, credential helper -----------------
echo "# D. TLS and Basic authentication"
run D-noca --no-cache "$tls_HOST/library/alpine:3.20"
check "TLS without --ca-cert: exit 1, certificate error, hint" \
  sh -c "[ $rc = 1 ] && grep -q 'certificate' '$tmp/D-noca.err' && grep -q -- '--ca-cert' '$tmp/D-noca.err'"
if [ -n "${tls_USER:-}" ]; then
  run D-nocreds --no-cache --ca-cert "$tls_CACERT" "$tls_HOST/library/alpine:3.20"
  check "Basic auth without credentials: exit 1, says docker login" \
    sh -c "[ $rc = 1 ] && grep -q 'docker login $tls_HOST' '$tmp/D-nocreds.err'"
  printf '{"auths":{"https://%s":{"username":"%s","password":"%s"}}}\n' "$tls_HOST" "$tls_USER" "$tls_PASSWORD" > "$DOCKER_CONFIG/config.json"
  run D-ok --no-cache --ca-cert "$tls_CACERT" "$tls_HOST/library/alpine:3.20" "$tls_HOST/distroless/static-debian12:nonroot"
  check "TLS + Basic with --ca-cert and ~/.docker/config.json: both images, over https" \
    sh -c "[ $rc = 0 ] && [ \"\$(jq -r '.[0].registry' '$tmp/D-ok.out')\" = 'https://$tls_HOST' ] && [ \"\$(jq -r '.[1].user' '$tmp/D-ok.out')\" = 65532 ]"
  check "TLS registry: digests as pushed" \
    sh -c "[ \"\$(jq -r '.[1].digest' '$tmp/D-ok.out')\" = \"\$(jq -r '.images[\"distroless/static-debian12:nonroot\"].digest' '$tls_EXPECTED')\" ]"
  printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$tls_HOST" "$(b64 "$tls_USER" nope)" > "$tmp/docker-tls-bad.json"
  run D-badcreds --no-cache --ca-cert "$tls_CACERT" --docker-config "$tmp/docker-tls-bad.json" "$tls_HOST/library/alpine:3.20"
  check "Basic auth with a wrong password: exit 1, refused" sh -c "[ $rc = 1 ] && grep -q 'refused the user name and password' '$tmp/D-badcreds.err'"
  # a credential helper (credsStore): gets the host on stdin, answers JSON
  mkdir -p "$tmp/bin"
  cat > "$tmp/bin/docker-credential-dflintfixture" <<EOF
#!/bin/sh
[ "\$1" = get ] || exit 2
read -r server || true
printf '%s\n' "\$server" >> "$tmp/helper.log"
if [ "\$server" = "$tls_HOST" ]; then
  printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "\$server" "$tls_USER" "$tls_PASSWORD"
else
  echo "credentials not found in native keychain"; exit 1
fi
EOF
  chmod +x "$tmp/bin/docker-credential-dflintfixture"
  printf '{"credsStore":"dflintfixture","auths":{"%s":{}}}\n' "$tls_HOST" > "$tmp/docker-helper.json"
  PATH="$tmp/bin:$PATH" run D-helper --no-cache --ca-cert "$tls_CACERT" --docker-config "$tmp/docker-helper.json" "$tls_HOST/library/node:20-alpine"
  check "credsStore helper: credentials from docker-credential-dflintfixture" \
    sh -c "[ $rc = 0 ] && grep -qx '$tls_HOST' '$tmp/helper.log'"
  check "credentials never printed" sh -c "! grep -q -e '$tls_PASSWORD' -e '$token_PASSWORD' '$tmp/all-output'"
fi

# ---- E. mirrors ---------------------------------------------------------------
echo "# E. registry mirrors"
run E-mirror --no-cache --registry-mirror "docker.io=$mirror_URL" alpine:3.20 node:20-alpine docker.io/distroless/static-debian12:nonroot
check "Docker Hub images through a pull-through mirror" sh -c "[ $rc = 0 ] && [ \"\$(jq -r '[.[].registry] | unique | .[0]' '$tmp/E-mirror.out')\" = '$mirror_URL' ]"
check "mirror answers have the origin's digests" sh -c "[ \"\$(jq -r '.[1].digest' '$tmp/E-mirror.out')\" = \"\$(jq -r '.images[\"library/node:20-alpine\"].digest' '$expected')\" ] && [ \"\$(jq -r '.[0].ref' '$tmp/E-mirror.out')\" = docker.io/library/alpine:3.20 ]"
run E-fallback --no-cache --registry-mirror "$plain_HOST=http://127.0.0.1:$dead" --registry-mirror "$plain_HOST=http://127.0.0.1:$faults_PORT" "$plain_HOST/library/alpine:3.20"
check "failing mirrors: falls back to the origin and says so" \
  sh -c "[ $rc = 0 ] && [ \"\$(jq -r '.[0].registry' '$tmp/E-fallback.out')\" = '$plain_URL' ] && grep -q 'mirror http://127.0.0.1:$dead' '$tmp/E-fallback.out' && grep -q 'mirror http://127.0.0.1:$faults_PORT' '$tmp/E-fallback.out'"
HTTPS_PROXY=http://127.0.0.1:$dead run E-nonet --no-cache --registry-mirror "docker.io=http://127.0.0.1:$dead" alpine:3.20
check "mirror and Docker Hub both unreachable: exit 1 quickly, both named, catalog fallback" \
  sh -c "[ $rc = 1 ] && [ $secs -lt 15 ] && grep -q 'mirror http://127.0.0.1:$dead' '$tmp/E-nonet.err' && grep -q 'https://registry-1.docker.io' '$tmp/E-nonet.err' && [ \"\$(jq -r '.[0].fallback.source' '$tmp/E-nonet.out')\" = catalog ]"
run E-badmirror --registry-mirror docker.io=http://mirror.example alpine
check "a plain-http mirror on a non-loopback host is refused (exit 2)" sh -c "[ $rc = 2 ] && grep -q 'insecure-registry' '$tmp/E-badmirror.err'"

# ---- F. faults ---------------------------------------------------------------------
echo "# F. faults"
F=127.0.0.1:$faults_PORT
# scenario, expected exit code, a fragment of the message (~ for a space)
while read -r sc want msg; do
  run "F-$sc" --no-cache --timeout 3 --connect-timeout 2 "$F/$sc/image:t1"
  if [ "$rc" = "$want" ] && { [ "$msg" = - ] || grep -qF -- "${msg//\~/ }" "$tmp/F-$sc.err"; } && [ "$secs" -lt 20 ]; then
    ok "fault $sc: exit $rc in ${secs}s${msg:+ ($msg)}"
  else
    bad "fault $sc: exit $rc in ${secs}s, wanted $want and '$msg'"; sed 's/^/  /' "$tmp/F-$sc.err" >&2
  fi
done <<'EOF'
ok 0 -
slow 1 timed~out~after
slow-body 1 timed~out~after
auth-loop 1 even~after~authenticating
bad-challenge 1 without~a~usable~challenge
token-fail 1 HTTP~503
missing 1 MANIFEST_UNKNOWN
error-plain 1 404~page~not~found
denied 1 DENIED
rate-limit 0 -
rate-limit-always 1 TOOMANYREQUESTS
rate-limit-long 1 retry~after~3600~s
flaky 0 -
error500 1 HTTP~500
truncated 1 not~valid~JSON
cut-off 1 transfer~closed
invalid-json 1 not~valid~JSON
oversized 1 larger~than~the~limit
oversized-stream 1 larger~than~the~limit
bad-digest 1 digest~mismatch
redirect-http 1 refusing~a~redirect~to~plain~http
redirect-loop 1 more~than~5~redirects
blob-redirect 0 -
EOF
s=$(stats "$faults_PORT")
check "rate-limit: retried after Retry-After, 2 requests" sh -c "[ \"\$(echo '$s' | jq '.paths[\"/v2/rate-limit/image/manifests/t1\"]')\" = 2 ]"
check "rate-limit-long: not retried (Retry-After beyond the budget)" sh -c "[ \"\$(echo '$s' | jq '.paths[\"/v2/rate-limit-long/image/manifests/t1\"]')\" = 1 ]"
check "auth-loop: bounded (3 manifest requests)" sh -c "[ \"\$(echo '$s' | jq '.paths[\"/v2/auth-loop/image/manifests/t1\"]')\" -le 3 ]"
check "blob redirect followed to the CDN without Authorization" sh -c "echo '$s' | jq -e '.paths | keys | map(select(startswith(\"/cdn/blob-redirect/\"))) | length == 1' >/dev/null"
# all at once, each once
run F-many --no-cache "$F/delay/image:a" "$F/delay/image:b" "$F/delay/image:c" "$F/delay/image:a" "$F/delay/image:d"
s=$(stats "$faults_PORT")
check "5 references, 4 distinct, each 1.5 s: fetched concurrently (${secs}s)" sh -c "[ $rc = 0 ] && [ $secs -lt 4 ]"
check "a reference given twice is fetched once" sh -c "[ \"\$(echo '$s' | jq '.paths[\"/v2/delay/image/manifests/a\"]')\" = 1 ]"
FT=127.0.0.1:$faultstls_PORT
run F-tls-redirect --no-cache --ca-cert "$tmp/certs/ca.crt" "$FT/redirect-http/image:1" "$FT/blob-redirect/image:1" "$FT/ok/image:1"
check "https registry: redirects to plain http refused (manifest and blob), others fine" \
  sh -c "[ $rc = 1 ] && [ \$(grep -c 'refusing a redirect from https to plain http' '$tmp/F-tls-redirect.err') = 2 ] && [ \"\$(jq -r '.[2].error' '$tmp/F-tls-redirect.out')\" = null ]"

# ---- G. cache --------------------------------------------------------------------------
echo "# G. cache"
run G-1 "$F/ok/image:c1"
run G-2 "$F/ok/image:c1"
s=$(stats "$faults_PORT")
check "second run answered from the cache, without a request" \
  sh -c "[ \"\$(jq -r '.[0].source' '$tmp/G-2.out')\" = cache ] && [ \"\$(echo '$s' | jq '.paths[\"/v2/ok/image/manifests/c1\"]')\" = 1 ]"
entry=$(grep -l 'ok/image:c1' "$XDG_CACHE_HOME"/dflint/*.json 2>/dev/null | head -n1)
check "cache entries live in \$XDG_CACHE_HOME/dflint, named by a hash" sh -c "[ -n '$entry' ] && basename '$entry' | grep -qE '^[0-9a-f]{64}\.json$'"
printf '{"dflint_cache":1,"key":' > "$entry"
run G-3 "$F/ok/image:c1"
check "a partial entry is ignored and replaced" sh -c "[ \"\$(jq -r '.[0].source' '$tmp/G-3.out')\" = registry ] && jq -e . '$entry' >/dev/null"
run G-4 --registry-mirror "docker.io=$mirror_URL" alpine:3.20
sleep 2
HTTPS_PROXY=http://127.0.0.1:$dead run G-5 --cache-ttl 1 alpine:3.20
check "registry down, expired entry: the stale answer, with a warning, exit 0" \
  sh -c "[ $rc = 0 ] && [ \"\$(jq -r '.[0].stale' '$tmp/G-5.out')\" = true ] && [ \"\$(jq -r '.[0].digest' '$tmp/G-5.out')\" = \"\$(jq -r '.[0].digest' '$tmp/G-4.out')\" ] && grep -q 'expired cached answer' '$tmp/G-5.err'"
run G-6 --no-cache "$F/ok/image:c1"
s=$(stats "$faults_PORT")
check "--no-cache asks the registry" sh -c "[ \"\$(echo '$s' | jq '.paths[\"/v2/ok/image/manifests/c1\"]')\" = 3 ]"
run G-7 "$F/ok/image:c2"
sleep 2
run G-8 --cache-ttl 1 "$F/ok/image:c2"
s=$(stats "$faults_PORT")
check "an expired entry is revalidated with one HEAD (same digest: nothing else fetched)" \
  sh -c "[ $rc = 0 ] && [ \"\$(jq -r '.[0].source' '$tmp/G-8.out')\" = registry ] && [ \"\$(echo '$s' | jq '.heads[\"/v2/ok/image/manifests/c2\"]')\" = 1 ] && [ \"\$(echo '$s' | jq '.paths[\"/v2/ok/image/manifests/c2\"]')\" = 2 ]"
check "no credentials in the cache" sh -c "! grep -rq -e '${tls_PASSWORD:-unset-pass}' -e '$token_PASSWORD' '$XDG_CACHE_HOME'"

# ---- H. proxies -------------------------------------------------------------------------
echo "# H. proxies"
px=http://127.0.0.1:$proxy_PORT
before=$(stats "$proxy_PORT" | jq '.paths.proxied // 0')
HTTP_PROXY=$px run H-proxy --no-cache --insecure-registry registry.dflint.invalid:5000 registry.dflint.invalid:5000/library/alpine:3.20
after=$(stats "$proxy_PORT" | jq '.paths.proxied // 0')
check "HTTP_PROXY (upper case) is honoured for plain http" \
  sh -c "[ $rc = 0 ] && [ $after -gt $before ] && [ \"\$(jq -r '.[0].digest' '$tmp/H-proxy.out')\" = \"\$(jq -r '.images[\"library/alpine:3.20\"].digest' '$expected')\" ]"
HTTP_PROXY=$px NO_PROXY=registry.dflint.invalid run H-noproxy --no-cache --insecure-registry registry.dflint.invalid:5000 registry.dflint.invalid:5000/library/alpine:3.20
check "NO_PROXY bypasses it" sh -c "[ $rc = 1 ] && grep -q 'resolve' '$tmp/H-noproxy.err'"
HTTP_PROXY=http://127.0.0.1:$dead HTTPS_PROXY=http://127.0.0.1:$dead run H-loopback --no-cache "$plain_HOST/library/busybox:latest"
check "loopback never goes through a proxy" test "$rc" = 0

echo "# $pass passed, $fail failed${skipped:+, skipped parts for want of:$skipped}"
[ "$fail" = 0 ] || exit 1
[ -z "$skipped" ] || exit 77
exit 0
