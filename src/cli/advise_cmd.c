/* dflint advise [OPTIONS] PATH...: for the final stage of each Dockerfile's
 * target, the base image with its compressed size and where the figure
 * comes from, lighter alternatives with estimated image sizes and caveats,
 * and a verdict (src/advisor/advise.c decides; this file parses options and
 * prints). docs/advise.md describes the output; docs/advise.schema.json the
 * JSON. Exit codes: 0 advice printed, 2 usage or I/O error. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "advisor/advise.h"
#include "advisor/facts.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/registry_opts.h"
#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/catalog.h"
#include "dflint/io.h"
#include "dflint/lint.h"
#include "dflint/parse.h"
#include "dflint/registry.h"

typedef struct advise_opts {
  const char *format;
  const char *target;
  const char *platform;
  const char *context;
  int32_t today;
  dfl_env build_args;
  dfl_catalog *catalog; /* --catalog, owned */
  char **paths;
  size_t npaths;
  /* Where base-image facts come from: the registry client's options. */
  bool offline;
  bool offline_set; /* --online or --offline given: beats the config file */
  dfl_cli_registry reg;
  const char *config_path; /* --config */
  bool no_config;
} advise_opts;

static const dfl_option_doc advise_option_docs[] = {
  {"--format", "FMT", "output format: text (default) or json (docs/advise.md)"},
  {"--target", "NAME", "the stage to build (default: the last)"},
  {"--platform", "P", "the platform whose sizes are shown (default: linux/amd64)"},
  {"--context", "DIR", "the build context (default: the Dockerfile's directory)"},
  {"--build-arg", "K=V", "a build argument, as docker build --build-arg; repeatable"},
  {"--catalog", "FILE", "base-image catalog replacing the embedded one (docs/catalog.md format)"},
  {"--today", "DATE", "the date end-of-life checks and ages use, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)"},
  {"--online", NULL, "ask the registries for sizes and digests (the default); cache, then catalog, when they cannot answer"},
  {"--offline", NULL, "never use the network: cached registry answers, then the catalog"},
  {"--config", "FILE", "read this configuration file (its online and registry-mirrors keys) instead of searching for one"},
  {"--no-config", NULL, "read no configuration file"},
  {NULL, NULL, NULL},
};

static void print_help(void)
{
  printf("Usage: dflint advise [OPTIONS] PATH...\n\n"
         "For the final stage of each Dockerfile's target: the base image "
         "and its\ncompressed size, lighter alternatives with estimated "
         "image sizes and caveats,\nand a verdict. PATH may be a file or a "
         "directory (searched as dflint check\nsearches it).\n\n"
         "Options:\n");
  dfl_print_option_docs(advise_option_docs);
  dfl_print_option_docs(dfl_registry_option_docs);
  printf("  %-24s %s\n", "--help", "this help");
  printf("\nBase-image facts come from the registries (docs/registry.md), "
         "else from their\ncached answers, else from the catalog compiled "
         "into dflint (docs/catalog.md);\nthe output says which, and how "
         "old the figure is.\n\nExit codes: 0 advice printed, 2 usage or "
         "I/O error.\n");
}

static void opts_free(advise_opts *o)
{
  dfl_env_free(&o->build_args);
  dfl_catalog_free(o->catalog);
  free(o->paths);
  dfl_cli_registry_free(&o->reg);
  memset(o, 0, sizeof *o);
}

