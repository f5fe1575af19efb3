#!/usr/bin/env bash
# Starts a throw-away registry for dflint's client tests: Debian's
# `docker-registry serve` (CNCF distribution 2.8) with its own config, on
# 127.0.0.1 and a free port, storage in DIR/data, then pushes the synthetic
# images of seed.py through the HTTP API. Installs nothing: .ci/run and
# scripts/install-deps.sh install docker-registry, skopeo, openssl, curl, jq
# and apache2-utils.
#
# usage: start.sh --dir DIR [--auth none|basic|token] [--tls] [--certs CDIR]
#                 [--pull-through URL] [--no-seed] [--lifetime SECONDS]
#   --auth basic   htpasswd (user dflint / password in DIR/env)
#   --auth token   Bearer challenge; token_server.py on another free port
#   --tls          serve HTTPS with a certificate signed by a CA made by
#                  openssl (CDIR/ca.crt, shared by every server given the
#                  same --certs)
#   --pull-through a pull-through cache (distribution's proxy mode) of the
#                  registry at URL: a mirror, as Docker Hub mirrors are
#   --lifetime     every process started stops by itself after this many
#                  seconds (default 1800), even if stop.sh is never run
# Prints the REGISTRY_* assignments (also in DIR/env) and, as comments, the
# expected digests and sizes (DIR/expected.json holds all of them).
# Exit codes: 0 started, 77 docker-registry is not installed, 1 other errors.
# Stop with: stop.sh DIR
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR="" AUTH=none TLS=0 CERTS="" UPSTREAM="" SEED=1 LIFETIME=${DFLINT_FIXTURE_LIFETIME:-1800}
REG_USER=dflint REG_PASS=fixture-pass-$$
SERVICE=dflint-fixture-registry ISSUER=dflint-fixture-issuer
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

die() { echo "start.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --auth) AUTH=$2; shift 2 ;;
    --tls) TLS=1; shift ;;
    --certs) CERTS=$2; shift 2 ;;
    --pull-through) UPSTREAM=$2; shift 2 ;;
    --no-seed) SEED=0; shift ;;
    --lifetime) LIFETIME=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -n "$DIR" ] || die "--dir is required"
case "$AUTH" in none|basic|token) ;; *) die "--auth: none, basic or token" ;; esac
REGBIN=${DFLINT_REGISTRY_BIN:-$(command -v docker-registry || true)}
if [ -z "$REGBIN" ]; then
  echo "start.sh: docker-registry is not installed (apt-get install docker-registry; scripts/install-deps.sh does it)" >&2
  exit 77
fi
for c in openssl curl timeout; do command -v $c >/dev/null || die "$c is missing"; done
if [ "$AUTH" = basic ]; then command -v htpasswd >/dev/null || die "htpasswd is missing (apache2-utils)"; fi

mkdir -p "$DIR/data"
DIR=$(cd "$DIR" && pwd)
CERTS=${CERTS:-$DIR/certs}
mkdir -p "$CERTS"

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A CA, and a server certificate it signs for 127.0.0.1 and localhost.
make_certs() {
  [ -s "$CERTS/server.crt" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=dflint test CA" \
    -keyout "$CERTS/ca.key" -out "$CERTS/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    >/dev/null 2>&1 || die "openssl could not make the CA"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$CERTS/server.key" -out "$CERTS/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$CERTS/server.ext"
  openssl x509 -req -in "$CERTS/server.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" \
    -CAcreateserial -days 30 -extfile "$CERTS/server.ext" -out "$CERTS/server.crt" \
    >/dev/null 2>&1 || die "openssl could not sign the server certificate"
}
make_token_cert() {
  [ -s "$DIR/token.crt" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$ISSUER" \
    -keyout "$DIR/token.key" -out "$DIR/token.crt" >/dev/null 2>&1 || die "openssl: token key"
}

start_token_server() {
  make_token_cert
  printf '%s:%s\n' "$REG_USER" "$REG_PASS" > "$DIR/token-users"
  rm -f "$DIR/token.port"
  nohup "$PY" "$HERE/token_server.py" --port 0 --port-file "$DIR/token.port" \
    --key "$DIR/token.key" --cert "$DIR/token.crt" --service "$SERVICE" --issuer "$ISSUER" \
    --users "$DIR/token-users" --identity-token "idtok-$REG_PASS" --max-seconds "$LIFETIME" \
    >> "$DIR/token.log" 2>&1 &
  echo $! > "$DIR/token.pid"
  for _ in $(seq 1 100); do [ -s "$DIR/token.port" ] && break; sleep 0.05; done
  [ -s "$DIR/token.port" ] || die "token server did not start (see $DIR/token.log)"
  TOKEN_URL="http://127.0.0.1:$(cat "$DIR/token.port")/token"
}

write_config() {
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: warn"
    echo "  accesslog:"
    echo "    disabled: true"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $DIR/data"
    echo "  maintenance:"
    echo "    uploadpurging:"
    echo "      enabled: false"
    echo "http:"
    echo "  addr: 127.0.0.1:$PORT"
    echo "  secret: dflint-fixture-$$"
    if [ "$TLS" = 1 ]; then
      echo "  tls:"
      echo "    certificate: $CERTS/server.crt"
      echo "    key: $CERTS/server.key"
    fi
    case "$AUTH" in
      basic) printf 'auth:\n  htpasswd:\n    realm: dflint-fixture\n    path: %s\n' "$DIR/htpasswd" ;;
      token) printf 'auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n' \
               "$TOKEN_URL" "$SERVICE" "$ISSUER" "$DIR/token.crt" ;;
    esac
    if [ -n "$UPSTREAM" ]; then
      printf 'proxy:\n  remoteurl: %s\n' "$UPSTREAM"
    fi
  } > "$DIR/config.yml"
}

