/* DL3035 ZypperDistUpgrade: `zypper dist-upgrade` in a Dockerfile. It can
 * move the image to a different distribution release, vendor or package
 * set than the base image tag says; upgrade the base image instead, and
 * use `zypper update` (or `zypper patch`) for fixes. */
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
    const dfl_sh_word *sub[1];
    if (!dlb_named(&it.u, "zypper") ||
        dlb_positionals(&it.u, dlb_zypper_value_flags, sub, 1) == 0 ||
        !(dfl_sh_word_eq(sub[0], "dist-upgrade") ||
          dfl_sh_word_eq(sub[0], "dup")))
      continue;
    dfl_emit(ctx, in, dlb_cmd_range(&it),
             "zypper %.*s upgrades the whole distribution inside the image; "
             "pick a newer base image, or use zypper update",
             (int)sub[0]->len, sub[0]->text);
    break;
  }
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3035 = {
  .id = "DL3035",
  .name = "ZypperDistUpgrade",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Do not use zypper dist-upgrade in a Dockerfile",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3035",
  .on_instr = check,
};
