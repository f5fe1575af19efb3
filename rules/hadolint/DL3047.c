/* DL3047 WgetWithoutProgress: wget's default progress display prints a
 * line every few kilobytes when its output is not a terminal, as in a
 * build, and a large download floods the build log. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

/* Any of these keeps the log short: a progress style, quiet or non-verbose
 * output, or output sent to a file. */
#define QUIET_FLAGS                                                          \
  "progress|q|quiet|o|output-file|a|append-output|no-verbose|-nv"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_cmds it;
  if (!dlc_cmds_init(&it, ctx, in, true))
    return;
  for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));) {
    dfl_sh_cmd u;
    if (!dlc_cmd_is(c, "wget", &u) || dfl_sh_has_flag(&u, QUIET_FLAGS))
      continue;
    dfl_emit(ctx, in, dlc_cmds_range(&it, c),
             "`wget` without a progress option floods the build log: use "
             "`--progress=dot:giga`, `-q` or `-nv`");
    return;
  }
}

const dfl_rule dfl_rule_DL3047 = {
  .id = "DL3047",
  .name = "WgetWithoutProgress",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "wget without a progress option bloats the build log",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3047",
  .on_instr = check,
};
