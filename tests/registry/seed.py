#!/usr/bin/env python3
"""Pushes dflint's synthetic test images to a registry through the HTTP API.

Standard library only. Every blob is a monolithic upload (POST to open the
upload, one PUT with the whole body and ?digest=); manifests are PUT by tag,
or by digest for the platform manifests an index points at. Layer bytes are
deterministic (seeded pseudo-random data in a gzip'd tar), so the digests
are stable for one Python/zlib.

What gets pushed (repository:tag - format - platforms):
  library/alpine:3.20, :latest   OCI index, amd64 + arm64/v8 + arm/v7, with two
                                 BuildKit attestation entries (unknown/unknown),
                                 one of them first in the list
  library/node:20-alpine         Docker manifest list, amd64 + arm64/v8 + arm/v7
  library/debian:bookworm        a single Docker v2 manifest (amd64)
  library/node:20                a single Docker v2 manifest (amd64), lighter
                                 than node:20-alpine here (DF101 --online)
  library/busybox:latest         a single OCI manifest (amd64) without the
                                 optional mediaType field
  distroless/static-debian12:nonroot
                                 OCI index, amd64 + arm64 (no variant), user 65532
  dflint/platforms:1             OCI index: windows/amd64 first, then linux
                                 amd64, arm/v6, arm/v7, arm64/v8, s390x

Writes the expectations as JSON (--expected FILE): per tag the digest and
media type of what the tag points at and, per platform, the image manifest's
digest, the config digest and size, the layer bytes, the compressed size
(config + layers) and the config fields a client reports.

usage: seed.py --url URL [--cacert FILE] [--user U --password P]
               [--auth none|basic|token] --expected FILE
"""
import argparse
import base64
import gzip
import hashlib
import io
import json
import random
import ssl
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request

MT_D_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MT_D_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MT_D_CONFIG = "application/vnd.docker.container.image.v1+json"
MT_D_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
MT_O_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_O_INDEX = "application/vnd.oci.image.index.v1+json"
MT_O_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_O_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"

PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def sha256(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def canonical(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False).encode()


def make_layer(name, size):
    """A gzip'd tar holding one file of `size` pseudo-random bytes."""
    data = random.Random("dflint-layer:" + name).randbytes(size)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo("layer/" + name + ".bin")
        info.size = len(data)
        info.mtime = 0
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue(), sha256(raw.getvalue())


class Registry:
    def __init__(self, url, cacert, auth, user, password):
        self.url = url.rstrip("/")
        self.auth = auth
        self.user = user
        self.password = password
        self.tokens = {}
        ctx = None
        if url.startswith("https://"):
            ctx = ssl.create_default_context(cafile=cacert) if cacert else ssl.create_default_context()
        # never through a proxy: the registry is on loopback
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=ctx))
        self.pushed = set()

    def _basic(self):
        raw = ("%s:%s" % (self.user, self.password)).encode()
        return "Basic " + base64.b64encode(raw).decode()

    def _token(self, repo, challenge):
        if repo in self.tokens:
            return self.tokens[repo]
        params = dict(p.split("=", 1) for p in challenge.split(" ", 1)[1].split(","))
        params = {k.strip(): v.strip().strip('"') for k, v in params.items()}
        q = urllib.parse.urlencode({"service": params.get("service", ""),
                                    "scope": "repository:%s:pull,push" % repo})
        req = urllib.request.Request(params["realm"] + "?" + q,
                                     headers={"Authorization": self._basic()})
        with self.opener.open(req, timeout=30) as r:
            body = json.loads(r.read())
        tok = body.get("token") or body.get("access_token")
        self.tokens[repo] = tok
        return tok

    def request(self, method, path, repo, body=None, headers=None, full_url=None):
        url = full_url or self.url + path
        hdrs = dict(headers or {})
        for attempt in range(2):
            if self.auth == "basic":
                hdrs["Authorization"] = self._basic()
            elif self.auth == "token" and repo in self.tokens:
                hdrs["Authorization"] = "Bearer " + self.tokens[repo]
            req = urllib.request.Request(url, data=body, method=method, headers=hdrs)
            try:
                with self.opener.open(req, timeout=60) as r:
                    return r.status, dict(r.headers), r.read()
            except urllib.error.HTTPError as e:
                if e.code == 401 and self.auth == "token" and attempt == 0:
                    self._token(repo, e.headers.get("WWW-Authenticate", ""))
                    continue
                return e.code, dict(e.headers), e.read()
        raise RuntimeError("unreachable")

    def push_blob(self, repo, data):
        digest = sha256(data)
        if (repo, digest) in self.pushed:
            return digest
        code, _, _ = self.request("HEAD", "/v2/%s/blobs/%s" % (repo, digest), repo)
        if code == 200:
            self.pushed.add((repo, digest))
            return digest
        code, hdrs, body = self.request("POST", "/v2/%s/blobs/uploads/" % repo, repo, body=b"")
        if code != 202:
            sys.exit("seed: POST upload to %s: %d %s" % (repo, code, body[:200]))
        loc = hdrs.get("Location") or hdrs.get("location")
        if loc.startswith("/"):
            loc = self.url + loc
        loc += ("&" if "?" in loc else "?") + "digest=" + urllib.parse.quote(digest)
        code, _, body = self.request("PUT", None, repo, body=data, full_url=loc,
                                     headers={"Content-Type": "application/octet-stream",
                                              "Content-Length": str(len(data))})
        if code != 201:
            sys.exit("seed: PUT blob %s to %s: %d %s" % (digest, repo, code, body[:200]))
        self.pushed.add((repo, digest))
        return digest

    def push_manifest(self, repo, ref, data, media_type):
        code, hdrs, body = self.request("PUT", "/v2/%s/manifests/%s" % (repo, ref), repo,
                                        body=data, headers={"Content-Type": media_type})
        if code != 201:
            sys.exit("seed: PUT manifest %s:%s: %d %s" % (repo, ref, code, body[:300]))
        got = hdrs.get("Docker-Content-Digest") or hdrs.get("docker-content-digest")
        if got != sha256(data):
            sys.exit("seed: registry digest %s != %s for %s:%s" % (got, sha256(data), repo, ref))
        return got


