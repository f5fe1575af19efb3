/* --format github: one GitHub Actions workflow command per finding, which the
 * runner turns into an annotation on the file and line:
 *   ::warning file=Dockerfile,line=3,endLine=3,col=1,endColumn=9,title=DF001 InvalidPragma::message
 * Escaped exactly as @actions/core does, so a message or path holding
 * newlines, ':' or ',' cannot end the command or forge a property. */
#include <stdlib.h>
#include <string.h>

#include "dflint/output.h"
#include "dflint/utf8.h"
#include "output/escape.h"
#include "output/finding.h"

static const char *command(dfl_severity s)
{
  switch (s) {
  case DFL_SEV_ERROR: return "error";
  case DFL_SEV_WARNING: return "warning";
  default: return "notice";
  }
}

static void begin(dfl_out *o) { (void)o; }

static void property(dfl_buf *b, const char *key, const char *value)
{
  dfl_buf_printf(b, "%s=", key);
  dfl_escape_gh_property(b, value, strlen(value));
}

/* GitHub places annotations only on repository-relative paths:
 * "./Dockerfile" must be given as "Dockerfile". */
static const char *repo_relative(const char *path)
{
  while (path[0] == '.' && path[1] == '/')
    path += 2;
  return path;
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  dfl_buf *b = o->buf;
  /* The runner reads commands as UTF-8 text. */
  char *path = dfl_utf8_sanitize(f->path, strlen(f->path));
  if (f->io_error) {
    /* The run is incomplete: an error annotation on the file says which. */
    dfl_buf_puts(b, "::error ");
    property(b, "file", repo_relative(path));
    dfl_buf_puts(b, ",");
    property(b, "title", "dflint could not read this file");
    dfl_buf_puts(b, "::");
    dfl_escape_gh_data(b, f->io_error, strlen(f->io_error));
    dfl_buf_putc(b, '\n');
    free(path);
    return;
  }
  size_t n;
  dfl_finding *v = dfl_findings_of(f, &n);
  if (!n) {
    free(path);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const dfl_finding *x = &v[i];
    dfl_buf_printf(b, "::%s ", command(x->severity));
    property(b, "file", repo_relative(path));
    dfl_buf_printf(b, ",line=%u,endLine=%u,col=%u,endColumn=%u,", x->line,
                   x->end_line, x->col, x->end_col);
    dfl_buf title;
    dfl_buf_init(&title);
    /* BuildKit's rules are named by their id: say it once. */
    if (strcmp(x->rule_id, x->rule_name) == 0)
      dfl_buf_puts(&title, x->rule_id);
    else
      dfl_buf_printf(&title, "%s %s", x->rule_id, x->rule_name);
    property(b, "title", dfl_buf_cstr(&title));
    dfl_buf_free(&title);
    dfl_buf_puts(b, "::");
    dfl_escape_gh_data(b, x->message, strlen(x->message));
    dfl_buf_putc(b, '\n');
    o->items++;
  }
  free(path);
  dfl_findings_free(v, n);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)o;
  (void)s;
}

const dfl_renderer dfl_renderer_github = {
  .name = "github",
  .description = "GitHub Actions workflow commands (annotations on the diff)",
  .begin = begin,
  .file = file,
  .end = end,
};
