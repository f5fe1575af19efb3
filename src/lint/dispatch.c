#include "lint/dispatch.h"

#include "dflint/buf.h"

#include <stdlib.h>
#include <string.h>

static const char default_path[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* Images whose config sets no ENV other than PATH. Anything else may set
 * variables we cannot see offline, so UndefinedVar stays quiet there. */
bool dfl_image_env_is_path_only(const char *image)
{
  static const char *const repos[] = {
    "scratch", "busybox", "alpine", "debian", "ubuntu", "fedora",
    "centos", "rockylinux", "almalinux", "amazonlinux", "archlinux",
    "opensuse/leap", "opensuse/tumbleweed", "oraclelinux",
    "docker.io/library/busybox", "docker.io/library/alpine",
    "docker.io/library/debian", "docker.io/library/ubuntu",
    "library/busybox", "library/alpine", "library/debian", "library/ubuntu",
  };
  if (!image)
    return false;
  size_t n = strcspn(image, ":@");
  for (size_t i = 0; i < sizeof repos / sizeof repos[0]; i++)
    if (strlen(repos[i]) == n && strncmp(image, repos[i], n) == 0)
      return true;
  return false;
}

static void state_free(dfl_stage_state *s)
{
  dfl_env_free(&s->env);
  dfl_namelist_free(&s->declared_args);
  memset(s, 0, sizeof *s);
}

static void namelist_copy(dfl_namelist *dst, const dfl_namelist *src)
{
  for (size_t i = 0; i < src->n; i++)
    dfl_namelist_add(dst, src->names[i], strlen(src->names[i]));
}

void dfl_dispatch_init(dfl_dispatch *d, const dfl_model *m,
                       const dfl_env *build_args)
{
  memset(d, 0, sizeof *d);
  d->model = m;
  d->build_args = build_args;
  d->escape = (unsigned char)m->df->escape;
  size_t n = m->nstages ? m->nstages : 1;
  d->final = dfl_xcalloc(n, sizeof *d->final);
  d->finished = dfl_xcalloc(n, sizeof *d->finished);
  d->env_names = dfl_xcalloc(n, sizeof *d->env_names);
}

static void finish_current(dfl_dispatch *d)
{
  if (!d->active)
    return;
  size_t idx = d->cur.stage->index;
  d->final[idx] = d->cur;
  d->env_names[idx] = d->cur_env_names;
  d->finished[idx] = true;
  memset(&d->cur, 0, sizeof d->cur);
  memset(&d->cur_env_names, 0, sizeof d->cur_env_names);
  d->active = false;
}

void dfl_dispatch_free(dfl_dispatch *d)
{
  finish_current(d);
  size_t n = d->model->nstages;
  for (size_t i = 0; i < n; i++) {
    state_free(&d->final[i]);
    dfl_namelist_free(&d->env_names[i]);
  }
  free(d->final);
  free(d->finished);
  free(d->env_names);
}

void dfl_dispatch_begin_stage(dfl_dispatch *d, const dfl_stage *st)
{
  finish_current(d);
  dfl_stage_state *s = &d->cur;
  memset(s, 0, sizeof *s);
  s->stage = st;
  dfl_env_init(&s->env);
  if (st->base_stage >= 0 && d->finished[st->base_stage]) {
    const dfl_stage_state *b = &d->final[st->base_stage];
    dfl_env_copy(&s->env, &b->env);
    namelist_copy(&s->declared_args, &b->declared_args);
    namelist_copy(&d->cur_env_names, &d->env_names[st->base_stage]);
    s->env_complete = b->env_complete;
    s->shell_set = b->shell_set;
    s->workdir_seen = b->workdir_seen;
  } else {
    dfl_env_set(&s->env, "PATH", 4, default_path, sizeof default_path - 1);
    s->env_complete = st->base_scratch ||
                      (st->base && !st->base_unresolved &&
                       dfl_image_env_is_path_only(st->base));
  }
  d->active = true;
}

const dfl_stage_state *dfl_dispatch_state(const dfl_dispatch *d)
{
  return d->active ? &d->cur : NULL;
}

static void expand_into(dfl_dispatch *d, const dfl_env *env, const char *s,
                        size_t len, dfl_buf *out)
{
  dfl_lex lx = {.escape = d->escape};
  dfl_lex_result r;
  if (dfl_lex_process(&lx, s, len, env, &r) == 0)
    dfl_buf_append(out, r.result, r.result_len);
  else
    dfl_buf_append(out, s, len); /* BuildKit would fail; keep the raw text */
  dfl_lex_result_free(&r);
}

static const dfl_meta_arg *find_meta(const dfl_model *m, const char *k,
                                     size_t klen)
{
  const dfl_meta_arg *found = NULL;
  for (size_t i = 0; i < m->nmeta_args; i++)
    if (strlen(m->meta_args[i].key) == klen &&
        memcmp(m->meta_args[i].key, k, klen) == 0)
      found = &m->meta_args[i];
  return found;
}

static void apply_arg(dfl_dispatch *d, const dfl_instr *in)
{
  dfl_stage_state *s = &d->cur;
  for (size_t a = 0; a < in->nargs; a++) {
    const char *w = in->args[a].value;
    size_t wl = in->args[a].len;
    const char *eq = memchr(w, '=', wl);
    size_t klen = eq ? (size_t)(eq - w) : wl;
    dfl_namelist_add(&s->declared_args, w, klen);
    const dfl_env_entry *bv =
        d->build_args ? dfl_env_get(d->build_args, w, klen) : NULL;
    dfl_buf val;
    dfl_buf_init(&val);
    bool has = false;
    if (bv) {
      dfl_buf_append(&val, bv->value, bv->value_len);
      has = true;
    } else if (eq) {
      expand_into(d, &s->env, eq + 1, wl - klen - 1, &val);
      has = true;
    } else {
      const dfl_meta_arg *ma = find_meta(d->model, w, klen);
      if (ma && ma->value) {
        dfl_buf_puts(&val, ma->value);
        has = true;
      } else if (!ma) {
        /* Predefined platform args are importable without a global ARG. */
        const dfl_env_entry *pe = dfl_env_get(&d->model->global_env, w, klen);
        if (pe) {
          dfl_buf_append(&val, pe->value, pe->value_len);
          has = true;
        }
      }
    }
    if (has && !dfl_namelist_has(&d->cur_env_names, w, klen))
      dfl_env_set(&s->env, w, klen, val.data ? val.data : "", val.len);
    dfl_buf_free(&val);
  }
}

static void apply_env(dfl_dispatch *d, const dfl_instr *in)
{
  dfl_stage_state *s = &d->cur;
  /* Every word sees the env from before the instruction. */
  dfl_env before;
  dfl_env_init(&before);
  dfl_env_copy(&before, &s->env);
  for (size_t a = 0; a + 2 < in->nargs + 0 || a + 1 < in->nargs; a += 3) {
    dfl_buf k, v;
    dfl_buf_init(&k);
    dfl_buf_init(&v);
    expand_into(d, &before, in->args[a].value, in->args[a].len, &k);
    expand_into(d, &before, in->args[a + 1].value, in->args[a + 1].len, &v);
    if (k.len) {
      dfl_env_set(&s->env, k.data, k.len, v.data ? v.data : "", v.len);
      dfl_namelist_add(&d->cur_env_names, k.data, k.len);
    }
    dfl_buf_free(&k);
    dfl_buf_free(&v);
  }
  dfl_env_free(&before);
}

void dfl_dispatch_apply(dfl_dispatch *d, const dfl_instr *in)
{
  if (!d->active)
    return;
  dfl_stage_state *s = &d->cur;
  switch (in->kind) {
  case DFL_INSTR_ARG:
    apply_arg(d, in);
    break;
  case DFL_INSTR_ENV:
    apply_env(d, in);
    break;
  case DFL_INSTR_SHELL:
    s->shell_set = true;
    break;
  case DFL_INSTR_WORKDIR:
    s->workdir_seen = true;
    break;
  case DFL_INSTR_CMD:
    s->last_cmd = in;
    break;
  case DFL_INSTR_ENTRYPOINT:
    s->last_entrypoint = in;
    break;
  case DFL_INSTR_HEALTHCHECK:
    s->last_healthcheck = in;
    break;
  default:
    break;
  }
}
