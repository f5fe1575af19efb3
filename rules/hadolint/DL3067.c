/* DL3067 CopyWholeFilesystem: `COPY --from=stage / /` copies a whole root
 * filesystem over this one: every file of the other image, package
 * databases and /etc included, silently replaces this image's own. Into
 * a `FROM scratch` stage it is a deliberate flattening and is not
 * reported. */
#include <string.h>

#include "dflint/buf.h"
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static bool is_root(const char *s, size_t n)
{
  return (n == 1 && s[0] == '/') || (n == 2 && memcmp(s, "/.", 2) == 0);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY || in->nargs < 2 ||
      !dfl_instr_flag(in, "from"))
    return;
  /* Into an empty `FROM scratch` stage it is the usual way to flatten an
   * image into one layer: nothing is overwritten there. */
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  if (st && st->base_scratch)
    return;
  dfl_buf w;
  dfl_buf_init(&w);
  const dfl_arg *dst = &in->args[in->nargs - 1];
  bool root_dst = dlc_word(ctx, dst->value, dst->len, &w) &&
                  is_root(w.data, w.len);
  const dfl_arg *src = NULL;
  for (size_t i = 0; root_dst && i + 1 < in->nargs && !src; i++)
    if (dlc_word(ctx, in->args[i].value, in->args[i].len, &w) &&
        is_root(w.data, w.len))
      src = &in->args[i];
  dfl_buf_free(&w);
  if (src)
    dfl_emit(ctx, in, in->range,
             "Do not copy the whole filesystem of another stage (`/` to "
             "`/`): copy the paths you need");
}

const dfl_rule dfl_rule_DL3067 = {
  .id = "DL3067",
  .name = "CopyWholeFilesystem",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Do not COPY --from another stage's whole filesystem",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3067",
  .on_instr = check,
};
