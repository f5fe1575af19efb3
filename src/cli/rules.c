/* dflint rules [--format text|markdown|json] and dflint rule ID: the rule
 * table, and one rule's documentation page. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "dflint/io.h"
#include "dflint/rule.h"

static const char *state(const dfl_rule *r)
{
  if (r->experimental)
    return "experimental";
  if (r->off_by_default)
    return "off";
  return "on";
}

int dfl_cmd_rules(int argc, char **argv)
{
  const char *format = "text";
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], "--format=", 9) == 0)
      format = argv[i] + 9;
    else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
      format = argv[++i];
    else {
      dfl_cli_error("usage: dflint rules [--format text|markdown|json]");
      return DFL_EXIT_ERROR;
    }
  }
  if (strcmp(format, "json") == 0) {
    json_t *arr = json_array();
    for (size_t i = 0; i < dfl_nrules; i++) {
      const dfl_rule *r = dfl_rules[i];
      json_t *o = json_object();
      json_object_set_new(o, "id", json_string(r->id));
      json_object_set_new(o, "name", json_string(r->name));
      json_object_set_new(o, "source", json_string(dfl_source_name(r->source)));
      json_object_set_new(o, "severity", json_string(dfl_severity_name(r->severity)));
      json_object_set_new(o, "category", json_string(r->category ? r->category : ""));
      json_object_set_new(o, "default", json_string(state(r)));
      json_object_set_new(o, "summary", json_string(r->summary));
      json_object_set_new(o, "url", json_string(r->url ? r->url : ""));
      json_array_append_new(arr, o);
    }
    char *s = json_dumps(arr, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    puts(s);
    free(s);
    json_decref(arr);
    return DFL_EXIT_OK;
  }
  bool md = strcmp(format, "markdown") == 0;
  if (!md && strcmp(format, "text") != 0) {
    dfl_cli_error("unknown format '%s' for rules (text, markdown, json)", format);
    return DFL_EXIT_ERROR;
  }
  if (md)
    printf("| id | name | source | severity | default | summary |\n"
           "|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < dfl_nrules; i++) {
    const dfl_rule *r = dfl_rules[i];
    if (md)
      printf("| [%s](docs/rules/%s.md) | %s | %s | %s | %s | %s |\n", r->id,
             r->id, r->name, dfl_source_name(r->source),
             dfl_severity_name(r->severity), state(r), r->summary);
    else
      printf("%-32s %-9s %-8s %-12s %s\n", r->id, dfl_source_name(r->source),
             dfl_severity_name(r->severity), state(r), r->summary);
  }
  return DFL_EXIT_OK;
}

/* The docs directory: next to the binary's install prefix, or the source
 * tree this binary was built from. */
static char *doc_path(const char *id)
{
  const char *env = getenv("DFLINT_DOCS_DIR");
  const char *dirs[] = {env, DFLINT_DOCS_INSTALL_DIR, DFLINT_SOURCE_DIR "/docs"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    if (!dirs[i])
      continue;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/rules/%s.md", dirs[i], id);
    if (access(buf, R_OK) == 0)
      return strdup(buf);
  }
  return NULL;
}

int dfl_cmd_rule(int argc, char **argv)
{
  if (argc != 2) {
    dfl_cli_error("usage: dflint rule ID");
    return DFL_EXIT_ERROR;
  }
  const dfl_rule *r = dfl_rule_find(argv[1]);
  if (!r) {
    dfl_cli_error("unknown rule '%s' (see dflint rules)", argv[1]);
    return DFL_EXIT_ERROR;
  }
  char *p = doc_path(r->id);
  if (!p) {
    printf("%s (%s): %s\n%s\n", r->id, r->name, r->summary, r->url ? r->url : "");
    return DFL_EXIT_OK;
  }
  char *data, *err;
  size_t len;
  if (dfl_read_input(p, 1 << 20, &data, &len, &err) != 0) {
    dfl_cli_error("%s", err);
    free(err);
    free(p);
    return DFL_EXIT_ERROR;
  }
  fwrite(data, 1, len, stdout);
  free(data);
  free(p);
  return DFL_EXIT_OK;
}
