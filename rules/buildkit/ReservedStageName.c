/* ReservedStageName: a stage named "scratch" or "context". Those names
 * already mean the empty image and the build context, so the stage is hard
 * to refer to and confusing to read. */
#include <string.h>

#include "bk_common.h"
#include "dflint/buf.h"
#include "dflint/parse.h"

static void finish(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  for (size_t s = 0; s < m->nstages; s++) {
    const dfl_stage *st = &m->stages[s];
    if (!st->name || !bk_instr_parses(st->from))
      continue;
    /* The lowercased name is compared, so "AS Scratch" counts too. */
    if (strcmp(st->name, "scratch") != 0 && strcmp(st->name, "context") != 0)
      continue;
    dfl_buf q;
    dfl_buf_init(&q);
    dfl_go_quote(&q, st->name, strlen(st->name));
    dfl_emit(ctx, st->from, st->from->range,
             "Stage name should not use the same name as reserved stage %s",
             dfl_buf_cstr(&q));
    dfl_buf_free(&q);
  }
}

const dfl_rule dfl_rule_ReservedStageName = {
  .id = "ReservedStageName",
  .name = "ReservedStageName",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Reserved words should not be used as stage names",
  .url = "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
  .on_finish = finish,
};
