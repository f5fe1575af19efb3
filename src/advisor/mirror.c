/* Registry mirrors (--registry-mirror DOMAIN=URL) and the list of endpoints
 * a reference is asked from. Docker's registry-mirrors apply to Docker Hub
 * only; containerd and Podman allow a mirror for any registry, and so does
 * dflint: images of DOMAIN are asked from its mirrors first, in the order
 * given, then from DOMAIN itself. A mirror is only ever given the
 * credentials stored for the mirror's own host. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/registry_internal.h"
#include "advisor/transport.h"
#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/refs.h"

static char *xstrdup(const char *s) { return s ? dfl_xstrndup(s, strlen(s)) : NULL; }

static char *lower(const char *s, size_t n)
{
  char *r = dfl_xstrndup(s, n);
  for (char *p = r; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return r;
}

/* Docker Hub's other names are docker.io. */
static char *normalize_domain(const char *s, size_t n)
{
  char *d = lower(s, n);
  if (strcmp(d, "index.docker.io") == 0 || strcmp(d, "registry-1.docker.io") == 0) {
    free(d);
    d = xstrdup(DFL_DOCKER_HUB_DOMAIN);
  }
  return d;
}

static void set_err(char **err, dfl_buf *b)
{
  if (err) {
    free(*err);
    *err = dfl_buf_take(b);
  } else {
    dfl_buf_free(b);
  }
}

int dfl_mirror_parse(const char *spec, const char *const *insecure, size_t n_insecure,
                     dfl_mirror *out, char **err)
{
  memset(out, 0, sizeof *out);
  dfl_buf e;
  dfl_buf_init(&e);
  const char *eq = strchr(spec, '=');
  const char *scheme_sep = strstr(spec, "://");
  const char *url = spec;
  char *domain;
  if (eq && (!scheme_sep || eq < scheme_sep)) {
    if (eq == spec) {
      dfl_buf_printf(&e, "registry mirror '%s': the domain before '=' is empty", spec);
      set_err(err, &e);
      return -1;
    }
    domain = normalize_domain(spec, (size_t)(eq - spec));
    url = eq + 1;
  } else {
    domain = xstrdup(DFL_DOCKER_HUB_DOMAIN);
  }
  for (const char *p = domain; *p; p++) {
    if (!(isalnum((unsigned char)*p) || strchr(".-:[]", *p))) {
      dfl_buf_printf(&e, "registry mirror '%s': '%s' is not a registry domain", spec, domain);
      free(domain);
      set_err(err, &e);
      return -1;
    }
  }
  char *scheme = NULL, *host = NULL;
  if (dfl_url_split(url, &scheme, &host) != 0 ||
      (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) ||
      strpbrk(url, "?#@ ") != NULL) {
    dfl_buf_printf(&e, "registry mirror '%s': expected DOMAIN=URL with an http(s) URL "
                       "(no user, query or fragment)", spec);
    free(domain);
    free(scheme);
    free(host);
    set_err(err, &e);
    return -1;
  }
  if (strcmp(scheme, "http") == 0 && !dfl_host_plain_http_allowed(host, insecure, n_insecure)) {
    dfl_buf_printf(&e, "registry mirror '%s': plain http is only allowed for loopback and "
                       "--insecure-registry hosts (add --insecure-registry %s)", spec, host);
    free(domain);
    free(scheme);
    free(host);
    set_err(err, &e);
    return -1;
  }
  /* scheme://host[/prefix], without trailing slashes, and without a /v2
   * the user may have copied from an API URL */
  size_t n = strlen(url);
  while (n && url[n - 1] == '/')
    n--;
  if (n >= 3 && strncmp(url + n - 3, "/v2", 3) == 0 && (size_t)(strstr(url, "://") - url) + 3 < n - 3)
    n -= 3;
  while (n && url[n - 1] == '/')
    n--;
  out->domain = domain;
  dfl_buf u;
  dfl_buf_init(&u);
  dfl_buf_printf(&u, "%s://%s", scheme, host);
  const char *path = strstr(url, "://") + 3 + strcspn(strstr(url, "://") + 3, "/");
  if (path < url + n)
    dfl_buf_append(&u, path, (size_t)(url + n - path));
  out->url = dfl_buf_take(&u);
  free(scheme);
  free(host);
  dfl_buf_free(&e);
  return 0;
}

void dfl_mirror_free(dfl_mirror *m)
{
  free(m->domain);
  free(m->url);
  memset(m, 0, sizeof *m);
}

static void add(dfl_endpoint **out, size_t *n, const char *base, const char *host,
                const char *cred_host, bool mirror)
{
  *out = dfl_xrealloc(*out, (*n + 1) * sizeof **out);
  (*out)[*n].base = xstrdup(base);
  (*out)[*n].host = xstrdup(host);
  (*out)[*n].cred_host = xstrdup(cred_host);
  (*out)[*n].mirror = mirror;
  (*n)++;
}

size_t dfl_mirror_endpoints(const dfl_mirror *m, size_t nm, const char *domain,
                            const char *const *insecure, size_t n_insecure,
                            dfl_endpoint **out)
{
  *out = NULL;
  size_t n = 0;
  char *d = normalize_domain(domain, strlen(domain));
  for (size_t i = 0; i < nm; i++) {
    if (strcmp(m[i].domain, d) != 0)
      continue;
    char *scheme = NULL, *host = NULL;
    if (dfl_url_split(m[i].url, &scheme, &host) == 0)
      add(out, &n, m[i].url, host, host, true);
    free(scheme);
    free(host);
  }
  bool hub = strcmp(d, DFL_DOCKER_HUB_DOMAIN) == 0;
  const char *host = hub ? DFL_DOCKER_HUB_REGISTRY : d;
  dfl_buf b;
  dfl_buf_init(&b);
  /* plain-http hosts are tried over https first (registry.c falls back) */
  (void)insecure;
  (void)n_insecure;
  dfl_buf_printf(&b, "https://%s", host);
  add(out, &n, dfl_buf_cstr(&b), host, d, false);
  dfl_buf_free(&b);
  free(d);
  return n;
}

void dfl_endpoints_free(dfl_endpoint *e, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(e[i].base);
    free(e[i].host);
    free(e[i].cred_host);
  }
  free(e);
}
