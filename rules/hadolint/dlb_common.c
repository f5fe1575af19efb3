#include "hadolint/dlb_common.h"

#include <ctype.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/model.h"

const dfl_instr *dlb_run_of(const dfl_instr *in, bool onbuild)
{
  if (in->kind == DFL_INSTR_RUN)
    return in;
  if (onbuild && in->kind == DFL_INSTR_ONBUILD && in->sub &&
      in->sub->kind == DFL_INSTR_RUN)
    return in->sub;
  return NULL;
}

void dlb_cmds_init(dlb_cmds *it, dfl_ctx *ctx, const dfl_instr *run)
{
  memset(it, 0, sizeof *it);
  it->run = run;
  it->rs = run ? dfl_ctx_run_scripts(ctx, run) : NULL;
  if (!run || !run->json || run->nargs == 0)
    return;
  /* Each element single-quoted, so that it stays one word. */
  dfl_buf b;
  dfl_buf_init(&b);
  for (size_t i = 0; i < run->nargs; i++) {
    dfl_buf_puts(&b, i ? " '" : "'");
    for (size_t k = 0; k < run->args[i].len; k++) {
      char c = run->args[i].value[k];
      if (c == '\'')
        dfl_buf_puts(&b, "'\\''");
      else
        dfl_buf_putc(&b, c);
    }
    dfl_buf_putc(&b, '\'');
  }
  it->exec = dfl_sh_parse(dfl_buf_cstr(&b), b.len);
  dfl_buf_free(&b);
}

void dlb_cmds_free(dlb_cmds *it)
{
  dfl_sh_free(it->exec);
  it->exec = NULL;
}

static const dfl_sh_script *script_at(const dlb_cmds *it, size_t i)
{
  if (i == 0)
    return it->exec ? it->exec : it->rs->text;
  return it->rs->heredocs[i - 1];
}

bool dlb_cmds_next(dlb_cmds *it)
{
  if (!it->rs)
    return false;
  while (it->script <= it->rs->nheredocs) {
    const dfl_sh_script *s = script_at(it, it->script);
    if (s && it->next < s->ncmds) {
      it->s = s;
      it->cmd = &s->cmds[it->next];
      it->u = dfl_sh_unwrap(it->cmd);
      it->next++;
      return true;
    }
    it->script++;
    it->next = 0;
  }
  return false;
}

/* Offset o of a heredoc body as a source position: the body is the source
 * verbatim from its start. */
static dfl_pos body_pos(const dfl_heredoc *hd, size_t o)
{
  dfl_pos p = hd->body_range.start;
  if (o > hd->content_len)
    o = hd->content_len;
  size_t col = p.col;
  for (size_t k = 0; k < o; k++) {
    if (hd->content[k] == '\n') {
      p.line++;
      col = 1;
    } else {
      col++;
    }
  }
  p.col = (uint32_t)col;
  p.offset += (uint32_t)o;
  return p;
}

static dfl_range span(const dlb_cmds *it, size_t start, size_t end)
{
  const dfl_instr *run = it->run;
  if (it->script == 0) {
    if (it->exec || run->json)
      return dfl_instr_range(run, run->rest_offset,
                             run->rest_offset + run->rest_len);
    if (end > run->rest_len)
      end = run->rest_len;
    if (start > end)
      start = end;
    return dfl_instr_range(run, run->rest_offset + start,
                           run->rest_offset + end);
  }
  const dfl_heredoc *hd = &run->heredocs[it->script - 1];
  dfl_range r = {body_pos(hd, start), body_pos(hd, end)};
  return r;
}

dfl_range dlb_cmd_range(const dlb_cmds *it)
{
  const dfl_sh_cmd *u = &it->u;
  if (u->argc == 0)
    return span(it, it->cmd->start, it->cmd->end);
  return span(it, u->argv[0].start, u->argv[u->argc - 1].end);
}

dfl_range dlb_word_range(const dlb_cmds *it, const dfl_sh_word *w)
{
  return span(it, w->start, w->end);
}

