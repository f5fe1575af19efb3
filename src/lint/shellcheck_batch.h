/* ShellCheck over many scripts at once, with answers kept for the run.
 *
 * shellcheck is a separate program whose start costs more than checking a
 * typical RUN script (~10 ms against ~2 ms). One process per Dockerfile made
 * a directory of 3,000 Dockerfiles take over a minute. So scripts are
 * checked in batches, and each script's answer is kept, keyed by its exact
 * text (its shebang names the dialect; the excluded codes are fixed): the
 * same `apt-get update && ...` in fifty Dockerfiles is checked once.
 *
 * `dflint check` uses it in two passes per window of files (as --online
 * does for registry answers): the ShellCheck rule first only hands its
 * scripts over (dfl_shellcheck_want), the CLI checks them all in a few
 * processes run in parallel (dfl_shellcheck_flush), and the real lint finds
 * every answer ready (dfl_shellcheck_answers). Without the first pass (a
 * library caller), dfl_shellcheck_answers runs one process per call, as
 * before. Thread-safe. */
#ifndef DFLINT_LINT_SHELLCHECK_BATCH_H
#define DFLINT_LINT_SHELLCHECK_BATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Codes never reported, as hadolint: sourced files cannot be followed
 * (SC1090, SC1091); SC2187 only says ash is checked as dash. */
#define DFL_SHELLCHECK_EXCLUDED "SC1090,SC1091,SC2187"

/* Notes a script to be checked by the next dfl_shellcheck_flush. */
void dfl_shellcheck_want(const char *text, size_t len);

/* Checks every wanted script without an answer, in batches of up to a few
 * hundred scripts per shellcheck process, on up to `threads` processes at
 * once. A batch that fails leaves its scripts without an answer (the rule
 * then checks them itself and reports the failure). */
void dfl_shellcheck_flush(unsigned threads);

/* ShellCheck's comments for each of texts[0..n) (JSON arrays as text, as
 * in its json1 output, positions relative to the script; malloc'd, into
 * out[i]): kept answers where there are, one shellcheck process for the
 * others. Returns 0, or -1 with *err (malloc'd) when that process failed:
 * out[i] is then NULL for the scripts it should have answered. */
int dfl_shellcheck_answers(const char *const *texts, const size_t *lens,
                           size_t n, char **out, char **err);

/* Forgets every script and answer when they take more than max_bytes (0:
 * always). The CLI calls it between windows of files, never during a
 * flush. */
void dfl_shellcheck_trim(size_t max_bytes);

#endif
