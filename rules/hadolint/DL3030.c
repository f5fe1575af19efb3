/* DL3030 YumAssumeYes: yum installing without -y. A build has no one to
 * answer yum's "Is this ok [y/N]" prompt, so yum reads end of input and
 * gives up without installing anything. */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    size_t first;
    if (!dlb_named(&it.u, "yum") ||
        dlb_rpm_install(&it.u, &first) == DLB_RPM_NONE ||
        dfl_sh_has_flag(&it.u, "y|assumeyes") ||
        dlb_fed_by_yes(it.s, it.cmd))
      continue;
    dfl_emit(ctx, in, dlb_cmd_range(&it),
             "yum installs without -y; add -y (--assumeyes) so it does not "
             "wait for a confirmation nobody can give");
    break;
  }
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3030 = {
  .id = "DL3030",
  .name = "YumAssumeYes",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Use yum install -y so the build does not stop at a prompt",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3030",
  .on_instr = check,
};
