/* UndefinedArgInFrom: FROM (image or --platform) uses a variable that no
 * global ARG declares and BuildKit does not predefine. Only global ARGs (the
 * ones before the first FROM) are visible to FROM, so such a variable is
 * always empty. */
#include <string.h>

#include "bk_common.h"
#include "dflint/instr_check.h"

/* suggest.Search: the closest declared name at distance < 3, the first one
 * wins a tie (BuildKit iterates a map, so its pick among equals varies). */
static const char *suggest(const dfl_namelist *decl, const char *name)
{
  const char *best = NULL;
  int best_d = 3;
  size_t n = strlen(name);
  for (size_t i = 0; i < decl->n; i++) {
    int d = dfl_levenshtein(name, n, decl->names[i], strlen(decl->names[i]));
    if (d < best_d) {
      best_d = d;
      best = decl->names[i];
    }
  }
  return best;
}

static void report(dfl_ctx *ctx, const dfl_instr *from,
                   const dfl_namelist *unmatched, const dfl_namelist *decl)
{
  for (size_t i = 0; i < unmatched->n; i++) {
    const char *v = unmatched->names[i];
    if (dfl_namelist_has(decl, v, strlen(v)))
      continue;
    const char *s = suggest(decl, v);
    if (s)
      dfl_emit(ctx, from, from->range,
               "FROM argument '%s' is not declared (did you mean %s?)", v, s);
    else
      dfl_emit(ctx, from, from->range, "FROM argument '%s' is not declared", v);
  }
}

static void stage(dfl_ctx *ctx, const bk_from_stage *fs, const dfl_env *env,
                  void *arg)
{
  const dfl_namelist *decl = arg;
  report(ctx, fs->st->from, &fs->base.unmatched, decl);
  if (fs->has_platform)
    report(ctx, fs->st->from, &fs->plat.unmatched, decl);
}

static void finish(dfl_ctx *ctx)
{
  dfl_env env;
  bk_from_env(ctx, &env);
  dfl_namelist decl;
  bk_from_declared(dfl_ctx_model(ctx), &env, &decl);
  dfl_env_free(&env);
  bk_from_walk(ctx, stage, &decl);
  dfl_namelist_free(&decl);
}

const dfl_rule dfl_rule_UndefinedArgInFrom = {
  .id = "UndefinedArgInFrom",
  .name = "UndefinedArgInFrom",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "FROM command must use declared ARGs",
  .url = "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
  .on_finish = finish,
};
