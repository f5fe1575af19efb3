/* NoEmptyContinuation: an empty or blank line inside a line continuation.
 * BuildKit's parser drops such lines today and plans to reject them. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (!in->nempty_lines)
    return;
  /* BuildKit reports one warning per instruction, on the instruction's last
   * line (where its parser is when it notices). */
  uint32_t l = in->last_logical_line;
  dfl_str text = dfl_dockerfile_line(dfl_ctx_file(ctx), l);
  const dfl_dockerfile *df = dfl_ctx_file(ctx);
  dfl_range r;
  r.start.line = r.end.line = l;
  r.start.col = 1;
  r.end.col = (uint32_t)text.len + 1;
  r.start.offset = (uint32_t)(text.ptr - df->src);
  r.end.offset = r.start.offset + (uint32_t)text.len;
  dfl_emit(ctx, in, r, "Empty continuation line");
}

const dfl_rule dfl_rule_NoEmptyContinuation = {
  .id = "NoEmptyContinuation",
  .name = "NoEmptyContinuation",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "syntax",
  .summary = "Empty continuation lines will become errors in a future release",
  .url = "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
  .on_instr = check,
};
