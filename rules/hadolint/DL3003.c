/* DL3003: `cd` in a RUN. The directory change is lost at the end of the
 * RUN, so later instructions silently run elsewhere; WORKDIR states the
 * directory once and for every later instruction. */
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static bool is_cd(const dla_cmd *c)
{
  return dla_cmd_is(c, "cd");
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  /* As in hadolint, ONBUILD payloads are not checked: the directory the
   * trigger runs in belongs to the child image. */
  dla_report_first(ctx, in, false, is_cd,
                   "Use WORKDIR to change directory: a cd lasts only until "
                   "the end of this RUN");
}

const dfl_rule dfl_rule_DL3003 = {
  .id = "DL3003",
  .name = "CdInsteadOfWorkdir",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "A RUN changes directory with cd; WORKDIR states it for every "
             "later step",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3003",
  .on_instr = check,
};
