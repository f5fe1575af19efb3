/* DF104 CgoBinaryOnStaticBase: a `go build` with cgo left on, in a stage
 * with a C compiler, whose binary ends up on a base without that libc
 * (scratch, distroless static, alpine...). Go enables cgo by default when a C
 * compiler is found, and then the net and os/user packages link against the
 * builder's libc: the binary needs that libc's dynamic loader. exec then
 * fails with "no such file or directory" for a binary that is plainly
 * there (it is the loader that is missing), which makes this one hard to
 * diagnose at run time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "df_build.h"
#include "df_common.h"
#include "dflint/lint.h"

/* A go env -w setting of CGO_ENABLED seen in a stage. */
enum {
  GOENV_NONE,  /* not touched in this stage */
  GOENV_OFF,
  GOENV_ON,
  GOENV_UNSET  /* go env -u: back to the default, whatever a base stage set */
};

typedef struct stage_info {
  bool cc;       /* a RUN of the stage installed a C compiler */
  int goenv;     /* the latest `go env -w CGO_ENABLED=` of the stage */
} stage_info;

typedef struct state {
  bool init;
  const dfl_stage *final;
  bool *reach;   /* per stage: its files can reach the final image */
  stage_info *st;
  size_t n;
} state;

/* Marks the stages the final stage needs (FROM, COPY --from, RUN --mount
 * from), transitively: the only ways a stage's files reach the image. */
static void mark(const dfl_model *m, bool *reach, int i)
{
  if (i < 0 || (size_t)i >= m->nstages || reach[i])
    return;
  reach[i] = true;
  for (size_t d = 0; d < m->stages[i].ndeps; d++)
    mark(m, reach, m->stages[i].deps[d]);
}

static state *get_state(dfl_ctx *ctx)
{
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (s->init)
    return s;
  s->init = true;
  const dfl_model *m = dfl_ctx_model(ctx);
  s->n = m->nstages;
  s->final = df_final_stage(ctx);
  dfl_arena *a = dfl_ctx_arena(ctx);
  s->reach = dfl_arena_alloc(a, (s->n ? s->n : 1) * sizeof *s->reach);
  s->st = dfl_arena_alloc(a, (s->n ? s->n : 1) * sizeof *s->st);
  if (s->final)
    mark(m, s->reach, (int)s->final->index);
  return s;
}

/* Whether st or a stage its FROM names installed a C compiler. */
static bool chain_cc(const dfl_model *m, const state *s, const dfl_stage *st)
{
  for (size_t g = 0; st && g <= m->nstages; g++) {
    if (s->st[st->index].cc)
      return true;
    st = st->base_stage >= 0 ? &m->stages[st->base_stage] : NULL;
  }
  return false;
}

static int chain_goenv(const dfl_model *m, const state *s, const dfl_stage *st)
{
  for (size_t g = 0; st && g <= m->nstages; g++) {
    if (s->st[st->index].goenv != GOENV_NONE)
      return s->st[st->index].goenv;
    st = st->base_stage >= 0 ? &m->stages[st->base_stage] : NULL;
  }
  return GOENV_NONE;
}

/* `go env -w CGO_ENABLED=v` (or -u CGO_ENABLED): updates *goenv. */
static void go_env(const dfl_sh_cmd *u, int *goenv)
{
  if (u->argc < 3 || !dfl_sh_is(u, "go", DFL_SH_MATCH_PATH) ||
      !dfl_sh_word_eq(&u->argv[1], "env"))
    return;
  bool w = dfl_sh_has_flag(u, "-w");
  bool un = dfl_sh_has_flag(u, "-u");
  for (size_t i = 2; i < u->argc; i++) {
    const dfl_sh_word *a = &u->argv[i];
    if (un && dfl_sh_word_eq(a, "CGO_ENABLED"))
      *goenv = GOENV_UNSET;
    else if (w && a->len > 12 && memcmp(a->text, "CGO_ENABLED=", 12) == 0)
      /* A value that expands is unknown: treated as off, so not reported. */
      *goenv = (a->flags & DFL_SH_WORD_EXPANDS) ||
                       strcmp(a->text + 12, "0") == 0
                   ? GOENV_OFF
                   : GOENV_ON;
  }
}

/* Whether the linker flags ask for a fully static link: -extldflags with
 * -static (or -static-pie) after it, as in -ldflags '-extldflags "-static"'
 * or -ldflags '-linkmode external -extldflags -static'. */
static bool ldflags_static(const char *v)
{
  const char *x = v ? strstr(v, "-extldflags") : NULL;
  return x && strstr(x, "-static");
}

