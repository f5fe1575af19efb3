/* The registry client's command-line options, shared by the commands that
 * may ask registries: `dflint inspect`, `dflint advise` and
 * `dflint check --online`. One table drives parsing and --help. */
#ifndef DFLINT_CLI_REGISTRY_OPTS_H
#define DFLINT_CLI_REGISTRY_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/registry.h"

typedef struct dfl_cli_registry {
  dfl_registry_opts ro; /* complete after dfl_cli_registry_finish */
  const char **insecure; /* argv strings */
  size_t ninsecure;
  const char **mirrors;
  size_t nmirrors;
  char **owned; /* mirror specifications built here (from a config file) */
  size_t nowned;
} dfl_cli_registry;

/* Their --help lines: dfl_registry_option_docs, in cli/options.h. */

/* When argv[*i] is a registry option, takes it (and its value, advancing
 * *i) and returns 1; returns 0 when it is not one, -1 after reporting a
 * bad or missing value. */
int dfl_cli_registry_take(dfl_cli_registry *r, int argc, char **argv, int *i);
/* Completes r->ro and checks it (mirror specifications, a readable
 * --ca-cert). Returns 0, or -1 after reporting the problem. */
int dfl_cli_registry_finish(dfl_cli_registry *r);
/* Adds a mirror (as --registry-mirror REGISTRY=URL) from elsewhere, the
 * configuration file's registry-mirrors. */
void dfl_cli_registry_add_mirror(dfl_cli_registry *r, const char *registry,
                                 const char *url);
void dfl_cli_registry_free(dfl_cli_registry *r);

#endif