/* -1 to go on, or an exit code. */
static int parse(advise_opts *o, int argc, char **argv)
{
  memset(o, 0, sizeof *o);
  o->format = "text";
  o->platform = "linux/amd64";
  dfl_env_init(&o->build_args);
  bool only_paths = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v;
    bool bad = false;
    int taken;
    if (only_paths || a[0] != '-') {
      o->paths = dfl_xrealloc(o->paths, (o->npaths + 1) * sizeof *o->paths);
      o->paths[o->npaths++] = argv[i];
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_paths = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      print_help();
      opts_free(o);
      return DFL_EXIT_OK;
    } else if ((v = dfl_take_value(argc, argv, &i, "--format", &bad))) {
      o->format = v;
    } else if ((v = dfl_take_value(argc, argv, &i, "--target", &bad))) {
      o->target = v;
    } else if ((v = dfl_take_value(argc, argv, &i, "--platform", &bad))) {
      o->platform = v;
    } else if ((v = dfl_take_value(argc, argv, &i, "--context", &bad))) {
      o->context = v;
    } else if ((v = dfl_take_value(argc, argv, &i, "--build-arg", &bad))) {
      const char *eq = strchr(v, '=');
      if (eq) {
        dfl_env_set(&o->build_args, v, (size_t)(eq - v), eq + 1,
                    strlen(eq + 1));
      } else {
        /* docker build --build-arg K takes K from the environment. */
        const char *env = getenv(v);
        if (env)
          dfl_env_set(&o->build_args, v, strlen(v), env, strlen(env));
      }
    } else if ((v = dfl_take_value(argc, argv, &i, "--catalog", &bad))) {
      dfl_catalog *cat = NULL;
      char *err = NULL;
      if (dfl_catalog_load(v, &cat, &err) != 0) {
        dfl_cli_error("%s", err ? err : v);
        free(err);
        bad = true;
      } else {
        dfl_catalog_free(o->catalog);
        o->catalog = cat;
      }
    } else if ((v = dfl_take_value(argc, argv, &i, "--today", &bad))) {
      o->today = dfl_catalog_parse_date(v, strlen(v));
      if (!o->today) {
        dfl_cli_error("--today: '%s' is not a date YYYY-MM-DD", v);
        bad = true;
      }
    } else if (strcmp(a, "--offline") == 0) {
      o->offline = true;
      o->offline_set = true;
    } else if (strcmp(a, "--online") == 0) {
      o->offline = false;
      o->offline_set = true;
    } else if ((v = dfl_take_value(argc, argv, &i, "--config", &bad))) {
      o->config_path = v;
    } else if (strcmp(a, "--no-config") == 0) {
      o->no_config = true;
    } else if (bad) {
      /* dfl_take_value reported the missing value */
    } else if ((taken = dfl_cli_registry_take(&o->reg, argc, argv, &i)) != 0) {
      bad = taken < 0;
    } else {
      dfl_cli_error("unknown option '%s' for advise (see dflint advise "
                    "--help)", a);
      bad = true;
    }
    if (bad) {
      opts_free(o);
      return DFL_EXIT_ERROR;
    }
  }
  if (strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0) {
    dfl_cli_error("unknown format '%s' for advise (text, json)", o->format);
    opts_free(o);
    return DFL_EXIT_ERROR;
  }
  if (o->npaths == 0) {
    dfl_cli_error("no Dockerfile given (see dflint advise --help)");
    opts_free(o);
    return DFL_EXIT_ERROR;
  }
  return -1;
}

/* ---- JSON ----------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
  return s ? json_string(s) : json_null();
}

static json_t *bytes_or_null(int64_t v)
{
  return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *strlist_json(const dfl_strlist *l)
{
  json_t *a = json_array();
  for (size_t i = 0; i < l->n; i++)
    json_array_append_new(a, json_string(l->items[i]));
  return a;
}

static json_t *source_json(const dfl_image_facts *f)
{
  json_t *o = json_object();
  json_object_set_new(o, "kind", json_string(dfl_facts_origin_name(f->origin)));
  json_object_set_new(o, "estimated", json_boolean(f->estimated));
  json_object_set_new(o, "as_of", str_or_null(f->as_of));
  json_object_set_new(o, "age_days",
                      f->age_days < 0 ? json_null() : json_integer(f->age_days));
  json_object_set_new(o, "detail", str_or_null(f->detail));
  json_object_set_new(o, "note", str_or_null(f->note));
  return o;
}

static json_t *eol_json(const dfl_catalog_entry *e)
{
  return e && *e->eol ? json_string(e->eol) : json_null();
}

/* Traits shared by the base and the alternatives. */
static void traits_json(json_t *o, const dfl_image_facts *f)
{
  const dfl_catalog_entry *e = f->entry;
  json_object_set_new(o, "kind",
                      e ? json_string(dfl_cat_kind_name(e->kind)) : json_null());
  json_object_set_new(o, "libc",
                      f->libc >= 0 ? json_string(dfl_cat_libc_name(f->libc))
                                   : json_null());
  json_object_set_new(o, "shell", f->shell < 0 ? json_null()
                                               : json_boolean(f->shell));
  json_object_set_new(o, "user", f->user ? json_string(*f->user ? f->user
                                                                : "root")
                                         : json_null());
  json_object_set_new(o, "eol", eol_json(e));
}

