/* --format checkstyle: Checkstyle's XML report, which Jenkins (warnings-ng),
 * reviewdog, SonarQube and many CI dashboards import. Every file read gets a
 * <file> element, with no <error> children when it is clean, so a report
 * also says what was checked. */
#include <stdlib.h>
#include <string.h>

#include "dflint/output.h"
#include "output/escape.h"
#include "output/finding.h"

static const char *severity(dfl_severity s)
{
  switch (s) {
  case DFL_SEV_ERROR: return "error";
  case DFL_SEV_WARNING: return "warning";
  case DFL_SEV_NONE: return "ignore";
  default: return "info"; /* Checkstyle has no "style" */
  }
}

static void attr(dfl_buf *b, const char *name, const char *value)
{
  dfl_buf_printf(b, " %s=\"", name);
  dfl_escape_xml(b, value, strlen(value), true);
  dfl_buf_putc(b, '"');
}

static void begin(dfl_out *o)
{
  dfl_buf_puts(o->buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<checkstyle version=\"4.3\">\n");
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error)
    return;
  dfl_buf *b = o->buf;
  size_t n;
  dfl_finding *v = dfl_findings_of(f, &n);
  dfl_buf_puts(b, "  <file");
  attr(b, "name", f->path);
  dfl_buf_puts(b, n ? ">\n" : "/>\n");
  for (size_t i = 0; i < n; i++) {
    const dfl_finding *x = &v[i];
    dfl_buf_printf(b, "    <error line=\"%u\" column=\"%u\"", x->line, x->col);
    attr(b, "severity", severity(x->severity));
    attr(b, "message", x->message);
    attr(b, "source", x->rule_id);
    dfl_buf_puts(b, "/>\n");
    o->items++;
  }
  if (n)
    dfl_buf_puts(b, "  </file>\n");
  dfl_findings_free(v, n);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)s;
  dfl_buf_puts(o->buf, "</checkstyle>\n");
}

const dfl_renderer dfl_renderer_checkstyle = {
  .name = "checkstyle",
  .description = "Checkstyle XML (Jenkins, reviewdog, SonarQube)",
  .begin = begin,
  .file = file,
  .end = end,
};
