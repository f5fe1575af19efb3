/* Subcommands of the dflint executable. Each returns the process exit code:
 * 0 clean, 1 findings (or a file BuildKit rejects), 2 usage/config/I-O error. */
#ifndef DFLINT_CLI_H
#define DFLINT_CLI_H

#include <stdio.h>

enum { DFL_EXIT_OK = 0, DFL_EXIT_FINDINGS = 1, DFL_EXIT_ERROR = 2 };

int dfl_cmd_print(int argc, char **argv);
int dfl_cmd_check(int argc, char **argv);
int dfl_cmd_rules(int argc, char **argv);
int dfl_cmd_rule(int argc, char **argv);
int dfl_cmd_config(int argc, char **argv);
int dfl_cmd_catalog(int argc, char **argv);
int dfl_cmd_inspect(int argc, char **argv);
int dfl_cmd_advise(int argc, char **argv);

/* Prints "dflint: MESSAGE" to stderr (printf format). */
void dfl_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
