/* The options of `dflint check`, parsed from one static table that also
 * drives --help (and the README/man page test). */
#ifndef DFLINT_CLI_OPTIONS_H
#define DFLINT_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/registry_opts.h"
#include "dflint/lint.h"

typedef struct dfl_cli_options {
  dfl_lint_options lint;
  const char *format;
  int failure_threshold; /* a dfl_severity; findings at or above it fail */
  bool no_fail;
  bool color;
  bool quiet;
  unsigned jobs;
  const char *stdin_filename;
  char **paths;
  size_t npaths;
  /* Configuration file (src/cli/config_cmd.c): --config, --no-config, and
   * which settings the command line gave, since those beat the file. */
  const char *config_path;
  bool no_config;
  bool format_set;
  bool failure_threshold_set;
  bool color_set;
  struct dfl_config *config; /* the file read, owned; NULL before/without */
  struct dfl_catalog *catalog; /* --catalog, owned; lint.catalog points to it */
  /* --online: the image rules get registry answers (src/cli/online.c). */
  bool online;
  bool online_set; /* --online or --offline given: beats the config file */
  dfl_cli_registry reg;
  const char *platform; /* --platform, or NULL */
} dfl_cli_options;

typedef struct dfl_option_doc {
  const char *flag;
  const char *arg;
  const char *help;
} dfl_option_doc;

extern const dfl_option_doc dfl_check_option_docs[];
/* The registry client's options (cli/registry_opts.h). */
extern const dfl_option_doc dfl_registry_option_docs[];

/* Prints an option table (NULL-terminated) as --help lists it. */
void dfl_print_option_docs(const dfl_option_doc *docs);
/* When argv[*i] is "--name=VALUE" or "--name VALUE" (advancing *i), the
 * value; else NULL. A missing value is reported and sets *bad. */
const char *dfl_take_value(int argc, char **argv, int *i, const char *name,
                           bool *bad);

/* Returns -1 when the command should run, or an exit code to return now
 * (after --help, or 2 on a usage error, already reported). */
int dfl_cli_options_parse(dfl_cli_options *o, int argc, char **argv);
void dfl_cli_options_free(dfl_cli_options *o);
/* Finds and reads the configuration file for the parsed options (unless
 * --no-config) and merges it in under the command line's own settings.
 * Returns -1 to go on, or an exit code after reporting an error. */
int dfl_cli_options_apply_config(dfl_cli_options *o);
/* For a command that only asks registries (advise): reads the
 * configuration for a run whose first path is `path` (--config FILE, else
 * the search; nothing with --no-config), adds its registry-mirrors to reg
 * and sets *online to its `online` key (-1 when the file does not set it).
 * Returns 0, or 2 after reporting the problem. */
int dfl_cli_registry_config(const char *config_path, bool no_config,
                            const char *path, dfl_cli_registry *reg,
                            int *online);

/* Runs fn over n items of size `size` on up to `threads` threads. */
void dfl_run_parallel(void *items, size_t n, size_t size, unsigned threads,
                      void (*fn)(void *item, const dfl_lint_options *lo),
                      const dfl_lint_options *lo);
/* Writes to stdout; on a closed pipe exits quietly with status 0... as
 * `dflint ... | head -1` expects. Returns 0 or -1. */
int dfl_write_stdout(const char *data, size_t len);
bool dfl_is_dockerfile_name(const char *name);
/* The Dockerfiles under dir (recursive, sorted, .git and node_modules
 * skipped, symlinked directories not followed): *paths malloc'd, each
 * entry too. */
void dfl_find_dockerfiles(const char *dir, char ***paths, size_t *n);

#endif
