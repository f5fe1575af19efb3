/* --format gnu: the GNU Coding Standards' error format,
 *   FILE:LINE:COLUMN: SEVERITY: MESSAGE [ID]
 * which Emacs's compilation mode and Vim's quickfix (the default
 * 'errorformat') parse. One finding per line, always: newlines in a message
 * become spaces. Columns count bytes, as Vim's do. */
#include <stdlib.h>
#include <string.h>

#include "dflint/output.h"
#include "output/escape.h"
#include "output/finding.h"

static void begin(dfl_out *o) { (void)o; }

static void file(dfl_out *o, const dfl_report_file *f)
{
  if (f->io_error)
    return; /* on stderr, with exit status 2 */
  size_t n;
  dfl_finding *v = dfl_findings_of(f, &n);
  dfl_buf *b = o->buf;
  for (size_t i = 0; i < n; i++) {
    const dfl_finding *x = &v[i];
    dfl_escape_one_line(b, f->path, strlen(f->path));
    /* GNU has three words; a finding is at least a note. */
    dfl_buf_printf(b, ":%u:%u: %s: ", x->line, x->col,
                   x->severity == DFL_SEV_NONE
                       ? "note"
                       : dfl_severity_note_name(x->severity));
    dfl_escape_one_line(b, x->message, strlen(x->message));
    dfl_buf_printf(b, " [%s]\n", x->rule_id);
    o->items++;
  }
  dfl_findings_free(v, n);
}

static void end(dfl_out *o, const dfl_summary *s)
{
  (void)o;
  (void)s;
}

const dfl_renderer dfl_renderer_gnu = {
  .name = "gnu",
  .description = "FILE:LINE:COL: SEVERITY: MESSAGE [ID] (Emacs, Vim quickfix)",
  .begin = begin,
  .file = file,
  .end = end,
};
