/* --format hadolint-json: the JSON array `hadolint --format json` prints, so
 * tools written for hadolint's output read dflint's unchanged. One array over
 * all files, one object per finding with hadolint's six keys in its order
 * (alphabetical, compact: aeson's encoding):
 *   {"code":"DL3008","column":1,"file":"Dockerfile","level":"warning",
 *    "line":2,"message":"..."}
 * code is the rule id (DL3008, SC2086, or a BuildKit/dflint id), level one of
 * hadolint's words. Unlike hadolint, column is the real column (hadolint
 * always says 1) and the array ends with a newline. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/output.h"
#include "dflint/utf8.h"
#include "output/finding.h"

static void begin(dfl_out *o)
{
  dfl_buf_putc(o->buf, '[');
}

/* hadolint's levels; it never prints its "ignore" level, so a finding whose
 * severity is none (shown only because it was selected) is the mildest. */
static const char *level(dfl_severity s)
{
  switch (s) {
  case DFL_SEV_ERROR: return "error";
  case DFL_SEV_WARNING: return "warning";
  case DFL_SEV_INFO: return "info";
  default: return "style";
  }
}

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error)
    return; /* on stderr, with exit status 2 */
  size_t n;
  dfl_finding *v = dfl_findings_of(f, &n);
  for (size_t i = 0; i < n; i++) {
    const dfl_finding *x = &v[i];
    json_t *item = json_object();
    json_object_set_new(item, "code", json_string(x->rule_id));
    json_object_set_new(item, "column", json_integer(x->col ? x->col : 1));
    json_object_set_new(item, "file", json_string(f->path));
    json_object_set_new(item, "level", json_string(level(x->severity)));
    json_object_set_new(item, "line", json_integer(x->line ? x->line : 1));
    json_object_set_new(item, "message", json_string(x->message));
    /* A path that is not UTF-8 cannot be a JSON string: jansson then
     * refuses it, and the file name is written with U+FFFD instead. */
    if (!json_object_get(item, "file")) {
      char *clean = dfl_utf8_sanitize(f->path, strlen(f->path));
      json_object_set_new(item, "file", json_string(clean));
      free(clean);
    }
    char *s = json_dumps(item, JSON_COMPACT | JSON_SORT_KEYS);
    if (o->items++)
      dfl_buf_putc(o->buf, ',');
    dfl_buf_puts(o->buf, s);
    free(s);
    json_decref(item);
  }
  dfl_findings_free(v, n);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)s;
  dfl_buf_puts(o->buf, "]\n");
}

const dfl_renderer dfl_renderer_hadolint_json = {
  .name = "hadolint-json",
  .description = "hadolint's JSON array (code, column, file, level, line, "
                 "message)",
  .begin = begin,
  .file = file,
  .end = end,
};
