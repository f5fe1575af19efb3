/* DL3027 AptInsteadOfAptGet: `apt` in a RUN. apt is made for people at a
 * terminal: its output and behaviour may change between releases and it
 * warns that its command-line interface is not stable. Scripts should use
 * apt-get and apt-cache. */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it))
    if (dlb_named(&it.u, "apt")) {
      dfl_emit(ctx, in, dlb_cmd_range(&it),
               "apt is meant for interactive use; use apt-get or apt-cache "
               "in a Dockerfile");
      break;
    }
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3027 = {
  .id = "DL3027",
  .name = "AptInsteadOfAptGet",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Use apt-get or apt-cache instead of apt in scripts",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3027",
  .on_instr = check,
};