def platform_of(spec):
    parts = spec.split("/")
    p = {"architecture": parts[1], "os": parts[0]}
    if len(parts) > 2:
        p["variant"] = parts[2]
    return p


class Seeder:
    def __init__(self, reg):
        self.reg = reg
        self.expected = {}
        self.layers = {}

    def layer(self, name, size):
        if name not in self.layers:
            self.layers[name] = make_layer(name, size)
        return self.layers[name]

    def image(self, repo, fmt, plat, layers, meta):
        """Pushes config, layers and the image manifest; returns its descriptor
        (for an index) and its expectations."""
        p = platform_of(plat)
        layer_descs, diff_ids, total = [], [], 0
        mt_layer = MT_D_LAYER if fmt == "docker" else MT_O_LAYER
        for name, size in layers:
            blob, diff = self.layer(name, size)
            d = self.reg.push_blob(repo, blob)
            layer_descs.append({"mediaType": mt_layer, "size": len(blob), "digest": d})
            diff_ids.append(diff)
            total += len(blob)
        cfg = {"architecture": p["architecture"]}
        if "variant" in p:
            cfg["variant"] = p["variant"]
        cfg["os"] = p["os"]
        if "os.version" in meta:
            cfg["os.version"] = meta["os.version"]
        cfg["created"] = meta["created"]
        c = {"Env": meta.get("env", [PATH_ENV])}
        for k in ("Entrypoint", "Cmd", "User", "WorkingDir"):
            if k in meta:
                c[k] = meta[k]
        c["Labels"] = dict(meta.get("labels", {}), **{"io.dflint.fixture": "tests/registry",
                                                      "io.dflint.image": repo + " " + plat})
        cfg["config"] = c
        cfg["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
        cfg["history"] = [{"created": meta["created"], "created_by": "layer %d" % i}
                          for i in range(len(layers))] + [
            {"created": meta["created"], "created_by": "CMD", "empty_layer": True}]
        cfg_bytes = canonical(cfg)
        cfg_digest = self.reg.push_blob(repo, cfg_bytes)
        man = {"schemaVersion": 2}
        if fmt == "docker":
            man["mediaType"] = MT_D_MANIFEST
        elif not meta.get("omit_media_type"):
            man["mediaType"] = MT_O_MANIFEST
        man["config"] = {"mediaType": MT_D_CONFIG if fmt == "docker" else MT_O_CONFIG,
                         "size": len(cfg_bytes), "digest": cfg_digest}
        man["layers"] = layer_descs
        man_bytes = canonical(man)
        mt = MT_D_MANIFEST if fmt == "docker" else MT_O_MANIFEST
        man_digest = self.reg.push_manifest(repo, sha256(man_bytes), man_bytes, mt)
        exp = {
            "manifest_digest": man_digest,
            "manifest_media_type": mt,
            "config_digest": cfg_digest,
            "config_bytes": len(cfg_bytes),
            "layers_bytes": total,
            "layers": len(layers),
            "compressed_bytes": total + len(cfg_bytes),
            "os": p["os"],
            "architecture": p["architecture"],
            "variant": p.get("variant"),
            "created": meta["created"],
            "user": c.get("User", ""),
            "env": c["Env"],
            "entrypoint": c.get("Entrypoint"),
            "cmd": c.get("Cmd"),
            "labels": c["Labels"],
        }
        self.last_manifest = man_bytes
        desc = {"mediaType": mt, "digest": man_digest, "size": len(man_bytes), "platform": p}
        if "os.version" in meta:
            desc["platform"] = dict(p, **{"os.version": meta["os.version"]})
        return desc, exp

    def attestation(self, repo, subject):
        stmt = canonical({"_type": "https://in-toto.io/Statement/v0.1",
                          "predicateType": "https://spdx.dev/Document",
                          "subject": [{"name": "fixture", "digest": {"sha256": subject[7:]}}],
                          "predicate": {"note": "dflint test attestation"}})
        sd = self.reg.push_blob(repo, stmt)
        cfg = canonical({"architecture": "unknown", "os": "unknown", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [sd]}})
        cd = self.reg.push_blob(repo, cfg)
        man = canonical({"schemaVersion": 2, "mediaType": MT_O_MANIFEST,
                         "config": {"mediaType": MT_O_CONFIG, "size": len(cfg), "digest": cd},
                         "layers": [{"mediaType": "application/vnd.in-toto+json", "size": len(stmt),
                                     "digest": sd, "annotations": {
                                         "in-toto.io/predicate-type": "https://spdx.dev/Document"}}]})
        d = self.reg.push_manifest(repo, sha256(man), man, MT_O_MANIFEST)
        return {"mediaType": MT_O_MANIFEST, "digest": d, "size": len(man),
                "annotations": {"vnd.docker.reference.digest": subject,
                                "vnd.docker.reference.type": "attestation-manifest"},
                "platform": {"architecture": "unknown", "os": "unknown"}}

    def index(self, repo, tags, fmt, entries, plats, annotations=None):
        idx = {"schemaVersion": 2, "mediaType": MT_D_LIST if fmt == "docker" else MT_O_INDEX,
               "manifests": entries}
        if annotations:
            idx["annotations"] = annotations
        data = canonical(idx)
        for tag in tags:
            d = self.reg.push_manifest(repo, tag, data, idx["mediaType"])
            self.expected["%s:%s" % (repo, tag)] = {
                "digest": d, "media_type": idx["mediaType"], "platforms": plats}

    def single(self, repo, tags, fmt, plat, layers, meta):
        desc, exp = self.image(repo, fmt, plat, layers, meta)
        for tag in tags:
            # the same bytes again, under the tag
            d = self.reg.push_manifest(repo, tag, self.last_manifest, desc["mediaType"])
            self.expected["%s:%s" % (repo, tag)] = {
                "digest": d, "media_type": desc["mediaType"], "platforms": {plat: exp}}

    def run(self):
        alpine_meta = {"created": "2025-10-08T11:10:03Z", "Cmd": ["/bin/sh"]}
        ents, plats = [], {}
        for plat, lname, size in (("linux/amd64", "alpine-amd64", 36000),
                                  ("linux/arm64/v8", "alpine-arm64", 40000),
                                  ("linux/arm/v7", "alpine-armv7", 33000)):
            desc, exp = self.image("library/alpine", "oci", plat, [(lname, size)], alpine_meta)
            plats[plat] = exp
            if plat == "linux/amd64":
                ents.append(self.attestation("library/alpine", desc["digest"]))
                ents.append(desc)
            elif plat == "linux/arm64/v8":
                ents.append(desc)
                ents.append(self.attestation("library/alpine", desc["digest"]))
            else:
                ents.append(desc)
        self.index("library/alpine", ["3.20", "latest"], "oci", ents, plats)

        node_meta = {"created": "2024-04-11T12:24:01Z", "Entrypoint": ["docker-entrypoint.sh"],
                     "Cmd": ["node"], "env": [PATH_ENV, "NODE_VERSION=20.12.2", "YARN_VERSION=1.22.19"],
                     "labels": {"org.opencontainers.image.version": "20.12.2"}}
        ents, plats = [], {}
        for plat, arch, base in (("linux/amd64", "amd64", "alpine-amd64"),
                                 ("linux/arm64/v8", "arm64", "alpine-arm64"),
                                 ("linux/arm/v7", "armv7", "alpine-armv7")):
            layers = [(base, {"amd64": 36000, "arm64": 40000, "armv7": 33000}[arch]),
                      ("node20-" + arch, 420000), ("yarn-" + arch, 12000), ("entry-" + arch, 300)]
            desc, exp = self.image("library/node", "docker", plat, layers, node_meta)
            ents.append(desc)
            plats[plat] = exp
        self.index("library/node", ["20-alpine"], "docker", ents, plats)

        self.single("library/debian", ["bookworm"], "docker", "linux/amd64",
                    [("debian-bookworm-amd64", 480000)],
                    {"created": "2025-01-13T00:00:00Z", "Cmd": ["bash"]})
        # Lighter than node:20-alpine above: with registry figures DF101 must
        # not offer node:20-alpine for it (dflint check --online).
        self.single("library/node", ["20"], "docker", "linux/amd64",
                    [("node20-full-amd64", 50000)], node_meta)
        self.single("library/busybox", ["latest"], "oci", "linux/amd64",
                    [("busybox-amd64", 22000)],
                    {"created": "2024-09-26T21:31:42Z", "Cmd": ["sh"], "omit_media_type": True})

        dl_meta = {"created": "1970-01-01T00:00:00Z", "User": "65532", "WorkingDir": "/home/nonroot",
                   "env": [PATH_ENV, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]}
        ents, plats = [], {}
        for plat, lname in (("linux/amd64", "dl-static-amd64"), ("linux/arm64", "dl-static-arm64")):
            desc, exp = self.image("distroless/static-debian12", "oci", plat, [(lname, 10000)], dl_meta)
            ents.append(desc)
            plats[plat] = exp
        self.index("distroless/static-debian12", ["nonroot"], "oci", ents, plats,
                   annotations={"org.opencontainers.image.source": "https://example.invalid/distroless"})

        ents, plats = [], {}
        pm = {"created": "2026-01-02T03:04:05Z", "Cmd": ["/bin/true"]}
        for plat, lname, size in (("windows/amd64", "plat-win", 5000),
                                  ("linux/amd64", "plat-amd64", 2000),
                                  ("linux/arm/v6", "plat-armv6", 2100),
                                  ("linux/arm/v7", "plat-armv7", 2200),
                                  ("linux/arm64/v8", "plat-arm64", 2300),
                                  ("linux/s390x", "plat-s390x", 2400)):
            meta = dict(pm, **({"os.version": "10.0.20348.2655"} if plat.startswith("windows") else {}))
            desc, exp = self.image("dflint/platforms", "oci", plat, [(lname, size)], meta)
            ents.append(desc)
            plats[plat] = exp
        self.index("dflint/platforms", ["1"], "oci", ents, plats)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--cacert")
    ap.add_argument("--auth", default="none", choices=["none", "basic", "token"])
    ap.add_argument("--user", default="")
    ap.add_argument("--password", default="")
    ap.add_argument("--expected", required=True)
    a = ap.parse_args()
    s = Seeder(Registry(a.url, a.cacert, a.auth, a.user, a.password))
    s.run()
    with open(a.expected + ".tmp", "w", encoding="utf-8") as fh:
        json.dump({"images": s.expected}, fh, indent=1, sort_keys=True)
    import os
    os.replace(a.expected + ".tmp", a.expected)


if __name__ == "__main__":
    main()
