/* Stages, global ARGs and the stage graph, as BuildKit's instructions.Parse
 * and dockerfile2llb see them. */
#include <stdlib.h>
#include <string.h>
#include "dflint/buf.h"

#include "dflint/model.h"
#include "dflint/platform.h"

static bool ieq(const char *a, size_t alen, const char *b)
{
  size_t blen = strlen(b);
  if (alen != blen)
    return false;
  for (size_t i = 0; i < alen; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x + 32);
    if (y >= 'A' && y <= 'Z')
      y = (char)(y + 32);
    if (x != y)
      return false;
  }
  return true;
}

const dfl_flag *dfl_instr_flag(const dfl_instr *in, const char *name)
{
  size_t n = strlen(name);
  const dfl_flag *found = NULL;
  for (size_t i = 0; i < in->nflags; i++) {
    const dfl_flag *f = &in->flags[i];
    if (f->name_len == n && memcmp(f->name, name, n) == 0)
      found = f; /* the last one wins, as for repeated string flags */
  }
  return found;
}

void dfl_env_add_platform_args(dfl_env *env)
{
  static const char *const defaults[][2] = {
    {"BUILDPLATFORM", "linux/amd64"}, {"BUILDOS", "linux"},
    {"BUILDARCH", "amd64"},           {"BUILDVARIANT", ""},
    {"BUILDOSVERSION", ""},           {"TARGETPLATFORM", "linux/amd64"},
    {"TARGETOS", "linux"},            {"TARGETARCH", "amd64"},
    {"TARGETVARIANT", ""},            {"TARGETOSVERSION", ""},
  };
  for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
    dfl_env_set(env, defaults[i][0], strlen(defaults[i][0]), defaults[i][1],
                strlen(defaults[i][1]));
}

static char *lower_dup(const char *s, size_t len)
{
  char *p = dfl_xstrndup(s, len);
  for (size_t i = 0; i < len; i++)
    if (p[i] >= 'A' && p[i] <= 'Z')
      p[i] = (char)(p[i] + 32);
  return p;
}

static void add_dep(dfl_stage *st, int dep)
{
  for (size_t i = 0; i < st->ndeps; i++)
    if (st->deps[i] == dep)
      return;
  st->deps = dfl_xrealloc(st->deps, (st->ndeps + 1) * sizeof *st->deps);
  st->deps[st->ndeps++] = dep;
}

const dfl_stage *dfl_model_find_stage(const dfl_model *m, const char *ref,
                                      size_t len)
{
  if (len == 0)
    return NULL;
  bool digits = true;
  for (size_t i = 0; i < len; i++)
    if (ref[i] < '0' || ref[i] > '9')
      digits = false;
  if (digits && len < 9) {
    size_t idx = (size_t)strtoul(ref, NULL, 10);
    return idx < m->nstages ? &m->stages[idx] : NULL;
  }
  /* BuildKit's name map: the later stage with a duplicate name wins. */
  const dfl_stage *found = NULL;
  for (size_t i = 0; i < m->nstages; i++)
    if (m->stages[i].name && ieq(ref, len, m->stages[i].name))
      found = &m->stages[i];
  return found;
}

const dfl_stage *dfl_model_stage_of(const dfl_model *m, const dfl_instr *in)
{
  while (in->parent)
    in = in->parent;
  const dfl_stage *found = NULL;
  for (size_t i = 0; i < m->nstages; i++) {
    if (m->stages[i].from->index > in->index)
      break;
    found = &m->stages[i];
  }
  return found;
}

const dfl_stage *dfl_model_root_stage(const dfl_model *m, const dfl_stage *st)
{
  size_t guard = 0;
  while (st && st->base_stage >= 0 && guard++ < m->nstages)
    st = &m->stages[st->base_stage];
  return st;
}

/* Expands a FROM word with the global args, as BuildKit does for the base
 * name and --platform. */
static char *expand_global(const dfl_model *m, const char *s, size_t len,
                           bool *unresolved)
{
  dfl_lex lx = {.escape = (unsigned char)m->df->escape};
  dfl_lex_result r;
  int rc = dfl_lex_process(&lx, s, len, &m->global_env, &r);
  char *out = NULL;
  if (rc == 0) {
    out = dfl_xstrndup(r.result, r.result_len);
    *unresolved = r.unmatched.n > 0;
  }
  dfl_lex_result_free(&r);
  return out;
}

