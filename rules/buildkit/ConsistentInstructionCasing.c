/* ConsistentInstructionCasing: instruction keywords should all be upper case
 * or all lower case, whichever most of the file uses. */
#include "bk_common.h"

/* BuildKit counts and checks the FROM of every stage and the commands in
 * it; global ARGs before the first FROM are not part of any stage and are
 * left out. Unknown keywords never reach this check (they are parse
 * errors). Keywords are ASCII, so byte case tests suffice. */
static bool all_case(const dfl_instr *in, bool upper)
{
  for (size_t i = 0; i < in->keyword_len; i++) {
    char c = in->keyword[i];
    if (upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z'))
      return false;
  }
  return true;
}

static void tally(const dfl_instr *in, size_t *lower, size_t *upper)
{
  if (in->kind == DFL_INSTR_UNKNOWN)
    return;
  if (all_case(in, false))
    (*lower)++;
  else if (all_case(in, true))
    (*upper)++;
}

static void judge(dfl_ctx *ctx, const dfl_instr *in, bool majority_lower)
{
  if (in->kind == DFL_INSTR_UNKNOWN || all_case(in, !majority_lower))
    return;
  dfl_emit(ctx, in, in->range,
           "Command '%.*s' should match the case of the command majority (%s)",
           (int)in->keyword_len, in->keyword,
           majority_lower ? "lowercase" : "uppercase");
}

static void finish(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  size_t lower = 0, upper = 0;
  for (size_t s = 0; s < m->nstages; s++) {
    tally(m->stages[s].from, &lower, &upper);
    for (size_t i = 0; i < m->stages[s].ninstrs; i++)
      tally(m->stages[s].instrs[i], &lower, &upper);
  }
  /* A tie goes to upper case. */
  bool majority_lower = lower > upper;
  for (size_t s = 0; s < m->nstages; s++) {
    judge(ctx, m->stages[s].from, majority_lower);
    for (size_t i = 0; i < m->stages[s].ninstrs; i++)
      judge(ctx, m->stages[s].instrs[i], majority_lower);
  }
}

const dfl_rule dfl_rule_ConsistentInstructionCasing = {
  .id = "ConsistentInstructionCasing",
  .name = "ConsistentInstructionCasing",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "All commands within the Dockerfile should use the same casing "
             "(either upper or lower)",
  .url = "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
  .on_finish = finish,
};
