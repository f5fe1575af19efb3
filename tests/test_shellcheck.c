/* The ShellCheck rule with the real `shellcheck` (Debian's package, which
 * scripts/install-deps.sh installs): findings at the exact Dockerfile line
 * and column inside continued RUNs and heredocs, the shell and variables it
 * is told about, selection by SC code, and the process handling (one
 * process per file, timeouts, failures, -j, a missing program). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dflint/lint.h"
#include "dflint/parse.h"
#include "lint/shellcheck.h"
#include "testutil.h"

typedef struct run {
  dfl_dockerfile *df;
  dfl_lint_result res;
} run;

static void push_csv(char ***list, size_t *n, const char *csv)
{
  if (!csv)
    return;
  char *copy = strdup(csv), *save = NULL;
  for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    *list = realloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = strdup(t);
  }
  free(copy);
}

static void lint_with(run *r, const char *text, const char *sel,
                      const char *ign, dfl_shellcheck_mode mode)
{
  dfl_lint_options o;
  dfl_lint_options_init(&o);
  o.shellcheck = mode;
  push_csv(&o.sel.select, &o.sel.nselect, sel ? sel : "shellcheck");
  push_csv(&o.sel.ignore, &o.sel.nignore, ign);
  r->df = dfl_parse(text, strlen(text), "Dockerfile");
  dfl_lint(r->df, NULL, &o, &r->res);
  dfl_lint_options_free(&o);
}

static void lint(run *r, const char *text)
{
  lint_with(r, text, NULL, NULL, DFL_SHELLCHECK_AUTO);
}

static void done(run *r)
{
  dfl_lint_result_free(&r->res);
  dfl_dockerfile_free(r->df);
}

/* The finding of code at line:col, or NULL. */
static const dfl_diag *at(const run *r, const char *code, uint32_t line,
                          uint32_t col)
{
  for (size_t i = 0; i < r->res.ndiags; i++) {
    const dfl_diag *d = &r->res.diags[i];
    if (strcmp(d->rule_id, code) == 0 && d->range.start.line == line &&
        d->range.start.col == col)
      return d;
  }
  return NULL;
}

static int count(const run *r, const char *code)
{
  int n = 0;
  for (size_t i = 0; i < r->res.ndiags; i++)
    if (!code || strcmp(r->res.diags[i].rule_id, code) == 0)
      n++;
  return n;
}

static char *dump(const run *r)
{
  static char buf[8192];
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < r->res.ndiags && n < sizeof buf - 200; i++) {
    const dfl_diag *d = &r->res.diags[i];
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s@%u:%u ", d->rule_id,
                          d->range.start.line, d->range.start.col);
  }
  return buf;
}

static void require_shellcheck(void)
{
  ck_assert_msg(dfl_shellcheck_path() != NULL,
                "shellcheck is not installed (scripts/install-deps.sh "
                "installs Debian's package)");
}

START_TEST(continued_run_points_at_the_line)
{
  require_shellcheck();
  run r;
  /* Ten lines, a comment inside (BuildKit drops it), a tab-indented line and
   * a two-byte character before a finding. */
  lint(&r, "FROM debian:12\n"
           "ARG user=app\n"
           "# a comment\n"
           "RUN set -e; \\\n"                          /* 4 */
           "    apt-get update && \\\n"                /* 5 */
           "    # dropped by BuildKit\n"               /* 6 */
           "    apt-get install -y curl && \\\n"       /* 7 */
           "\techo $user done && \\\n"                 /* 8 */
           "    for f in $(ls /etc); do \\\n"          /* 9 */
           "        echo \"$f\"; \\\n"                 /* 10 */
           "    done && \\\n"                          /* 11 */
           "    echo \"caf\xc3\xa9 $undefined_var\" && \\\n" /* 12 */
           "    true\n");                              /* 13 */
  ck_assert_msg(at(&r, "SC2086", 8, 7), "%s", dump(&r));
  ck_assert_msg(at(&r, "SC1010", 8, 13), "%s", dump(&r));
  ck_assert_msg(at(&r, "SC2045", 9, 14), "%s", dump(&r));
  const dfl_diag *d = at(&r, "SC2154", 12, 17);
  ck_assert_msg(d, "%s", dump(&r));
  /* The span stays on its line: $undefined_var is 14 bytes. */
  ck_assert_int_eq(d->range.end.line, 12);
  ck_assert_int_eq(d->range.end.col, 31);
  ck_assert_int_eq(d->severity, DFL_SEV_WARNING);
  ck_assert_str_eq(d->url, "https://www.shellcheck.net/wiki/SC2154");
  ck_assert_str_eq(d->rule_name, "ShellCheck");
  ck_assert_int_eq(at(&r, "SC2045", 9, 14)->severity, DFL_SEV_ERROR);
  ck_assert_int_eq(at(&r, "SC2086", 8, 7)->severity, DFL_SEV_INFO);
  /* $user is an ARG: declared, so not "referenced but not assigned". */
  ck_assert_int_eq(count(&r, NULL), 4);
  done(&r);
}
END_TEST

