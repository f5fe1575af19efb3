/* Parses (or, with "lint", parses and lints with the default rules) every
 * file named on stdin (one path per line) in one process, repeated, and
 * prints files/s and MB/s. Reading is timed separately so the figure is
 * dflint's own cost, the measure bench/npm_linters.js takes of the npm
 * linters. Used by bench/parse.sh and bench/run.sh.
 *   dflint-bench-parse [ROUNDS] [lint] < LIST */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dflint/lint.h"
#include "dflint/parse.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  bool lint = argc > 2 && strcmp(argv[2], "lint") == 0;
  /* Lint as `dflint check --shellcheck off` would, with an empty build
   * context (DF106 then measures nothing: file system walks are I/O). */
  dfl_lint_options lo;
  dfl_lint_options_init(&lo);
  lo.shellcheck = DFL_SHELLCHECK_OFF;
  char ctx[] = "/tmp/dflint-bench-XXXXXX";
  if (lint && !mkdtemp(ctx)) {
    perror("mkdtemp");
    return 2;
  }
  lo.context_dir = ctx;
  size_t findings = 0;
  char **data = NULL;
  size_t *lens = NULL, n = 0, total = 0;
  char line[8192];
  double t0 = now();
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = '\0';
    FILE *f = fopen(line, "rb");
    if (!f)
      continue;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = realloc(data, (n + 1) * sizeof *data);
    lens = realloc(lens, (n + 1) * sizeof *lens);
    data[n] = malloc((size_t)sz + 1);
    lens[n] = fread(data[n], 1, (size_t)sz, f);
    total += lens[n];
    fclose(f);
    n++;
  }
  double read_s = now() - t0;
  double best = 1e9;
  size_t instrs = 0;
  for (int r = 0; r < rounds; r++) {
    double s = now();
    instrs = 0;
    findings = 0;
    for (size_t i = 0; i < n; i++) {
      dfl_dockerfile *df = dfl_parse(data[i], lens[i], "bench");
      instrs += df->ninstrs;
      if (lint) {
        dfl_lint_result res;
        dfl_lint(df, NULL, &lo, &res);
        findings += res.ndiags;
        dfl_lint_result_free(&res);
      }
      dfl_dockerfile_free(df);
    }
    double e = now() - s;
    if (e < best)
      best = e;
  }
  printf("files=%zu bytes=%zu instructions=%zu findings=%zu\n", n, total,
         instrs, findings);
  printf("read (first, cold-ish): %.4f s\n", read_s);
  printf("%s (best of %d): %.4f s  %.0f files/s  %.1f MB/s\n",
         lint ? "lint" : "parse", rounds, best, (double)n / best,
         (double)total / best / 1e6);
  dfl_lint_options_free(&lo);
  if (lint)
    rmdir(ctx);
  for (size_t i = 0; i < n; i++)
    free(data[i]);
  free(data);
  free(lens);
  return 0;
}