bool dlb_named(const dfl_sh_cmd *u, const char *name)
{
  return u->argc > 0 && dfl_sh_is(u, name, DFL_SH_MATCH_PATH);
}

int dlb_named_any(const dfl_sh_cmd *u, const char *const *names)
{
  for (int i = 0; names[i]; i++)
    if (dlb_named(u, names[i]))
      return i;
  return -1;
}

size_t dlb_positionals(const dfl_sh_cmd *u, const char *value_flags,
                       const dfl_sh_word **out, size_t max)
{
  dfl_sh_args it;
  dfl_sh_args_init(&it, u, value_flags);
  size_t n = 0;
  for (const dfl_sh_word *w; (w = dfl_sh_args_next(&it));) {
    if (n < max)
      out[n] = w;
    n++;
  }
  return n;
}

/* dir itself, anything below it, or dir followed directly by a glob. */
static bool under_dir(const char *p, size_t n, const char *dir)
{
  size_t d = strlen(dir);
  while (n > 1 && p[n - 1] == '/')
    n--;
  if (n < d || memcmp(p, dir, d) != 0)
    return false;
  return n == d || p[d] == '/' || p[d] == '*';
}

bool dlb_rm_recursive(const dfl_sh_cmd *u, const char *const *dirs)
{
  if (!dlb_named(u, "rm") || !dfl_sh_has_flag(u, "r|R|recursive"))
    return false;
  dfl_sh_args it;
  dfl_sh_args_init(&it, u, NULL);
  for (const dfl_sh_word *w; (w = dfl_sh_args_next(&it));)
    for (size_t i = 0; dirs[i]; i++)
      if (under_dir(w->text, w->len, dirs[i]))
        return true;
  return false;
}

bool dlb_fed_by_yes(const dfl_sh_script *s, const dfl_sh_cmd *c)
{
  for (size_t i = 0; i < s->ncmds; i++) {
    const dfl_sh_cmd *p = &s->cmds[i];
    if (p->next == c && p->op == DFL_SH_OP_PIPE) {
      dfl_sh_cmd u = dfl_sh_unwrap(p);
      return dlb_named(&u, "yes");
    }
  }
  return false;
}

/* ---- mounts -------------------------------------------------------------- */

/* Where the CSV field of a --mount value that starts at i ends: BuildKit
 * reads the value with a CSV reader, so a comma inside double quotes does
 * not end it. */
static const char *field_end(const char *v, size_t n, size_t i)
{
  bool q = false;
  for (; i < n; i++) {
    if (v[i] == '"')
      q = !q;
    else if (v[i] == ',' && !q)
      break;
  }
  return v + i;
}

/* The field without its CSV quoting ("" inside quotes is one "). */
static char *unquote(dfl_arena *a, const char *s, size_t n)
{
  char *out = dfl_arena_alloc(a, n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') {
      if (i + 1 < n && s[i + 1] == '"' && o > 0)
        out[o++] = '"', i++;
      continue;
    }
    out[o++] = s[i];
  }
  out[o] = '\0';
  return out;
}

static bool key_is(const char *k, size_t n, const char *want)
{
  size_t w = strlen(want);
  if (n != w)
    return false;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)k[i]) != want[i])
      return false;
  return true;
}

bool dlb_mount_next(dfl_ctx *ctx, const dfl_instr *run, size_t *i,
                    dlb_mount *m)
{
  dfl_arena *a = dfl_ctx_arena(ctx);
  for (; *i < run->nflags; (*i)++) {
    const dfl_flag *f = &run->flags[*i];
    if (!f->value || f->name_len != 5 || memcmp(f->name, "mount", 5) != 0)
      continue;
    (*i)++;
    m->flag = f;
    m->type = "bind";
    m->target = NULL;
    m->from = NULL;
    const char *v = f->value;
    size_t n = f->value_len, p = 0;
    while (p <= n) {
      const char *end = field_end(v, n, p);
      size_t flen = (size_t)(end - (v + p));
      char *fld = unquote(a, v + p, flen);
      char *eq = strchr(fld, '=');
      if (eq) {
        *eq = '\0';
        if (key_is(fld, strlen(fld), "type")) {
          for (char *c = eq + 1; *c; c++)
            *c = (char)tolower((unsigned char)*c);
          m->type = eq + 1;
        } else if (key_is(fld, strlen(fld), "target") ||
                   key_is(fld, strlen(fld), "dst") ||
                   key_is(fld, strlen(fld), "destination")) {
          m->target = eq + 1;
        } else if (key_is(fld, strlen(fld), "from")) {
          m->from = eq + 1;
        }
      }
      p += flen + 1;
    }
    return true;
  }
  return false;
}

