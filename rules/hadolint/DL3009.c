/* DL3009: apt-get update without deleting /var/lib/apt/lists in the same
 * RUN. The package lists (tens of MB) then stay in the layer for good; a
 * later RUN cannot remove them from it. Like hadolint, only images that
 * ship are reported: the last stage and stages a later FROM builds on.
 * Builder stages whose files are only copied out are left alone. A cache
 * or tmpfs mount over the lists keeps them out of the layer too. */
#include <stdlib.h>

#include "dflint/model.h"
#include "dflint/rule.h"
#include "hadolint/dla_common.h"
#include "hadolint/dlb_common.h"

typedef struct pending {
  const dfl_instr *in;
  dfl_range range;
  int stage; /* -1: before the first FROM */
} pending;

typedef struct state {
  pending *v;
  size_t n, cap;
} state;

static bool is_update(const dla_cmd *c)
{
  return (dla_cmd_is(c, "apt-get") || dla_cmd_is(c, "apt") ||
          dla_cmd_is(c, "aptitude")) &&
         dla_arg_index(&c->cmd, "update");
}

/* rm -r of the lists directory or its contents, or apt's own
 * `apt-get dist-clean` (apt 2.7+), which deletes the lists too. */
static bool is_cleanup(const dla_cmd *c)
{
  if ((dla_cmd_is(c, "apt-get") || dla_cmd_is(c, "apt")) &&
      dla_arg_index(&c->cmd, "dist-clean"))
    return true;
  static const char *const lists[] = {"/var/lib/apt/lists", NULL};
  return dlb_rm_recursive(&c->cmd, lists);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_run r;
  if (!dla_run_open(ctx, in, true, &r))
    return;
  const dfl_instr *run = r.run;
  bool update = false, cleanup = false;
  dfl_range where = in->range;
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  while (dla_cmd_next(&it, &c)) {
    if (!update && is_update(&c)) {
      update = true;
      where = dla_cmd_range(&r, &c);
    }
    if (is_cleanup(&c))
      cleanup = true;
  }
  dla_run_close(&r);
  if (!update || cleanup || dla_run_cache_mount(run, "/var/lib/apt/lists") ||
      (dla_run_cache_mount(run, "/var/lib/apt") &&
       dla_run_cache_mount(run, "/var/cache/apt")))
    return;
  if (r.onbuild) {
    /* The trigger runs in whatever image builds FROM this one: always
     * report it (hadolint's ONBUILD copy never sees a FROM either). */
    dfl_emit(ctx, in, where,
             "Delete /var/lib/apt/lists in the RUN that ran apt-get update, "
             "or the package lists stay in the layer");
    return;
  }
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 8;
    s->v = dfl_xrealloc(s->v, s->cap * sizeof *s->v);
  }
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  s->v[s->n].in = in;
  s->v[s->n].range = where;
  s->v[s->n].stage = st ? (int)st->index : -1;
  s->n++;
}

/* The stage ends up in an image: it is the last one, or a later stage is
 * built FROM it. */
static bool ships(const dfl_model *m, int stage)
{
  if (stage < 0)
    return m->nstages == 0;
  if ((size_t)stage + 1 == m->nstages)
    return true;
  for (size_t i = (size_t)stage + 1; i < m->nstages; i++)
    if (m->stages[i].base_stage == stage)
      return true;
  return false;
}

static void finish(dfl_ctx *ctx)
{
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  const dfl_model *m = dfl_ctx_model(ctx);
  for (size_t i = 0; i < s->n; i++)
    if (ships(m, s->v[i].stage))
      dfl_emit(ctx, s->v[i].in, s->v[i].range,
               "Delete /var/lib/apt/lists in the RUN that ran apt-get "
               "update, or the package lists stay in the layer");
  free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

const dfl_rule dfl_rule_DL3009 = {
  .id = "DL3009",
  .name = "AptListsNotDeleted",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "apt-get update leaves its package lists in the layer",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3009",
  .on_instr = check,
  .on_finish = finish,
};
