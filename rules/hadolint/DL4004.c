/* DL4004 MultipleEntrypoint: only the last ENTRYPOINT of a stage takes
 * effect, so an earlier one is dead code or a mistake. BuildKit's
 * MultipleInstructionsDisallowed check reports the same, so this rule is
 * off by default. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  /* Per stage; instructions before the first FROM count as one. */
  bool *seen = dfl_ctx_rule_state(ctx, sizeof *seen);
  if (in->kind == DFL_INSTR_FROM) {
    *seen = false;
  } else if (in->kind == DFL_INSTR_ENTRYPOINT) {
    if (*seen)
      dfl_emit(ctx, in, in->range,
               "Several ENTRYPOINT instructions in one stage: only the "
               "last one takes effect");
    *seen = true;
  }
}

const dfl_rule dfl_rule_DL4004 = {
  .id = "DL4004",
  .name = "MultipleEntrypoint",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "Only one ENTRYPOINT per stage takes effect",
  .url = "https://github.com/hadolint/hadolint/wiki/DL4004",
  .off_by_default = true,
  .on_instr = check,
};