bool dlb_cache_mount(dfl_ctx *ctx, const dfl_instr *run,
                     const char *const *needles)
{
  size_t i = 0;
  dlb_mount m;
  while (dlb_mount_next(ctx, run, &i, &m)) {
    if (!m.target ||
        (strcmp(m.type, "cache") != 0 && strcmp(m.type, "tmpfs") != 0))
      continue;
    for (size_t k = 0; needles[k]; k++)
      if (strstr(m.target, needles[k]))
        return true;
  }
  return false;
}

/* ---- variables ----------------------------------------------------------- */

static bool name_start(char c)
{
  return c == '_' || isalpha((unsigned char)c);
}

static bool name_char(char c)
{
  return c == '_' || isalnum((unsigned char)c);
}

bool dlb_each_var(const char *t, size_t n,
                  bool (*fn)(const char *name, size_t len, void *arg),
                  void *arg)
{
  for (size_t i = 0; i + 1 < n; i++) {
    if (t[i] != '$')
      continue;
    size_t s = i + 1;
    if (t[s] == '{')
      s++;
    size_t e = s;
    if (e < n && name_start(t[e]))
      while (e < n && name_char(t[e]))
        e++;
    if (e > s && fn(t + s, e - s, arg))
      return true;
  }
  return false;
}

static const dfl_instr *top_of(const dfl_instr *in)
{
  while (in->parent)
    in = in->parent;
  return in;
}

/* Whether an ARG (or, with env, an ENV) earlier than index upto declares
 * name. Keys of ENV come in triplets; ARG words are NAME or NAME=value. */
static bool declared_earlier(const dfl_dockerfile *df, size_t upto,
                             const char *name, size_t len, bool env)
{
  for (size_t i = 0; i < upto && i < df->ninstrs; i++) {
    const dfl_instr *d = df->instrs[i];
    if (d->kind == DFL_INSTR_ARG) {
      for (size_t a = 0; a < d->nargs; a++) {
        const char *w = d->args[a].value;
        size_t wl = d->args[a].len;
        const char *eq = memchr(w, '=', wl);
        size_t k = eq ? (size_t)(eq - w) : wl;
        if (k == len && memcmp(w, name, len) == 0)
          return true;
      }
    } else if (env && d->kind == DFL_INSTR_ENV) {
      for (size_t a = 0; a < d->nargs; a += 3)
        if (d->args[a].len == len && memcmp(d->args[a].value, name, len) == 0)
          return true;
    }
  }
  return false;
}

bool dlb_var_known(dfl_ctx *ctx, const dfl_instr *in, const char *name,
                   size_t len)
{
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  if (st && (dfl_env_get(&st->env, name, len) ||
             dfl_namelist_has(&st->declared_args, name, len)))
    return true;
  return declared_earlier(dfl_ctx_file(ctx), top_of(in)->index, name, len,
                          st == NULL);
}

