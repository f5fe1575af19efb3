/* DL3029 FromPlatformFlag: FROM --platform with a value other than the
 * BUILDPLATFORM or TARGETPLATFORM arguments. A fixed platform makes the
 * image fail (or run emulated) wherever another one is built or asked for.
 * BuildKit's FromPlatformFlagConstDisallowed reports constant values by
 * default, so this rule is off by default. */
#include <string.h>

#include "dflint/model.h"
#include "dflint/rule.h"

static bool contains(const char *s, size_t n, const char *needle)
{
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(s + i, needle, k) == 0)
      return true;
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM)
    return;
  const dfl_flag *f = dfl_instr_flag(in, "platform");
  if (!f || !f->value)
    return;
  if (contains(f->value, f->value_len, "BUILDPLATFORM") ||
      contains(f->value, f->value_len, "TARGETPLATFORM"))
    return;
  dfl_emit(ctx, in, f->range,
           "FROM --platform=%.*s fixes the platform; leave it out, or use "
           "$BUILDPLATFORM or $TARGETPLATFORM",
           (int)f->value_len, f->value);
}

const dfl_rule dfl_rule_DL3029 = {
  .id = "DL3029",
  .name = "FromPlatformFlag",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "FROM --platform should only use $BUILDPLATFORM or "
             "$TARGETPLATFORM",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3029",
  .off_by_default = true,
  .on_instr = check,
};
