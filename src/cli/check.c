/* dflint [check] [OPTIONS] PATH... : lint files and directories. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/online.h"
#include "cli/options.h"
#include "dflint/io.h"
#include "dflint/lint.h"
#include "dflint/output.h"
#include "dflint/parse.h"
#include "lint/shellcheck.h"
#include "lint/shellcheck_batch.h"

/* ---- collecting paths ---- */

typedef struct path_list {
  char **items;
  size_t n;
  size_t cap;
} path_list;

static void path_push(path_list *l, const char *p)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->items = dfl_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->n++] = dfl_xstrndup(p, strlen(p));
}

bool dfl_is_dockerfile_name(const char *name)
{
  static const char *const patterns[] = {
    "Dockerfile", "Containerfile", "*.Dockerfile", "*.dockerfile",
    "Dockerfile.*", "Containerfile.*", "dockerfile", "containerfile",
  };
  for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
    if (fnmatch(patterns[i], name, 0) == 0) {
      /* Dockerfile.dockerignore is an ignore file, not a Dockerfile. */
      size_t n = strlen(name);
      if (n > 13 && strcmp(name + n - 13, ".dockerignore") == 0)
        return false;
      return true;
    }
  return false;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Depth-first, sorted, not following symlinked directories (no loops). */
static void walk(const char *dir, path_list *out, int depth)
{
  if (depth > 64)
    return;
  DIR *d = opendir(dir);
  if (!d)
    return;
  path_list names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (strcmp(e->d_name, ".git") == 0 || strcmp(e->d_name, "node_modules") == 0)
      continue;
    path_push(&names, e->d_name);
  }
  closedir(d);
  if (names.n)
    qsort(names.items, names.n, sizeof *names.items, cmp_str);
  for (size_t i = 0; i < names.n; i++) {
    dfl_buf p;
    dfl_buf_init(&p);
    dfl_buf_printf(&p, "%s%s%s", dir,
                   dir[strlen(dir) - 1] == '/' ? "" : "/", names.items[i]);
    struct stat st;
    if (lstat(p.data, &st) == 0) {
      if (S_ISDIR(st.st_mode))
        walk(p.data, out, depth + 1);
      else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
               dfl_is_dockerfile_name(names.items[i]))
        path_push(out, p.data);
    }
    dfl_buf_free(&p);
    free(names.items[i]);
  }
  free(names.items);
}

/* The Dockerfiles under dir, as check finds them (dflint advise searches
 * directories the same way). */
void dfl_find_dockerfiles(const char *dir, char ***paths, size_t *n)
{
  path_list l = {0};
  walk(dir, &l, 0);
  *paths = l.items;
  *n = l.n;
}

/* ---- linting one file ---- */

typedef struct job {
  const char *path;       /* as reported */
  const char *read_path;  /* what to open ("-" for stdin) */
  dfl_dockerfile *df;
  dfl_lint_result res;
  char *io_error;
} job;

/* Reads and parses a job's file, once. */
static void load_job(job *j)
{
  if (j->df || j->io_error)
    return;
  char *data;
  size_t len;
  if (dfl_read_input(j->read_path, DFL_MAX_INPUT_BYTES, &data, &len,
                     &j->io_error) != 0)
    return;
  j->df = dfl_parse(data, len, j->path);
  free(data);
}

static const char *lint_path(const job *j)
{
  return strcmp(j->read_path, "-") == 0 ? NULL : j->read_path;
}

static void lint_job(void *arg, const dfl_lint_options *lo)
{
  job *j = arg;
  load_job(j);
  if (j->df)
    dfl_lint(j->df, lint_path(j), lo, &j->res);
}

/* The first pass: the rules marked prepass hand over what they will ask
 * (registry images under --online, ShellCheck's scripts) so that it is
 * asked all at once, before the real pass. */
static void record_job(void *arg, const dfl_lint_options *lo)
{
  job *j = arg;
  load_job(j);
  if (!j->df)
    return;
  dfl_lint_result r;
  dfl_lint(j->df, lint_path(j), lo, &r);
  dfl_lint_result_free(&r);
}

/* --shellcheck: `on` requires the program; `auto` says once that RUN
 * scripts go unchecked without it (when the selection runs the rule). */
static int shellcheck_preflight(const dfl_cli_options *o)
{
  if (o->lint.shellcheck == DFL_SHELLCHECK_OFF || dfl_shellcheck_path())
    return 0;
  if (o->lint.shellcheck == DFL_SHELLCHECK_ON) {
    dfl_cli_error("--shellcheck on: shellcheck was not found on PATH "
                  "(install it, e.g. apt-get install shellcheck, or use "
                  "--shellcheck auto)");
    return -1;
  }
  const dfl_rule *sc = dfl_rule_find("ShellCheck");
  if (sc && dfl_selection_enables(&o->lint.sel, sc))
    fprintf(stderr, "dflint: note: shellcheck is not installed: RUN scripts "
                    "are not checked with ShellCheck (--shellcheck off "
                    "silences this)\n");
  return 0;
}

static bool fails(const dfl_severity sev, int threshold)
{
  return sev != DFL_SEV_NONE && (int)sev <= threshold;
}

