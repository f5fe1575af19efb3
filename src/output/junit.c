/* --format junit: JUnit XML, for CI systems that show test reports (GitLab's
 * artifacts:reports:junit, Jenkins, Azure Pipelines). The run is one
 * <testsuite>; each Dockerfile is a <testcase> named by its path, with one
 * <failure> listing its findings when it has any. */
#include <stdlib.h>
#include <string.h>

#include "dflint/output.h"
#include "output/escape.h"
#include "output/finding.h"

/* <testsuite> carries its counts before its cases, and the renderer API has
 * no per-run state, so the cases wait here until end(). One run renders at
 * a time: the CLI renders on its main thread. */
static dfl_buf cases;
static size_t ncases, nfailures;

static void attr(dfl_buf *b, const char *name, const char *value)
{
  dfl_buf_printf(b, " %s=\"", name);
  dfl_escape_xml(b, value, strlen(value), true);
  dfl_buf_putc(b, '"');
}

static void begin(dfl_out *o)
{
  (void)o;
  dfl_buf_free(&cases);
  ncases = nfailures = 0;
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error)
    return;
  size_t n;
  dfl_finding *v = dfl_findings_of(f, &n);
  dfl_buf *b = &cases;
  ncases++;
  dfl_buf_puts(b, "    <testcase");
  attr(b, "name", f->path);
  attr(b, "classname", "dflint");
  attr(b, "file", f->path);
  if (!n) {
    dfl_buf_puts(b, "/>\n");
    return;
  }
  nfailures++;
  dfl_severity worst = DFL_SEV_NONE;
  for (size_t i = 0; i < n; i++)
    if (v[i].severity < worst)
      worst = v[i].severity;
  dfl_buf_puts(b, ">\n      <failure");
  dfl_buf msg;
  dfl_buf_init(&msg);
  dfl_buf_printf(&msg, "%zu problem%s", n, n == 1 ? "" : "s");
  attr(b, "message", dfl_buf_cstr(&msg));
  attr(b, "type", dfl_severity_name(worst));
  dfl_buf_putc(b, '>');
  /* One line per finding, as the text format's first line. */
  for (size_t i = 0; i < n; i++) {
    const dfl_finding *x = &v[i];
    dfl_buf_reset(&msg);
    dfl_escape_one_line(&msg, f->path, strlen(f->path));
    dfl_buf_printf(&msg, ":%u:%u: %s[%s] ", x->line, x->col,
                   dfl_severity_name(x->severity), x->rule_id);
    dfl_escape_one_line(&msg, x->message, strlen(x->message));
    if (i + 1 < n)
      dfl_buf_putc(&msg, '\n');
    dfl_escape_xml(b, msg.data, msg.len, false);
    o->items++;
  }
  dfl_buf_free(&msg);
  dfl_buf_puts(b, "</failure>\n    </testcase>\n");
  dfl_findings_free(v, n);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)s;
  dfl_buf *b = o->buf;
  dfl_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  dfl_buf_printf(b, "<testsuites name=\"dflint\" tests=\"%zu\" failures=\"%zu\">\n",
                 ncases, nfailures);
  dfl_buf_printf(b, "  <testsuite name=\"dflint\" tests=\"%zu\" failures=\"%zu\" "
                    "errors=\"0\" skipped=\"0\">\n",
                 ncases, nfailures);
  dfl_buf_append(b, cases.data ? cases.data : "", cases.len);
  dfl_buf_puts(b, "  </testsuite>\n</testsuites>\n");
  dfl_buf_free(&cases);
}

const dfl_renderer dfl_renderer_junit = {
  .name = "junit",
  .description = "JUnit XML: one test case per Dockerfile (CI test reports)",
  .begin = begin,
  .file = file,
  .end = end,
};
