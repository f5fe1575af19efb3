/* Shared helpers of the BuildKit rules (see bk_common.h). */
#include "bk_common.h"

#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/instr_check.h"
#include "dflint/lint.h"
#include "dflint/platform.h"
#include "dflint/utf8.h"

static bool case_stable(const char *s, size_t len, bool lower)
{
  size_t i = 0;
  while (i < len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    /* Go's mapping turns an invalid byte into U+FFFD, so the string
     * changes. */
    if (r == DFL_RUNE_ERROR && w == 1)
      return false;
    if ((lower ? dfl_rune_to_lower(r) : dfl_rune_to_upper(r)) != r)
      return false;
    i += w;
  }
  return true;
}

bool bk_is_lower(const char *s, size_t len) { return case_stable(s, len, true); }
bool bk_is_upper(const char *s, size_t len) { return case_stable(s, len, false); }

dfl_range bk_range_at(const dfl_instr *in, dfl_range r)
{
  return r.start.line == in->range.start.line ? r : in->range;
}

bool bk_instr_parses(const dfl_instr *in)
{
  if (in->error)
    return false;
  char *msg = dfl_instr_check(in);
  if (!msg)
    return true;
  free(msg);
  return false;
}

const char *bk_target_stage(dfl_ctx *ctx, size_t *len)
{
  const dfl_lint_options *o = dfl_ctx_options(ctx);
  const dfl_env_entry *e = dfl_env_get(&o->build_args, "TARGETSTAGE", 11);
  if (e) {
    *len = e->value_len;
    return e->value;
  }
  const char *t = o->target;
  if (!t || !*t) {
    const dfl_model *m = dfl_ctx_model(ctx);
    t = m->nstages ? m->stages[m->nstages - 1].name : NULL;
  }
  if (!t || !*t)
    t = "default";
  *len = strlen(t);
  return t;
}

void bk_from_env(dfl_ctx *ctx, dfl_env *out)
{
  dfl_env_copy(out, &dfl_ctx_model(ctx)->global_env);
  /* The model leaves TARGETSTAGE out; a global ARG of that name (already in
   * the env) replaces it, as AddOrReplace does in BuildKit. */
  if (!dfl_env_get(out, "TARGETSTAGE", 11)) {
    size_t n;
    const char *v = bk_target_stage(ctx, &n);
    dfl_env_set(out, "TARGETSTAGE", 11, v, n);
  }
}

void bk_from_declared(const dfl_model *m, const dfl_env *env,
                      dfl_namelist *out)
{
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < m->nmeta_args; i++)
    dfl_namelist_add(out, m->meta_args[i].key, strlen(m->meta_args[i].key));
  for (size_t i = 0; i < env->n; i++)
    dfl_namelist_add(out, env->items[i].key, strlen(env->items[i].key));
}

void bk_from_walk(dfl_ctx *ctx, bk_from_fn fn, void *arg)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  dfl_env env;
  bk_from_env(ctx, &env);
  dfl_lex lx = {.escape = (unsigned char)dfl_ctx_file(ctx)->escape};
  for (size_t s = 0; s < m->nstages; s++) {
    const dfl_stage *st = &m->stages[s];
    /* A FROM without an image never gets this far in BuildKit. */
    if (!st->base_raw)
      break;
    bk_from_stage fs;
    memset(&fs, 0, sizeof fs);
    fs.st = st;
    const dfl_instr *in = st->from;
    fs.base_rc = dfl_lex_process(&lx, in->args[0].value, in->args[0].len, &env,
                                 &fs.base);
    bool stop = fs.base_rc != 0 || fs.base.result_len == 0;
    if (!stop && st->platform && st->platform->value &&
        st->platform->value_len) {
      fs.has_platform = true;
      fs.plat_rc = dfl_lex_process(&lx, st->platform->value,
                                   st->platform->value_len, &env, &fs.plat);
      if (fs.plat_rc != 0 || fs.plat.result_len == 0) {
        stop = true;
      } else {
        dfl_platform p;
        if (dfl_platform_parse(fs.plat.result, fs.plat.result_len, &p, NULL) != 0)
          stop = true;
        dfl_platform_free(&p);
      }
    }
    fn(ctx, &fs, &env, arg);
    dfl_lex_result_free(&fs.base);
    if (fs.has_platform)
      dfl_lex_result_free(&fs.plat);
    if (stop)
      break;
  }
  dfl_env_free(&env);
}
