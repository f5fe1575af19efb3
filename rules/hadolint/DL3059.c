/* DL3059 ConsecutiveRunInstructions: two RUNs in a row that each run one
 * command could be one RUN, one layer. RUNs that chain several commands,
 * that differ in their flags (--mount, --network...) or that run heredoc
 * scripts were split on purpose, and are left alone. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

typedef struct state {
  const dfl_instr *prev; /* the RUN just before, or NULL */
  bool prev_single;      /* it runs a single command and no heredoc */
} state;

/* One simple command and no heredoc script. hadolint counts commands in
 * $( ) too, so `echo $(date)` is two. */
static bool single(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->nheredocs)
    return false;
  dlc_cmds it;
  if (!dlc_cmds_init(&it, ctx, in, false))
    return false;
  size_t n = 0;
  for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));)
    if (c->argc)
      n++;
  return n == 1;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  state *st = dfl_ctx_rule_state(ctx, sizeof *st);
  if (in->kind != DFL_INSTR_RUN) {
    /* Comments are not instructions here; anything else breaks the run. */
    st->prev = NULL;
    return;
  }
  bool one = single(ctx, in);
  if (st->prev && st->prev_single && one && dlc_same_flags(st->prev, in)) {
    dfl_emit(ctx, in, in->range,
             "This RUN directly follows another single-command RUN: "
             "consider merging them into one layer");
    return; /* the earlier RUN stays the one to compare with */
  }
  st->prev = in;
  st->prev_single = one;
}

const dfl_rule dfl_rule_DL3059 = {
  .id = "DL3059",
  .name = "ConsecutiveRunInstructions",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "Consecutive single-command RUN instructions could be merged",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3059",
  .on_instr = check,
};
