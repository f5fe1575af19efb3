/* Shared helpers for the Check suites. */
#ifndef DFLINT_TESTUTIL_H
#define DFLINT_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file (malloc'd, NUL-terminated); NULL if it cannot. */
char *tu_read_file(const char *path, size_t *len);
/* True when ../shared/<rel> exists; otherwise prints a clear note once. */
bool tu_shared_available(const char *rel);
/* DFLINT_SHARED_DIR "/" rel, in a static buffer. */
const char *tu_shared_path(const char *rel);
/* A wall-clock limit for a timing assertion: seconds times
 * $DFLINT_TEST_TIME_SCALE (default 1). make valgrind sets it, since memcheck
 * runs code 20-50 times slower; the limits hold as written everywhere else. */
double tu_time_limit(double seconds);
/* Runs one suite, prints Check's summary, returns the process exit code. */
int tu_run_suite(Suite *s);

#endif
