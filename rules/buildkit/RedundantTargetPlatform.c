/* RedundantTargetPlatform: FROM --platform=$TARGETPLATFORM asks for what
 * BuildKit does anyway. */
#include <string.h>

#include "bk_common.h"

static void stage(dfl_ctx *ctx, const bk_from_stage *fs, const dfl_env *env,
                  void *arg)
{
  if (!fs->has_platform)
    return;
  /* Exactly one variable was looked up, it was TARGETPLATFORM and it was
   * set, and nothing else changed the result: then the flag is
   * $TARGETPLATFORM or ${TARGETPLATFORM} in some spelling. With two
   * variables one of them may be empty, which BuildKit does not try to
   * judge. */
  const dfl_lex_result *r = &fs->plat;
  if (r->matched.n != 1 || r->unmatched.n != 0 ||
      strcmp(r->matched.names[0], "TARGETPLATFORM") != 0)
    return;
  const dfl_env_entry *tp = dfl_env_get(env, "TARGETPLATFORM", 14);
  size_t tl = tp ? tp->value_len : 0;
  if (r->result_len != tl || (tl && memcmp(r->result, tp->value, tl) != 0))
    return;
  const dfl_flag *f = fs->st->platform;
  dfl_emit(ctx, fs->st->from, bk_range_at(fs->st->from, f->range),
           "Setting platform to predefined %.*s in FROM is redundant as this "
           "is the default behavior",
           (int)f->value_len, f->value);
}

static void finish(dfl_ctx *ctx) { bk_from_walk(ctx, stage, NULL); }

const dfl_rule dfl_rule_RedundantTargetPlatform = {
  .id = "RedundantTargetPlatform",
  .name = "RedundantTargetPlatform",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "Setting platform to predefined $TARGETPLATFORM in FROM is "
             "redundant as this is the default behavior",
  .url = "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
  .on_finish = finish,
};
