/* DL3060 YarnCacheNotCleaned: `yarn install` fills yarn's cache, and unless
 * the same RUN cleans it (or keeps it in a cache mount) the layer ships it
 * in the image. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static bool is_clean(const dfl_sh_cmd *c)
{
  dfl_sh_cmd u;
  if (dlc_cmd_is(c, "yarn", &u))
    return dlc_has_word(&u, "cache") && dlc_has_word(&u, "clean");
  if (dlc_cmd_is(c, "rm", &u))
    for (size_t i = 1; i < u.argc; i++)
      if (strstr(u.argv[i].text, ".cache/yarn"))
        return true;
  return false;
}

/* The first `yarn install` of the RUN that no cleaning follows, with its
 * range; false when there is none. */
static bool uncleaned(dfl_ctx *ctx, const dfl_instr *in, dfl_range *at)
{
  dlc_cmds it;
  if (!dlc_cmds_init(&it, ctx, in, true) ||
      dlc_has_cache_mount(it.run, ".cache/yarn") ||
      dlc_has_cache_mount(it.run, ".yarn/"))
    return false;
  bool pending = false;
  for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));) {
    dfl_sh_cmd u;
    if (dlc_cmd_is(c, "yarn", &u) && dlc_has_word(&u, "install")) {
      if (!pending)
        *at = dlc_cmds_range(&it, c);
      pending = true;
    } else if (pending && is_clean(c)) {
      pending = false;
    }
  }
  return pending;
}

/* Whether stage st ends up in the image that is built: the target stage
 * (the last one by default) or a stage it is built FROM. A builder stage
 * that is only copied from ships none of its layers. */
static bool shipped(const dfl_model *m, const dfl_stage *st)
{
  if (!m->nstages)
    return true;
  int t = m->target >= 0 ? m->target : (int)m->nstages - 1;
  for (int guard = 0; t >= 0 && guard <= (int)m->nstages; guard++) {
    if ((size_t)t == st->index)
      return true;
    t = m->stages[t].base_stage;
  }
  return false;
}

static void finish(dfl_ctx *ctx)
{
  const dfl_dockerfile *df = dfl_ctx_file(ctx);
  const dfl_model *m = dfl_ctx_model(ctx);
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    dfl_range at;
    if (!uncleaned(ctx, in, &at))
      continue;
    /* ONBUILD triggers run in whatever image is built from this one, so
     * they always count. Instructions before the first FROM belong to no
     * stage; they only count in a file without stages. */
    const dfl_stage *st = dfl_model_stage_of(m, in);
    if (in->kind == DFL_INSTR_ONBUILD || (st ? shipped(m, st) : !m->nstages))
      dfl_emit(ctx, in, at,
               "`yarn install` without `yarn cache clean` after it leaves "
               "yarn's cache in the image");
  }
}

const dfl_rule dfl_rule_DL3060 = {
  .id = "DL3060",
  .name = "YarnCacheNotCleaned",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "Clean yarn's cache after yarn install",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3060",
  .on_finish = finish,
};
