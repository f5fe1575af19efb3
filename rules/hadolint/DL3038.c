/* DL3038 DnfAssumeYes: dnf (or microdnf) installing without -y. A build
 * cannot answer dnf's "Is this ok [y/N]" prompt, so dnf gives up without
 * installing anything. */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  static const char *const dnfs[] = {"dnf", "microdnf", "dnf5", NULL};
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    size_t first;
    int which = dlb_named_any(&it.u, dnfs);
    if (which < 0 || dlb_rpm_install(&it.u, &first) == DLB_RPM_NONE ||
        dfl_sh_has_flag(&it.u, "y|assumeyes") ||
        dlb_fed_by_yes(it.s, it.cmd))
      continue;
    dfl_emit(ctx, in, dlb_cmd_range(&it),
             "%s installs without -y; add -y (--assumeyes) so it does not "
             "wait for a confirmation nobody can give",
             dnfs[which]);
    break;
  }
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3038 = {
  .id = "DL3038",
  .name = "DnfAssumeYes",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Use dnf install -y so the build does not stop at a prompt",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3038",
  .on_instr = check,
};