int dfl_cmd_check(int argc, char **argv)
{
  dfl_cli_options o;
  int rc = dfl_cli_options_parse(&o, argc, argv);
  if (rc >= 0)
    return rc;
  /* The configuration file, under the flags (src/cli/config_cmd.c). */
  if ((rc = dfl_cli_options_apply_config(&o)) >= 0) {
    dfl_cli_options_free(&o);
    return rc;
  }

  if (shellcheck_preflight(&o) != 0) {
    dfl_cli_options_free(&o);
    return DFL_EXIT_ERROR;
  }

  const dfl_renderer *r = dfl_renderer_find(o.format);
  if (!r) {
    dfl_cli_error("unknown format '%s' (see dflint --help)", o.format);
    dfl_cli_options_free(&o);
    return DFL_EXIT_ERROR;
  }

  path_list paths = {0};
  path_list shown = {0};
  int exit_code = DFL_EXIT_OK;
  for (size_t i = 0; i < o.npaths; i++) {
    const char *p = o.paths[i];
    if (strcmp(p, "-") == 0) {
      path_push(&paths, "-");
      path_push(&shown, o.stdin_filename ? o.stdin_filename : "-");
      continue;
    }
    struct stat st;
    if (stat(p, &st) != 0) {
      dfl_cli_error("%s: %s", p, strerror(errno));
      exit_code = DFL_EXIT_ERROR;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      size_t before = paths.n;
      walk(p, &paths, 0);
      for (size_t k = before; k < paths.n; k++)
        path_push(&shown, paths.items[k]);
      continue;
    }
    path_push(&paths, p);
    path_push(&shown, p);
  }

  /* A first pass per window when a rule asks a service that answers
   * better in bulk: --online (registry answers for the image rules,
   * src/cli/online.c) and ShellCheck (scripts of many files checked by a
   * few processes, src/lint/shellcheck_batch.c). */
  dfl_online *online = NULL;
  const dfl_rule *sc = dfl_rule_find("ShellCheck");
  bool batch_sc = o.lint.shellcheck != DFL_SHELLCHECK_OFF &&
                  dfl_shellcheck_path() && sc &&
                  dfl_selection_enables(&o.lint.sel, sc);
  dfl_lint_options record_opts = o.lint;
  record_opts.prepass = true;
  if (!batch_sc)
    record_opts.shellcheck = DFL_SHELLCHECK_OFF;
  if (o.online) {
    online = dfl_online_new(&o.reg.ro);
    record_opts.images = dfl_online_recorder(online);
    o.lint.images = dfl_online_oracle(online);
  }
  bool prepass = online || batch_sc;

  job *jobs = dfl_xcalloc(paths.n ? paths.n : 1, sizeof *jobs);
  for (size_t i = 0; i < paths.n; i++) {
    jobs[i].read_path = paths.items[i];
    jobs[i].path = shown.items[i];
  }
  dfl_buf buf;
  dfl_buf_init(&buf);
  dfl_out out = {&buf, o.color, 0, 0};
  dfl_summary sum;
  memset(&sum, 0, sizeof sum);
  r->begin(&out);
  bool findings = false;
  /* Files are linted a window at a time (in parallel within it), then
   * printed in order and freed, so memory stays bounded however many files
   * a run has and -j never changes the output. */
  size_t window = o.jobs > 1 ? (size_t)o.jobs * 16 : 1;
  /* With a first pass, a window's images and scripts are asked together:
   * make it wide enough for that to pay. */
  if (prepass && window < 64)
    window = 64;
  size_t linted = 0;
  for (size_t i = 0; i < paths.n; i++) {
    if (i == linted) {
      size_t n = paths.n - i < window ? paths.n - i : window;
      if (prepass) {
        dfl_run_parallel(jobs + i, n, sizeof *jobs, o.jobs, record_job,
                         &record_opts);
        if (online)
          dfl_online_fetch(online);
        if (batch_sc)
          dfl_shellcheck_flush(o.jobs);
      }
      dfl_run_parallel(jobs + i, n, sizeof *jobs, o.jobs, lint_job, &o.lint);
      linted = i + n;
      /* Kept ShellCheck answers stay bounded over a long run. */
      dfl_shellcheck_trim((size_t)16 << 20);
    }
    job *j = &jobs[i];
    dfl_report_file rf = {j->path, j->df, j->io_error ? NULL : &j->res,
                          j->io_error};
    sum.files++;
    if (j->io_error) {
      sum.io_errors++;
      if (strcmp(r->name, "text") != 0)
        dfl_cli_error("%s", j->io_error);
      exit_code = DFL_EXIT_ERROR;
    } else {
      for (size_t k = 0; k < j->res.ndiags; k++) {
        sum.by_severity[j->res.diags[k].severity]++;
        if (fails(j->res.diags[k].severity, o.failure_threshold))
          findings = true;
        if (j->res.check_error &&
            j->res.diags[k].source == DFL_SOURCE_BUILDKIT)
          findings = true;
      }
      if (j->res.check_config_error)
        findings = true;
    }
    /* An unreadable file goes to the renderer too: text, sarif and github
     * show it; the other machine formats keep their shape (the error went
     * to stderr, and the exit status is 2). */
    r->file(&out, &rf);
    dfl_lint_result_free(&j->res);
    dfl_dockerfile_free(j->df);
    j->df = NULL;
    /* Flush as we go so huge runs do not hold all output in memory. */
    if (buf.len > (1u << 16)) {
      if (dfl_write_stdout(buf.data, buf.len) != 0)
        exit_code = exit_code ? exit_code : DFL_EXIT_OK;
      dfl_buf_reset(&buf);
    }
  }
  if (!o.quiet || strcmp(r->name, "text") != 0)
    r->end(&out, &sum);
  dfl_write_stdout(buf.data ? buf.data : "", buf.len);
  dfl_buf_free(&buf);

  if (findings && !o.no_fail && exit_code == DFL_EXIT_OK)
    exit_code = DFL_EXIT_FINDINGS;
  for (size_t i = 0; i < paths.n; i++) {
    free(jobs[i].io_error);
    free(paths.items[i]);
    free(shown.items[i]);
  }
  free(jobs);
  dfl_online_free(online);
  free(paths.items);
  free(shown.items);
  dfl_cli_options_free(&o);
  return exit_code;
}