static json_t *advice_json(const dfl_advice *a)
{
  json_t *o = json_object();
  json_object_set_new(o, "file", json_string(a->file));
  json_object_set_new(o, "stage", str_or_null(a->stage_name));
  json_object_set_new(o, "stage_index", json_integer((json_int_t)a->stage_index));
  json_object_set_new(o, "line", json_integer(a->line));

  json_t *b = json_object();
  json_object_set_new(b, "ref", str_or_null(a->base_ref));
  json_object_set_new(b, "written", str_or_null(a->base_raw));
  json_object_set_new(b, "digest", str_or_null(a->base.digest));
  json_object_set_new(b, "platform", str_or_null(a->base.platform));
  json_object_set_new(b, "compressed_bytes",
                      bytes_or_null(a->base.compressed_bytes));
  json_object_set_new(b, "estimated_image_bytes",
                      bytes_or_null(a->base_image_bytes));
  json_object_set_new(b, "source", source_json(&a->base));
  traits_json(b, &a->base);
  json_object_set_new(b, "notes", strlist_json(&a->base_notes));
  json_object_set_new(o, "base", b);

  json_t *p = json_object();
  json_object_set_new(p, "context_bytes",
                      json_integer((json_int_t)a->context_bytes));
  json_object_set_new(p, "context_files",
                      json_integer((json_int_t)a->context_files));
  json_object_set_new(p, "complete", json_boolean(a->payload_complete));
  json_object_set_new(p, "unknown", strlist_json(&a->payload_unknown));
  json_object_set_new(o, "payload", p);
  json_object_set_new(o, "evidence", strlist_json(&a->evidence));

  json_t *alts = json_array();
  for (size_t i = 0; i < a->nalts; i++) {
    const dfl_advice_alt *x = &a->alts[i];
    json_t *j = json_object();
    json_object_set_new(j, "ref", json_string(x->ref));
    json_object_set_new(j, "compressed_bytes",
                        bytes_or_null(x->facts.compressed_bytes));
    json_object_set_new(j, "estimated_image_bytes",
                        bytes_or_null(x->estimated_image_bytes));
    json_object_set_new(j, "kind",
                        json_string(dfl_cat_kind_name(x->entry->kind)));
    json_object_set_new(j, "fit", json_string(dfl_advice_fit_name(x->fit)));
    json_object_set_new(j, "change", str_or_null(x->change));
    json_object_set_new(j, "digest", str_or_null(x->facts.digest));
    json_object_set_new(j, "source", source_json(&x->facts));
    json_object_set_new(j, "libc",
                        json_string(dfl_cat_libc_name(x->entry->libc)));
    json_object_set_new(j, "shell", json_boolean(x->entry->shell));
    json_object_set_new(j, "user",
                        json_string(x->entry->nonroot ? "nonroot" : "root"));
    json_object_set_new(j, "eol", eol_json(x->entry));
    json_object_set_new(j, "caveats", strlist_json(&x->caveats));
    json_array_append_new(alts, j);
  }
  json_object_set_new(o, "alternatives", alts);
  json_object_set_new(o, "slimming", str_or_null(a->slimming));
  json_object_set_new(o, "verdict", json_string(a->verdict ? a->verdict : ""));
  json_object_set_new(o, "choice", str_or_null(a->choice));
  return o;
}

/* ---- text ----------------------------------------------------------------- */

#define WIDTH 79

/* Appends text word-wrapped at WIDTH, continuation lines indented by
 * `indent` spaces; the first line continues from column `col`. */
