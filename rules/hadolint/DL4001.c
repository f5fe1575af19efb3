/* DL4001 WgetAndCurl: a stage that downloads with both wget and curl needs
 * both tools installed; one of them is enough and keeps the image smaller. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

enum { CURL = 1, WGET = 2 };

typedef struct state {
  unsigned seen[2]; /* [0] RUN, [1] ONBUILD RUN: the tools seen so far */
} state;

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  state *st = dfl_ctx_rule_state(ctx, sizeof *st);
  if (in->kind == DFL_INSTR_FROM) {
    /* Per stage. ONBUILD triggers run in the image built from this stage,
     * so they are counted apart and reset too. */
    st->seen[0] = st->seen[1] = 0;
    return;
  }
  dlc_cmds it;
  if (!dlc_cmds_init(&it, ctx, in, true))
    return;
  unsigned *seen = &st->seen[in->kind == DFL_INSTR_ONBUILD];
  const dfl_sh_cmd *first = NULL;
  dfl_range at = in->range;
  for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));) {
    unsigned tool = dlc_cmd_is(c, "curl", NULL)   ? CURL
                    : dlc_cmd_is(c, "wget", NULL) ? WGET
                                                  : 0;
    if (!tool)
      continue;
    *seen |= tool;
    if (!first) {
      first = c;
      at = dlc_cmds_range(&it, c);
    }
  }
  if (first && *seen == (CURL | WGET))
    dfl_emit(ctx, in, at,
             "Both wget and curl are used in this stage: use one of them");
}

const dfl_rule dfl_rule_DL4001 = {
  .id = "DL4001",
  .name = "WgetAndCurl",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Use either wget or curl, not both",
  .url = "https://github.com/hadolint/hadolint/wiki/DL4001",
  .on_instr = check,
};