START_TEST(heredocs_point_at_the_line)
{
  require_shellcheck();
  run r;
  lint(&r, "FROM debian:12\n"
           "ENV greeting=hello\n"
           "RUN <<EOF\n"                                  /* 3 */
           "set -e\n"
           "echo \"$greeting\"\n"
           "echo $missing_one\n"                          /* 6 */
           "EOF\n"
           "RUN bash -e <<'SCRIPT'\n"                     /* 8 */
           "if [ $# -gt 0 ]; then\n"
           "  echo $((1+1)) $undefined\n"                 /* 10 */
           "fi\n"
           "SCRIPT\n"
           "RUN cat > /etc/motd <<EOF && echo $other\n"   /* 13 */
           "Welcome $unknown_in_data\n"                   /* 14 */
           "EOF\n"
           "RUN <<EOF\n"                                  /* 16 */
           "#!/usr/bin/env python3\n"
           "print(\"$not shell\")\n"
           "EOF\n"
           "RUN <<EOF\n"                                  /* 20 */
           "#!/bin/bash\n"
           "\techo \"$RANDOM\" $tabbed\n"                 /* 22 */
           "EOF\n"
           "RUN echo \"\xff\" $after_bad_byte\n");        /* 24 */
  ck_assert_msg(at(&r, "SC2154", 6, 6), "%s", dump(&r));
  ck_assert_msg(at(&r, "SC2154", 10, 17), "%s", dump(&r));
  ck_assert_msg(at(&r, "SC2154", 13, 35), "%s", dump(&r));
  ck_assert_msg(at(&r, "SC2154", 14, 9), "%s", dump(&r));
  ck_assert_msg(at(&r, "SC2154", 22, 17), "%s", dump(&r));
  ck_assert_msg(at(&r, "SC2154", 24, 14), "%s", dump(&r));
  for (size_t i = 0; i < r.res.ndiags; i++) {
    uint32_t l = r.res.diags[i].range.start.line;
    ck_assert_msg(l != 5 && (l < 16 || l > 19), "%s", dump(&r));
  }
  /* bash (from #!): $RANDOM is fine there. */
  ck_assert_int_eq(count(&r, "SC3028"), 0);
  done(&r);
}
END_TEST

