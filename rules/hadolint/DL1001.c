/* DL1001: an inline ignore pragma. Silencing a finding right above the
 * instruction hides it from review; hadolint ships this rule switched off
 * (severity "ignore") for teams that want every exception in the config. */
#include <stdlib.h>

#include "dflint/rule.h"
#include "lint/pragma.h"

/* Lines inside heredoc bodies are data, not Dockerfile comments. */
static bool in_heredoc_body(const dfl_dockerfile *df, uint32_t line)
{
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (in->nheredocs && line > in->last_logical_line &&
        line <= in->range.end.line)
      return true;
  }
  return false;
}

static void finish(dfl_ctx *ctx)
{
  const dfl_dockerfile *df = dfl_ctx_file(ctx);
  for (uint32_t l = 1; l <= df->nlines; l++) {
    dfl_str s = dfl_dockerfile_line(df, l);
    size_t i = 0;
    while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
      i++;
    if (i >= s.len || s.ptr[i] != '#')
      continue;
    dfl_pragma p;
    dfl_pragma_parse(s.ptr + i + 1, s.len - i - 1, &p);
    /* Only the pragmas that silence the next instruction; a global or
     * stage ignore is a file-level policy, like a config entry. */
    bool inline_ignore =
        p.kind == DFL_PRAGMA_IGNORE_LINE || p.kind == DFL_PRAGMA_IGNORE_NEXT;
    dfl_pragma_free(&p);
    if (!inline_ignore || in_heredoc_body(df, l))
      continue;
    dfl_range r;
    r.start.line = r.end.line = l;
    r.start.col = (uint32_t)i + 1;
    r.end.col = (uint32_t)s.len + 1;
    r.start.offset = df->line_starts[l - 1] + (uint32_t)i;
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
