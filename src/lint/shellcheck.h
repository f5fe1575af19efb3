/* Running the external `shellcheck` program (Debian's package, or any
 * ShellCheck >= 0.7 on PATH) for the ShellCheck rule. One process per
 * Dockerfile checks all of its scripts; it is spawned without a shell, its
 * output read through pipes with a deadline, and killed when the deadline
 * passes, so a stuck shellcheck never hangs a lint run. Safe to call from
 * several threads at once (-j). */
#ifndef DFLINT_LINT_SHELLCHECK_H
#define DFLINT_LINT_SHELLCHECK_H

#include <stddef.h>

/* The shellcheck executable: $DFLINT_SHELLCHECK when set (a path, or a name
 * searched on PATH; tests point it at stand-ins), else `shellcheck` on PATH.
 * NULL when there is none. Looked up once per process. */
const char *dfl_shellcheck_path(void);

/* Seconds a shellcheck run may take: $DFLINT_SHELLCHECK_TIMEOUT when it is a
 * positive number, else 60. */
double dfl_shellcheck_timeout(void);

/* Runs `shellcheck --norc -f json1 -e CODES -- FILE...` and returns 0 with its
 * standard output in *out (malloc'd, NUL-terminated). On failure (no
 * executable, spawn error, timeout, crash, an exit status other than 0 or 1,
 * output beyond 256 MiB) returns -1 with *err set to a malloc'd one-line
 * reason. `exclude` is the comma-separated list passed to -e. */
int dfl_shellcheck_exec(const char *const *files, size_t nfiles,
                        const char *exclude, char **out, size_t *out_len,
                        char **err);

#endif
