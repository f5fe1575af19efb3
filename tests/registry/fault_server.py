#!/usr/bin/env python3
"""A misbehaving registry for dflint's client tests. Standard library only,
127.0.0.1 only, bounded: it stops by itself after --max-requests requests
or --max-seconds seconds, whichever comes first.

Every repository "<scenario>/image" serves one small valid image (a Docker
v2 manifest, its config blob; tag names are free) unless the scenario says
otherwise:

  ok            no fault
  delay         answers manifests after 1.5 s (shows requests run concurrently)
  slow          stalls before answering (--slow-seconds, default 30)
  slow-body     sends the headers and half the body, then stalls
  auth-loop     401 with a Bearer challenge, even with the token it hands out
  bad-challenge 401 with a WWW-Authenticate header that is not a challenge
  token-fail    Bearer challenge whose token endpoint answers 503
  missing       404 MANIFEST_UNKNOWN
  error-plain   404 with a plain-text body
  denied        403 DENIED
  rate-limit    429 + Retry-After: 1 on the first request for a path, then 200
  rate-limit-always   429 + Retry-After: 1 and a TOOMANYREQUESTS body, always
  rate-limit-long     429 + Retry-After: 3600
  flaky         500 on the first request for a path, then 200
  error500      500, always
  truncated     200 with the first half of the manifest (valid length)
  cut-off       Content-Length of the whole manifest, half of it, then close
  invalid-json  200 with an HTML page as the manifest
  oversized     200 with a 6 MiB manifest (Content-Length set)
  oversized-stream    the same without Content-Length (close-delimited)
  bad-digest    an index whose entry names a digest its manifest does not have
  redirect-http manifest 307 to plain http (--http-url, else an .invalid host)
  redirect-loop manifest 302 to itself
  blob-redirect Bearer auth; the config blob 307s to http://localhost:PORT/cdn/,
                which refuses (400) any request that carries Authorization

GET /__stats gives the request count per path as JSON ("paths"; HEAD
requests are also counted apart, under "heads"). With --proxy-to
HOST:PORT the server is also a forward HTTP proxy: a request for an absolute
http:// URL is relayed to HOST:PORT whatever host it names (counted under
"proxied").

usage: fault_server.py --port-file F [--port P] [--tls-cert C --tls-key K]
       [--http-url URL] [--proxy-to HOST:PORT] [--slow-seconds S]
       [--max-requests N] [--max-seconds T]
"""
import argparse
import hashlib
import http.client
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