char *dfl_model_stage_platform(const dfl_model *m, const dfl_stage *st)
{
  char *text;
  if (st->platform && st->platform->value && st->platform->value_len) {
    bool unresolved = false;
    text = expand_global(m, st->platform->value, st->platform->value_len,
                         &unresolved);
    if (text && (unresolved || !*text)) {
      free(text);
      text = NULL;
    }
  } else {
    const dfl_env_entry *tp = dfl_env_get(&m->global_env, "TARGETPLATFORM", 14);
    text = tp && tp->value_len ? dfl_xstrndup(tp->value, tp->value_len) : NULL;
  }
  if (!text)
    return NULL;
  dfl_platform p;
  char *out = NULL;
  if (dfl_platform_parse(text, strlen(text), &p, NULL) == 0) {
    dfl_platform_normalize(&p);
    out = dfl_platform_format_all(&p);
    dfl_platform_free(&p);
  }
  free(text);
  return out;
}

static void mark_target(dfl_model *m, int idx)
{
  if (idx < 0 || (size_t)idx >= m->nstages || m->stages[idx].in_target)
    return;
  m->stages[idx].in_target = true;
  for (size_t i = 0; i < m->stages[idx].ndeps; i++)
    mark_target(m, m->stages[idx].deps[i]);
}

/* The stage named in a RUN --mount's from= key, or NULL. */
static const char *mount_from(const dfl_flag *f, size_t *len)
{
  const char *v = f->value;
  size_t n = f->value_len;
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && v[j] != ',')
      j++;
    if (j - i > 5 && ieq(v + i, 5, "from=")) {
      *len = j - i - 5;
      return v + i + 5;
    }
    i = j + 1;
  }
  return NULL;
}

static void link_deps(dfl_model *m, dfl_stage *st, const dfl_instr *in)
{
  if (in->kind == DFL_INSTR_COPY) {
    const dfl_flag *f = dfl_instr_flag(in, "from");
    if (f && f->value) {
      const dfl_stage *dep = dfl_model_find_stage(m, f->value, f->value_len);
      if (dep && dep != st)
        add_dep(st, (int)dep->index);
    }
  } else if (in->kind == DFL_INSTR_RUN) {
    for (size_t i = 0; i < in->nflags; i++) {
      const dfl_flag *f = &in->flags[i];
      if (!f->value || f->name_len != 5 || memcmp(f->name, "mount", 5) != 0)
        continue;
      size_t len;
      const char *from = mount_from(f, &len);
      if (!from)
        continue;
      const dfl_stage *dep = dfl_model_find_stage(m, from, len);
      if (dep && dep != st)
        add_dep(st, (int)dep->index);
    }
  }
}

