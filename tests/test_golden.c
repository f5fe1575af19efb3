/* The golden runner: every directory under testdata/ that holds a
 * Dockerfile and an expected output file is one case.
 *   Dockerfile      the input (linted as "Dockerfile", from the case dir)
 *   args            optional: extra command-line arguments, one per line
 *   expected.json   `dflint check --format json [args] Dockerfile`
 *   expected.txt    `dflint check --no-color [args] Dockerfile`
 *   expected.ast    `dflint print ast Dockerfile` (stdout, then stderr)
 *   expected.outline `dflint print outline [args] Dockerfile`
 *   expected.targets `dflint print targets Dockerfile`
 *   expected.advise `dflint advise --today 2026-12-07 [args] Dockerfile`
 *   expected.advise.json  the same with --format json
 *   exit            optional: the expected exit code (default: not checked)
 * Cases run with SOURCE_DATE_EPOCH set to 2026-12-07 (end-of-life checks).
 * The case directory's absolute path in the output (SARIF's SRCROOT, raw or
 * percent-encoded) reads as @CASEDIR@, so the files do not depend on where
 * the tree is checked out.
 * DFLINT_UPDATE_GOLDEN=1 rewrites the expected files; review that diff. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dflint/buf.h"
#include "output/escape.h"
#include "testutil.h"

static int ncases;

static bool exists(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0;
}

/* Runs the binary in dir with argv; captures stdout+stderr. */
static char *run(const char *dir, char **argv, int *status)
{
  char out_path[] = "/tmp/dflint-golden-XXXXXX";
  int fd = mkstemp(out_path);
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir) != 0)
      _exit(127);
    dup2(fd, 1);
    dup2(fd, 2);
    setenv("NO_COLOR", "1", 1);
    /* Cases see their own configuration files, never the user's. */
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    setenv("HOME", "/nonexistent", 1);
    /* End-of-life checks (DF107) compare with today: cases without their
     * own --today see a fixed date, so they do not change with the clock. */
    setenv("SOURCE_DATE_EPOCH", "1796601600", 1); /* 2026-12-07 */
    execv(DFLINT_BINARY, argv);
    _exit(127);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  close(fd);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
  size_t len;
  char *data = tu_read_file(out_path, &len);
  unlink(out_path);
  return data;
}

/* Replaces each occurrence of from in s (malloc'd) with to. */
static char *replace_all(char *s, const char *from, const char *to)
{
  size_t flen = strlen(from);
  if (!s || !flen || !strstr(s, from))
    return s;
  dfl_buf b;
  dfl_buf_init(&b);
  const char *p = s, *q;
  while ((q = strstr(p, from)) != NULL) {
    dfl_buf_append(&b, p, (size_t)(q - p));
    dfl_buf_puts(&b, to);
    p = q + flen;
  }
  dfl_buf_puts(&b, p);
  free(s);
  return dfl_buf_take(&b);
}

static char *hide_case_dir(char *got, const char *dir)
{
  char *real = realpath(dir, NULL);
  if (!real)
    return got;
  dfl_buf uri;
  dfl_buf_init(&uri);
  dfl_file_uri(&uri, real, strlen(real));
  /* The encoded form first: it contains the raw one when nothing needed
   * encoding. */
  got = replace_all(got, dfl_buf_cstr(&uri) + strlen("file://"), "@CASEDIR@");
  got = replace_all(got, real, "@CASEDIR@");
  dfl_buf_free(&uri);
  free(real);
  return got;
}

static void run_case(const char *dir)
{
  char path[4096];
  const char *kinds[][2] = {{"expected.json", "json"},
                            {"expected.txt", "text"},
                            {"expected.ast", "ast"},
                            {"expected.outline", "outline"},
                            {"expected.targets", "targets"},
                            {"expected.advise", "advise"},
                            {"expected.advise.json", "advise-json"}};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, kinds[k][0]);
    bool update = getenv("DFLINT_UPDATE_GOLDEN") != NULL;
    if (!exists(path))
      continue;
    char *argv[64];
    int argc = 0;
    argv[argc++] = "dflint";
    char *args_data = NULL;
    bool print = strcmp(kinds[k][1], "ast") == 0 ||
                 strcmp(kinds[k][1], "outline") == 0 ||
                 strcmp(kinds[k][1], "targets") == 0;
    bool advise = strncmp(kinds[k][1], "advise", 6) == 0;
    if (print) {
      argv[argc++] = "print";
      argv[argc++] = (char *)kinds[k][1];
    } else if (advise) {
      argv[argc++] = "advise";
      argv[argc++] = "--today=2026-12-07";
      if (strcmp(kinds[k][1], "advise-json") == 0)
        argv[argc++] = "--format=json";
    } else {
      argv[argc++] = "check";
      argv[argc++] = strcmp(kinds[k][1], "json") == 0 ? "--format=json"
                                                       : "--no-color";
    }
    if (!print || strcmp(kinds[k][1], "outline") == 0) {
      char ap[4096];
      snprintf(ap, sizeof ap, "%s/args", dir);
      args_data = tu_read_file(ap, NULL);
      if (args_data) {
        char *save = NULL;
        for (char *l = strtok_r(args_data, "\n", &save); l && argc < 60;
             l = strtok_r(NULL, "\n", &save))
          if (*l)
            argv[argc++] = l;
      }
    }
    argv[argc++] = "Dockerfile";
    argv[argc] = NULL;
    int status;
    char *got = hide_case_dir(run(dir, argv, &status), dir);
    ncases++;
    if (update) {
      FILE *f = fopen(path, "wb");
      fputs(got ? got : "", f);
      fclose(f);
    } else {
      char *want = tu_read_file(path, NULL);
      ck_assert_msg(got && want && strcmp(got, want) == 0,
                    "golden mismatch in %s\n--- want\n%s\n--- got\n%s", path,
                    want ? want : "(none)", got ? got : "(none)");
      free(want);
    }
    char ep[4096];
    snprintf(ep, sizeof ep, "%s/exit", dir);
    char *exit_data = tu_read_file(ep, NULL);
    if (exit_data && strcmp(kinds[k][1], "ast") != 0) {
      ck_assert_msg(atoi(exit_data) == status, "%s: exit %d, expected %s",
                    dir, status, exit_data);
    }
    free(exit_data);
    free(got);
    free(args_data);
  }
}

