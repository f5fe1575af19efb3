/* DL3055 LabelInvalidGitHash: a label of type hash should hold a git
 * commit id, so that the image can be traced to its source. Dormant until
 * the configuration's label-schema lists a label of type hash. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

/* hadolint accepts the short (7) and the full SHA-1 (40) forms; SHA-256
 * repositories have 64-digit ids. Lower-case hex only, as git prints. */
static bool bad(const char *v, size_t n)
{
  if (n != 7 && n != 40 && n != 64)
    return true;
  for (size_t i = 0; i < n; i++)
    if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
      return true;
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_check_labels(ctx, in, DFL_LABEL_HASH, bad,
                   "is not a git commit hash (7, 40 or 64 hex digits)");
}

const dfl_rule dfl_rule_DL3055 = {
  .id = "DL3055",
  .name = "LabelInvalidGitHash",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "A hash label of the label-schema must be a git commit hash",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3055",
  .on_instr = check,
};