dfl_model *dfl_model_build(const dfl_dockerfile *df,
                           const dfl_model_options *opts)
{
  dfl_model *m = dfl_xcalloc(1, sizeof *m);
  m->df = df;
  m->target = -1;
  dfl_env_init(&m->global_env);
  dfl_env_add_platform_args(&m->global_env);
  const dfl_env *build_args = opts ? opts->build_args : NULL;
  if (build_args)
    for (size_t i = 0; i < build_args->n; i++) {
      const dfl_env_entry *e = &build_args->items[i];
      /* Build args override the predefined platform args too. */
      if (dfl_env_get(&m->global_env, e->key, strlen(e->key)))
        dfl_env_set(&m->global_env, e->key, strlen(e->key), e->value,
                    e->value_len);
    }

  size_t meta_cap = 0, stage_cap = 0;
  size_t *stage_instr_cap = NULL;
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (in->kind == DFL_INSTR_ARG && m->nstages == 0) {
      for (size_t a = 0; a < in->nargs; a++) {
        if (m->nmeta_args == meta_cap) {
          meta_cap = meta_cap ? meta_cap * 2 : 8;
          m->meta_args =
              dfl_xrealloc(m->meta_args, meta_cap * sizeof *m->meta_args);
        }
        dfl_meta_arg *ma = &m->meta_args[m->nmeta_args++];
        memset(ma, 0, sizeof *ma);
        ma->instr = in;
        ma->arg_index = a;
        const char *w = in->args[a].value;
        size_t wl = in->args[a].len;
        const char *eq = memchr(w, '=', wl);
        size_t klen = eq ? (size_t)(eq - w) : wl;
        ma->key = dfl_xstrndup(w, klen);
        const dfl_env_entry *bv =
            build_args ? dfl_env_get(build_args, w, klen) : NULL;
        if (eq) {
          ma->has_default = true;
          ma->default_value = dfl_xstrndup(eq + 1, wl - klen - 1);
        }
        if (bv) {
          ma->value = dfl_xstrndup(bv->value, bv->value_len);
        } else if (eq) {
          bool unresolved = false;
          ma->value = expand_global(m, eq + 1, wl - klen - 1, &unresolved);
        }
        if (ma->value)
          dfl_env_set(&m->global_env, w, klen, ma->value, strlen(ma->value));
      }
      continue;
    }
    if (in->kind == DFL_INSTR_FROM) {
      if (m->nstages == stage_cap) {
        stage_cap = stage_cap ? stage_cap * 2 : 8;
        m->stages = dfl_xrealloc(m->stages, stage_cap * sizeof *m->stages);
        stage_instr_cap = dfl_xrealloc(stage_instr_cap,
                                       stage_cap * sizeof *stage_instr_cap);
      }
      dfl_stage *st = &m->stages[m->nstages];
      memset(st, 0, sizeof *st);
      stage_instr_cap[m->nstages] = 0;
      st->index = m->nstages++;
      st->from = in;
      st->base_stage = -1;
      st->platform = dfl_instr_flag(in, "platform");
      if (in->nargs >= 1) {
        st->base_raw = in->args[0].value;
        st->base = expand_global(m, in->args[0].value, in->args[0].len,
                                 &st->base_unresolved);
      }
      if (in->nargs == 3 && ieq(in->args[1].value, in->args[1].len, "as")) {
        st->name_raw = in->args[2].value;
        st->name = lower_dup(in->args[2].value, in->args[2].len);
      }
      if (st->base) {
        /* Only earlier stages, compared with the lowercased names exactly. */
        for (size_t k = 0; k + 1 < m->nstages; k++)
          if (m->stages[k].name && strcmp(m->stages[k].name, st->base) == 0)
            st->base_stage = (int)k;
        if (st->base_stage >= 0)
          add_dep(st, st->base_stage);
        else if (ieq(st->base, strlen(st->base), "scratch"))
          st->base_scratch = true;
      }
      continue;
    }
    if (m->nstages == 0) {
      if (!m->orphan)
        m->orphan = in;
      continue;
    }
    dfl_stage *st = &m->stages[m->nstages - 1];
    size_t *cap = &stage_instr_cap[m->nstages - 1];
    if (st->ninstrs == *cap) {
      *cap = *cap ? *cap * 2 : 8;
      st->instrs = dfl_xrealloc(st->instrs, *cap * sizeof *st->instrs);
    }
    st->instrs[st->ninstrs++] = in;
  }
  free(stage_instr_cap);

  for (size_t s = 0; s < m->nstages; s++)
    for (size_t i = 0; i < m->stages[s].ninstrs; i++)
      link_deps(m, &m->stages[s], m->stages[s].instrs[i]);

  if (m->nstages) {
    m->target = (int)m->nstages - 1;
    if (opts && opts->target) {
      m->target = -1;
      for (size_t s = 0; s < m->nstages; s++)
        if (m->stages[s].name && strcmp(m->stages[s].name, opts->target) == 0)
          m->target = (int)s;
    }
    mark_target(m, m->target);
  }
  /* TARGETSTAGE: the target's name, or "default" (BuildKit predefines it). */
  const char *ts = "default";
  if (m->target >= 0 && m->stages[m->target].name && opts && opts->target)
    ts = m->stages[m->target].name;
  const dfl_env_entry *bts =
      build_args ? dfl_env_get(build_args, "TARGETSTAGE", 11) : NULL;
  if (bts)
    dfl_env_set(&m->global_env, "TARGETSTAGE", 11, bts->value, bts->value_len);
  else if (!dfl_env_get(&m->global_env, "TARGETSTAGE", 11))
    dfl_env_set(&m->global_env, "TARGETSTAGE", 11, ts, strlen(ts));
  return m;
}

void dfl_model_free(dfl_model *m)
{
  if (!m)
    return;
  for (size_t i = 0; i < m->nmeta_args; i++) {
    free(m->meta_args[i].key);
    free(m->meta_args[i].value);
    free(m->meta_args[i].default_value);
  }
  free(m->meta_args);
  for (size_t s = 0; s < m->nstages; s++) {
    free(m->stages[s].name);
    free(m->stages[s].base);
    free(m->stages[s].instrs);
    free(m->stages[s].deps);
  }
  free(m->stages);
  dfl_env_free(&m->global_env);
  free(m);
}

bool dfl_instr_exec_names_shell(const dfl_instr *in, size_t first)
{
  if (!in->json || in->nargs <= first)
    return false;
  const dfl_arg *a = &in->args[first];
  static const char *const shells[] = {"sh", "/bin/sh", "bash", "/bin/bash"};
  for (size_t i = 0; i < sizeof shells / sizeof *shells; i++)
    if (a->len == strlen(shells[i]) && memcmp(a->value, shells[i], a->len) == 0)
      return true;
  return false;
}
