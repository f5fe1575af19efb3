/* DL3051 LabelEmpty: a label the label-schema requires, set to the empty
 * string, carries no information and only looks like it was filled in.
 * Dormant until the configuration has a label-schema. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static bool bad(const char *v, size_t n)
{
  (void)v;
  return n == 0;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_check_labels(ctx, in, -1, bad, "is empty");
}

const dfl_rule dfl_rule_DL3051 = {
  .id = "DL3051",
  .name = "LabelEmpty",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "A label of the label-schema must not be empty",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3051",
  .on_instr = check,
};
