/* DL3065 PlatformIsTargetPlatform: `FROM --platform=$TARGETPLATFORM` asks
 * for what BuildKit does anyway. BuildKit's RedundantTargetPlatform check
 * reports the same, so this rule is off by default. */
#include <string.h>

#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM)
    return;
  const dfl_flag *p = dfl_instr_flag(in, "platform");
  if (!p || !p->value)
    return;
  if ((p->value_len == 15 && memcmp(p->value, "$TARGETPLATFORM", 15) == 0) ||
      (p->value_len == 17 && memcmp(p->value, "${TARGETPLATFORM}", 17) == 0))
    dfl_emit(ctx, in, p->range,
             "`--platform=%.*s` is redundant: a stage is built for the "
             "target platform by default",
             (int)p->value_len, p->value);
}

const dfl_rule dfl_rule_DL3065 = {
  .id = "DL3065",
  .name = "PlatformIsTargetPlatform",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "FROM --platform=$TARGETPLATFORM is redundant",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3065",
  .off_by_default = true,
  .on_instr = check,
};