char *dlb_orphan_value(dfl_ctx *ctx, const dfl_instr *in, const char *name)
{
  if (dfl_ctx_state(ctx))
    return NULL;
  const dfl_dockerfile *df = dfl_ctx_file(ctx);
  size_t len = strlen(name);
  const dfl_instr *top = top_of(in);
  for (size_t i = top->index; i-- > 0;) {
    const dfl_instr *d = df->instrs[i];
    const char *raw = NULL;
    size_t rawlen = 0;
    bool found = false;
    if (d->kind == DFL_INSTR_ENV) {
      for (size_t a = 0; a + 1 < d->nargs; a += 3)
        if (d->args[a].len == len && memcmp(d->args[a].value, name, len) == 0)
          raw = d->args[a + 1].value, rawlen = d->args[a + 1].len,
          found = true;
    } else if (d->kind == DFL_INSTR_ARG) {
      for (size_t a = 0; a < d->nargs; a++) {
        const char *w = d->args[a].value;
        size_t wl = d->args[a].len;
        const char *eq = memchr(w, '=', wl);
        size_t k = eq ? (size_t)(eq - w) : wl;
        if (k == len && memcmp(w, name, len) == 0 && eq)
          raw = eq + 1, rawlen = wl - k - 1, found = true;
      }
    }
    if (!found)
      continue;
    /* Quote removal the way BuildKit would, with nothing to expand. */
    dfl_lex lx = {.escape = (unsigned char)df->escape};
    dfl_lex_result r;
    char *out = NULL;
    if (dfl_lex_process(&lx, raw, rawlen, NULL, &r) == 0)
      out = dfl_xstrndup(r.result, r.result_len);
    dfl_lex_result_free(&r);
    return out;
  }
  return NULL;
}

/* ---- package pinning ----------------------------------------------------- */

const char dlb_rpm_value_flags[] =
    "c|config|d|debuglevel|e|errorlevel|R|randomwait|x|exclude|installroot|"
    "releasever|setopt|enablerepo|disablerepo|repo|repoid|repofrompath|"
    "forcearch|downloaddir|destdir|color|rpmverbosity|disableexcludes|"
    "disableplugin|enableplugin|advisory|advisories|bz|bzs|cve|cves|"
    "sec-severity|secseverity|comment";

const char dlb_zypper_value_flags[] =
    "R|root|c|config|D|reposd-dir|C|cache-dir|raw-cache-dir|solv-cache-dir|"
    "pkg-cache-dir|userdata|installroot|p|plus-repo|plus-content|"
    "releasever";

static bool version_char(char c)
{
  return isalnum((unsigned char)c) || (c && strchr(".~^_:+", c) != NULL);
}

typedef struct var_query {
  dfl_ctx *ctx;
  const dfl_instr *in;
  const dlb_cmds *it;
} var_query;

/* Whether a command of s before c gives variable name a value, whatever
 * value: NAME=..., export/declare/local/readonly/typeset NAME[=...], or
 * read NAME. An assignment in front of c itself does not count: the shell
 * expands c's words before it applies it. */
static bool script_sets(const dfl_sh_script *s, const dfl_sh_cmd *c,
                        const char *name, size_t len)
{
  static const char *const decl[] = {"export", "declare", "typeset", "local",
                                     "readonly", "read", NULL};
  for (size_t i = 0; i < c->index && i < s->ncmds; i++) {
    const dfl_sh_cmd *p = &s->cmds[i];
    for (size_t a = 0; a < p->nassigns; a++)
      if (p->assigns[a].name_len == len &&
          memcmp(p->assigns[a].name, name, len) == 0)
        return true;
    if (dlb_named_any(p, decl) < 0)
      continue;
    for (size_t a = 1; a < p->argc; a++) {
      const dfl_sh_word *w = &p->argv[a];
      if (w->len >= len && memcmp(w->text, name, len) == 0 &&
          (w->len == len || w->text[len] == '='))
        return true;
    }
  }
  return false;
}

static bool var_is_known(const char *name, size_t len, void *arg)
{
  var_query *q = arg;
  /* A stage whose base image's environment is unknown may get the
   * variable from that image. */
  const dfl_stage_state *st = dfl_ctx_state(q->ctx);
  if (st && !st->env_complete)
    return true;
  return dlb_var_known(q->ctx, q->in, name, len) ||
         script_sets(q->it->s, q->it->cmd, name, len);
}

