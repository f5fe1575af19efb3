/* The advisor's registry client: what a base image really is, read from its
 * registry (Docker Registry HTTP API v2 / OCI distribution), for the platform
 * a build uses. For each reference it resolves the tag (or digest) to a
 * manifest, picks the platform's image from an index or manifest list
 * (skipping attestation entries), and reads the image config: the digests,
 * the compressed size a pull transfers, and the config fields an advisor
 * cares about (created, user, env, entrypoint, cmd, labels).
 *
 * All references of a run are fetched concurrently, each once; answers are
 * kept in an on-disk cache with a lifetime. Credentials come from Docker's
 * config.json and credential helpers; they are sent only to the host they
 * are stored for, and never printed or written anywhere. docs/registry.md
 * describes the behaviour, the options and the messages. */
#ifndef DFLINT_REGISTRY_H
#define DFLINT_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dfl_transport;

typedef struct dfl_registry_opts {
  /* Time to establish one connection (0: 5000 ms). */
  long connect_timeout_ms;
  /* Time budget of one image at one endpoint, every request, retry and
   * redirect included (0: 30000 ms). A mirror and the origin each get one. */
  long timeout_ms;
  /* Largest response body accepted, manifests and configs (0: 4 MiB). */
  size_t max_body;
  /* How many times a 429 or 5xx answer is retried within the budget
   * (0: 3; negative: never). */
  int retries;
  /* Hosts ("host" or "host:port") that may be reached over plain HTTP, as
   * Docker's insecure-registries. Loopback hosts always may. */
  const char *const *insecure_registries;
  size_t n_insecure_registries;
  /* "DOMAIN=URL" (or just "URL", meaning docker.io): images of DOMAIN are
   * asked from URL first, then from the next mirror, then from DOMAIN
   * itself, as Docker's registry-mirrors do for Docker Hub. */
  const char *const *mirrors;
  size_t n_mirrors;
  /* PEM file of extra certificate authorities to trust (besides the
   * system's CA directory); NULL for none. */
  const char *ca_cert;
  /* Cache directory; NULL: $XDG_CACHE_HOME/dflint, else ~/.cache/dflint. */
  const char *cache_dir;
  /* Seconds a cached answer for a tag stays fresh (0: 86400). Answers for a
   * digest reference never change and never expire. */
  long cache_ttl;
  bool no_cache; /* neither read nor write the cache */
  /* Docker's config.json; NULL: $DOCKER_CONFIG/config.json, else
   * ~/.docker/config.json. */
  const char *docker_config;
  /* Seconds a docker-credential-* helper may run (0: 10). */
  long helper_timeout_s;
  /* The HTTP transport; NULL: libcurl's (tests pass a fake one). */
  struct dfl_transport *transport;
} dfl_registry_opts;

typedef struct dfl_image_label {
  char *key;
  char *value;
} dfl_image_label;

/* What one reference resolved to. Strings are malloc'd; NULL when absent.
 * Free with dfl_image_info_free. */
typedef struct dfl_image_info {
  char *ref;      /* normalized reference: docker.io/library/alpine:3.20 */
  char *platform; /* the platform asked for, normalized: linux/arm64/v8 */
  /* sha256 of the exact bytes of the manifest the reference names: the
   * index or manifest list for a multi-platform tag (what `docker pull`
   * prints), else the image manifest. */
  char *digest;
  char *media_type;
  /* The platform's image manifest (same as digest when there is no index). */
  char *manifest_digest;
  char *manifest_media_type;
  char *config_digest;
  int64_t compressed_bytes; /* config + layers: what a pull transfers */
  int64_t layers_bytes;     /* sum of layers[].size */
  int64_t config_bytes;
  size_t layers;
  /* From the image config. */
  char *created; /* RFC 3339, as written */
  char *os, *architecture, *variant;
  char *user;    /* "" when the config sets none (root) */
  char *workdir;
  char **env;
  size_t n_env;
  char **entrypoint; /* NULL when unset */
  size_t n_entrypoint;
  char **cmd; /* NULL when unset */
  size_t n_cmd;
  dfl_image_label *labels;
  size_t n_labels;
  /* Where the answer came from: "registry" or "cache" (static strings). */
  const char *source;
  char *registry;     /* the endpoint that answered: https://registry-1.docker.io */
  int64_t fetched_at; /* Unix time the registry answered */
  /* Served from an expired cache entry because the registry failed; the
   * failure is in warning. */
  bool stale;
  char *warning; /* non-fatal notes, "; "-separated; NULL if none */
  char *error;   /* why the reference could not be resolved; NULL on success */
  /* With error: the reference names an index that has no image for the
   * platform; these are the platforms it has, ", "-separated ("" for
   * none). NULL otherwise. */
  char *platforms;
} dfl_image_info;

/* Checks what dfl_registry_fetch_many would refuse: mirror specifications,
 * plain-http mirrors of hosts that are not allowed plain HTTP. Returns 0, or
 * -1 with *err (malloc'd). */
int dfl_registry_opts_check(const dfl_registry_opts *o, char **err);

/* Resolves refs[0..n) (as written after FROM: "alpine:3.20",
 * "ghcr.io/x/y@sha256:...") for platform ("linux/amd64" when NULL), all
 * concurrently, each distinct reference once, and fills out[0..n) (zeroed
 * first). Returns how many failed (out[i].error set), or -1 when the options
 * are invalid (every out[i].error says why). */
int dfl_registry_fetch_many(const dfl_registry_opts *o, const char *const *refs,
                            size_t n, const char *platform, dfl_image_info *out);

void dfl_image_info_free(dfl_image_info *info);

#endif
