/* DL3002: a stage whose last USER is root. Containers from that stage run
 * as root unless the operator overrides it; a process that does not need
 * root should not get it. A stage without USER is not reported: the base
 * image's user is unknown. Like hadolint, every stage is checked, not only
 * the final one. */
#include <string.h>

#include "dflint/rule.h"
#include "dflint/expand.h"

typedef struct last_user {
  const dfl_instr *in; /* the stage's last USER, or NULL */
  bool root;
} last_user;

typedef struct state {
  size_t n; /* stages + 1 (the slot before the first FROM) */
  last_user v[];
} state;

static state *get_state(dfl_ctx *ctx)
{
  size_t n = dfl_ctx_model(ctx)->nstages + 1;
  state *s = dfl_ctx_rule_state(ctx, sizeof(state) + n * sizeof(last_user));
  s->n = n;
  return s;
}

static bool is_root(const char *u, size_t n)
{
  const char *colon = memchr(u, ':', n);
  size_t name = colon ? (size_t)(colon - u) : n;
  return (name == 4 && memcmp(u, "root", 4) == 0) ||
         (name == 1 && u[0] == '0');
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_USER || in->nargs == 0)
    return;
  state *s = get_state(ctx);
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  size_t slot = st ? st->index + 1 : 0;
  if (slot >= s->n)
    return;
  /* The user as BuildKit sets it: quotes removed, ARG/ENV expanded. */
  dfl_lex_result r;
  bool root;
  if (dfl_ctx_expand(ctx, in->args[0].value, in->args[0].len, &r) == 0)
    root = is_root(r.result, r.result_len);
  else
    root = is_root(in->args[0].value, in->args[0].len);
  dfl_lex_result_free(&r);
  s->v[slot].in = in;
  s->v[slot].root = root;
}

static void finish(dfl_ctx *ctx)
{
  state *s = get_state(ctx);
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i].in && s->v[i].root)
      dfl_emit(ctx, s->v[i].in, s->v[i].in->range,
               "The last USER of this stage is root: switch to an "
               "unprivileged user after the steps that need root");
}

const dfl_rule dfl_rule_DL3002 = {
  .id = "DL3002",
  .name = "LastUserIsRoot",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "security",
  .summary = "A stage ends with USER root",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3002",
  .on_instr = check,
  .on_finish = finish,
};
