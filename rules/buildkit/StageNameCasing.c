/* StageNameCasing: the name after AS is not all lowercase. BuildKit
 * lowercases stage names when it resolves them, so mixed case only misleads
 * the reader. */
#include "bk_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  /* BuildKit looks at the raw words before it validates FROM, so this also
   * fires on a FROM it rejects later (e.g. "FROM a X Name"). */
  if (in->kind != DFL_INSTR_FROM || in->nargs != 3)
    return;
  const dfl_arg *name = &in->args[2];
  if (bk_is_lower(name->value, name->len))
    return;
  dfl_emit(ctx, in, bk_range_at(in, name->range), "Stage name '%.*s' should be lowercase",
           (int)name->len, name->value);
}

const dfl_rule dfl_rule_StageNameCasing = {
  .id = "StageNameCasing",
  .name = "StageNameCasing",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "Stage names should be lowercase",
  .url = "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
  .on_instr = check,
};