MT_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MT_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MT_CONFIG = "application/vnd.docker.container.image.v1+json"
TOKEN = "fault-server-token"


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def image_for(name):
    """(manifest bytes, config bytes) of the one image `name` serves."""
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "created": "2026-02-03T04:05:06Z",
                      "config": {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["sh"],
                                 "Labels": {"io.dflint.fault": name}},
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "1" * 64]}},
                     separators=(",", ":")).encode()
    man = json.dumps({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                      "config": {"mediaType": MT_CONFIG, "size": len(cfg), "digest": digest(cfg)},
                      "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                                  "size": 1234, "digest": "sha256:" + "2" * 64}]},
                     separators=(",", ":")).encode()
    return man, cfg


class State:
    def __init__(self, a):
        self.a = a
        self.lock = threading.Lock()
        self.total = 0
        self.paths = {}
        self.heads = {}
        self.port = 0
        self.stop = threading.Event()

    def count(self, key):
        with self.lock:
            self.total += 1
            self.paths[key] = self.paths.get(key, 0) + 1
            n = self.paths[key]
            if self.total >= self.a.max_requests:
                self.stop.set()
            return n


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("fault_server: %s\n" % (fmt % args))

    def send(self, code, body=b"", ctype="application/json", headers=(), length=True):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, code, errcode, message, headers=()):
        body = json.dumps({"errors": [{"code": errcode, "message": message}]}).encode()
        self.send(code, body, headers=headers)

    def challenge(self, scenario):
        realm = "%s://127.0.0.1:%d/token" % ("https" if self.server.is_tls else "http", self.server.st.port)
        return ("WWW-Authenticate",
                'Bearer realm="%s",service="fault",scope="repository:%s/image:pull"' % (realm, scenario))

    def do_HEAD(self):
        st = self.server.st
        with st.lock:
            p = urlparse(self.path).path
            st.heads[p] = st.heads.get(p, 0) + 1
        self.do_GET()

    def do_GET(self):
        st = self.server.st
        if self.path.startswith("http://"):
            return self.proxy()
        u = urlparse(self.path)
        path = u.path
        if path == "/__stats":
            with st.lock:
                body = json.dumps({"total": st.total, "paths": st.paths, "heads": st.heads}).encode()
            return self.send(200, body)
        n = st.count(path)
        if path == "/token":
            if "token-fail" in u.query:
                return self.error(503, "UNAVAILABLE", "token service down")
            return self.send(200, json.dumps({"token": TOKEN, "expires_in": 300}).encode())
        if path.startswith("/cdn/"):
            if self.headers.get("Authorization"):
                return self.send(400, b"Authorization leaked to the CDN\n", "text/plain")
            name = path.split("/")[2]
            return self.send(200, image_for(name)[1], "application/octet-stream")
        if path == "/v2/" or path == "/v2":
            return self.send(200, b"{}")
        parts = path.split("/")
        # /v2/<scenario>/image/(manifests|blobs)/<ref>
        if len(parts) != 6 or parts[0] != "" or parts[1] != "v2" or parts[3] != "image":
            return self.send(404, b"404 page not found\n", "text/plain; charset=utf-8")
        scenario, kind, ref = parts[2], parts[4], parts[5]
        return self.scenario(scenario, kind, ref, n)

    def scenario(self, sc, kind, ref, n):
        man, cfg = image_for(sc)
        auth = self.headers.get("Authorization", "")
        if sc in ("auth-loop", "blob-redirect", "token-fail") and (
                sc != "blob-redirect" or auth != "Bearer " + TOKEN):
            ch = self.challenge(sc)
            if sc == "token-fail":
                ch = (ch[0], ch[1].replace("/token", "/token?token-fail=1"))
            return self.error(401, "UNAUTHORIZED", "authentication required", [ch])
        if sc == "bad-challenge":
            return self.error(401, "UNAUTHORIZED", "authentication required",
                              [("WWW-Authenticate", "Negotiate,,, =garbage")])
        if kind == "blobs":
            if ref != digest(cfg):
                return self.error(404, "BLOB_UNKNOWN", "blob unknown to registry")
            if sc == "blob-redirect":
                return self.send(307, b"", None, [("Location", "http://localhost:%d/cdn/%s/%s" %
                                                   (self.server.st.port, sc, ref))])
            return self.send(200, cfg, "application/octet-stream")
        if kind != "manifests":
            return self.send(404, b"404 page not found\n", "text/plain")
        hdr = [("Docker-Content-Digest", digest(man))]
        if sc == "delay":
            time.sleep(1.5)
        elif sc == "slow":
            time.sleep(self.server.st.a.slow_seconds)
        elif sc == "slow-body":
            self.send_response(200)
            self.send_header("Content-Type", MT_MANIFEST)
            self.send_header("Content-Length", str(len(man)))
            self.end_headers()
            self.wfile.write(man[: len(man) // 2])
            self.wfile.flush()
            time.sleep(self.server.st.a.slow_seconds)
            self.close_connection = True
            return
        elif sc == "missing":
            return self.error(404, "MANIFEST_UNKNOWN", "manifest unknown")
        elif sc == "error-plain":
            return self.send(404, b"404 page not found\n", "text/plain; charset=utf-8")
        elif sc == "denied":
            return self.error(403, "DENIED", "requested access to the resource is denied")
        elif sc == "rate-limit" and n == 1 or sc == "rate-limit-always":
            return self.error(429, "TOOMANYREQUESTS", "You have reached your pull rate limit.",
                              [("Retry-After", "1")])
        elif sc == "rate-limit-long":
            return self.error(429, "TOOMANYREQUESTS", "You have reached your pull rate limit.",
                              [("Retry-After", "3600")])
        elif sc == "flaky" and n == 1 or sc == "error500":
            return self.send(500, b"internal error\n", "text/plain")
        elif sc == "truncated":
            return self.send(200, man[: len(man) // 2], MT_MANIFEST)
        elif sc == "cut-off":
            self.send_response(200)
            self.send_header("Content-Type", MT_MANIFEST)
            self.send_header("Content-Length", str(len(man)))
            self.end_headers()
            self.wfile.write(man[: len(man) // 2])
            self.close_connection = True
            return
        elif sc == "invalid-json":
            return self.send(200, b"<html><body>Welcome to the proxy</body></html>", MT_MANIFEST)
        elif sc == "oversized":
            return self.send(200, b" " * (6 << 20), MT_MANIFEST)
        elif sc == "oversized-stream":
            self.send_response(200)
            self.send_header("Content-Type", MT_MANIFEST)
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(96):
                    self.wfile.write(b" " * 65536)
            except OSError:
                pass
            self.close_connection = True
            return
        elif sc == "redirect-http":
            target = self.server.st.a.http_url or "http://registry.dflint.invalid"
            return self.send(307, b"", None, [("Location", target + "/v2/ok/image/manifests/1")])
        elif sc == "redirect-loop":
            return self.send(302, b"", None, [("Location", self.path)])
        elif sc == "bad-digest":
            if ref.startswith("sha256:"):
                return self.send(200, man, MT_MANIFEST, hdr)
            lst = json.dumps({"schemaVersion": 2, "mediaType": MT_LIST, "manifests": [
                {"mediaType": MT_MANIFEST, "size": len(man), "digest": "sha256:" + "3" * 64,
                 "platform": {"architecture": "amd64", "os": "linux"}}]}).encode()
            return self.send(200, lst, MT_LIST, [("Docker-Content-Digest", digest(lst))])
        return self.send(200, man, MT_MANIFEST, hdr)

    def proxy(self):
        st = self.server.st
        if not st.a.proxy_to:
            return self.send(502, b"not a proxy\n", "text/plain")
        st.count("proxied")
        u = urlparse(self.path)
        host, port = st.a.proxy_to.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in ("host", "proxy-connection", "connection")}
        conn.request(self.command, u.path + ("?" + u.query if u.query else ""), headers=hdrs)
        r = conn.getresponse()
        body = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--http-url")
    ap.add_argument("--proxy-to")
    ap.add_argument("--slow-seconds", type=float, default=30)
    ap.add_argument("--max-requests", type=int, default=2000)
    ap.add_argument("--max-seconds", type=float, default=600)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.is_tls = bool(a.tls_cert)
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        # the handshake happens in the handler thread, not in the accept loop
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    st = State(a)
    st.port = srv.server_address[1]
    srv.st = st
    with open(a.port_file + ".tmp", "w") as fh:
        fh.write("%d\n" % st.port)
    os.replace(a.port_file + ".tmp", a.port_file)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    st.stop.wait(a.max_seconds)
    # the last request gets its answer before the listener closes
    time.sleep(0.2)
    srv.shutdown()
    os._exit(0)


if __name__ == "__main__":
    main()
