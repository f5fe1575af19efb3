/* DL3022: COPY --from=NAME where NAME is no earlier stage. BuildKit then
 * pulls an image called NAME from a registry: a typo in a stage name, or a
 * stage defined further down, silently turns into an image pull. A name
 * with a ':' (image:tag) is clearly an image and passes. */
#include <string.h>
#include <strings.h>

#include "dflint/model.h"
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY)
    return;
  const dfl_flag *f = dfl_instr_flag(in, "from");
  if (!f || !f->value)
    return;
  const char *v = f->value;
  size_t n = f->value_len;
  /* image:tag or image@digest, or a variable (a build argument naming a
   * stage or an image). */
  if (n == 0 || memchr(v, ':', n) || memchr(v, '$', n))
    return;
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *cur = dfl_model_stage_of(m, in);
  /* Stages up to and including the current one: naming the current stage
   * is another mistake, reported by DL3023. */
  size_t seen = cur ? cur->index + 1 : 0;
  bool digits = n > 0;
  size_t num = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i] < '0' || v[i] > '9') {
      digits = false;
      break;
    }
    if (num < 1000000)
      num = num * 10 + (size_t)(v[i] - '0');
  }
  if (digits && num < seen)
    return;
  /* Stage names are case-insensitive in BuildKit. */
  for (size_t i = 0; i < seen && i < m->nstages; i++) {
    const char *name = m->stages[i].name;
    if (name && strlen(name) == n &&
        strncasecmp(name, v, n) == 0)
      return;
  }
  dfl_emit(ctx, in, f->range,
           "COPY --from=%s names no earlier stage: BuildKit will pull it as "
           "an image (define the stage first, or give the image a tag)",
           v);
}

const dfl_rule dfl_rule_DL3022 = {
  .id = "DL3022",
  .name = "CopyFromUnknownStage",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "COPY --from names no earlier stage and will be pulled as an "
             "image",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3022",
  .on_instr = check,
};
