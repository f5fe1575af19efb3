/* DL3034 ZypperNonInteractive: zypper changing packages without
 * --non-interactive (-n) or -y. A build cannot answer zypper's prompts;
 * zypper then stops or takes the default answer, which is "no". */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static bool prompts(const dfl_sh_word *sub)
{
  static const char *const subs[] = {"install", "in", "remove", "rm",
                                     "source-install", "si", "patch",
                                     "update", "up",
                                     NULL};
  for (size_t i = 0; subs[i]; i++)
    if (dfl_sh_word_eq(sub, subs[i]))
      return true;
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    const dfl_sh_word *sub[1];
    if (!dlb_named(&it.u, "zypper") ||
        dlb_positionals(&it.u, dlb_zypper_value_flags, sub, 1) == 0 ||
        !prompts(sub[0]) ||
        dfl_sh_has_flag(&it.u, "n|non-interactive|y|no-confirm") ||
        dlb_fed_by_yes(it.s, it.cmd))
      continue;
    dfl_emit(ctx, in, dlb_cmd_range(&it),
             "zypper %.*s has no --non-interactive (-n) or -y; it would "
             "wait for an answer the build cannot give",
             (int)sub[0]->len, sub[0]->text);
    break;
  }
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3034 = {
  .id = "DL3034",
  .name = "ZypperNonInteractive",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Use zypper --non-interactive (or -y) when changing packages",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3034",
  .on_instr = check,
};