START_TEST(shell_and_variables)
{
  require_shellcheck();
  run r;
  /* Before any FROM, as hadolint's tests are written: sh by default. */
  lint(&r, "RUN echo $RANDOM\n");
  ck_assert_msg(at(&r, "SC3028", 1, 10), "%s", dump(&r));
  done(&r);
  lint(&r, "ARG foo=bar\nENV baz=1\nRUN echo \"$foo\" \"$baz\" \"$no_proxy\"\n");
  ck_assert_msg(count(&r, NULL) == 0, "%s", dump(&r));
  done(&r);
  /* An ONBUILD trigger sees the ENV names, not the ARGs. */
  lint(&r, "FROM debian:12\nARG an_arg\nENV an_env=1\n"
           "ONBUILD RUN echo \"$an_arg\" \"$an_env\"\n");
  ck_assert_msg(at(&r, "SC2154", 4, 19) && count(&r, NULL) == 1, "%s",
                dump(&r));
  done(&r);
  /* SHELL, FROM <stage> keeps it, FROM <image> resets it; non-POSIX. */
  lint(&r, "FROM debian:12 AS a\nSHELL [\"/usr/bin/env\", \"bash\", \"-c\"]\n"
           "RUN echo $RANDOM\nFROM a\nRUN echo $RANDOM\n"
           "FROM debian:12\nRUN echo $RANDOM\n"
           "SHELL [\"pwsh\", \"-c\"]\nRUN Write-Host $env:X\n"
           "SHELL [\"/bin/zsh\", \"-c\"]\nRUN echo ${(j:,:)arr}\n");
  ck_assert_msg(count(&r, NULL) == 1 && at(&r, "SC3028", 7, 10), "%s",
                dump(&r));
  done(&r);
  /* # hadolint shell= before FROM is every stage's default. */
  lint(&r, "# hadolint shell=bash\nFROM debian:12\nRUN echo $RANDOM\n"
           "# hadolint shell=powershell\nRUN Write-Host $env:X\n");
  ck_assert_msg(count(&r, NULL) == 0, "%s", dump(&r));
  done(&r);
  /* Exec form runs no shell. */
  lint(&r, "FROM debian:12\nRUN [\"sh\", \"-c\", \"echo $x\"]\n");
  ck_assert_int_eq(count(&r, NULL), 0);
  done(&r);
}
END_TEST

START_TEST(selection_by_code)
{
  require_shellcheck();
  static const char df[] = "FROM debian:12\n"
                           "# hadolint ignore=SC2086\n"
                           "RUN echo $a_var && cd /tmp\n"
                           "RUN echo $b_var\n";
  run r;
  lint_with(&r, df, "SC2086", NULL, DFL_SHELLCHECK_AUTO);
  ck_assert_msg(count(&r, NULL) == 1 && at(&r, "SC2086", 4, 10), "%s",
                dump(&r));
  done(&r);
  lint_with(&r, df, "ShellCheck", "SC2154", DFL_SHELLCHECK_AUTO);
  ck_assert_msg(count(&r, "SC2154") == 0 && count(&r, "SC2164") == 1 &&
                    count(&r, "SC2086") == 1,
                "%s", dump(&r));
  done(&r);
  /* A prefix drops a family; an SC code never drops the rule. */
  lint_with(&r, df, NULL, "SC21", DFL_SHELLCHECK_AUTO);
  ck_assert_msg(count(&r, NULL) == 1 && count(&r, "SC2086") == 1, "%s",
                dump(&r));
  done(&r);
  lint_with(&r, df, NULL, NULL, DFL_SHELLCHECK_OFF);
  ck_assert_int_eq(count(&r, NULL), 0);
  done(&r);
}
END_TEST

/* ---- the binary: process handling ---- */

static char tmp[64];

static void write_file(const char *name, const char *text, int mode)
{
  char p[256];
  snprintf(p, sizeof p, "%s/%s", tmp, name);
  FILE *f = fopen(p, "wb");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
  chmod(p, (mode_t)mode);
}

