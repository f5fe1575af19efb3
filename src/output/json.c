/* --format json: one array of findings with a fixed set of keys in a fixed
 * order. Editors parse it; docs/json-output.md and docs/json-output.schema.json
 * describe it, and its shape changes only with a version bump. */
#include <jansson.h>
#include <string.h>

#include "dflint/output.h"
#include "dflint/utf8.h"

static void begin(dfl_out *o)
{
  dfl_buf_putc(o->buf, '[');
}

static void add_item(dfl_out *o, json_t *item)
{
  char *s = json_dumps(item, JSON_PRESERVE_ORDER | JSON_COMPACT);
  dfl_buf_puts(o->buf, o->items ? ",\n  " : "\n  ");
  dfl_buf_puts(o->buf, s);
  free(s);
  json_decref(item);
  o->items++;
}

static json_t *finding(const char *file, uint32_t line, uint32_t col,
                       uint32_t end_line, uint32_t end_col, const char *rule,
                       const char *name, const char *severity,
                       const char *message, const char *url, const char *source)
{
  json_t *o = json_object();
  json_object_set_new(o, "file", json_string(file));
  json_object_set_new(o, "line", json_integer(line));
  json_object_set_new(o, "column", json_integer(col));
  json_object_set_new(o, "end_line", json_integer(end_line));
  json_object_set_new(o, "end_column", json_integer(end_col));
  json_object_set_new(o, "rule", json_string(rule));
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "severity", json_string(severity));
  /* Messages may carry bytes from the Dockerfile that are not UTF-8. */
  char *clean = dfl_utf8_sanitize(message, strlen(message));
  json_object_set_new(o, "message", json_string(clean));
  free(clean);
  json_object_set_new(o, "url", json_string(url ? url : ""));
  json_object_set_new(o, "source", json_string(source));
  return o;
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error)
    return; /* on stderr, with exit status 2: the array keeps its shape */
  for (size_t i = 0; i < f->res->ndiags; i++) {
    const dfl_diag *d = &f->res->diags[i];
    uint32_t el = d->range.end.line ? d->range.end.line : d->range.start.line;
    uint32_t ec = d->range.end.col ? d->range.end.col : d->range.start.col;
    add_item(o, finding(f->path, d->range.start.line, d->range.start.col, el,
                        ec, d->rule_id, d->rule_name, dfl_severity_name(d->severity),
                        d->message, d->url, dfl_source_name(d->source)));
  }
  if (f->res->check_config_error)
    add_item(o, finding(f->path, 1, 1, 1, 1, "DF000", "SyntaxError", "error",
                        f->res->check_config_error, "", "dflint"));
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)s;
  dfl_buf_puts(o->buf, o->items ? "\n]\n" : "]\n");
}

const dfl_renderer dfl_renderer_json = {
  .name = "json",
  .description = "a JSON array of findings (for editors and scripts)",
  .begin = begin,
  .file = file,
  .end = end,
};
