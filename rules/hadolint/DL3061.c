/* DL3061 InstructionBeforeFrom: only ARG (and comments or parser
 * directives) may come before the first FROM; BuildKit rejects anything
 * else with "no build stage in current context". */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  bool *seen_from = dfl_ctx_rule_state(ctx, sizeof *seen_from);
  if (in->kind == DFL_INSTR_FROM)
    *seen_from = true;
  if (*seen_from || in->kind == DFL_INSTR_ARG ||
      in->kind == DFL_INSTR_UNKNOWN)
    return;
  dfl_emit(ctx, in, in->keyword_range,
           "`%.*s` before the first FROM: a Dockerfile must begin with "
           "FROM, ARG or comments",
           (int)in->keyword_len, in->keyword);
}

const dfl_rule dfl_rule_DL3061 = {
  .id = "DL3061",
  .name = "InstructionBeforeFrom",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "Only ARG may come before the first FROM",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3061",
  .on_instr = check,
};