if [ "$TLS" = 1 ]; then make_certs; fi
if [ "$AUTH" = basic ]; then htpasswd -Bbc "$DIR/htpasswd" "$REG_USER" "$REG_PASS" >/dev/null 2>&1; fi
if [ "$AUTH" = token ]; then start_token_server; fi
SCHEME=http
if [ "$TLS" = 1 ]; then SCHEME=https; fi
CURL=(curl -s --noproxy '*' --max-time 2 -o /dev/null -w '%{http_code}')
if [ "$TLS" = 1 ]; then CURL+=(--cacert "$CERTS/ca.crt"); fi

# A free port can be taken between the probe and the bind: try a few.
up=0
for _ in 1 2 3; do
  PORT=$(free_port)
  write_config
  nohup timeout -k 5 "$LIFETIME" "$REGBIN" serve "$DIR/config.yml" >> "$DIR/registry.log" 2>&1 &
  echo $! > "$DIR/registry.pid"
  for _ in $(seq 1 100); do
    code=$("${CURL[@]}" "$SCHEME://127.0.0.1:$PORT/v2/" 2>/dev/null || true)
    case "$code" in 200|401) up=1; break ;; esac
    kill -0 "$(cat "$DIR/registry.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [ "$up" = 1 ] && break
  kill "$(cat "$DIR/registry.pid")" 2>/dev/null || true
  rm -f "$DIR/registry.pid"
done
if [ "$up" != 1 ]; then
  tail -n 5 "$DIR/registry.log" >&2 || true
  die "docker-registry did not start (see $DIR/registry.log)"
fi

URL="$SCHEME://127.0.0.1:$PORT"
{
  echo "REGISTRY_URL=$URL"
  echo "REGISTRY_HOST=127.0.0.1:$PORT"
  echo "REGISTRY_PORT=$PORT"
  echo "REGISTRY_DIR=$DIR"
  echo "REGISTRY_AUTH=$AUTH"
  if [ "$TLS" = 1 ]; then echo "REGISTRY_CACERT=$CERTS/ca.crt"; fi
  if [ "$AUTH" != none ]; then echo "REGISTRY_USER=$REG_USER"; echo "REGISTRY_PASSWORD=$REG_PASS"; fi
  if [ "$AUTH" = token ]; then
    echo "REGISTRY_TOKEN_URL=$TOKEN_URL"
    echo "REGISTRY_IDENTITY_TOKEN=idtok-$REG_PASS"
  fi
  if [ "$SEED" = 1 ]; then echo "REGISTRY_EXPECTED=$DIR/expected.json"; fi
} > "$DIR/env"

if [ "$SEED" = 1 ]; then
  seed=("$PY" "$HERE/seed.py" --url "$URL" --auth "$AUTH" --expected "$DIR/expected.json")
  [ "$TLS" = 1 ] && seed+=(--cacert "$CERTS/ca.crt")
  [ "$AUTH" != none ] && seed+=(--user "$REG_USER" --password "$REG_PASS")
  # the seeder talks to loopback only; no proxy may get in the way
  env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u ALL_PROXY -u all_proxy \
    "${seed[@]}" || die "seeding failed"
fi
cat "$DIR/env"
if [ "$SEED" = 1 ]; then
  "$PY" - "$DIR/expected.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["images"]
print("# ref platform digest manifest_digest compressed_bytes layers")
for ref in sorted(e):
    for plat, p in sorted(e[ref]["platforms"].items()):
        print("# %s %s %s %s %d %d" % (ref, plat, e[ref]["digest"], p["manifest_digest"],
                                       p["compressed_bytes"], p["layers"]))
PY
fi