bool dlb_rpm_pinned(dfl_ctx *ctx, const dfl_instr *in, const dlb_cmds *it,
                    const dfl_sh_word *w)
{
  const char *t = w->text;
  size_t n = w->len;
  if (n >= 4 && memcmp(t + n - 4, ".rpm", 4) == 0)
    return true;
  /* @group, @module:stream and @environment name no single package. */
  if (n > 1 && t[0] == '@')
    return true;
  /* A known variable may well hold the version (or the whole pinned
   * list): its value is not judged. An unknown one is empty or comes from
   * outside the file, as good as no version. */
  if (w->flags & DFL_SH_WORD_EXPANDS) {
    var_query q = {ctx, in, it};
    if (dlb_each_var(t, n, var_is_known, &q))
      return true;
  }
  const char *dash = memchr(t, '-', n);
  if (!dash)
    return false;
  bool digit = false;
  for (const char *p = dash + 1; p < t + n;) {
    const char *e = memchr(p, '-', (size_t)(t + n - p));
    if (!e)
      e = t + n;
    if (e > p && isdigit((unsigned char)*p))
      digit = true;
    for (const char *c = p; c < e; c++)
      if (!version_char(*c))
        return false;
    p = e + 1;
  }
  return digit;
}

dlb_rpm_kind dlb_rpm_install(const dfl_sh_cmd *u, size_t *first)
{
  const dfl_sh_word *p[2];
  size_t n = dlb_positionals(u, dlb_rpm_value_flags, p, 2);
  *first = 1;
  if (n == 0)
    return DLB_RPM_NONE;
  static const char *const pkgs[] = {"install", "in", "install-n",
                                     "install-na", "install-nevra",
                                     "localinstall", NULL};
  for (size_t i = 0; pkgs[i]; i++)
    if (dfl_sh_word_eq(p[0], pkgs[i]))
      return DLB_RPM_PACKAGES;
  if (dfl_sh_word_eq(p[0], "groupinstall"))
    return DLB_RPM_GROUPS;
  if (n < 2 || !dfl_sh_word_eq(p[1], "install"))
    return DLB_RPM_NONE;
  *first = 2;
  if (dfl_sh_word_eq(p[0], "group") || dfl_sh_word_eq(p[0], "groups"))
    return DLB_RPM_GROUPS;
  if (dfl_sh_word_eq(p[0], "module"))
    return DLB_RPM_MODULES;
  return DLB_RPM_NONE;
}

void dlb_check_rpm_pinning(dfl_ctx *ctx, const dfl_instr *in,
                           const char *const *tools)
{
  enum { MAX_OPS = 256 };
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    size_t first;
    int which = dlb_named_any(&it.u, tools);
    if (which < 0)
      continue;
    dlb_rpm_kind k = dlb_rpm_install(&it.u, &first);
    /* Groups have no versions to pin. */
    if (k != DLB_RPM_PACKAGES && k != DLB_RPM_MODULES)
      continue;
    const dfl_sh_word *ops[MAX_OPS];
    size_t n = dlb_positionals(&it.u, dlb_rpm_value_flags, ops, MAX_OPS);
    if (n > MAX_OPS)
      n = MAX_OPS;
    for (size_t i = first; i < n; i++) {
      const dfl_sh_word *w = ops[i];
      bool ok = k == DLB_RPM_MODULES ? memchr(w->text, ':', w->len) != NULL
                                     : dlb_rpm_pinned(ctx, in, &it, w);
      if (ok)
        continue;
      const char *tool = tools[which];
      if (k == DLB_RPM_MODULES)
        dfl_emit(ctx, in, dlb_word_range(&it, w),
                 "%s module install %.*s has no stream; pin it as "
                 "%.*s:<stream>",
                 tool, (int)w->len, w->text, (int)w->len, w->text);
      else if (w->flags & DFL_SH_WORD_EXPANDS)
        dfl_emit(ctx, in, dlb_word_range(&it, w),
                 "%s install %.*s: no version is pinned, as no variable "
                 "in it has a value known here",
                 tool, (int)w->len, w->text);
      else
        dfl_emit(ctx, in, dlb_word_range(&it, w),
                 "%s install %.*s has no version; pin it as "
                 "%.*s-<version>",
                 tool, (int)w->len, w->text, (int)w->len, w->text);
      goto done;
    }
  }
done:
  dlb_cmds_free(&it);
}
