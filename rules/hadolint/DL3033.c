/* DL3033 YumVersionPinning: yum installing packages without versions
 * (name-version) or modules without a stream (name:stream). The image gets
 * whatever the repositories hold on the day it is built. */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  static const char *const tools[] = {"yum", NULL};
  dlb_check_rpm_pinning(ctx, in, tools);
}

const dfl_rule dfl_rule_DL3033 = {
  .id = "DL3033",
  .name = "YumVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Pin versions in yum install (package-version)",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3033",
  .on_instr = check,
};
