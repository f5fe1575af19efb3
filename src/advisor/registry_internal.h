/* Internals of the registry client (include/dflint/registry.h), declared
 * here so the unit tests can reach the pure parts:
 *   oci.c     challenge, token, error-body, manifest, index and config JSON;
 *             platform choice; sha256 and digests
 *   auth.c    credentials: config.json auths, credsStore/credHelpers
 *   mirror.c  --registry-mirror specifications and endpoint lists
 *   cache.c   the on-disk answer cache
 *   registry.c the fetch state machine over a transport */
#ifndef DFLINT_ADVISOR_REGISTRY_INTERNAL_H
#define DFLINT_ADVISOR_REGISTRY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/platform.h"
#include "dflint/registry.h"

/* ---- oci.c: sha256 and digests ------------------------------------------ */

typedef struct dfl_sha256 {
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t nbuf;
} dfl_sha256;

void dfl_sha256_init(dfl_sha256 *c);
void dfl_sha256_update(dfl_sha256 *c, const void *data, size_t len);
void dfl_sha256_final(dfl_sha256 *c, unsigned char out[32]);
/* "sha256:<64 hex>" of data, into out (72 bytes at least). */
void dfl_sha256_digest(const void *data, size_t len, char out[72]);
/* True for "sha256:" + 64 lower-case hex digits: the only digests the client
 * puts in a URL or verifies (others are refused as unsupported). */
bool dfl_digest_valid(const char *d);

/* ---- oci.c: WWW-Authenticate -------------------------------------------- */

typedef struct dfl_auth_param {
  char *name; /* lower case */
  char *value;
} dfl_auth_param;

typedef struct dfl_auth_challenge {
  char *scheme; /* lower case: "bearer", "basic" */
  dfl_auth_param *params;
  size_t n_params;
} dfl_auth_challenge;

/* Parses one WWW-Authenticate value (RFC 7235: several challenges, each
 * with comma-separated params, values as tokens or quoted strings that may
 * hold commas and \-escapes). Appends to *list / *n. Returns how many were
 * added (0 for a value that holds none). */
size_t dfl_auth_parse_challenges(const char *value, dfl_auth_challenge **list,
                                 size_t *n);
/* The value of a param (name case-insensitive), or NULL. */
const char *dfl_auth_challenge_param(const dfl_auth_challenge *c,
                                     const char *name);
void dfl_auth_challenges_free(dfl_auth_challenge *list, size_t n);

/* Token endpoint answer: "token" or "access_token" (either; both when
 * equal), "expires_in" (default 60). Returns 0 with *token malloc'd, or -1
 * with *err. */
int dfl_auth_parse_token(const char *body, size_t len, char **token,
                         long *expires_in, char **err);

/* A registry error body, as one line: "MANIFEST_UNKNOWN: manifest unknown"
 * from the v2 envelope {"errors":[{code,message}]}, Docker Hub's
 * {"details": ...} / {"message": ...}, or the first line of a short text
 * body; NULL when there is nothing readable. malloc'd. */
char *dfl_registry_error_text(const char *body, size_t len);

/* ---- oci.c: manifests ---------------------------------------------------- */

#define DFL_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define DFL_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define DFL_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define DFL_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
/* The Accept header of every manifest request: all four, or registries
 * rewrite (schema 1, amd64 only) or hide (404) what they hold. */
#define DFL_MANIFEST_ACCEPT                                                   \
  "Accept: " DFL_MT_OCI_INDEX ", " DFL_MT_OCI_MANIFEST ", " DFL_MT_DOCKER_LIST \
  ", " DFL_MT_DOCKER_MANIFEST

typedef struct dfl_oci_descriptor {
  char *media_type;
  char *digest;
  int64_t size;
  /* index entries only ("" when absent) */
  char *os, *architecture, *variant;
  bool attestation; /* BuildKit attestation manifest: never an image */
} dfl_oci_descriptor;

typedef enum dfl_oci_kind { DFL_OCI_IMAGE = 1, DFL_OCI_INDEX } dfl_oci_kind;

typedef struct dfl_oci_manifest {
  dfl_oci_kind kind;
  char *media_type; /* from Content-Type, else the body, else inferred */
  dfl_oci_descriptor config;  /* image */
  dfl_oci_descriptor *layers; /* image */
  size_t n_layers;
  dfl_oci_descriptor *manifests; /* index */
  size_t n_manifests;
} dfl_oci_manifest;

/* Parses a manifest body. content_type (may be NULL, parameters allowed) is
 * trusted first, then the body's mediaType, then the shape (manifests[] =
 * index, config+layers = image). Schema 1 and unknown types are refused.
 * Returns 0, or -1 with *err (malloc'd). */
int dfl_oci_parse_manifest(const char *body, size_t len, const char *content_type,
                           dfl_oci_manifest *out, char **err);
void dfl_oci_manifest_free(dfl_oci_manifest *m);

/* Picks the index entry for want: same OS and architecture; for arm, arm64
 * and amd64 the requested variant, else the highest lower one (arm64 with no
 * variant is v8, arm is v7, amd64 v1); attestation entries and entries that
 * are not image manifests are skipped. Returns the entry's index, or -1 with
 * *err listing the platforms the index has. */
long dfl_oci_choose_platform(const dfl_oci_manifest *idx, const dfl_platform *want,
                             char **err);

/* Fills the config fields of info (created, os, architecture, variant, user,
 * workdir, env, entrypoint, cmd, labels) from an image config blob. Returns
 * 0, or -1 with *err. */
