/* DL3015: apt-get install without --no-install-recommends. Recommended
 * packages are not needed to run what you install; they make the image
 * larger and widen its attack surface. */
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static bool skips_recommends(const dfl_sh_cmd *c)
{
  if (dfl_sh_has_flag(c, "no-install-recommends"))
    return true;
  /* -o APT::Install-Recommends=false (or =0) does the same. */
  return dla_apt_option(c, "APT::Install-Recommends", false);
}

static bool with_recommends(const dla_cmd *c)
{
  return dla_is_apt_get_install(c) && !skips_recommends(&c->cmd);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_report_first(ctx, in, true, with_recommends,
                   "apt-get install without --no-install-recommends pulls "
                   "in packages nothing needs");
}

const dfl_rule dfl_rule_DL3015 = {
  .id = "DL3015",
  .name = "AptGetNoInstallRecommends",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "apt-get install also pulls in recommended packages "
             "(--no-install-recommends)",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3015",
  .on_instr = check,
};
