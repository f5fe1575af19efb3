/* DL3057 HealthcheckMissing: without a HEALTHCHECK, Docker and Swarm only
 * know whether the process runs, not whether it works. Most images leave
 * health to the orchestrator (Kubernetes ignores HEALTHCHECK), so this rule
 * is off by default, as in hadolint (where its severity is "ignore"). */
#include <stdlib.h>

#include "dflint/rule.h"

static void finish(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  size_t n = m->nstages;
  if (!n)
    return;
  bool *ok = calloc(n, sizeof *ok);
  if (!ok)
    return;
  /* A stage has one when it sets it (HEALTHCHECK NONE counts: it is a
   * decision) or its FROM stage has one. */
  for (size_t i = 0; i < n; i++) {
    const dfl_stage *st = &m->stages[i];
    for (size_t k = 0; k < st->ninstrs && !ok[i]; k++)
      ok[i] = st->instrs[k]->kind == DFL_INSTR_HEALTHCHECK;
    if (!ok[i] && st->base_stage >= 0 && (size_t)st->base_stage < i)
      ok[i] = ok[st->base_stage];
  }
  /* The stages a stage with one is built FROM are steps towards it. */
  for (size_t i = n; i-- > 0;)
    if (ok[i] && m->stages[i].base_stage >= 0 &&
        (size_t)m->stages[i].base_stage < i)
      ok[m->stages[i].base_stage] = true;
  for (size_t i = 0; i < n; i++)
    if (!ok[i]) {
      const dfl_instr *from = m->stages[i].from;
      dfl_emit(ctx, from, from->range,
               "No HEALTHCHECK in this stage: add one (or HEALTHCHECK NONE "
               "to state that there is none)");
    }
  free(ok);
}

const dfl_rule dfl_rule_DL3057 = {
  .id = "DL3057",
  .name = "HealthcheckMissing",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "A stage should define a HEALTHCHECK",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3057",
  .off_by_default = true,
  .on_finish = finish,
};
