/* DL3006: FROM an image without a tag or digest. The build then takes
 * whatever "latest" points to today, so two builds of the same Dockerfile
 * can get different bases. FROM scratch and FROM <earlier stage> are not
 * images from a registry and are exempt. */
#include <string.h>

#include "dflint/model.h"
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static const dfl_stage *stage_of_from(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  for (size_t i = 0; i < m->nstages; i++)
    if (m->stages[i].from == in)
      return &m->stages[i];
  return NULL;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM || in->nargs == 0)
    return;
  const dfl_stage *st = stage_of_from(ctx, in);
  if (!st || !st->base_raw || st->base_stage >= 0 || st->base_scratch)
    return;
  /* The image after the global ARGs when they all have values; otherwise
   * the text as written, where a leading variable may hold a full
   * reference (hadolint lets `FROM ${IMAGE}` pass for that reason). */
  const char *img =
      (st->base && !st->base_unresolved) ? st->base : st->base_raw;
  size_t n = strlen(img);
  if (n == 0 || img[0] == '$' || strcmp(img, "scratch") == 0)
    return;
  size_t name_len, tag_len;
  const char *tag, *digest;
  dla_image_split(img, n, &name_len, &tag, &tag_len, &digest);
  if (tag || digest)
    return;
  dfl_emit(ctx, in, in->args[0].range,
           "Image %s has no tag: pin a version tag (or a digest) so the base "
           "does not change under you",
           img);
}

const dfl_rule dfl_rule_DL3006 = {
  .id = "DL3006",
  .name = "ImageTagMissing",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "A FROM image has neither a tag nor a digest",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3006",
  .on_instr = check,
};
