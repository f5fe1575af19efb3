/* FromAsCasing: the AS word's case differs from the FROM keyword's. */
#include "bk_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM || in->nargs < 3)
    return;
  /* A mixed-case keyword is ConsistentInstructionCasing's business; BuildKit
   * does not add this warning on top of it. */
  bool kw_lower = bk_is_lower(in->keyword, in->keyword_len);
  bool kw_upper = bk_is_upper(in->keyword, in->keyword_len);
  if (!kw_lower && !kw_upper)
    return;
  /* The second word is compared whatever it is: BuildKit checks it before it
   * knows whether it is "AS" at all. */
  const dfl_arg *as = &in->args[1];
  bool ok = kw_lower ? bk_is_lower(as->value, as->len)
                     : bk_is_upper(as->value, as->len);
  if (ok)
    return;
  dfl_emit(ctx, in, bk_range_at(in, as->range), "'%.*s' and '%.*s' keywords' casing do not match",
           (int)as->len, as->value, (int)in->keyword_len, in->keyword);
}

const dfl_rule dfl_rule_FromAsCasing = {
  .id = "FromAsCasing",
  .name = "FromAsCasing",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "The 'as' keyword should match the case of the 'from' keyword",
  .url = "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
  .on_instr = check,
};
