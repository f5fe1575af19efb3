/* MultipleInstructionsDisallowed: a stage sets CMD, ENTRYPOINT or
 * HEALTHCHECK more than once, so every earlier one is dead. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  if (!st || in->error)
    return;
  const dfl_instr *prev;
  switch (in->kind) {
  case DFL_INSTR_CMD:
    prev = st->last_cmd;
    break;
  case DFL_INSTR_ENTRYPOINT:
    prev = st->last_entrypoint;
    break;
  case DFL_INSTR_HEALTHCHECK:
    prev = st->last_healthcheck;
    break;
  default:
    return;
  }
  if (!prev)
    return;
  /* BuildKit points at the earlier instruction, the one that is ignored,
   * but names the current keyword and applies the current instruction's
   * "# check=" comment; the finding is tied to the current instruction for
   * that reason. */
  dfl_emit(ctx, in, prev->range,
           "Multiple %.*s instructions should not be used in the same stage "
           "because only the last one will be used",
           (int)in->keyword_len, in->keyword);
}

const dfl_rule dfl_rule_MultipleInstructionsDisallowed = {
  .id = "MultipleInstructionsDisallowed",
  .name = "MultipleInstructionsDisallowed",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Multiple instructions of the same type should not be used in "
             "the same stage",
  .url = "https://docs.docker.com/go/dockerfile/rule/"
         "multiple-instructions-disallowed/",
  .on_instr = check,
};
