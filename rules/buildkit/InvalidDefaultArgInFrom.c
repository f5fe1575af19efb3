/* InvalidDefaultArgInFrom: with the global ARGs at their defaults (no
 * --build-arg), a FROM image expands to an empty or invalid reference. The
 * build may work when the right build-arg is passed, but breaks for anyone
 * who does not know to pass it. */
#include <string.h>

#include "bk_common.h"
#include "dflint/lint.h"
#include "dflint/refs.h"

/* The scope BuildKit checks with: the predefined args (build-args may still
 * override those) and every global ARG evaluated from its default only. Returns
 * false when a default fails to expand: BuildKit then skips the check. */
static bool default_scope(dfl_ctx *ctx, dfl_env *env)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_lint_options *o = dfl_ctx_options(ctx);
  dfl_env_init(env);
  dfl_env_add_platform_args(env);
  for (size_t i = 0; i < o->build_args.n; i++) {
    const dfl_env_entry *e = &o->build_args.items[i];
    if (dfl_env_get(env, e->key, strlen(e->key)))
      dfl_env_set(env, e->key, strlen(e->key), e->value, e->value_len);
  }
  size_t tl;
  const char *t = bk_target_stage(ctx, &tl);
  dfl_env_set(env, "TARGETSTAGE", 11, t, tl);

  dfl_lex lx = {.escape = (unsigned char)dfl_ctx_file(ctx)->escape};
  for (size_t i = 0; i < m->nmeta_args; i++) {
    const dfl_meta_arg *ma = &m->meta_args[i];
    /* Declared without a value: stays unset, expands to "". */
    if (!ma->has_default)
      continue;
    dfl_lex_result r;
    int rc = dfl_lex_process(&lx, ma->default_value, strlen(ma->default_value),
                             env, &r);
    if (rc == 0)
      dfl_env_set(env, ma->key, strlen(ma->key), r.result, r.result_len);
    dfl_lex_result_free(&r);
    if (rc != 0)
      return false;
  }
  return true;
}

static void finish(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  dfl_env env;
  if (!default_scope(ctx, &env)) {
    dfl_env_free(&env);
    return;
  }
  dfl_lex lx = {.escape = (unsigned char)dfl_ctx_file(ctx)->escape};
  for (size_t s = 0; s < m->nstages; s++) {
    const dfl_stage *st = &m->stages[s];
    if (!st->base_raw)
      break;
    const dfl_instr *in = st->from;
    dfl_lex_result r;
    int rc = dfl_lex_process(&lx, in->args[0].value, in->args[0].len, &env, &r);
    if (rc != 0) {
      /* BuildKit abandons the check here; the build itself will fail. */
      dfl_lex_result_free(&r);
      break;
    }
    /* Stage names and "scratch" are valid references too, so every FROM is
     * checked the same way. */
    dfl_image_ref ref;
    if (dfl_image_ref_parse(r.result, r.result_len, &ref, NULL) == 0)
      dfl_image_ref_free(&ref);
    else
      dfl_emit(ctx, in, bk_range_at(in, in->args[0].range),
               "Default value for ARG %.*s results in empty or invalid base "
               "image name",
               (int)in->args[0].len, in->args[0].value);
    dfl_lex_result_free(&r);
  }
  dfl_env_free(&env);
}

const dfl_rule dfl_rule_InvalidDefaultArgInFrom = {
  .id = "InvalidDefaultArgInFrom",
  .name = "InvalidDefaultArgInFrom",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Default value for global ARG results in an empty or invalid "
             "base image name",
  .url = "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
  .on_finish = finish,
};
