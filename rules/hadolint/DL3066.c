/* DL3066 NonNumericUser: a user name is resolved through the image's
 * /etc/passwd, which the host or an orchestrator cannot see: Kubernetes'
 * runAsNonRoot, for one, cannot verify `USER app` and refuses to start the
 * container. A numeric uid works everywhere.
 *
 * Only the user the image runs as matters, so like upstream hadolint since
 * PR #1239 only the last USER of the built stage (or of the stages it is
 * built FROM) is checked; earlier USER switches are build steps. */
#include <string.h>

#include "dflint/buf.h"
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

typedef struct state {
  const dfl_instr **last; /* per stage: its last USER, or NULL */
  bool *bad;              /* per stage: that USER names no numeric uid */
  size_t nstages;
  const dfl_instr *orphan; /* in a file without FROM: its last USER */
  bool orphan_bad;
} state;

/* Whether the user part (before ':') is not a number. A value that only a
 * variable without a value gives is unknown and passes. */
static bool non_numeric(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->nargs == 0)
    return false;
  dfl_buf w;
  dfl_buf_init(&w);
  bool bad = false;
  if (dlc_word(ctx, in->args[0].value, in->args[0].len, &w)) {
    const char *s = dfl_buf_cstr(&w);
    size_t n = w.len;
    const char *colon = memchr(s, ':', n);
    if (colon)
      n = (size_t)(colon - s);
    for (size_t i = 0; i < n; i++)
      if (s[i] < '0' || s[i] > '9')
        bad = true;
  }
  dfl_buf_free(&w);
  return bad;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_USER)
    return;
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *st = dfl_model_stage_of(m, in);
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (!st) {
    /* Before the first FROM: only a file with no stage at all (a snippet,
     * as in hadolint's tests) is checked that way. */
    if (!m->nstages) {
      s->orphan = in;
      s->orphan_bad = non_numeric(ctx, in);
    }
    return;
  }
  if (!s->last) {
    dfl_arena *a = dfl_ctx_arena(ctx);
    s->nstages = m->nstages;
    s->last = dfl_arena_alloc(a, m->nstages * sizeof *s->last);
    s->bad = dfl_arena_alloc(a, m->nstages * sizeof *s->bad);
    memset(s->last, 0, m->nstages * sizeof *s->last);
    memset(s->bad, 0, m->nstages * sizeof *s->bad);
  }
  if (st->index >= s->nstages)
    return;
  s->last[st->index] = in;
  s->bad[st->index] = non_numeric(ctx, in);
}

/* Windows images: their users are names (ContainerUser,
 * ContainerAdministrator) and have no numeric ids. Seen from the base
 * image's name, or the backtick escape that Windows Dockerfiles use. */
static bool windows(const dfl_ctx *ctx, const dfl_stage *st)
{
  if (dfl_ctx_file(ctx)->escape == '`')
    return true;
  const dfl_stage *root = dfl_model_root_stage(dfl_ctx_model(ctx), st);
  const char *b = NULL;
  if (root)
    b = root->base ? root->base : root->base_raw;
  if (!b)
    return false;
  static const char *const marks[] = {"windows", "nanoserver", "servercore"};
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    size_t n = strlen(marks[i]);
    for (const char *p = b; *p; p++) {
      size_t k = 0;
      while (k < n && p[k] && (p[k] | 0x20) == marks[i][k])
        k++;
      if (k == n)
        return true;
    }
  }
  return false;
}

static void report(dfl_ctx *ctx, const dfl_instr *in)
{
  dfl_emit(ctx, in, in->range,
           "The image runs as a user name, which the host cannot resolve: "
           "use a numeric uid (USER 1000 or USER 1000:1000)");
}

static void finish(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (s->orphan && s->orphan_bad)
    report(ctx, s->orphan);
  if (!s->last || !m->nstages)
    return;
  /* The built stage, else the stage it is FROM, and so on: the first
   * USER found is the one the image runs as. */
  int t = m->target >= 0 ? m->target : (int)m->nstages - 1;
  for (size_t guard = 0; t >= 0 && guard <= m->nstages; guard++) {
    if ((size_t)t < s->nstages && s->last[t]) {
      if (s->bad[t] && !windows(ctx, &m->stages[t]))
        report(ctx, s->last[t]);
      return;
    }
    t = m->stages[t].base_stage;
  }
}

const dfl_rule dfl_rule_DL3066 = {
  .id = "DL3066",
  .name = "NonNumericUser",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "The image should run as a numeric user id",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3066",
  .on_instr = check,
  .on_finish = finish,
};
