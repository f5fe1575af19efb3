/* BuildKit's "# check=" grammar (linter.ParseLintOptions). */
#ifndef DFLINT_CHECKCONFIG_H
#define DFLINT_CHECKCONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dfl_check_config {
  bool skip_all;
  char **skip;
  size_t nskip;
  bool experimental_all;
  char **experimental;
  size_t nexperimental;
  bool error;
} dfl_check_config;

/* Parses a directive value. Returns 0, or -1 with *err (malloc'd) worded as
 * BuildKit's (without its "failed to parse check options: " prefix). */
int dfl_check_config_parse(const char *value, size_t len, dfl_check_config *out,
                           char **err);
void dfl_check_config_free(dfl_check_config *c);
bool dfl_check_config_skips(const dfl_check_config *c, const char *rule);
bool dfl_check_config_enables_experimental(const dfl_check_config *c,
                                           const char *rule);

#endif
