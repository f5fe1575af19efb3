/* --format buildkit-json: the result of `docker buildx build
 * --call=check,format=json` (BuildKit's lint subrequest), so tooling written
 * for it reads dflint's output unchanged. One object per Dockerfile; only
 * BuildKit's own rules appear, and BuildKit's build errors become
 * "buildError". Go's MarshalIndent layout, omitempty fields left out. */
#include <string.h>

#include "dflint/output.h"
#include "output/gojson.h"

static void begin(dfl_out *o) { (void)o; }

static void key(dfl_buf *b, int level, const char *k)
{
  dfl_indent(b, level);
  dfl_buf_printf(b, "\"%s\": ", k);
}

static void line_ranges(dfl_buf *b, int level, uint32_t from, uint32_t to)
{
  dfl_buf_puts(b, "{");
  key(b, level + 1, "ranges");
  dfl_buf_puts(b, "[");
  for (uint32_t l = from; l <= to; l++) {
    if (l > from)
      dfl_buf_putc(b, ',');
    dfl_indent(b, level + 2);
    dfl_buf_puts(b, "{");
    key(b, level + 3, "start");
    dfl_buf_puts(b, "{");
    key(b, level + 4, "line");
    dfl_buf_printf(b, "%u", l);
    dfl_indent(b, level + 3);
    dfl_buf_puts(b, "},");
    key(b, level + 3, "end");
    dfl_buf_puts(b, "{");
    key(b, level + 4, "line");
    dfl_buf_printf(b, "%u", l);
    dfl_indent(b, level + 3);
    dfl_buf_puts(b, "}");
    dfl_indent(b, level + 2);
    dfl_buf_puts(b, "}");
  }
  dfl_indent(b, level + 1);
  dfl_buf_puts(b, "]");
  dfl_indent(b, level);
  dfl_buf_puts(b, "}");
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error)
    return; /* on stderr, with exit status 2 */
  dfl_buf *b = o->buf;
  if (o->files++)
    dfl_buf_putc(b, '\n');
  dfl_buf_puts(b, "{");
  key(b, 1, "warnings");
  size_t n = 0;
  const dfl_diag *build_error = NULL;
  if (f->res) {
    for (size_t i = 0; i < f->res->ndiags; i++) {
      const dfl_diag *d = &f->res->diags[i];
      if (d->rule && strcmp(d->rule_id, "DF000") == 0 && !build_error)
        build_error = d;
      if (d->source != DFL_SOURCE_BUILDKIT)
        continue;
      dfl_buf_puts(b, n++ ? "," : "[");
      dfl_indent(b, 2);
      dfl_buf_puts(b, "{");
      key(b, 3, "ruleName");
      dfl_gojson_string(b, d->rule_id, strlen(d->rule_id));
      if (d->rule && d->rule->summary) {
        dfl_buf_putc(b, ',');
        key(b, 3, "description");
        dfl_gojson_string(b, d->rule->summary, strlen(d->rule->summary));
      }
      if (d->url && *d->url) {
        dfl_buf_putc(b, ',');
        key(b, 3, "url");
        dfl_gojson_string(b, d->url, strlen(d->url));
      }
      dfl_buf_putc(b, ',');
      key(b, 3, "detail");
      dfl_gojson_string(b, d->message, strlen(d->message));
      dfl_buf_putc(b, ',');
      key(b, 3, "location");
      uint32_t end = d->range.end.line >= d->range.start.line
                         ? d->range.end.line
                         : d->range.start.line;
      line_ranges(b, 3, d->range.start.line, end);
      dfl_indent(b, 2);
      dfl_buf_puts(b, "}");
    }
  }
  if (n) {
    dfl_indent(b, 1);
    dfl_buf_puts(b, "]");
  } else {
    dfl_buf_puts(b, "null");
  }
  dfl_buf_putc(b, ',');
  key(b, 1, "sources");
  dfl_buf_puts(b, "[");
  dfl_indent(b, 2);
  dfl_buf_puts(b, "{");
  const char *base = strrchr(f->path, '/');
  base = base ? base + 1 : f->path;
  key(b, 3, "filename");
  dfl_gojson_string(b, base, strlen(base));
  if (f->df && f->df->src_len) {
    dfl_buf_putc(b, ',');
    key(b, 3, "data");
    dfl_buf_putc(b, '"');
    dfl_base64(b, (const unsigned char *)f->df->src, f->df->src_len);
    dfl_buf_putc(b, '"');
  }
  dfl_buf_putc(b, ',');
  key(b, 3, "language");
  dfl_buf_puts(b, "\"Dockerfile\"");
  dfl_indent(b, 2);
  dfl_buf_puts(b, "}");
  dfl_indent(b, 1);
  dfl_buf_puts(b, "]");
  const char *err_msg = f->res && f->res->check_config_error
                            ? f->res->check_config_error
                            : build_error ? build_error->message : NULL;
  if (err_msg) {
    dfl_buf_putc(b, ',');
    key(b, 1, "buildError");
    dfl_buf_puts(b, "{");
    key(b, 2, "message");
    dfl_gojson_string(b, err_msg, strlen(err_msg));
    dfl_buf_putc(b, ',');
    key(b, 2, "location");
    if (build_error && err_msg == build_error->message)
      line_ranges(b, 2, build_error->range.start.line,
                  build_error->range.end.line >= build_error->range.start.line
                      ? build_error->range.end.line
                      : build_error->range.start.line);
    else
      dfl_buf_puts(b, "{}");
    dfl_indent(b, 1);
    dfl_buf_puts(b, "}");
  }
  dfl_buf_puts(b, "\n}\n");
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)o;
  (void)s;
}

const dfl_renderer dfl_renderer_buildkit_json = {
  .name = "buildkit-json",
  .description = "the JSON of docker buildx build --call=check,format=json",
  .begin = begin,
  .file = file,
  .end = end,
};
