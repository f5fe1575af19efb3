/* --format sarif: SARIF 2.1.0 (GitHub code scanning, VS Code's SARIF viewer,
 * Azure DevOps). One run; the driver lists every registered rule so ruleIndex
 * is stable across files. Written as a stream (header, one line per result,
 * trailer) so a large run is flushed as it goes, like --format json.
 * tests/sarif_check.sh validates it against the OASIS schema. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dflint/output.h"
#include "output/escape.h"
#include "output/finding.h"

#ifndef DFLINT_VERSION
#define DFLINT_VERSION "0.0.0"
#endif

#define SARIF_SCHEMA \
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/" \
  "sarif-schema-2.1.0.json"
#define INFORMATION_URI "https://github.com/dflint/dflint"

/* Appends v as compact JSON and releases it. */
static void put_json(dfl_buf *b, json_t *v)
{
  char *s = json_dumps(v, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENCODE_ANY);
  dfl_buf_puts(b, s ? s : "null");
  free(s);
  json_decref(v);
}

static json_t *text_object(const char *text)
{
  json_t *o = json_object();
  json_object_set_new(o, "text", json_string(text));
  return o;
}

static json_t *rule_descriptor(const dfl_rule *r)
{
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(r->id));
  /* SARIF wants the id opaque and the name readable, and a name equal to
   * the id left out (BuildKit's rules are named by their id). */
  if (strcmp(r->name, r->id) != 0)
    json_object_set_new(o, "name", json_string(r->name));
  json_object_set_new(o, "shortDescription", text_object(r->summary));
  /* The rule's page is the real long description; this says what a SARIF
   * viewer cannot otherwise show: where the rule comes from and its state. */
  dfl_buf full;
  dfl_buf_init(&full);
  size_t slen = strlen(r->summary);
  bool stop = slen && strchr(".!?", r->summary[slen - 1]);
  dfl_buf_printf(&full, "%s%s A %s rule", r->summary, stop ? "" : ".",
                 dfl_source_name(r->source));
  if (r->category && *r->category)
    dfl_buf_printf(&full, " (category: %s)", r->category);
  dfl_buf_printf(&full, "; %s by default", dfl_severity_name(r->severity));
  if (r->experimental)
    dfl_buf_puts(&full, "; experimental, runs only with --enable-experimental");
  else if (r->off_by_default)
    dfl_buf_puts(&full, "; off unless selected with --select");
  dfl_buf_putc(&full, '.');
  json_object_set_new(o, "fullDescription", text_object(dfl_buf_cstr(&full)));
  dfl_buf_free(&full);
  if (r->url && *r->url)
    json_object_set_new(o, "helpUri", json_string(r->url));
  json_t *cfg = json_object();
  json_object_set_new(cfg, "level",
                      json_string(dfl_severity_note_name(r->severity)));
  if (r->experimental || r->off_by_default)
    json_object_set_new(cfg, "enabled", json_false());
  json_object_set_new(o, "defaultConfiguration", cfg);
  json_t *tags = json_array();
  json_array_append_new(tags, json_string(dfl_source_name(r->source)));
  if (r->category && *r->category)
    json_array_append_new(tags, json_string(r->category));
  json_t *props = json_object();
  json_object_set_new(props, "tags", tags);
  json_object_set_new(o, "properties", props);
  return o;
}

/* The working directory as a file:// URI ending in '/', or NULL. */
static char *cwd_uri(void)
{
  size_t cap = 256;
  char *dir = NULL;
  for (;;) {
    dir = realloc(dir, cap);
    if (!dir)
      abort();
    if (getcwd(dir, cap))
      break;
    if (cap > (1u << 20)) {
      free(dir);
      return NULL;
    }
    cap *= 2;
  }
  dfl_buf b;
  dfl_buf_init(&b);
  size_t len = strlen(dir);
  dfl_file_uri(&b, dir, len);
  if (!len || dir[len - 1] != '/')
    dfl_buf_putc(&b, '/');
  free(dir);
  return dfl_buf_take(&b);
}

static void begin(dfl_out *o)
{
  dfl_buf *b = o->buf;
  dfl_buf_puts(b, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n"
                  "  \"version\": \"2.1.0\",\n"
                  "  \"runs\": [\n"
                  "    {\n"
                  "      \"tool\": {\n"
                  "        \"driver\": {\n"
                  "          \"name\": \"dflint\",\n"
                  "          \"version\": \"" DFLINT_VERSION "\",\n"
                  "          \"informationUri\": \"" INFORMATION_URI "\",\n"
                  "          \"rules\": [");
  for (size_t i = 0; i < dfl_nrules; i++) {
    dfl_buf_puts(b, i ? ",\n            " : "\n            ");
    put_json(b, rule_descriptor(dfl_rules[i]));
  }
  dfl_buf_puts(b, dfl_nrules ? "\n          ]\n" : "]\n");
  dfl_buf_puts(b, "        }\n"
                  "      },\n"
                  "      \"columnKind\": \"utf16CodeUnits\",\n");
  char *root = cwd_uri();
  if (root) {
    /* Relative artifact URIs resolve against SRCROOT: the directory the
     * paths on the command line were relative to. */
    dfl_buf_puts(b, "      \"originalUriBaseIds\": {\n"
                    "        \"SRCROOT\": {\n"
                    "          \"uri\": ");
    put_json(b, json_string(root));
    dfl_buf_puts(b, "\n        }\n      },\n");
    free(root);
  }
  dfl_buf_puts(b, "      \"results\": [");
}