static void wrap(dfl_buf *b, const char *text, size_t col, size_t indent)
{
  const char *p = text;
  bool first = true;
  while (*p) {
    size_t w = strcspn(p, " ");
    /* "(line 7)" stays on one line. */
    if ((w == 4 && strncmp(p, "line", 4) == 0) ||
        (w == 5 && strncmp(p, "(line", 5) == 0) ||
        (w == 5 && strncmp(p, "lines", 5) == 0))
      if (p[w] == ' ' && p[w + 1] >= '0' && p[w + 1] <= '9')
        w += 1 + strcspn(p + w + 1, " ");
    /* Nor does "411 MB". */
    if (w && strspn(p, "(~0123456789.") == w && p[w] == ' ' &&
        (strncmp(p + w + 1, "B", 1) == 0 || strncmp(p + w + 1, "kB", 2) == 0 ||
         strncmp(p + w + 1, "MB", 2) == 0 || strncmp(p + w + 1, "GB", 2) == 0))
      w += 1 + strcspn(p + w + 1, " ");
    if (!first && col + 1 + w > WIDTH && col > indent) {
      dfl_buf_putc(b, '\n');
      for (size_t i = 0; i < indent; i++)
        dfl_buf_putc(b, ' ');
      col = indent;
    } else if (!first) {
      dfl_buf_putc(b, ' ');
      col++;
    }
    dfl_buf_append(b, p, w);
    col += w;
    first = false;
    p += w;
    while (*p == ' ')
      p++;
  }
  dfl_buf_putc(b, '\n');
}

/* "label" padded to 11 columns, then the wrapped text. */
static void field(dfl_buf *b, const char *label, const char *text)
{
  dfl_buf_printf(b, "  %-10s ", label);
  wrap(b, text, 13, 13);
}

static void source_text(dfl_buf *b, const dfl_image_facts *f)
{
  const char *kind = dfl_facts_origin_name(f->origin);
  if (f->origin == DFL_FACTS_NONE) {
    dfl_buf_puts(b, "no source knows it");
  } else if (f->compressed_bytes < 0) {
    dfl_buf_printf(b, "%s, no figure", kind);
  } else {
    dfl_buf_printf(b, "%s%s", kind, f->estimated ? " estimate" : "");
    if (f->as_of && f->age_days >= 0)
      dfl_buf_printf(b, ", as of %s, %d days old", f->as_of, (int)f->age_days);
    else if (f->as_of)
      dfl_buf_printf(b, ", as of %s", f->as_of);
    else
      dfl_buf_puts(b, ", undated");
  }
}

/* The distinct notes of the base's and the alternatives' facts: why a
 * source did not answer (the registry unreachable, an expired cache
 * entry), shown once each. */
static void fallback_notes(dfl_buf *out, const dfl_advice *a)
{
  const char *seen[16];
  size_t n = 0;
  for (size_t i = 0; i <= a->nalts && n < 16; i++) {
    const dfl_image_facts *f = i == 0 ? &a->base : &a->alts[i - 1].facts;
    if (!f->note || (f->origin == DFL_FACTS_NONE && i > 0))
      continue;
    bool dup = false;
    for (size_t k = 0; k < n && !dup; k++)
      dup = strcmp(seen[k], f->note) == 0;
    if (dup)
      continue;
    seen[n++] = f->note;
    field(out, n == 1 ? "fallback" : "", f->note);
  }
}

