/* The configuration file at the command line: finding and reading it for
 * `dflint check` (merged under the flags), and `dflint config`, which prints
 * the effective configuration and where it came from, so "is my file even
 * read?" has an answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "dflint/arena.h"
#include "dflint/config.h"

/* The directory whose configuration applies to a path given on the command
 * line: a directory itself, a file's directory, or for standard input the
 * directory of --stdin-filename (editors pass the real path), else ".". */
static char *start_dir(const char *path, const char *stdin_name)
{
  if (strcmp(path, "-") == 0)
    path = stdin_name ? stdin_name : ".";
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return dfl_xstrndup(path, strlen(path));
  const char *slash = strrchr(path, '/');
  if (!slash)
    return dfl_xstrndup(".", 1);
  return dfl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Discovered paths are absolute; under the working directory they are shown
 * (and read) relative to it, which is shorter and keeps test output stable. */
static char *display_path(char *abs)
{
  char *cwd = getcwd(NULL, 0);
  size_t n = cwd ? strlen(cwd) : 0;
  if (cwd && n > 1 && strncmp(abs, cwd, n) == 0 && abs[n] == '/') {
    char *rel = dfl_xstrndup(abs + n + 1, strlen(abs + n + 1));
    free(abs);
    abs = rel;
  }
  free(cwd);
  return abs;
}

static char *discover_for(const char *path, const char *stdin_name,
                          char **shadowed)
{
  char *dir = start_dir(path, stdin_name);
  char *found = dfl_config_discover(dir, shadowed);
  free(dir);
  if (shadowed && *shadowed)
    *shadowed = display_path(*shadowed);
  return found ? display_path(found) : NULL;
}

/* Reads the configuration for a run whose first path is `path`: --config
 * FILE, else the search. c is left with defaults (path NULL) when there is
 * no file. Returns 0, or DFL_EXIT_ERROR after reporting. */
static int load_for(const char *config_path, bool no_config, const char *path,
                    const char *stdin_name, dfl_config *c)
{
  dfl_config_init(c);
  if (config_path && no_config) {
    dfl_cli_error("--config and --no-config contradict each other");
    return DFL_EXIT_ERROR;
  }
  if (no_config)
    return 0;
  char *file = NULL, *shadowed = NULL;
  if (config_path)
    file = dfl_xstrndup(config_path, strlen(config_path));
  else
    file = discover_for(path, stdin_name, &shadowed);
  if (shadowed)
    fprintf(stderr, "dflint: warning: %s is not read: %s beside it is\n",
            shadowed, file);
  free(shadowed);
  if (!file)
    return 0;
  char *err = NULL;
  int rc = dfl_config_load(file, c, &err);
  free(file);
  for (size_t i = 0; i < c->warnings.n; i++)
    fprintf(stderr, "%s\n", c->warnings.items[i]);
  if (rc != 0) {
    /* Positional errors start with FILE:LINE:COL as compilers print them. */
    if (strstr(err, ": error: "))
      fprintf(stderr, "%s\n", err);
    else
      dfl_cli_error("%s", err);
    free(err);
    return DFL_EXIT_ERROR;
  }
  return 0;
}

int dfl_cli_registry_config(const char *config_path, bool no_config,
                            const char *path, dfl_cli_registry *reg,
                            int *online)
{
  dfl_config c;
  int rc = load_for(config_path, no_config, path, NULL, &c);
  *online = -1;
  if (rc == 0) {
    if (dfl_config_is_set(&c, "online"))
      *online = c.online ? 1 : 0;
    for (size_t i = 0; i < c.nmirrors; i++)
      dfl_cli_registry_add_mirror(reg, c.mirrors[i].registry,
                                  c.mirrors[i].url);
  }
  dfl_config_free(&c);
  return rc;
}

static bool same_file(const char *a, const char *b)
{
  struct stat sa, sb;
  if (!a || !b)
    return a == b;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* One configuration applies to a run (format and exit code are per run), the
 * first path's. A later path that has a file of its own is named rather than
 * linted under a configuration its author did not write for it unnoticed. */
static void warn_other_configs(const dfl_cli_options *o, const dfl_config *c)
{
  char **seen = NULL;
  size_t nseen = 0;
  char *last_dir = NULL;
  for (size_t i = 1; i < o->npaths; i++) {
    /* Files in one directory share its configuration: look once per
     * directory (a run over thousands of files must not stat thousands of
     * times up the tree). */
    const char *p = o->paths[i];
    const char *slash = strrchr(p, '/');
    size_t dl = slash ? (size_t)(slash - p) : 0;
    struct stat pst;
    bool is_dir = stat(p, &pst) == 0 && S_ISDIR(pst.st_mode);
    if (!is_dir && last_dir && strlen(last_dir) == dl &&
        strncmp(last_dir, p, dl) == 0)
      continue;
    free(last_dir);
    last_dir = is_dir ? NULL : dfl_xstrndup(p, dl);
    char *other = discover_for(o->paths[i], o->stdin_filename, NULL);
    bool known = !other || same_file(other, c->path);
    for (size_t k = 0; k < nseen && !known; k++)
      known = strcmp(seen[k], other) == 0;
    if (known) {
      free(other);
      continue;
    }
    fprintf(stderr,
            "dflint: warning: %s: its configuration %s is not used; one "
            "configuration applies per run, the first path's (%s)\n",
            o->paths[i], other, c->path ? c->path : "defaults");
    seen = dfl_xrealloc(seen, (nseen + 1) * sizeof *seen);
    seen[nseen++] = other;
  }
  for (size_t k = 0; k < nseen; k++)
    free(seen[k]);
  free(seen);
  free(last_dir);
}

int dfl_cli_options_apply_config(dfl_cli_options *o)
{
  dfl_config *c = dfl_xcalloc(1, sizeof *c);
  o->config = c;
  if (load_for(o->config_path, o->no_config,
               o->npaths ? o->paths[0] : ".", o->stdin_filename, c) != 0)
    return DFL_EXIT_ERROR;
  if (!o->config_path && !o->no_config)
    warn_other_configs(o, c);
  dfl_config_apply_lint(c, &o->lint);
  o->lint.config = c;
  if (c->context_size_threshold && dfl_config_is_set(c, "context-size-threshold"))
    o->lint.context_size_threshold = (int64_t)c->context_size_threshold;
  if (!o->format_set && dfl_config_is_set(c, "format"))
    o->format = c->format;
  if (!o->failure_threshold_set && dfl_config_is_set(c, "failure-threshold"))
    /* As --failure-threshold: "none" and "ignore" mean any finding fails. */
    o->failure_threshold = c->failure_threshold == DFL_SEV_NONE
                               ? DFL_SEV_STYLE
                               : (int)c->failure_threshold;
  o->no_fail = o->no_fail || c->no_fail;
  if (!o->color_set && c->no_color)
    o->color = false;
  if (!o->online_set && c->online)
    o->online = true;
  /* The file's mirrors come after --registry-mirror ones: asked later. */
  for (size_t i = 0; i < c->nmirrors; i++)
    dfl_cli_registry_add_mirror(&o->reg, c->mirrors[i].registry,
                                c->mirrors[i].url);
  if (o->online && dfl_cli_registry_finish(&o->reg) != 0)
    return DFL_EXIT_ERROR;
  return -1;
}

static const char config_usage[] =
    "Usage: dflint config [--config FILE | --no-config] [PATH]\n\n"
    "Prints the configuration `dflint check PATH` would use (PATH: a "
    "Dockerfile or\na directory; default .), every key with its value, and "
    "the file it came from.\nSee docs/configuration.md.\n";

int dfl_cmd_config(int argc, char **argv)
{
  const char *config_path = NULL, *path = NULL;
  bool no_config = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(config_usage, stdout);
      return DFL_EXIT_OK;
    } else if (strncmp(a, "--config=", 9) == 0) {
      config_path = a + 9;
    } else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
      config_path = argv[++i];
    } else if (strcmp(a, "--no-config") == 0) {
      no_config = true;
    } else if ((a[0] != '-' || strcmp(a, "-") == 0) && !path) {
      path = a;
    } else {
      fputs(config_usage, stderr);
      return DFL_EXIT_ERROR;
    }
  }
  struct stat st;
  if (path && strcmp(path, "-") != 0 && stat(path, &st) != 0) {
    dfl_cli_error("%s: no such file or directory", path);
    return DFL_EXIT_ERROR;
  }
  dfl_config c;
  int rc = load_for(config_path, no_config, path ? path : ".", NULL, &c);
  if (rc == 0) {
    dfl_buf out;
    dfl_buf_init(&out);
    if (c.path)
      dfl_buf_printf(&out, "# dflint configuration from %s\n", c.path);
    else
      dfl_buf_printf(&out, "# dflint configuration: defaults (%s)\n",
                     no_config ? "--no-config" : "no configuration file found");
    dfl_config_write_yaml(&c, &out);
    if (dfl_write_stdout(out.data ? out.data : "", out.len) != 0)
      rc = DFL_EXIT_ERROR;
    dfl_buf_free(&out);
  }
  dfl_config_free(&c);
  return rc;
}
