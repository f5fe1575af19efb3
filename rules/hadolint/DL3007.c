/* DL3007: FROM image:latest. "latest" is just a tag that moves with every
 * release, so it pins nothing and hides the fact that the base is
 * floating. A digest next to it does pin the image, and is accepted. */
#include <string.h>

#include "dflint/model.h"
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM || in->nargs == 0)
    return;
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *st = NULL;
  for (size_t i = 0; i < m->nstages && !st; i++)
    if (m->stages[i].from == in)
      st = &m->stages[i];
  if (!st || !st->base_raw || st->base_stage >= 0)
    return;
  const char *img =
      (st->base && !st->base_unresolved) ? st->base : st->base_raw;
  size_t name_len, tag_len;
  const char *tag, *digest;
  dla_image_split(img, strlen(img), &name_len, &tag, &tag_len, &digest);
  if (!digest && tag && tag_len == 6 && memcmp(tag, "latest", 6) == 0)
    dfl_emit(ctx, in, in->args[0].range,
             "Image %s uses the moving tag 'latest': pin a release tag (or "
             "a digest) instead",
             img);
}

const dfl_rule dfl_rule_DL3007 = {
  .id = "DL3007",
  .name = "ImageTagLatest",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "A FROM image uses the moving 'latest' tag",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3007",
  .on_instr = check,
};
