/* DL3049 LabelMissing: each label the configuration's label-schema lists
 * should be set in every stage that makes an image. A stage gets it by
 * setting it or from the stage it is built FROM. Stages that only feed
 * others (copied from with COPY --from or RUN --mount, or built upon by a
 * stage that sets the label) make no image of their own and are not
 * reported. Dormant until the configuration has a label-schema. */
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

typedef struct state {
  /* has[l * nstages + s]: stage s sets schema label l itself. */
  bool *has;
  size_t nstages, nlabels;
} state;

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_config *cfg = dlc_config(ctx);
  const dfl_model *m = dfl_ctx_model(ctx);
  if (in->kind != DFL_INSTR_LABEL || !cfg || !cfg->nlabels || !m->nstages)
    return;
  const dfl_stage *st = dfl_model_stage_of(m, in);
  if (!st)
    return;
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (!s->has) {
    s->nstages = m->nstages;
    s->nlabels = cfg->nlabels;
    size_t sz = s->nstages * s->nlabels * sizeof *s->has;
    s->has = dfl_arena_alloc(dfl_ctx_arena(ctx), sz);
    memset(s->has, 0, sz);
  }
  dfl_buf key;
  dfl_buf_init(&key);
  for (size_t i = 0; i < DLC_PAIRS(in); i++) {
    const dfl_arg *k = DLC_KEY(in, i);
    if (!dlc_word(ctx, k->value, k->len, &key))
      continue;
    for (size_t l = 0; l < s->nlabels; l++)
      if (strcmp(cfg->labels[l].name, dfl_buf_cstr(&key)) == 0)
        s->has[l * s->nstages + st->index] = true;
  }
  dfl_buf_free(&key);
}

/* Whether stage i is used by another stage other than as its FROM base:
 * COPY --from or RUN --mount from. */
static bool feeds_others(const dfl_model *m, size_t i)
{
  for (size_t j = 0; j < m->nstages; j++) {
    const dfl_stage *o = &m->stages[j];
    if (j == i)
      continue;
    for (size_t d = 0; d < o->ndeps; d++)
      if (o->deps[d] == (int)i && o->base_stage != (int)i)
        return true;
  }
  return false;
}

static void finish(dfl_ctx *ctx)
{
  const dfl_config *cfg = dlc_config(ctx);
  const dfl_model *m = dfl_ctx_model(ctx);
  size_t n = m->nstages;
  if (!cfg || !cfg->nlabels || !n)
    return;
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  bool *good = calloc(n, sizeof *good), *quiet = calloc(n, sizeof *quiet);
  if (!good || !quiet) {
    free(good);
    free(quiet);
    return;
  }
  for (size_t i = 0; i < n; i++)
    quiet[i] = feeds_others(m, i);
  for (size_t l = 0; l < cfg->nlabels; l++) {
    for (size_t i = 0; i < n; i++) {
      int b = m->stages[i].base_stage;
      good[i] = (s->has && s->has[l * s->nstages + i]) ||
                (b >= 0 && (size_t)b < i && good[b]);
    }
    /* A stage that a labelled stage is built FROM is a step towards it. */
    bool *up = calloc(n, sizeof *up);
    if (!up)
      break;
    for (size_t i = n; i-- > 0;) {
      int b = m->stages[i].base_stage;
      if ((good[i] || up[i]) && b >= 0 && (size_t)b < i)
        up[b] = true;
    }
    for (size_t i = 0; i < n; i++) {
      if (good[i] || up[i] || quiet[i])
        continue;
      const dfl_instr *from = m->stages[i].from;
      dfl_emit(ctx, from, from->range,
               "Label `%s` is missing: the label-schema requires it",
               cfg->labels[l].name);
    }
    free(up);
  }
  free(good);
  free(quiet);
}

const dfl_rule dfl_rule_DL3049 = {
  .id = "DL3049",
  .name = "LabelMissing",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "Each stage should set the labels of the label-schema",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3049",
  .on_instr = check,
  .on_finish = finish,
};