static void advice_text(dfl_buf *out, const dfl_advice *a, const char *target)
{
  dfl_buf t;
  dfl_buf_init(&t);
  dfl_buf_printf(out, "%s:%u: stage %zu", a->file, (unsigned)a->line,
                 a->stage_index);
  if (a->stage_name)
    dfl_buf_printf(out, " (%s)", a->stage_name);
  if (target)
    dfl_buf_printf(out, ", the final stage of target %s\n", target);
  else
    dfl_buf_puts(out, ", the final stage of the default target\n");

  /* base */
  char size[32];
  dfl_advise_format_size(a->base.compressed_bytes, a->base.estimated, size,
                         sizeof size);
  if (a->base_scratch) {
    dfl_buf_puts(&t, "scratch (empty)");
  } else if (!a->base_ref) {
    dfl_buf_printf(&t, "%s (does not resolve)", a->base_raw ? a->base_raw : "");
  } else {
    if (a->base.compressed_bytes >= 0)
      dfl_buf_printf(&t, "%s, %s compressed for %s (", a->base_ref, size,
                     a->base.platform ? a->base.platform : "");
    else
      dfl_buf_printf(&t, "%s, size unknown for %s (", a->base_ref,
                     a->base.platform ? a->base.platform : "");
    source_text(&t, &a->base);
    dfl_buf_puts(&t, ")");
  }
  field(out, "base", dfl_buf_cstr(&t));
  for (size_t i = 0; i < a->base_notes.n; i++) {
    dfl_buf_puts(out, "             ");
    wrap(out, a->base_notes.items[i], 13, 13);
  }
  if (a->base.digest && a->base_ref && !strchr(a->base_ref, '@')) {
    /* What FROM can pin (the digest `docker pull` prints). */
    dfl_buf_reset(&t);
    dfl_buf_printf(&t, "pin it: %s@%s", a->base_ref, a->base.digest);
    dfl_buf_puts(out, "             ");
    wrap(out, dfl_buf_cstr(&t), 13, 13);
  }
  fallback_notes(out, a);

  /* payload */
  dfl_buf_reset(&t);
  char cb[32];
  dfl_advise_format_size((int64_t)a->context_bytes, false, cb, sizeof cb);
  dfl_buf_printf(&t, "%s in %llu file%s from the build context (after "
                     ".dockerignore)",
                 cb, (unsigned long long)a->context_files,
                 a->context_files == 1 ? "" : "s");
  field(out, "payload", dfl_buf_cstr(&t));
  if (a->payload_unknown.n) {
    dfl_buf_reset(&t);
    dfl_buf_puts(&t, "not counted: ");
    for (size_t i = 0; i < a->payload_unknown.n; i++)
      dfl_buf_printf(&t, "%s%s", i ? "; " : "", a->payload_unknown.items[i]);
    dfl_buf_puts(out, "             ");
    wrap(out, dfl_buf_cstr(&t), 13, 13);
  }
  for (size_t i = 0; i < a->evidence.n; i++)
    field(out, i ? "" : "evidence", a->evidence.items[i]);

  /* alternatives */
  if (a->nalts) {
    dfl_buf_printf(out, "  alternatives (compressed; image = base + "
                        "payload%s):\n",
                   a->payload_complete ? "" : ", + more not counted");
    size_t w = 0;
    for (size_t i = 0; i < a->nalts; i++) {
      size_t l = strlen(a->alts[i].ref);
      if (l > w)
        w = l;
    }
    if (w > 40)
      w = 40;
    for (size_t i = 0; i < a->nalts; i++) {
      const dfl_advice_alt *x = &a->alts[i];
      char s[32], img[32];
      dfl_advise_format_size(x->facts.compressed_bytes, x->facts.estimated, s,
                             sizeof s);
      dfl_advise_format_size(x->estimated_image_bytes, x->facts.estimated, img,
                             sizeof img);
      if (x->estimated_image_bytes >= 0 && !a->payload_complete)
        strncat(img, "+", sizeof img - strlen(img) - 1);
      dfl_buf_printf(out, "    %-*s  %8s  image %-9s %-10s %s\n", (int)w,
                     x->ref, s, img, dfl_cat_kind_name(x->entry->kind),
                     dfl_advice_fit_name(x->fit));
      for (size_t k = 0; k < x->caveats.n; k++) {
        dfl_buf_puts(out, "      - ");
        wrap(out, x->caveats.items[k], 8, 8);
      }
    }
  } else {
    field(out, "alternatives", "none");
  }
  if (a->slimming)
    field(out, "slimming", a->slimming);
  field(out, "verdict", a->verdict ? a->verdict : "");
  dfl_buf_free(&t);
}

/* ---- running -------------------------------------------------------------- */

static int advise_one(const char *path, const advise_opts *o, dfl_facts *facts,
                      const char *platform, json_t *arr, dfl_buf *text,
                      bool *first)
{
  char *data = NULL, *err = NULL;
  size_t len;
  if (dfl_read_input(path, DFL_MAX_INPUT_BYTES, &data, &len, &err) != 0) {
    dfl_cli_error("%s", err);
    free(err);
    return DFL_EXIT_ERROR;
  }
  dfl_dockerfile *df = dfl_parse(data, len, path);
  free(data);
  dfl_advise_options ao = {
    .facts = facts,
    .platform = platform,
    .context_dir = o->context,
    .target = o->target,
    .build_args = &o->build_args,
    .today = facts->today,
  };
  dfl_advice adv;
  int rc = DFL_EXIT_OK;
  if (dfl_advise(df, path, &ao, &adv, &err) != 0) {
    dfl_cli_error("%s", err);
    free(err);
    rc = DFL_EXIT_ERROR;
  } else if (arr) {
    json_array_append_new(arr, advice_json(&adv));
  } else {
    if (!*first)
      dfl_buf_putc(text, '\n');
    advice_text(text, &adv, o->target);
    *first = false;
  }
  dfl_advice_free(&adv);
  dfl_dockerfile_free(df);
  return rc;
}

