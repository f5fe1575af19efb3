/* DL3023 CopyFromOwnStage: `COPY --from` naming the stage it is in. A stage
 * cannot read its own result while it is being built; BuildKit stops with a
 * dependency cycle. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dflint/model.h"
#include "dflint/rule.h"

/* BuildKit resolves --from by stage name without regard to case, or by the
 * stage's index. */
static bool names_stage(const dfl_stage *st, const char *v, size_t n)
{
  if (st->name && strlen(st->name) == n && strncasecmp(st->name, v, n) == 0)
    return true;
  if (n == 0 || n > 9)
    return false;
  size_t idx = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i] < '0' || v[i] > '9')
      return false;
    idx = idx * 10 + (size_t)(v[i] - '0');
  }
  return idx == st->index;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY)
    return;
  const dfl_flag *f = dfl_instr_flag(in, "from");
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  if (!f || !f->value || !st || !names_stage(st, f->value, f->value_len))
    return;
  dfl_emit(ctx, in, f->range,
           "COPY --from=%.*s copies from the stage it is part of; a stage "
           "cannot use its own result",
           (int)f->value_len, f->value);
}

const dfl_rule dfl_rule_DL3023 = {
  .id = "DL3023",
  .name = "CopyFromOwnStage",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "COPY --from must not name the stage the COPY is in",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3023",
  .on_instr = check,
};