/* DFLINT_GOLDEN_SUBSET: space-separated path prefixes under testdata/
 * ("parse rules/DF1"); only those cases run. make valgrind uses it to keep
 * the run short. Unset: every case. */
static bool in_subset(const char *dir)
{
  const char *subset = getenv("DFLINT_GOLDEN_SUBSET");
  if (!subset || !*subset)
    return true;
  const char *rel = dir + strlen(DFLINT_SOURCE_DIR "/testdata");
  rel += *rel == '/';
  for (const char *p = subset; *p;) {
    size_t n = strcspn(p, " ");
    if (n && strncmp(rel, p, n) == 0)
      return true;
    p += n;
    p += *p == ' ';
  }
  return false;
}

static void walk(const char *dir)
{
  char p[4096];
  snprintf(p, sizeof p, "%s/Dockerfile", dir);
  if (exists(p) && in_subset(dir))
    run_case(dir);
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
      walk(p);
    free(names[i]);
  }
  free(names);
}

START_TEST(golden_cases)
{
  walk(DFLINT_SOURCE_DIR "/testdata");
  fprintf(stderr, "golden: %d expected files compared\n", ncases);
  ck_assert_int_gt(ncases, 0);
}
END_TEST

/* Every rule has a case that fires, one that stays silent, and a docs page. */
#include "dflint/rule.h"

START_TEST(every_rule_has_cases_and_docs)
{
  for (size_t i = 0; i < dfl_nrules; i++) {
    const char *id = dfl_rules[i]->id;
    char p[4096];
    snprintf(p, sizeof p, "%s/docs/rules/%s.md", DFLINT_SOURCE_DIR, id);
    ck_assert_msg(exists(p), "rule %s has no docs page %s", id, p);
    /* InvalidBaseImagePlatform needs the base image's platform from a
     * registry: it fires only under --online, and its firing cases are in
     * tests/check_online_check.sh, against the registry fixture. */
    bool needs_registry = strcmp(id, "InvalidBaseImagePlatform") == 0;
    snprintf(p, sizeof p, "%s/testdata/rules/%s/fires/Dockerfile",
             DFLINT_SOURCE_DIR, id);
    ck_assert_msg(needs_registry || exists(p), "rule %s has no firing case %s",
                  id, p);
    snprintf(p, sizeof p, "%s/testdata/rules/%s/fires/expected.json",
             DFLINT_SOURCE_DIR, id);
    char *fires = tu_read_file(p, NULL);
    char needle[256], by_name[256];
    snprintf(needle, sizeof needle, "\"rule\":\"%s\"", id);
    /* ShellCheck reports under SCnnnn codes; its name marks its findings. */
    snprintf(by_name, sizeof by_name, "\"name\":\"%s\"",
             dfl_rules[i]->name);
    ck_assert_msg(needs_registry ||
                      (fires && (strstr(fires, needle) ||
                                 strstr(fires, by_name))),
                  "the firing case of %s does not fire it", id);
    free(fires);
    snprintf(p, sizeof p, "%s/testdata/rules/%s/silent/expected.json",
             DFLINT_SOURCE_DIR, id);
    char *silent = tu_read_file(p, NULL);
    ck_assert_msg(silent && !strstr(silent, needle) &&
                      !strstr(silent, by_name),
                  "the silent case of %s fires it", id);
    free(silent);
    snprintf(p, sizeof p, "%s/testdata/rules/%s/silent/Dockerfile",
             DFLINT_SOURCE_DIR, id);
    ck_assert_msg(exists(p), "rule %s has no silent case %s", id, p);
  }
}
END_TEST

int main(void)
{
  Suite *s = suite_create("golden");
  TCase *tc = tcase_create("golden");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, golden_cases);
  tcase_add_test(tc, every_rule_has_cases_and_docs);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
