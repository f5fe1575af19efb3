/* MaintainerDeprecated: MAINTAINER was deprecated in favour of a label. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_MAINTAINER)
    return;
  dfl_emit(ctx, in, in->range,
           "Maintainer instruction is deprecated in favor of using label");
}

const dfl_rule dfl_rule_MaintainerDeprecated = {
  .id = "MaintainerDeprecated",
  .name = "MaintainerDeprecated",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "deprecation",
  .summary = "The MAINTAINER instruction is deprecated, use a label instead to "
             "define an image author",
  .url = "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
  .on_instr = check,
};