int dfl_oci_parse_config(const char *body, size_t len, dfl_image_info *info,
                         char **err);

/* "os/arch[/variant]" of a platform as given (variant omitted when ""). */
/* The platforms of an index's image entries (attestations left out), in
 * its order, ", "-separated; "" when none. malloc'd. */
char *dfl_oci_index_platforms(const dfl_oci_manifest *idx);
char *dfl_oci_platform_string(const char *os, const char *arch, const char *variant);

/* ---- auth.c: credentials --------------------------------------------------- */

typedef struct dfl_credential {
  char *username;       /* NULL when none */
  char *secret;         /* password, or identity token when identity */
  bool identity;        /* secret is an OAuth2 refresh token (Username "<token>") */
  char *registry_token; /* a bearer to use as is ("registrytoken") */
} dfl_credential;

/* Looks up credentials for a registry host as Docker does: credHelpers[host],
 * else credsStore, else auths (keys normalized: scheme and path dropped;
 * Docker Hub's key is https://index.docker.io/v1/). host is the domain of
 * the reference ("docker.io", "127.0.0.1:5000") or a mirror's host.
 * config_path NULL: the default config.json. Returns 1 found, 0 none, -1
 * error (*err: a message without secrets; a helper that fails counts as
 * none). */
int dfl_auth_lookup(const char *config_path, const char *host, long helper_timeout_s,
                    dfl_credential *out, char **err);
/* The same from config.json text (helpers still run). */
int dfl_auth_lookup_json(const char *json_text, size_t len, const char *host,
                         long helper_timeout_s, dfl_credential *out, char **err);
/* Runs `docker-credential-<helper> get` with server on stdin. 1 found,
 * 0 not found, -1 error. */
int dfl_auth_run_helper(const char *helper, const char *server, long timeout_s,
                        dfl_credential *out, char **err);
/* The default config.json path (malloc'd) or NULL. */
char *dfl_auth_default_config_path(void);
/* "Basic base64(user:secret)" header value, malloc'd. */
char *dfl_auth_basic(const char *user, const char *secret);
/* Wipes and frees. */
void dfl_credential_free(dfl_credential *c);
/* Zeroes and frees a string that held a secret. */
void dfl_secret_free(char *s);

/* ---- mirror.c ------------------------------------------------------------- */

typedef struct dfl_mirror {
  char *domain; /* normalized: "docker.io", "127.0.0.1:5000" */
  char *url;    /* scheme://host[:port][/prefix], no trailing slash */
} dfl_mirror;

/* Parses "DOMAIN=URL" or "URL" (= docker.io). index.docker.io and
 * registry-1.docker.io are docker.io. The URL must be http(s) without query
 * or fragment; plain http only for a host that allows it. Returns 0, or -1
 * with *err. */
int dfl_mirror_parse(const char *spec, const char *const *insecure, size_t n_insecure,
                     dfl_mirror *out, char **err);
void dfl_mirror_free(dfl_mirror *m);

typedef struct dfl_endpoint {
  char *base;      /* "https://registry-1.docker.io", "http://127.0.0.1:5000/prefix" */
  char *host;      /* "registry-1.docker.io" (credentials are looked up for it) */
  char *cred_host; /* the name credentials are stored under: "docker.io" for Docker Hub */
  bool mirror;
} dfl_endpoint;

/* The endpoints to try for a reference's domain, in order: the mirrors of
 * that domain as given, then the origin (docker.io -> registry-1.docker.io;
 * https, or http for a host that allows plain http: the client tries https
 * first there and falls back). Returns the count; *out malloc'd. */
size_t dfl_mirror_endpoints(const dfl_mirror *m, size_t n, const char *domain,
                            const char *const *insecure, size_t n_insecure,
                            dfl_endpoint **out);
void dfl_endpoints_free(dfl_endpoint *e, size_t n);

/* ---- cache.c --------------------------------------------------------------- */

/* The cache directory of the options (malloc'd), or NULL when none can be
 * found (no XDG_CACHE_HOME and no HOME). */
char *dfl_cache_dir(const dfl_registry_opts *o);
/* The file that holds key: DIR/<sha256 hex of key>.json (malloc'd). */
char *dfl_cache_path(const char *dir, const char *key);
/* Reads the entry for key. Returns 1 fresh, 2 expired (still filled: a
 * fallback when the registry fails), 0 missing or unusable (corrupt,
 * partial, another key, another format: ignored, and replaced by the next
 * write). info->source is "cache". */
int dfl_cache_get(const char *dir, const char *key, long ttl, bool immutable,
                  int64_t now, dfl_image_info *info);
/* Stores info under key: a temporary file in the same directory, written,
 * fsync'ed and renamed over the entry, so a reader sees the old entry or the
 * new one, never a part. Returns 0, or -1 (the cache is an optimisation:
 * callers go on). */
int dfl_cache_put(const char *dir, const char *key, const dfl_image_info *info);

/* info as JSON (the cache's format, and `dflint inspect`'s output). */
struct json_t;
struct json_t *dfl_image_info_to_json(const dfl_image_info *info);
/* Fills info from that JSON; -1 when a field is missing or malformed. */
int dfl_image_info_from_json(const struct json_t *j, dfl_image_info *info);

/* ---- registry.c ------------------------------------------------------------ */

/* "normalized ref\nplatform": what the cache and the de-duplication key on. */
char *dfl_registry_key(const char *ref, const char *platform);

#endif