static char *sh(const char *cmd, int *status, double *seconds)
{
  char full[4096];
  snprintf(full, sizeof full, "cd '%s' && %s 2>&1", tmp, cmd);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  FILE *p = popen(full, "r");
  ck_assert_ptr_nonnull(p);
  static char out[65536];
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  clock_gettime(CLOCK_MONOTONIC, &b);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  if (seconds)
    *seconds = (double)(b.tv_sec - a.tv_sec) +
               (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  return out;
}

static int occurrences(const char *hay, const char *needle)
{
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

START_TEST(process_handling)
{
  require_shellcheck();
  strcpy(tmp, "/tmp/dflint-sc-test-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmp));
  write_file("Dockerfile", "FROM debian:12\nRUN echo $x_var\n", 0644);
  write_file("hang", "#!/bin/sh\nexec sleep 30\n", 0755);
  write_file("fail", "#!/bin/sh\necho boom >&2\nexit 3\n", 0755);
  int st;
  double secs;
  char *out;

  /* A shellcheck that never finishes is stopped at the deadline. */
  out = sh("DFLINT_SHELLCHECK=./hang DFLINT_SHELLCHECK_TIMEOUT=1 "
           DFLINT_BINARY " check --no-config --select shellcheck Dockerfile",
           &st, &secs);
  ck_assert_msg(secs < 10 && st == 0 &&
                    strstr(out, "did not finish within 1 seconds"),
                "%.1fs exit %d: %s", secs, st, out);
  /* One that fails is named, with its message; linting goes on. */
  out = sh("DFLINT_SHELLCHECK=./fail " DFLINT_BINARY
           " check --no-config --select shellcheck,DF000 Dockerfile",
           &st, NULL);
  ck_assert_msg(st == 0 && strstr(out, "shellcheck failed (exit status 3): "
                                       "boom; its findings are missing"),
                "exit %d: %s", st, out);
  /* --shellcheck on needs the program; auto says once that it is missing. */
  out = sh("DFLINT_SHELLCHECK=/nonexistent/shellcheck " DFLINT_BINARY
           " check --no-config --shellcheck on Dockerfile",
           &st, NULL);
  ck_assert_msg(st == 2 && strstr(out, "--shellcheck on: shellcheck was not "
                                       "found on PATH"),
                "exit %d: %s", st, out);
  out = sh("DFLINT_SHELLCHECK=/nonexistent/shellcheck " DFLINT_BINARY
           " check --no-config -j 4 Dockerfile Dockerfile Dockerfile "
           "Dockerfile Dockerfile",
           &st, NULL);
  ck_assert_msg(occurrences(out, "shellcheck is not installed") == 1 &&
                    !strstr(out, "SC2154"),
                "%s", out);
  out = sh("DFLINT_SHELLCHECK=/nonexistent/shellcheck " DFLINT_BINARY
           " check --no-config --shellcheck off Dockerfile",
           &st, NULL);
  ck_assert_msg(!strstr(out, "shellcheck"), "%s", out);

  /* -j: each file its own process, output in order, same as -j 1; the
   * temporary scripts are removed. */
  char cmd[2048], one[65536];
  snprintf(cmd, sizeof cmd, "%s/scratch", tmp);
  ck_assert_int_eq(mkdir(cmd, 0700), 0);
  snprintf(cmd, sizeof cmd,
           "TMPDIR=%s/scratch " DFLINT_BINARY " check --no-config --no-color --select shellcheck "
                         "-j 1 Dockerfile Dockerfile Dockerfile Dockerfile "
                         "Dockerfile Dockerfile Dockerfile Dockerfile",
           tmp);
  strcpy(one, sh(cmd, &st, NULL));
  ck_assert_int_eq(occurrences(one, "warning[SC2154]"), 8);
  snprintf(cmd, sizeof cmd,
           "TMPDIR=%s/scratch " DFLINT_BINARY " check --no-config --no-color "
           "--select shellcheck -j 4 Dockerfile Dockerfile Dockerfile "
           "Dockerfile Dockerfile Dockerfile Dockerfile Dockerfile",
           tmp);
  out = sh(cmd, &st, NULL);
  ck_assert_str_eq(out, one);
  snprintf(cmd, sizeof cmd, "%s/scratch", tmp);
  ck_assert_msg(rmdir(cmd) == 0, "temporary files left in %s", cmd);

  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("shellcheck");
  TCase *tc = tcase_create("shellcheck");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, continued_run_points_at_the_line);
  tcase_add_test(tc, heredocs_point_at_the_line);
  tcase_add_test(tc, shell_and_variables);
  tcase_add_test(tc, selection_by_code);
  tcase_add_test(tc, process_handling);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
