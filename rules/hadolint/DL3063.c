/* DL3063 StageNameReserved: `scratch` and `context` mean something else to
 * BuildKit (the empty image, a named build context), so a stage named so
 * is confusing at best. BuildKit's ReservedStageName check reports the
 * same, so this rule is off by default. */
#include <string.h>

#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM)
    return;
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  if (!st || !st->name_raw || st->from != in)
    return;
  /* hadolint compares case-sensitively. */
  if (strcmp(st->name_raw, "scratch") != 0 &&
      strcmp(st->name_raw, "context") != 0)
    return;
  const dfl_arg *a = in->nargs >= 3 ? &in->args[2] : NULL;
  dfl_emit(ctx, in, a ? a->range : in->range,
           "`%s` is a reserved word: do not use it as a stage name",
           st->name_raw);
}

const dfl_rule dfl_rule_DL3063 = {
  .id = "DL3063",
  .name = "StageNameReserved",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Do not name a stage scratch or context",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3063",
  .off_by_default = true,
  .on_instr = check,
};