/* Whether an -ldflags value may hold linker flags the text does not show:
 * a word that is a variable ("$LDFLAGS"), other than the value of -X
 * (-X main.version=$V only sets a string). */
static bool flags_unknown(const char *v)
{
  if (!v)
    return false;
  bool after_x = false;
  for (const char *p = v + strspn(v, " \t"); *p;) {
    size_t n = strcspn(p, " \t");
    if (p[0] == '$' && !after_x)
      return true;
    after_x = n == 2 && p[0] == '-' && p[1] == 'X';
    p += n;
    p += strspn(p, " \t");
  }
  return false;
}

/* Whether a -tags value names both netgo and osusergo: the pure-Go
 * resolvers replace the standard library's cgo, which is what makes an
 * ordinary Go program dynamic. */
static bool tags_static(const char *v)
{
  if (!v)
    return false;
  bool netgo = false, osusergo = false;
  for (const char *p = v; *p;) {
    size_t n = strcspn(p, ", ");
    if (n == 5 && memcmp(p, "netgo", 5) == 0)
      netgo = true;
    if (n == 8 && memcmp(p, "osusergo", 8) == 0)
      osusergo = true;
    p += n;
    p += strspn(p, ", ");
  }
  return netgo && osusergo;
}

/* The same recipes given through GOFLAGS (space-separated -flag=value). */
static bool goflags_static(const char *g)
{
  if (!g)
    return false;
  char *copy = strdup(g);
  if (!copy)
    return false;
  bool ld = false, tags = false;
  for (char *tok = strtok(copy, " \t"); tok; tok = strtok(NULL, " \t")) {
    const char *t = tok[0] == '-' && tok[1] == '-' ? tok + 1 : tok;
    if (strncmp(t, "-ldflags=", 9) == 0 && ldflags_static(t + 9))
      ld = true;
    if (strncmp(t, "-tags=", 6) == 0 && tags_static(t + 6))
      tags = true;
  }
  free(copy);
  return ld || tags;
}

/* Whether word w is NAME=... for name. */
static bool assigns_name(const dfl_sh_word *w, const char *name, size_t nl)
{
  return w->len > nl && memcmp(w->text, name, nl) == 0 && w->text[nl] == '=';
}

/* Whether a command up to c (c included) assigns name a value that cannot
 * be read from the text: an expansion, or an assignment that only runs
 * under a condition. Literal assignments that do not reach c (in a
 * subshell, say) are left to dfl_sh_env_before, which ignores them. */
static bool assigned_unreadably(const dfl_sh_script *s, const dfl_sh_cmd *c,
                                const char *name, size_t nl)
{
  static const char *const setters[] = {"export", "declare", "typeset",
                                        "local", "readonly", "env", "sudo"};
  for (size_t k = 0; k < s->ncmds && s->cmds[k].start <= c->start; k++) {
    const dfl_sh_cmd *a = &s->cmds[k];
    bool cond = (a->nest & (DFL_SH_IN_IF | DFL_SH_IN_CASE | DFL_SH_IN_LOOP)) &&
                a != c;
    for (size_t j = 0; j < a->nassigns; j++)
      if (a->assigns[j].name_len == nl &&
          memcmp(a->assigns[j].name, name, nl) == 0 &&
          (cond || (a->assigns[j].word.flags & DFL_SH_WORD_EXPANDS)))
        return true;
    bool setter = false;
    for (size_t j = 0; a->argc && j < sizeof setters / sizeof setters[0]; j++)
      setter = setter || dfl_sh_is(a, setters[j], DFL_SH_MATCH_PATH);
    for (size_t j = 1; setter && j < a->argc; j++)
      if (assigns_name(&a->argv[j], name, nl) &&
          (cond || (a->argv[j].flags & DFL_SH_WORD_EXPANDS)))
        return true;
  }
  return false;
}

/* A variable's value for command c: the script first (inline assignment,
 * env wrapper, earlier assignment or export), then the stage's ENV/ARG.
 * *unknown is set when something assigns it that cannot be read. */