int dfl_cmd_advise(int argc, char **argv)
{
  advise_opts o;
  int rc = parse(&o, argc, argv);
  if (rc >= 0)
    return rc;
  char *perr = NULL;
  char *platform = dfl_facts_platform(o.platform, &perr);
  if (!platform) {
    dfl_cli_error("--platform: %s", perr ? perr : o.platform);
    free(perr);
    opts_free(&o);
    return DFL_EXIT_ERROR;
  }
  if (o.context) {
    struct stat st;
    if (stat(o.context, &st) != 0 || !S_ISDIR(st.st_mode)) {
      dfl_cli_error("--context: %s: %s", o.context,
                    errno && stat(o.context, &st) != 0 ? strerror(errno)
                                                       : "not a directory");
      free(platform);
      opts_free(&o);
      return DFL_EXIT_ERROR;
    }
  }
  dfl_lint_options lo;
  dfl_lint_options_init(&lo);
  lo.today = o.today;
  int32_t today = dfl_lint_today(&lo);
  dfl_lint_options_free(&lo);

  /* The configuration file's say on the registries: `online: false` keeps
   * advise off the network too, and its mirrors come after the command
   * line's. */
  int cfg_online;
  if (dfl_cli_registry_config(o.config_path, o.no_config, o.paths[0], &o.reg,
                              &cfg_online) != 0) {
    free(platform);
    opts_free(&o);
    return DFL_EXIT_ERROR;
  }
  if (!o.offline_set && cfg_online == 0)
    o.offline = true;

  /* Where facts come from (facts.h): the registry client, which keeps its
   * own cache (offline: that cache alone), then the catalog. */
  if (dfl_cli_registry_finish(&o.reg) != 0) {
    free(platform);
    opts_free(&o);
    return DFL_EXIT_ERROR;
  }
  const dfl_registry_opts *ro = &o.reg.ro;
  dfl_facts facts;
  dfl_facts_init(&facts, o.catalog, today);
  if (!(o.offline && ro->no_cache))
    dfl_facts_add_source(&facts, dfl_facts_registry_source(ro, o.offline));
  dfl_facts_add_source(&facts, dfl_facts_catalog_source(facts.catalog));

  bool json = strcmp(o.format, "json") == 0;
  json_t *arr = json ? json_array() : NULL;
  dfl_buf text;
  dfl_buf_init(&text);
  bool first = true;
  int exit_code = DFL_EXIT_OK;
  for (size_t i = 0; i < o.npaths; i++) {
    const char *p = o.paths[i];
    struct stat st;
    if (stat(p, &st) != 0) {
      dfl_cli_error("%s: %s", p, strerror(errno));
      exit_code = DFL_EXIT_ERROR;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      char **found = NULL;
      size_t n = 0;
      dfl_find_dockerfiles(p, &found, &n);
      for (size_t k = 0; k < n; k++) {
        if (advise_one(found[k], &o, &facts, platform, arr, &text, &first))
          exit_code = DFL_EXIT_ERROR;
        free(found[k]);
      }
      free(found);
      continue;
    }
    if (advise_one(p, &o, &facts, platform, arr, &text, &first))
      exit_code = DFL_EXIT_ERROR;
  }
  if (json) {
    char *s = json_dumps(arr, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    json_decref(arr);
    if (s) {
      dfl_write_stdout(s, strlen(s));
      dfl_write_stdout("\n", 1);
      free(s);
    }
  } else {
    dfl_write_stdout(text.data ? text.data : "", text.len);
  }
  dfl_buf_free(&text);
  dfl_facts_free(&facts);
  free(platform);
  opts_free(&o);
  return exit_code;
}
