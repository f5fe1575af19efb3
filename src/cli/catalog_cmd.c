/* dflint catalog [--catalog FILE] [--format text|json]: the base-image
 * catalog the image rules (DF1xx) use, embedded or replaced, so a user can
 * see which images, sizes and end-of-life dates dflint knows. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "dflint/catalog.h"

static const char usage_text[] =
    "usage: dflint catalog [--catalog FILE] [--format text|json]";

/* "398 MB", "~43 MB", "3.4 MB", "-": compressed linux/amd64 size. */
static void format_size(const dfl_catalog_entry *e, char *buf, size_t n)
{
  if (e->size_amd64 < 0) {
    snprintf(buf, n, "-");
    return;
  }
  double mb = (double)e->size_amd64 / 1e6;
  const char *approx = e->size_status == DFL_CAT_SIZE_ESTIMATED ? "~" : "";
  snprintf(buf, n, mb >= 10 ? "%s%.0f MB" : "%s%.1f MB", approx, mb);
}

static json_t *size_json(int64_t v)
{
  return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *entry_json(const dfl_catalog_entry *e)
{
  json_t *o = json_object();
  json_object_set_new(o, "repository", json_string(e->repository));
  json_object_set_new(o, "tag", json_string(e->tag));
  json_object_set_new(o, "family", json_string(dfl_cat_family_name(e->family)));
  json_object_set_new(o, "libc", json_string(dfl_cat_libc_name(e->libc)));
  json_object_set_new(o, "shell", json_boolean(e->shell));
  json_object_set_new(o, "pkg", json_string(dfl_cat_pkg_name(e->pkg)));
  json_object_set_new(o, "user", json_string(e->nonroot ? "nonroot" : "root"));
  json_object_set_new(o, "cc", json_boolean(e->cc));
  json_object_set_new(o, "runtime", json_string(e->runtime));
  json_object_set_new(o, "kind", json_string(dfl_cat_kind_name(e->kind)));
  json_object_set_new(o, "amd64_bytes", size_json(e->size_amd64));
  json_object_set_new(o, "arm64_bytes", size_json(e->size_arm64));
  json_object_set_new(o, "size_status",
                      json_string(dfl_cat_size_status_name(e->size_status)));
  json_object_set_new(o, "size_as_of", json_string(e->size_as_of));
  json_object_set_new(o, "size_source", json_string(e->size_source));
  json_object_set_new(o, "eol", json_string(e->eol));
  json_object_set_new(o, "eol_source", json_string(e->eol_source));
  json_object_set_new(o, "source", json_string(e->source));
  json_object_set_new(o, "line", json_integer(e->line));
  return o;
}

static int print_json(const dfl_catalog *cat)
{
  json_t *arr = json_array();
  for (size_t i = 0, n = dfl_catalog_count(cat); i < n; i++)
    json_array_append_new(arr, entry_json(dfl_catalog_at(cat, i)));
  char *s = json_dumps(arr, JSON_PRESERVE_ORDER | JSON_INDENT(2));
  json_decref(arr);
  if (!s)
    return DFL_EXIT_ERROR;
  puts(s);
  free(s);
  return DFL_EXIT_OK;
}

static void print_text(const dfl_catalog *cat)
{
  printf("%-40s %-28s %-10s %-16s %-9s %-10s %-10s %-5s %-5s %-8s %s\n",
         "REPOSITORY", "TAG", "KIND", "RUNTIME", "SIZE", "EOL", "FAMILY",
         "LIBC", "SHELL", "PKG", "USER");
  for (size_t i = 0, n = dfl_catalog_count(cat); i < n; i++) {
    const dfl_catalog_entry *e = dfl_catalog_at(cat, i);
    char size[32];
    format_size(e, size, sizeof size);
    printf("%-40s %-28s %-10s %-16s %-9s %-10s %-10s %-5s %-5s %-8s %s\n",
           e->repository, e->tag, dfl_cat_kind_name(e->kind),
           *e->runtime ? e->runtime : "-", size, *e->eol ? e->eol : "-",
           dfl_cat_family_name(e->family), dfl_cat_libc_name(e->libc),
           e->shell ? "yes" : "no", dfl_cat_pkg_name(e->pkg),
           e->nonroot ? "nonroot" : "root");
  }
}

int dfl_cmd_catalog(int argc, char **argv)
{
  const char *format = "text", *path = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--format=", 9) == 0)
      format = a + 9;
    else if (strcmp(a, "--format") == 0 && i + 1 < argc)
      format = argv[++i];
    else if (strncmp(a, "--catalog=", 10) == 0)
      path = a + 10;
    else if (strcmp(a, "--catalog") == 0 && i + 1 < argc)
      path = argv[++i];
    else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      puts(usage_text);
      return DFL_EXIT_OK;
    } else {
      dfl_cli_error("%s", usage_text);
      return DFL_EXIT_ERROR;
    }
  }
  bool json = strcmp(format, "json") == 0;
  if (!json && strcmp(format, "text") != 0) {
    dfl_cli_error("unknown format '%s' for catalog (text, json)", format);
    return DFL_EXIT_ERROR;
  }
  dfl_catalog *loaded = NULL;
  if (path) {
    char *err = NULL;
    if (dfl_catalog_load(path, &loaded, &err) != 0) {
      dfl_cli_error("%s", err ? err : path);
      free(err);
      return DFL_EXIT_ERROR;
    }
  }
  const dfl_catalog *cat = loaded ? loaded : dfl_catalog_builtin();
  int rc = DFL_EXIT_OK;
  if (json)
    rc = print_json(cat);
  else
    print_text(cat);
  dfl_catalog_free(loaded);
  return rc;
}
