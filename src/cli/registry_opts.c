#include "cli/registry_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "dflint/arena.h"
#include "dflint/buf.h"

const dfl_option_doc dfl_registry_option_docs[] = {
  {"--registry-mirror", "D=URL", "ask URL before registry D (D default docker.io); repeatable"},
  {"--insecure-registry", "HOST", "allow plain http for HOST (loopback always may); repeatable"},
  {"--ca-cert", "FILE", "also trust the CA certificates in FILE (PEM)"},
  {"--docker-config", "FILE", "Docker config.json for credentials (default ~/.docker/config.json)"},
  {"--timeout", "SECONDS", "time budget per image and registry (default 30)"},
  {"--connect-timeout", "SECONDS", "time to connect (default 5)"},
  {"--cache-dir", "DIR", "registry answer cache (default $XDG_CACHE_HOME/dflint)"},
  {"--cache-ttl", "SECONDS", "how long a cached answer for a tag stays fresh (default 86400)"},
  {"--no-cache", NULL, "neither read nor write the registry answer cache"},
  {NULL, NULL, NULL},
};

static void push(const char ***v, size_t *n, const char *s)
{
  *v = dfl_xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = s;
}

/* Seconds, up to a year, as milliseconds. */
static bool parse_seconds(const char *s, long *ms)
{
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || !(v > 0) || v > 86400.0 * 365)
    return false;
  *ms = (long)(v * 1000);
  return true;
}

static int seconds(const char *name, const char *v, long *ms)
{
  if (parse_seconds(v, ms))
    return 1;
  dfl_cli_error("%s: expected a positive number of seconds, got '%s'", name,
                v);
  return -1;
}

int dfl_cli_registry_take(dfl_cli_registry *r, int argc, char **argv, int *i)
{
  const char *a = argv[*i], *v;
  bool bad = false;
  long ms;
  if (strcmp(a, "--no-cache") == 0) {
    r->ro.no_cache = true;
    return 1;
  }
  if ((v = dfl_take_value(argc, argv, i, "--registry-mirror", &bad)))
    push(&r->mirrors, &r->nmirrors, v);
  else if ((v = dfl_take_value(argc, argv, i, "--insecure-registry", &bad)))
    push(&r->insecure, &r->ninsecure, v);
  else if ((v = dfl_take_value(argc, argv, i, "--ca-cert", &bad)))
    r->ro.ca_cert = v;
  else if ((v = dfl_take_value(argc, argv, i, "--docker-config", &bad)))
    r->ro.docker_config = v;
  else if ((v = dfl_take_value(argc, argv, i, "--cache-dir", &bad)))
    r->ro.cache_dir = v;
  else if ((v = dfl_take_value(argc, argv, i, "--timeout", &bad)))
    return seconds("--timeout", v, &r->ro.timeout_ms);
  else if ((v = dfl_take_value(argc, argv, i, "--connect-timeout", &bad)))
    return seconds("--connect-timeout", v, &r->ro.connect_timeout_ms);
  else if ((v = dfl_take_value(argc, argv, i, "--cache-ttl", &bad))) {
    if (seconds("--cache-ttl", v, &ms) < 0)
      return -1;
    r->ro.cache_ttl = ms / 1000 > 0 ? ms / 1000 : 1;
  }
  if (bad)
    return -1;
  return v ? 1 : 0;
}

int dfl_cli_registry_finish(dfl_cli_registry *r)
{
  r->ro.insecure_registries = r->insecure;
  r->ro.n_insecure_registries = r->ninsecure;
  r->ro.mirrors = r->mirrors;
  r->ro.n_mirrors = r->nmirrors;
  if (r->ro.ca_cert) {
    FILE *f = fopen(r->ro.ca_cert, "r");
    if (!f) {
      dfl_cli_error("--ca-cert: cannot read %s: %s", r->ro.ca_cert,
                    strerror(errno));
      return -1;
    }
    fclose(f);
  }
  char *err = NULL;
  if (dfl_registry_opts_check(&r->ro, &err) != 0) {
    dfl_cli_error("%s", err ? err : "invalid registry options");
    free(err);
    return -1;
  }
  return 0;
}

void dfl_cli_registry_add_mirror(dfl_cli_registry *r, const char *registry,
                                 const char *url)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s=%s", registry, url);
  r->owned = dfl_xrealloc(r->owned, (r->nowned + 1) * sizeof *r->owned);
  r->owned[r->nowned] = dfl_buf_take(&b);
  push(&r->mirrors, &r->nmirrors, r->owned[r->nowned++]);
}

void dfl_cli_registry_free(dfl_cli_registry *r)
{
  for (size_t i = 0; i < r->nowned; i++)
    free(r->owned[i]);
  free(r->owned);
  free(r->insecure);
  free(r->mirrors);
  memset(r, 0, sizeof *r);
}
