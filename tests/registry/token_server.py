#!/usr/bin/env python3
"""Token service for dflint's registry tests (the "Bearer" half of the
registry auth protocol), standard library only; JWTs are RS256-signed by the
openssl command line tool and carry the signing certificate in x5c, which
the registry trusts through auth.token.rootcertbundle.

  GET  /token?service=S&scope=repository:NAME:ACTIONS[&scope=...]
       [Authorization: Basic base64(user:password)]
       -> 200 {"token", "access_token", "expires_in", "issued_at"}
  POST /token  grant_type=refresh_token&refresh_token=T&service=S&scope=...
       -> 200 {"access_token", "expires_in", "scope"}   (identity tokens)

Anonymous callers get "pull" only; a known user gets what it asks for; a
wrong password gets 401 {"details":"incorrect username or password"}.
Listens on 127.0.0.1 only and stops by itself after --max-seconds.

usage: token_server.py --port P --key KEY --cert CERT --service S --issuer I
       [--users FILE (lines user:password)] [--identity-token T]
       [--expires-in N] [--only-access-token] [--max-seconds T] [--port-file F]
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def cert_der(path):
    pem = open(path, encoding="ascii").read()
    body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return base64.b64decode("".join(body.split()))


class Tokens:
    def __init__(self, a):
        self.a = a
        self.x5c = base64.b64encode(cert_der(a.cert)).decode()
        self.users = {}
        if a.users:
            for line in open(a.users, encoding="utf-8"):
                line = line.rstrip("\n")
                if ":" in line:
                    u, p = line.split(":", 1)
                    self.users[u] = p
        self.lock = threading.Lock()
        self.count = 0

    def jwt(self, sub, access):
        now = int(time.time())
        head = {"alg": "RS256", "typ": "JWT", "x5c": [self.x5c]}
        claims = {"iss": self.a.issuer, "sub": sub, "aud": self.a.service,
                  "iat": now, "nbf": now - 30, "exp": now + self.a.expires_in,
                  "jti": os.urandom(12).hex(), "access": access}
        signing = (b64u(json.dumps(head).encode()) + "." + b64u(json.dumps(claims).encode())).encode()
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.a.key],
                             input=signing, capture_output=True, check=True).stdout
        return signing.decode() + "." + b64u(sig)


def grant(scopes, user):
    access = []
    for s in scopes:
        for item in s.split():
            kind, _, rest = item.partition(":")
            name, _, actions = rest.rpartition(":")
            if not name:
                continue
            wanted = [x for x in actions.split(",") if x]
            if kind == "repository":
                ok = wanted if user else [x for x in wanted if x == "pull"]
            else:
                ok = ["*"] if user else []
            access.append({"type": kind, "name": name, "actions": ok})
    return access


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("token_server: %s\n" % (fmt % args))

    def reply(self, code, obj, headers=()):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        t = self.server.tokens
        u = urlparse(self.path)
        if u.path == "/healthz":
            return self.reply(200, {"ok": True})
        if u.path != "/token":
            return self.reply(404, {"details": "not found"})
        q = parse_qs(u.query)
        if q.get("service", [t.a.service])[0] != t.a.service:
            return self.reply(400, {"details": "unknown service"})
        user = ""
        auth = self.headers.get("Authorization", "")
        if auth[:6].lower() == "basic ":
            try:
                name, pw = base64.b64decode(auth[6:]).decode().split(":", 1)
            except Exception:  # malformed header
                return self.reply(400, {"details": "malformed basic credentials"})
            if t.users.get(name) != pw:
                return self.reply(401, {"details": "incorrect username or password"},
                                  [("WWW-Authenticate", 'Basic realm="dflint-token"')])
            user = name
        tok = t.jwt(user, grant(q.get("scope", []), user))
        body = {"access_token": tok, "expires_in": t.a.expires_in,
                "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        if not t.a.only_access_token:
            body["token"] = tok
        self.reply(200, body)

    def do_POST(self):
        t = self.server.tokens
        if urlparse(self.path).path != "/token":
            return self.reply(404, {"details": "not found"})
        n = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(min(n, 65536)).decode())
        if form.get("grant_type", [""])[0] != "refresh_token" or not t.a.identity_token \
                or form.get("refresh_token", [""])[0] != t.a.identity_token:
            return self.reply(401, {"error": "invalid_grant"})
        scopes = form.get("scope", [])
        tok = t.jwt("identity-user", grant(scopes, "identity-user"))
        self.reply(200, {"access_token": tok, "expires_in": t.a.expires_in, "scope": " ".join(scopes)})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--key", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--service", required=True)
    ap.add_argument("--issuer", required=True)
    ap.add_argument("--users")
    ap.add_argument("--identity-token")
    ap.add_argument("--expires-in", type=int, default=300)
    ap.add_argument("--only-access-token", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=1800)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.tokens = Tokens(a)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as fh:
            fh.write("%d\n" % srv.server_address[1])
        os.replace(a.port_file + ".tmp", a.port_file)
    threading.Timer(a.max_seconds, srv.shutdown).start()
    srv.serve_forever()
    os._exit(0)


if __name__ == "__main__":
    main()
