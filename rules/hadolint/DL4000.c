/* DL4000 MaintainerInstruction: MAINTAINER is deprecated; the
 * org.opencontainers.image.authors label says the same where tools look
 * for it. BuildKit's MaintainerDeprecated check reports the same, so this
 * rule is off by default. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind == DFL_INSTR_MAINTAINER)
    dfl_emit(ctx, in, in->range,
             "MAINTAINER is deprecated: use LABEL "
             "org.opencontainers.image.authors=\"...\" instead");
}

const dfl_rule dfl_rule_DL4000 = {
  .id = "DL4000",
  .name = "MaintainerInstruction",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "deprecation",
  .summary = "MAINTAINER is deprecated",
  .url = "https://github.com/hadolint/hadolint/wiki/DL4000",
  .off_by_default = true,
  .on_instr = check,
};
