/* DL3043 OnbuildForbiddenTrigger: ONBUILD ONBUILD, ONBUILD FROM and
 * ONBUILD MAINTAINER. Docker refuses these triggers, so the Dockerfile does
 * not build. dflint's DF000 reports BuildKit's own error for them, so this
 * rule is off by default. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_ONBUILD || !in->sub)
    return;
  switch (in->sub->kind) {
  case DFL_INSTR_ONBUILD:
  case DFL_INSTR_FROM:
  case DFL_INSTR_MAINTAINER:
    dfl_emit(ctx, in, in->sub->keyword_range,
             "ONBUILD %.*s is not allowed: Docker rejects ONBUILD, FROM and "
             "MAINTAINER as ONBUILD triggers",
             (int)in->sub->keyword_len, in->sub->keyword);
    break;
  default:
    break;
  }
}

const dfl_rule dfl_rule_DL3043 = {
  .id = "DL3043",
  .name = "OnbuildForbiddenTrigger",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "ONBUILD must not trigger ONBUILD, FROM or MAINTAINER",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3043",
  .off_by_default = true,
  .on_instr = check,
};
