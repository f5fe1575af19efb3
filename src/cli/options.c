#include "cli/options.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "dflint/arena.h"
#include "dflint/catalog.h"
#include "dflint/config.h"
#include "dflint/output.h"
#include "dflint/platform.h"

const dfl_option_doc dfl_check_option_docs[] = {
  {"--format", "FMT", "output format: text (default), json, buildkit-json, sarif, github, gitlab, checkstyle, gnu, junit, hadolint-json"},
  {"--select", "IDS", "only these rules (ids, names, prefixes like DL3, or all); repeatable, comma-separated"},
  {"--ignore", "IDS", "never these rules; repeatable, comma-separated"},
  {"--enable-experimental", NULL, "also run experimental rules"},
  {"--shellcheck", "WHEN", "check RUN scripts with shellcheck: auto (default: when installed), on (required), off"},
  {"--failure-threshold", "SEV", "lowest severity that fails the run: error, warning, info (default), style, none"},
  {"--no-fail", NULL, "always exit 0 when the files could be read"},
  {"--build-arg", "K=V", "a build argument, as docker build --build-arg; repeatable"},
  {"--context", "DIR", "the build context (default: the Dockerfile's directory)"},
  {"--target", "NAME", "the stage to build (default: the last)"},
  {"--catalog", "FILE", "base-image catalog replacing the embedded one (docs/catalog.md format)"},
  {"--today", "DATE", "the date end-of-life checks use, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)"},
  {"--platform", "P", "the target platform, as docker build --platform (default: linux/amd64)"},
  {"--online", NULL, "ask the registries about base images: sizes for DF101, platforms for InvalidBaseImagePlatform"},
  {"--offline", NULL, "never use the network (the default)"},
  {"--stdin-filename", "NAME", "the name to report for - (standard input)"},
  {"--color", NULL, "colour even when not on a terminal"},
  {"--no-color", NULL, "no colour (also: the NO_COLOR environment variable)"},
  {"--quiet", NULL, "no summary line in text output"},
  {"-j", "N", "lint N files in parallel (default: the number of cores)"},
  {"--config", "FILE", "read this configuration file instead of searching for one (docs/configuration.md)"},
  {"--no-config", NULL, "read no configuration file"},
  {"--help", NULL, "this help"},
  {NULL, NULL, NULL},
};

static void push(char ***list, size_t *n, const char *s, size_t len)
{
  *list = dfl_xrealloc(*list, (*n + 1) * sizeof **list);
  (*list)[(*n)++] = dfl_xstrndup(s, len);
}

static void push_csv(char ***list, size_t *n, const char *v)
{
  while (*v) {
    const char *c = strchr(v, ',');
    size_t len = c ? (size_t)(c - v) : strlen(v);
    while (len && (*v == ' ')) {
      v++;
      len--;
    }
    while (len && v[len - 1] == ' ')
      len--;
    if (len)
      push(list, n, v, len);
    if (!c)
      break;
    v = c + 1;
  }
}

static void print_help(void)
{
  printf("Usage: dflint [check] [OPTIONS] PATH...\n\n"
         "Lints Dockerfiles. PATH may be a file, a directory (searched for "
         "Dockerfile,\nContainerfile, *.Dockerfile, Dockerfile.* ...) or - "
         "for standard input.\n\nOptions:\n");
  dfl_print_option_docs(dfl_check_option_docs);
  printf("\nWith --online (docs/registry.md):\n");
  dfl_print_option_docs(dfl_registry_option_docs);
  printf("\nExit codes: 0 nothing at or above the failure threshold, 1 "
         "findings,\n            2 usage, configuration or I/O error.\n");
}

void dfl_print_option_docs(const dfl_option_doc *docs)
{
  for (size_t i = 0; docs[i].flag; i++) {
    const dfl_option_doc *d = &docs[i];
    char left[64];
    snprintf(left, sizeof left, "%s%s%s", d->flag, d->arg ? " " : "",
             d->arg ? d->arg : "");
    printf("  %-24s %s\n", left, d->help);
  }
}

/* Matches "--name VALUE" and "--name=VALUE". */
const char *dfl_take_value(int argc, char **argv, int *i, const char *name,
                              bool *bad)
{
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0)
    return NULL;
  if (a[n] == '=')
    return a + n + 1;
  if (a[n] != '\0')
    return NULL;
  if (*i + 1 >= argc) {
    dfl_cli_error("%s needs a value", name);
    *bad = true;
    return NULL;
  }
  return argv[++*i];
}

