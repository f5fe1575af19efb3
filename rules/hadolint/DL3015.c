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

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_run r;
  if (!dla_run_open(ctx, in, true, &r))
    return;
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  while (dla_cmd_next(&it, &c))
    if (dla_is_apt_get_install(&c) && !skips_recommends(&c.cmd)) {
      dfl_emit(ctx, in, dla_cmd_range(&r, &c),
               "apt-get install without --no-install-recommends pulls in "
               "packages nothing needs");
      break;
    }
  dla_run_close(&r);
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
