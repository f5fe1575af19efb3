/* DL3012: a second HEALTHCHECK in one stage. Only the last one takes
 * effect, so the earlier ones are dead code that readers will trust. Off
 * by default: BuildKit's MultipleInstructionsDisallowed reports the same. */
#include "dflint/model.h"
#include "dflint/rule.h"

typedef struct state {
  const dfl_stage *stage;
  const dfl_instr *first;
} state;

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM && in->kind != DFL_INSTR_HEALTHCHECK)
    return;
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  if (in->kind == DFL_INSTR_FROM || st != s->stage) {
    s->stage = st;
    s->first = NULL;
  }
  if (in->kind != DFL_INSTR_HEALTHCHECK)
    return;
  if (!s->first) {
    s->first = in;
    return;
  }
  dfl_emit(ctx, in, in->range,
           "Another HEALTHCHECK in this stage (the first is at line %u): "
           "only the last one counts",
           (unsigned)s->first->range.start.line);
}

const dfl_rule dfl_rule_DL3012 = {
  .id = "DL3012",
  .name = "MultipleHealthchecks",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "More than one HEALTHCHECK in a stage",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3012",
  .off_by_default = true,
  .on_instr = check,
};
