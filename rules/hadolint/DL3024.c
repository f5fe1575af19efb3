/* DL3024 DuplicateFromAlias: two stages with one name. Every later
 * reference (FROM, COPY --from, RUN --mount from=) can mean only one of
 * them. BuildKit's DuplicateStageName reports the same thing, so this rule
 * is off by default. */
#include <string.h>

#include "dflint/model.h"
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM)
    return;
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *st = dfl_model_stage_of(m, in);
  if (!st || !st->name || st->from != in)
    return;
  /* Stage names are case-insensitive in BuildKit (the model keeps them
   * lower-cased), so "Build" and "build" clash too. */
  for (size_t i = 0; i < st->index; i++) {
    const dfl_stage *prev = &m->stages[i];
    if (prev->name && strcmp(prev->name, st->name) == 0) {
      dfl_emit(ctx, in, in->nargs >= 3 ? in->args[2].range : in->range,
               "Stage name \"%s\" is already used by the stage on line %u; "
               "give each stage its own name",
               st->name_raw ? st->name_raw : st->name,
               (unsigned)prev->from->range.start.line);
      return;
    }
  }
}

const dfl_rule dfl_rule_DL3024 = {
  .id = "DL3024",
  .name = "DuplicateFromAlias",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "A FROM alias (stage name) must be unique",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3024",
  .off_by_default = true,
  .on_instr = check,
};
