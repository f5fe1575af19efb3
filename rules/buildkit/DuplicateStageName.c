/* DuplicateStageName: two stages with the same name. The later one wins
 * every lookup by name, which silently hides the earlier stage. */
#include <string.h>

#include "bk_common.h"
#include "dflint/buf.h"
#include "dflint/parse.h"

static void finish(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  for (size_t s = 0; s < m->nstages; s++) {
    const dfl_stage *st = &m->stages[s];
    /* A FROM BuildKit rejects (bad name, wrong word count) has no name. */
    if (!st->name || !bk_instr_parses(st->from))
      continue;
    bool seen = false;
    for (size_t k = 0; k < s && !seen; k++)
      seen = m->stages[k].name && strcmp(m->stages[k].name, st->name) == 0 &&
             bk_instr_parses(m->stages[k].from);
    if (!seen)
      continue;
    dfl_buf q;
    dfl_buf_init(&q);
    dfl_go_quote(&q, st->name, strlen(st->name));
    dfl_emit(ctx, st->from, st->from->range,
             "Duplicate stage name %s, stage names should be unique",
             dfl_buf_cstr(&q));
    dfl_buf_free(&q);
  }
}

const dfl_rule dfl_rule_DuplicateStageName = {
  .id = "DuplicateStageName",
  .name = "DuplicateStageName",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Stage names should be unique",
  .url = "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
  .on_finish = finish,
};
