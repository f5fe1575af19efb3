/* --format gitlab: a GitLab Code Quality report (artifacts:reports:
 * codequality), a JSON array of issues. GitLab matches issues between the
 * merge request and its base by fingerprint, so the fingerprint leaves out
 * line numbers: it hashes the path, the rule, the trimmed text of the line
 * and which occurrence of that pair this is. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/output.h"
#include "dflint/utf8.h"
#include "output/finding.h"

static const char *severity(dfl_severity s)
{
  switch (s) {
  case DFL_SEV_ERROR: return "critical";
  case DFL_SEV_WARNING: return "major";
  case DFL_SEV_INFO: return "minor";
  default: return "info";
  }
}

static void begin(dfl_out *o)
{
  dfl_buf_putc(o->buf, '[');
}

/* GitLab wants paths relative to the repository root: "./a" is "a". */
static const char *repo_path(const char *p)
{
  while (p[0] == '.' && p[1] == '/') {
    p += 2;
    while (*p == '/')
      p++;
  }
  return p;
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error)
    return; /* on stderr, with exit status 2 */
  size_t n;
  dfl_finding *v = dfl_findings_of(f, &n);
  if (!n)
    return;
  const char *rel = repo_path(f->path);
  char *path = dfl_utf8_sanitize(rel, strlen(rel));
  for (size_t i = 0; i < n; i++) {
    const dfl_finding *x = &v[i];
    char fp[17];
    dfl_finding_fingerprint(x, path, fp);
    json_t *item = json_object();
    json_object_set_new(item, "description", json_string(x->message));
    json_object_set_new(item, "check_name", json_string(x->rule_id));
    json_object_set_new(item, "fingerprint", json_string(fp));
    json_object_set_new(item, "severity", json_string(severity(x->severity)));
    json_t *lines = json_object();
    json_object_set_new(lines, "begin", json_integer(x->line));
    json_t *loc = json_object();
    json_object_set_new(loc, "path", json_string(path));
    json_object_set_new(loc, "lines", lines);
    json_object_set_new(item, "location", loc);
    char *s = json_dumps(item, JSON_PRESERVE_ORDER | JSON_COMPACT);
    dfl_buf_puts(o->buf, o->items++ ? ",\n  " : "\n  ");
    dfl_buf_puts(o->buf, s);
    free(s);
    json_decref(item);
  }
  free(path);
  dfl_findings_free(v, n);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)s;
  dfl_buf_puts(o->buf, o->items ? "\n]\n" : "]\n");
}

const dfl_renderer dfl_renderer_gitlab = {
  .name = "gitlab",
  .description = "a GitLab Code Quality report (JSON)",
  .begin = begin,
  .file = file,
  .end = end,
};