static json_t *artifact_location(const char *path)
{
  json_t *loc = json_object();
  dfl_buf uri;
  dfl_buf_init(&uri);
  bool absolute = path[0] == '/';
  if (absolute)
    dfl_file_uri(&uri, path, strlen(path));
  else
    dfl_escape_uri_path(&uri, path, strlen(path));
  json_object_set_new(loc, "uri", json_string(dfl_buf_cstr(&uri)));
  if (!absolute)
    json_object_set_new(loc, "uriBaseId", json_string("SRCROOT"));
  dfl_buf_free(&uri);
  return loc;
}

static json_t *result(const dfl_finding *x, const char *path)
{
  json_t *o = json_object();
  json_object_set_new(o, "ruleId", json_string(x->rule_id));
  long idx = dfl_rule_index(x->rule);
  /* A finding under a code of its own (ShellCheck's SC2086, reported by
   * the ShellCheck rule) has no descriptor of that id: ruleIndex would
   * name another id, so only ruleId is given. */
  if (idx >= 0 && strcmp(x->rule->id, x->rule_id) == 0)
    json_object_set_new(o, "ruleIndex", json_integer(idx));
  json_object_set_new(o, "level",
                      json_string(dfl_severity_note_name(x->severity)));
  json_object_set_new(o, "message", text_object(x->message));
  /* dflint counts columns in bytes; SARIF viewers in the declared
   * columnKind, so convert with the text of each line. */
  json_t *region = json_object();
  json_object_set_new(region, "startLine", json_integer(x->line));
  json_object_set_new(region, "startColumn",
                      json_integer(dfl_utf16_column(x->line_text, x->col)));
  json_object_set_new(region, "endLine", json_integer(x->end_line));
  json_object_set_new(region, "endColumn",
                      json_integer(dfl_utf16_column(x->end_line_text,
                                                    x->end_col)));
  json_t *phys = json_object();
  json_object_set_new(phys, "artifactLocation", artifact_location(path));
  json_object_set_new(phys, "region", region);
  json_t *loc = json_object();
  json_object_set_new(loc, "physicalLocation", phys);
  json_t *locs = json_array();
  json_array_append_new(locs, loc);
  json_object_set_new(o, "locations", locs);
  char fp[17];
  dfl_finding_fingerprint(x, NULL, fp);
  json_t *fps = json_object();
  json_object_set_new(fps, "primaryLocationLineHash", json_string(fp));
  json_object_set_new(o, "partialFingerprints", fps);
  return o;
}

/* Files that could not be read, as SARIF tool execution notifications:
 * they are written after the results (end()), and the renderer API has no
 * per-run state, so they wait here. One run renders at a time. */
static json_t *notifications;

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error) {
    json_t *n = json_object();
    json_object_set_new(n, "level", json_string("error"));
    json_object_set_new(n, "message", text_object(f->io_error));
    json_t *phys = json_object();
    json_object_set_new(phys, "artifactLocation", artifact_location(f->path));
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", phys);
    json_t *locs = json_array();
    json_array_append_new(locs, loc);
    json_object_set_new(n, "locations", locs);
    if (!notifications)
      notifications = json_array();
    json_array_append_new(notifications, n);
    return;
  }
  size_t n;
  dfl_finding *v = dfl_findings_of(f, &n);
  if (!n)
    return;
  /* A path that is not UTF-8 is percent-encoded byte by byte in the URI. */
  for (size_t i = 0; i < n; i++) {
    dfl_buf_puts(o->buf, o->items++ ? ",\n        " : "\n        ");
    put_json(o->buf, result(&v[i], f->path));
  }
  dfl_findings_free(v, n);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)s;
  dfl_buf_puts(o->buf, o->items ? "\n      ]" : "]");
  /* A file that could not be read makes the run incomplete: say so, so
   * that a viewer does not take the results for the whole picture. */
  if (notifications) {
    json_t *inv = json_object();
    json_object_set_new(inv, "executionSuccessful", json_false());
    json_object_set_new(inv, "toolExecutionNotifications", notifications);
    notifications = NULL;
    json_t *invs = json_array();
    json_array_append_new(invs, inv);
    dfl_buf_puts(o->buf, ",\n      \"invocations\": ");
    put_json(o->buf, invs);
  }
  dfl_buf_puts(o->buf, "\n    }\n  ]\n}\n");
}

const dfl_renderer dfl_renderer_sarif = {
  .name = "sarif",
  .description = "SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)",
  .begin = begin,
  .file = file,
  .end = end,
};
