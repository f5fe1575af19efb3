/* DL4005 ShellViaSymlink: replacing /bin/sh with a symlink (`ln -sf
 * /bin/bash /bin/sh`) changes the shell for every later RUN behind the
 * reader's back and can break the base image's own scripts; the SHELL
 * instruction says it openly. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

/* Whether the link ln creates is /bin/sh: its last operand (`ln -sf bash
 * /bin/sh`). hadolint fires on /bin/sh anywhere, also when it is only the
 * target of a link made elsewhere (`ln -s /bin/sh /usr/local/bin/sh`),
 * which leaves /bin/sh alone. */
static bool links_bin_sh(const dfl_sh_cmd *c)
{
  dfl_sh_args a;
  dfl_sh_args_init(&a, c, "t|target-directory|S|suffix");
  const dfl_sh_word *last = NULL;
  for (const dfl_sh_word *w; (w = dfl_sh_args_next(&a));)
    last = w;
  return last && (dfl_sh_word_eq(last, "/bin/sh") ||
                  dfl_sh_word_eq(last, "/usr/bin/sh"));
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_cmds it;
  if (!dlc_cmds_init(&it, ctx, in, true))
    return;
  for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));) {
    dfl_sh_cmd u;
    if (!dlc_cmd_is(c, "ln", &u) || !links_bin_sh(&u))
      continue;
    dfl_emit(ctx, in, dlc_cmds_range(&it, c),
             "Use the SHELL instruction to change the shell instead of "
             "linking /bin/sh");
    return;
  }
}

const dfl_rule dfl_rule_DL4005 = {
  .id = "DL4005",
  .name = "ShellViaSymlink",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Use SHELL rather than linking /bin/sh to another shell",
  .url = "https://github.com/hadolint/hadolint/wiki/DL4005",
  .on_instr = check,
};
