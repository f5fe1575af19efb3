/* FromPlatformFlagConstDisallowed: FROM --platform with a fixed value pins
 * the stage to one platform, which breaks multi-platform builds unless the
 * stage is clearly meant for that platform. */
#include <string.h>

#include "bk_common.h"
#include "dflint/buf.h"
#include "dflint/parse.h"
#include "dflint/platform.h"

static void stage(dfl_ctx *ctx, const bk_from_stage *fs, const dfl_env *env,
                  void *arg)
{
  if (!fs->has_platform || fs->plat_rc != 0)
    return;
  const dfl_lex_result *r = &fs->plat;
  /* Any variable, set or not, makes the value not a constant. */
  if (r->matched.n || r->unmatched.n)
    return;
  dfl_platform p;
  if (dfl_platform_parse(r->result, r->result_len, &p, NULL) != 0)
    return; /* BuildKit fails the build on it instead */
  /* A stage named for its platform ("build_amd64", "windows-base") is
   * pinned on purpose. The name is the lowercased one. */
  const char *name = fs->st->name ? fs->st->name : "";
  bool named_for_it = strstr(name, p.os) || strstr(name, p.arch);
  dfl_platform_free(&p);
  if (named_for_it)
    return;
  dfl_buf q;
  dfl_buf_init(&q);
  dfl_go_quote(&q, r->result, r->result_len);
  dfl_emit(ctx, fs->st->from,
           bk_range_at(fs->st->from, fs->st->platform->range),
           "FROM --platform flag should not use constant value %s",
           dfl_buf_cstr(&q));
  dfl_buf_free(&q);
}

static void finish(dfl_ctx *ctx) { bk_from_walk(ctx, stage, NULL); }

const dfl_rule dfl_rule_FromPlatformFlagConstDisallowed = {
  .id = "FromPlatformFlagConstDisallowed",
  .name = "FromPlatformFlagConstDisallowed",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "FROM --platform flag should not use a constant value",
  .url = "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
  .on_finish = finish,
};
