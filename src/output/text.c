/* The human format: path:line:col: severity[ID] message, the source line and
 * a caret underline, then a one-line summary. */
#include <string.h>

#include "dflint/output.h"

static const char *sev_color(dfl_severity s)
{
  switch (s) {
  case DFL_SEV_ERROR: return "\033[1;31m";
  case DFL_SEV_WARNING: return "\033[1;33m";
  case DFL_SEV_INFO: return "\033[1;36m";
  default: return "\033[1;34m";
  }
}

static void begin(dfl_out *o) { (void)o; }

static void snippet(dfl_out *o, const dfl_dockerfile *df, const dfl_diag *d)
{
  dfl_str line = dfl_dockerfile_line(df, d->range.start.line);
  if (!line.ptr || d->range.start.line == 0)
    return;
  dfl_buf *b = o->buf;
  dfl_buf_printf(b, "%5u | ", d->range.start.line);
  for (size_t i = 0; i < line.len; i++)
    dfl_buf_putc(b, line.ptr[i] == '\t' ? ' ' : line.ptr[i]);
  dfl_buf_puts(b, "\n      | ");
  uint32_t from = d->range.start.col ? d->range.start.col - 1 : 0;
  uint32_t to = d->range.end.line == d->range.start.line && d->range.end.col > d->range.start.col
                    ? d->range.end.col - 1
                    : (uint32_t)line.len;
  if (from > line.len)
    from = (uint32_t)line.len;
  if (to > line.len)
    to = (uint32_t)line.len;
  if (to <= from)
    to = from + 1;
  for (uint32_t i = 0; i < from; i++)
    dfl_buf_putc(b, ' ');
  if (o->color)
    dfl_buf_puts(b, sev_color(d->severity));
  dfl_buf_putc(b, '^');
  for (uint32_t i = from + 1; i < to; i++)
    dfl_buf_putc(b, '~');
  if (o->color)
    dfl_buf_puts(b, "\033[0m");
  dfl_buf_putc(b, '\n');
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  dfl_buf *b = o->buf;
  if (f->io_error) {
    dfl_buf_printf(b, "%s: error: %s\n", f->path, f->io_error);
    return;
  }
  for (size_t i = 0; i < f->res->ndiags; i++) {
    const dfl_diag *d = &f->res->diags[i];
    if (o->color)
      dfl_buf_puts(b, "\033[1m");
    dfl_buf_printf(b, "%s:%u:%u:", f->path, d->range.start.line,
                   d->range.start.col);
    if (o->color)
      dfl_buf_printf(b, "\033[0m %s%s\033[0m[%s] ", sev_color(d->severity),
                     dfl_severity_name(d->severity), d->rule_id);
    else
      dfl_buf_printf(b, " %s[%s] ", dfl_severity_name(d->severity),
                     d->rule_id);
    dfl_buf_puts(b, d->message);
    dfl_buf_putc(b, '\n');
    snippet(o, f->df, d);
    o->items++;
  }
  if (f->res->check_config_error)
    dfl_buf_printf(b, "%s: error: %s\n", f->path, f->res->check_config_error);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  size_t total = 0;
  for (int i = 0; i <= DFL_SEV_NONE; i++)
    total += s->by_severity[i];
  dfl_buf *b = o->buf;
  if (total == 0 && s->io_errors == 0) {
    dfl_buf_printf(b, "%zu file%s checked, no problems found.\n", s->files,
                   s->files == 1 ? "" : "s");
    return;
  }
  dfl_buf_printf(b, "%zu file%s checked: %zu problem%s (%zu error%s, %zu "
                    "warning%s, %zu info, %zu style)",
                 s->files, s->files == 1 ? "" : "s", total,
                 total == 1 ? "" : "s", s->by_severity[DFL_SEV_ERROR],
                 s->by_severity[DFL_SEV_ERROR] == 1 ? "" : "s",
                 s->by_severity[DFL_SEV_WARNING],
                 s->by_severity[DFL_SEV_WARNING] == 1 ? "" : "s",
                 s->by_severity[DFL_SEV_INFO], s->by_severity[DFL_SEV_STYLE]);
  if (s->io_errors)
    dfl_buf_printf(b, "; %zu file%s could not be read", s->io_errors,
                   s->io_errors == 1 ? "" : "s");
  dfl_buf_puts(b, ".\n");
}

const dfl_renderer dfl_renderer_text = {
  .name = "text",
  .description = "human-readable, with the source line and a caret",
  .begin = begin,
  .file = file,
  .end = end,
};