/* --platform P: the predefined TARGET* args, as docker build --platform
 * sets them (a --build-arg of the same name wins). */
static int set_target_platform(dfl_cli_options *o)
{
  dfl_platform p;
  char *err = NULL;
  if (dfl_platform_parse(o->platform, strlen(o->platform), &p, &err) != 0) {
    dfl_cli_error("--platform: %s", err ? err : o->platform);
    free(err);
    return -1;
  }
  dfl_platform_normalize(&p);
  char *all = dfl_platform_format_all(&p);
  const char *kv[][2] = {{"TARGETPLATFORM", all},
                         {"TARGETOS", p.os},
                         {"TARGETARCH", p.arch},
                         {"TARGETVARIANT", p.variant}};
  for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
    if (!dfl_env_get(&o->lint.build_args, kv[i][0], strlen(kv[i][0])))
      dfl_env_set(&o->lint.build_args, kv[i][0], strlen(kv[i][0]), kv[i][1],
                  strlen(kv[i][1]));
  free(all);
  dfl_platform_free(&p);
  return 0;
}

int dfl_cli_options_parse(dfl_cli_options *o, int argc, char **argv)
{
  memset(o, 0, sizeof *o);
  dfl_lint_options_init(&o->lint);
  o->format = "text";
  o->failure_threshold = DFL_SEV_INFO;
  const char *nc = getenv("NO_COLOR");
  o->color = isatty(STDOUT_FILENO) && !(nc && *nc);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  o->jobs = cores > 0 ? (unsigned)cores : 1;
  bool only_paths = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool bad = false;
    const char *v;
    int taken;
    if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
      push(&o->paths, &o->npaths, a, strlen(a));
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_paths = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      print_help();
      dfl_cli_options_free(o);
      return DFL_EXIT_OK;
    } else if ((v = dfl_take_value(argc, argv, &i, "--format", &bad))) {
      o->format = v;
      o->format_set = true;
    } else if ((v = dfl_take_value(argc, argv, &i, "--select", &bad))) {
      push_csv(&o->lint.sel.select, &o->lint.sel.nselect, v);
    } else if ((v = dfl_take_value(argc, argv, &i, "--ignore", &bad))) {
      push_csv(&o->lint.sel.ignore, &o->lint.sel.nignore, v);
    } else if (strcmp(a, "--enable-experimental") == 0) {
      o->lint.sel.experimental = true;
    } else if ((v = dfl_take_value(argc, argv, &i, "--shellcheck", &bad))) {
      if (strcmp(v, "auto") == 0)
        o->lint.shellcheck = DFL_SHELLCHECK_AUTO;
      else if (strcmp(v, "on") == 0)
        o->lint.shellcheck = DFL_SHELLCHECK_ON;
      else if (strcmp(v, "off") == 0)
        o->lint.shellcheck = DFL_SHELLCHECK_OFF;
      else {
        dfl_cli_error("--shellcheck: '%s' is not one of auto, on, off", v);
        bad = true;
      }
    } else if ((v = dfl_take_value(argc, argv, &i, "--failure-threshold", &bad))) {
      int s = dfl_severity_parse(v);
      if (s < 0) {
        dfl_cli_error("--failure-threshold: '%s' is not one of error, "
                      "warning, info, style, none",
                      v);
        bad = true;
      }
      o->failure_threshold = s == DFL_SEV_NONE ? DFL_SEV_STYLE : s;
      o->failure_threshold_set = true;
    } else if (strcmp(a, "--no-fail") == 0) {
      o->no_fail = true;
    } else if ((v = dfl_take_value(argc, argv, &i, "--build-arg", &bad))) {
      const char *eq = strchr(v, '=');
      if (eq)
        dfl_env_set(&o->lint.build_args, v, (size_t)(eq - v), eq + 1,
                    strlen(eq + 1));
      else {
        /* docker build --build-arg K takes K from the environment. */
        const char *env = getenv(v);
        if (env)
          dfl_env_set(&o->lint.build_args, v, strlen(v), env, strlen(env));
      }
    } else if ((v = dfl_take_value(argc, argv, &i, "--context", &bad))) {
      o->lint.context_dir = v;
    } else if ((v = dfl_take_value(argc, argv, &i, "--target", &bad))) {
      o->lint.target = v;
    } else if ((v = dfl_take_value(argc, argv, &i, "--catalog", &bad))) {
      /* Loaded once here and shared read-only by every file's lint. */
      dfl_catalog *cat = NULL;
      char *err = NULL;
      if (dfl_catalog_load(v, &cat, &err) != 0) {
        dfl_cli_error("%s", err ? err : v);
        free(err);
        bad = true;
      } else {
        dfl_catalog_free(o->catalog);
        o->catalog = cat;
        o->lint.catalog = cat;
      }
    } else if ((v = dfl_take_value(argc, argv, &i, "--today", &bad))) {
      int32_t d = dfl_catalog_parse_date(v, strlen(v));
      if (!d) {
        dfl_cli_error("--today: '%s' is not a date YYYY-MM-DD", v);
        bad = true;
      }
      o->lint.today = d;
    } else if ((v = dfl_take_value(argc, argv, &i, "--stdin-filename", &bad))) {
      o->stdin_filename = v;
    } else if (strcmp(a, "--color") == 0) {
      o->color = true;
      o->color_set = true;
    } else if (strcmp(a, "--no-color") == 0) {
      o->color = false;
      o->color_set = true;
    } else if ((v = dfl_take_value(argc, argv, &i, "--config", &bad))) {
      o->config_path = v;
    } else if (strcmp(a, "--no-config") == 0) {
      o->no_config = true;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      o->quiet = true;
    } else if ((v = dfl_take_value(argc, argv, &i, "-j", &bad)) ||
               (strncmp(a, "-j", 2) == 0 && a[2] && (v = a + 2))) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || n < 1 || n > 1024) {
        dfl_cli_error("-j: '%s' is not a number from 1 to 1024", v);
        bad = true;
      }
      o->jobs = (unsigned)n;
    } else if ((v = dfl_take_value(argc, argv, &i, "--platform", &bad))) {
      o->platform = v;
    } else if (strcmp(a, "--online") == 0) {
      o->online = true;
      o->online_set = true;
    } else if (strcmp(a, "--offline") == 0) {
      o->online = false;
      o->online_set = true;
    } else if (bad) {
      /* dfl_take_value reported the missing value */
    } else if ((taken = dfl_cli_registry_take(&o->reg, argc, argv, &i)) != 0) {
      bad = taken < 0;
    } else {
      dfl_cli_error("unknown option '%s' (see dflint --help)", a);
      bad = true;
    }
    if (bad) {
      dfl_cli_options_free(o);
      return DFL_EXIT_ERROR;
    }
  }
  if (!dfl_renderer_find(o->format)) {
    /* From the registry, so the list cannot fall behind it. */
    dfl_buf names;
    dfl_buf_init(&names);
    for (size_t i = 0; dfl_renderers[i]; i++)
      dfl_buf_printf(&names, " %s", dfl_renderers[i]->name);
    dfl_cli_error("unknown format '%s' (expected one of:%s)", o->format,
                  dfl_buf_cstr(&names));
    dfl_buf_free(&names);
    dfl_cli_options_free(o);
    return DFL_EXIT_ERROR;
  }
  if (o->npaths == 0) {
    dfl_cli_error("no Dockerfile given (see dflint --help)");
    dfl_cli_options_free(o);
    return DFL_EXIT_ERROR;
  }
  /* The registry options are completed after the configuration file
   * (online, registry-mirrors), in dfl_cli_options_apply_config. */
  if (o->platform && set_target_platform(o) != 0) {
    dfl_cli_options_free(o);
    return DFL_EXIT_ERROR;
  }
  return -1;
}

void dfl_cli_options_free(dfl_cli_options *o)
{
  for (size_t i = 0; i < o->npaths; i++)
    free(o->paths[i]);
  free(o->paths);
  dfl_lint_options_free(&o->lint);
  dfl_catalog_free(o->catalog);
  dfl_cli_registry_free(&o->reg);
  if (o->config)
    dfl_config_free(o->config);
  free(o->config);
  memset(o, 0, sizeof *o);
}

int dfl_write_stdout(const char *data, size_t len)
{
  while (len) {
    ssize_t n = write(STDOUT_FILENO, data, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EPIPE)
        _exit(0); /* the reader went away (| head): nothing left to say */
      return -1;
    }
    data += n;
    len -= (size_t)n;
  }
  return 0;
}
