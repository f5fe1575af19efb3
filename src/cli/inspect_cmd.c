/* dflint inspect [--platform P] [registry options] REF...: what the registry
 * says about base images (the advisor's registry client, see
 * docs/registry.md), printed as a JSON array, one object per REF. A
 * reference the registry cannot answer for has "error" set and, when the
 * embedded catalog knows the image, a "fallback" with the catalog's figures
 * (what the advisor uses offline). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/registry_internal.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/registry_opts.h"
#include "dflint/arena.h"
#include "dflint/catalog.h"
#include "dflint/registry.h"

static void print_help(void)
{
  printf("usage: dflint inspect [--platform P] [OPTIONS] REF...\n\n"
         "Asks the registries for each image reference (all at once) and "
         "prints a JSON\narray: digests, the compressed size a pull "
         "transfers (config + layers), the\nconfig's created, user, env, "
         "entrypoint, cmd and labels. See docs/registry.md.\n\n"
         "Options:\n");
  static const dfl_option_doc own[] = {
    {"--platform", "P", "os/arch[/variant] (default linux/amd64)"},
    {NULL, NULL, NULL},
  };
  static const dfl_option_doc help[] = {
    {"--help", NULL, "this help"},
    {NULL, NULL, NULL},
  };
  dfl_print_option_docs(own);
  dfl_print_option_docs(dfl_registry_option_docs);
  dfl_print_option_docs(help);
  printf("\nExit codes: 0 every reference resolved, 1 some did not, 2 usage "
         "error.\n");
}

typedef struct strv {
  const char **v;
  size_t n;
} strv;

static void push(strv *s, const char *x)
{
  s->v = dfl_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
  s->v[s->n++] = x;
}

static json_t *catalog_fallback(const char *ref, const char *platform)
{
  dfl_catalog_match m;
  if (dfl_catalog_lookup(dfl_catalog_builtin(), ref, &m, NULL) != 1 || !m.entry)
    return NULL;
  const dfl_catalog_entry *e = m.entry;
  int64_t size = -1;
  if (strncmp(platform, "linux/amd64", 11) == 0)
    size = e->size_amd64;
  else if (strncmp(platform, "linux/arm64", 11) == 0)
    size = e->size_arm64;
  json_t *o = json_object();
  json_object_set_new(o, "source", json_string("catalog"));
  json_object_set_new(o, "repository", json_string(e->repository));
  json_object_set_new(o, "tag", json_string(e->tag));
  json_object_set_new(o, "compressed_bytes", size >= 0 ? json_integer((json_int_t)size) : json_null());
  json_object_set_new(o, "size_status", json_string(dfl_cat_size_status_name(e->size_status)));
  json_object_set_new(o, "size_as_of", json_string(e->size_as_of));
  json_object_set_new(o, "user", json_string(e->nonroot ? "nonroot" : "root"));
  return o;
}

int dfl_cmd_inspect(int argc, char **argv)
{
  dfl_cli_registry reg;
  memset(&reg, 0, sizeof reg);
  strv refs = {0};
  const char *platform = NULL;
  char *err = NULL;
  int rc = DFL_EXIT_ERROR;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    bool missing = false;
    int taken;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      print_help();
      rc = DFL_EXIT_OK;
      goto out;
    } else if (strcmp(a, "--") == 0) {
      for (i++; i < argc; i++)
        push(&refs, argv[i]);
    } else if ((v = dfl_take_value(argc, argv, &i, "--platform", &missing))) {
      platform = v;
    } else if (missing || (taken = dfl_cli_registry_take(&reg, argc, argv, &i)) < 0) {
      goto out; /* the problem was reported */
    } else if (taken) {
      continue;
    } else if (a[0] == '-' && a[1]) {
      dfl_cli_error("inspect: unknown option '%s' (dflint inspect --help)", a);
      goto out;
    } else {
      push(&refs, a);
    }
  }
  if (!refs.n) {
    dfl_cli_error("inspect: no image reference (usage: dflint inspect [--platform P] "
                  "[OPTIONS] REF...)");
    goto out;
  }
  if (dfl_cli_registry_finish(&reg) != 0)
    goto out;
  const dfl_registry_opts *o = &reg.ro;
  if (platform) {
    dfl_platform p;
    if (dfl_platform_parse(platform, strlen(platform), &p, &err) != 0) {
      dfl_cli_error("--platform: %s", err);
      free(err);
      goto out;
    }
    dfl_platform_free(&p);
  }
  dfl_image_info *infos = dfl_xcalloc(refs.n, sizeof *infos);
  int failed = dfl_registry_fetch_many(o, refs.v, refs.n, platform, infos);
  json_t *arr = json_array();
  for (size_t i = 0; i < refs.n; i++) {
    json_t *j = dfl_image_info_to_json(&infos[i]);
    json_object_set_new(j, "input", json_string(refs.v[i]));
    if (infos[i].error) {
      dfl_cli_error("inspect %s: %s", refs.v[i], infos[i].error);
      json_t *fb = catalog_fallback(refs.v[i], infos[i].platform ? infos[i].platform : "");
      json_object_set_new(j, "fallback", fb ? fb : json_null());
    } else if (infos[i].warning) {
      fprintf(stderr, "dflint: inspect %s: warning: %s\n", refs.v[i], infos[i].warning);
    }
    json_array_append_new(arr, j);
    dfl_image_info_free(&infos[i]);
  }
  free(infos);
  char *s = json_dumps(arr, JSON_PRESERVE_ORDER | JSON_INDENT(2));
  json_decref(arr);
  if (s) {
    puts(s);
    free(s);
  }
  rc = failed == 0 ? DFL_EXIT_OK : DFL_EXIT_FINDINGS;
out:
  dfl_cli_registry_free(&reg);
  free(refs.v);
  return rc;
}