static const char *var_value(const dfl_sh_script *s, const dfl_sh_cmd *c,
                             const dfl_stage_state *stt, const char *name,
                             bool *unknown)
{
  *unknown = false;
  const char *v = dfl_sh_env_before(s, c, name);
  if (v)
    return v;
  /* dfl_sh_env_before gives NULL both for "nothing reaching c assigns it"
   * and "something assigns it that cannot be read": a value with $
   * expansions, or an assignment under if/case/loop. Those are looked for
   * here, and make the value unknown. */
  size_t nl = strlen(name);
  if (assigned_unreadably(s, c, name, nl)) {
    *unknown = true;
    return NULL;
  }
  if (stt) {
    const dfl_env_entry *e = dfl_env_get(&stt->env, name, nl);
    if (e)
      return e->value;
    /* An ARG without a default: the value comes from --build-arg. */
    if (dfl_namelist_has(&stt->declared_args, name, nl)) {
      *unknown = true;
      return NULL;
    }
  }
  return NULL;
}

static const char *libc_label(int libc)
{
  return libc == DFL_CAT_LIBC_GLIBC  ? "glibc"
         : libc == DFL_CAT_LIBC_MUSL ? "musl"
                                     : "no libc";
}

static void check_go(dfl_ctx *ctx, state *s, const dfl_stage *st,
                     const dfl_run_scripts *rs, size_t si,
                     const dfl_sh_script *sc, const dfl_sh_cmd *c,
                     const dfl_sh_cmd *u)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  if (!s->final || !s->reach[st->index])
    return;
  df_base fb, bb;
  if (!df_stage_base(ctx, s->final, &fb) || !df_stage_base(ctx, st, &bb))
    return;
  int flibc = fb.match.entry->libc, blibc = bb.match.entry->libc;
  if (flibc == DFL_CAT_LIBC_GLIBC || blibc == DFL_CAT_LIBC_NONE ||
      flibc == blibc)
    return;
  if (!bb.match.entry->cc && !chain_cc(m, s, st))
    return;

  const dfl_stage_state *stt = dfl_ctx_state(ctx);
  bool unknown;
  const char *cgo = var_value(sc, c, stt, "CGO_ENABLED", &unknown);
  if (unknown)
    return;
  if (!cgo && chain_goenv(m, s, st) == GOENV_OFF)
    return;
  if (cgo && strcmp(cgo, "0") == 0)
    return;
  const char *ld = dfl_sh_flag_value(u, "-ldflags|ldflags");
  const char *tags = dfl_sh_flag_value(u, "-tags|tags");
  if (ldflags_static(ld) || tags_static(tags) || flags_unknown(ld) ||
      (tags && strchr(tags, '$')))
    return;
  const char *goflags = var_value(sc, c, stt, "GOFLAGS", &unknown);
  if (unknown || goflags_static(goflags))
    return;

  char what[64];
  snprintf(what, sizeof what, "go %.*s", (int)u->argv[1].len,
           u->argv[1].text);
  const char *final_img = fb.image ? fb.image : "scratch";
  dfl_emit(ctx, rs->run, dfb_range(rs, si, u->argv[0].start, c->end),
           "%s runs with cgo enabled on %s (%s, has a C compiler), so the "
           "binary is dynamically linked and needs the %s loader, which %s "
           "(the final base: %s) does not have: it will fail with 'no such "
           "file or directory'; set CGO_ENABLED=0, or link statically with "
           "-ldflags '-extldflags \"-static\"'",
           what, bb.image, libc_label(blibc), libc_label(blibc), final_img,
           libc_label(flibc));
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  /* ONBUILD payloads run in another build, against bases unknown here. */
  if (in->kind != DFL_INSTR_RUN || !dfl_ctx_state(ctx))
    return;
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *st = dfl_model_stage_of(m, in);
  if (!st)
    return;
  state *s = get_state(ctx);
  const dfl_run_scripts *rs = dfl_ctx_run_scripts(ctx, in);
  for (size_t si = 0; si < dfb_nscripts(rs); si++) {
    const dfl_sh_script *sc = dfb_script(rs, si);
    if (!sc)
      continue;
    for (size_t i = 0; i < sc->ncmds; i++) {
      const dfl_sh_cmd *c = &sc->cmds[i];
      dfl_sh_cmd u = dfl_sh_unwrap(c);
      if (u.argc == 0)
        continue;
      if (dfb_installs_any(&u, dfb_cc_packages, NULL))
        s->st[st->index].cc = true;
      go_env(&u, &s->st[st->index].goenv);
      if (dfb_is_go_build(&u))
        check_go(ctx, s, st, rs, si, sc, c, &u);
    }
  }
}

const dfl_rule dfl_rule_DF104 = {
  .id = "DF104",
  .name = "CgoBinaryOnStaticBase",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_ERROR,
  .category = "image",
  .summary = "A Go binary built with cgo on is copied onto a base without "
             "its libc",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF104.md",
  .on_instr = check,
};
