/* DL1001: an inline ignore pragma. Silencing a finding right above the
 * instruction hides it from review; hadolint ships this rule switched off
 * (severity "ignore") for teams that want every exception in the config. */
#include <stdlib.h>

#include "dflint/rule.h"
#include "lint/engine.h"
#include "lint/pragma.h"

static void finish(dfl_ctx *ctx)
{
  const dfl_dockerfile *df = dfl_ctx_file(ctx);
  size_t n;
  /* Comment lines only: heredoc bodies are data. */
  const dfl_pragma_line *pl = dfl_ctx_pragmas(ctx, &n);
  for (size_t k = 0; k < n; k++) {
    /* Only the pragmas that silence the next instruction; a global or
     * stage ignore is a file-level policy, like a config entry. */
    if (pl[k].p.kind != DFL_PRAGMA_IGNORE_LINE &&
        pl[k].p.kind != DFL_PRAGMA_IGNORE_NEXT)
      continue;
    uint32_t l = pl[k].line;
    dfl_str s = dfl_dockerfile_line(df, l);
    dfl_range r;
    r.start.line = r.end.line = l;
    r.start.col = pl[k].hash_col + 1;
    r.end.col = (uint32_t)s.len + 1;
    r.start.offset = df->line_starts[l - 1] + pl[k].hash_col;
    r.end.offset = df->line_starts[l - 1] + (uint32_t)s.len;
    dfl_emit(ctx, NULL, r,
             "Inline ignore pragma: prefer fixing the finding, or ignore the "
             "rule in the configuration");
  }
}

const dfl_rule dfl_rule_DL1001 = {
  .id = "DL1001",
  .name = "InlineIgnorePragma",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "style",
  .summary = "Inline ignore pragmas hide findings from review",
  .url = "https://github.com/hadolint/hadolint/wiki/DL1001",
  .off_by_default = true,
  .on_finish = finish,
};
