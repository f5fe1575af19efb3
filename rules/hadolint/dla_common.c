#include <stdio.h>
#include "hadolint/dla_common.h"

#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/model.h"

/* ---- the scripts of a RUN ------------------------------------------------ */

bool dla_run_open(dfl_ctx *ctx, const dfl_instr *in, bool onbuild,
                  dla_run *r)
{
  memset(r, 0, sizeof *r);
  const dfl_instr *run = in;
  if (in->kind == DFL_INSTR_ONBUILD) {
    if (!onbuild || !in->sub)
      return false;
    run = in->sub;
  }
  if (run->kind != DFL_INSTR_RUN)
    return false;
  r->ctx = ctx;
  r->in = in;
  r->run = run;
  r->onbuild = run != in;
  r->rs = dfl_ctx_run_scripts(ctx, in);
  if (run->json && run->nargs) {
    /* hadolint hands the exec form to its shell parser as the words joined
     * by spaces. Quoting each element keeps an element one word, which is
     * what the program receives. */
    dfl_buf b;
    dfl_buf_init(&b);
    for (size_t i = 0; i < run->nargs; i++) {
      if (i)
        dfl_buf_putc(&b, ' ');
      dfl_buf_putc(&b, '\'');
      for (size_t k = 0; k < run->args[i].len; k++) {
        char ch = run->args[i].value[k];
        if (ch == '\'')
          dfl_buf_puts(&b, "'\\''");
        else
          dfl_buf_putc(&b, ch);
      }
      dfl_buf_putc(&b, '\'');
    }
    const char *t = dfl_buf_cstr(&b);
    r->exec = dfl_sh_parse(t, strlen(t));
    dfl_buf_free(&b);
  }
  return true;
}

void dla_run_close(dla_run *r)
{
  if (r->exec)
    dfl_sh_free(r->exec);
  r->exec = NULL;
}

size_t dla_run_nscripts(const dla_run *r)
{
  return 1 + (r->rs ? r->rs->nheredocs : 0);
}

const dfl_sh_script *dla_run_script(const dla_run *r, size_t i)
{
  if (i == 0)
    return r->exec ? r->exec : r->rs ? r->rs->text : NULL;
  if (!r->rs || i - 1 >= r->rs->nheredocs)
    return NULL;
  return r->rs->heredocs[i - 1];
}

static dfl_pos heredoc_pos(const dfl_heredoc *hd, size_t o)
{
  dfl_pos p = hd->body_range.start;
  if (o > hd->content_len)
    o = hd->content_len;
  size_t last_nl = (size_t)-1;
  uint32_t lines = 0;
  for (size_t k = 0; k < o; k++)
    if (hd->content[k] == '\n') {
      lines++;
      last_nl = k;
    }
  p.offset += (uint32_t)o;
  if (lines) {
    p.line += lines;
    p.col = (uint32_t)(o - last_nl);
  } else {
    p.col += (uint32_t)o;
  }
  return p;
}

dfl_range dla_run_range(const dla_run *r, size_t i, size_t start, size_t end)
{
  const dfl_instr *run = r->run;
  if (i == 0) {
    if (r->exec || run->json)
      return dfl_instr_range(run, run->rest_offset,
                             run->rest_offset + run->rest_len);
    if (start > run->rest_len)
      start = run->rest_len;
    if (end > run->rest_len)
      end = run->rest_len;
    return dfl_instr_range(run, run->rest_offset + start,
                           run->rest_offset + end);
  }
  const dfl_heredoc *hd = &run->heredocs[i - 1];
  dfl_range rg;
  rg.start = heredoc_pos(hd, start);
  rg.end = heredoc_pos(hd, end);
  return rg;
}

void dla_cmd_it_init(dla_cmd_it *it, const dla_run *r)
{
  it->r = r;
  it->script = 0;
  it->next = 0;
}

bool dla_cmd_next(dla_cmd_it *it, dla_cmd *out)
{
  size_t n = dla_run_nscripts(it->r);
  while (it->script < n) {
    const dfl_sh_script *s = dla_run_script(it->r, it->script);
    if (!s || it->next >= s->ncmds) {
      it->script++;
      it->next = 0;
      continue;
    }
    const dfl_sh_cmd *c = &s->cmds[it->next++];
    if (c->argc == 0)
      continue;
    out->raw = c;
    out->cmd = dfl_sh_unwrap(c);
    out->script = s;
    out->script_index = it->script;
    if (out->cmd.argc == 0)
      out->cmd = *c; /* a bare `sudo -i`: the wrapper is the command */
    return true;
  }
  return false;
}

const char *dla_cmd_base(const dla_cmd *c, size_t *len)
{
  return dla_basename(c->cmd.argv[0].text, c->cmd.argv[0].len, len);
}

bool dla_cmd_is(const dla_cmd *c, const char *name)
{
  size_t bl;
  const char *b = dla_cmd_base(c, &bl);
  return bl == strlen(name) && memcmp(b, name, bl) == 0;
}

dfl_range dla_cmd_range(const dla_run *r, const dla_cmd *c)
{
  const dfl_sh_cmd *k = &c->cmd;
  size_t end = k->argv[k->argc - 1].end;
  return dla_run_range(r, c->script_index, k->argv[0].start, end);
}

dfl_range dla_word_range(const dla_run *r, const dla_cmd *c,
                         const dfl_sh_word *w)
{
  return dla_run_range(r, c->script_index, w->start, w->end);
}

/* ---- flags and arguments ------------------------------------------------- */

size_t dla_flag_count(const dfl_sh_cmd *c, const char *name)
{
  size_t n = 0, nl = strlen(name);
  for (size_t i = 1; i < c->argc; i++) {
    const char *t = c->argv[i].text;
    size_t len = c->argv[i].len;
    if (len == 2 && t[0] == '-' && t[1] == '-')
      break;
    if (len < 2 || t[0] != '-')
      continue;
    if (t[1] == '-') {
      const char *eq = memchr(t + 2, '=', len - 2);
      size_t fl = eq ? (size_t)(eq - t - 2) : len - 2;
      if (fl == nl && memcmp(t + 2, name, nl) == 0)
        n++;
      continue;
    }
    if (nl != 1)
      continue;
    for (size_t k = 1; k < len && t[k] != '='; k++)
      if (t[k] == name[0])
        n++;
  }
  return n;
}

size_t dla_arg_index(const dfl_sh_cmd *c, const char *text)
{
  for (size_t i = 1; i < c->argc; i++)
    if (dfl_sh_word_eq(&c->argv[i], text))
      return i;
  return 0;
}

static bool is_name_char(char ch, bool first)
{
  return ch == '_' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
         (!first && ch >= '0' && ch <= '9');
}

/* The NAME of a word that is exactly $NAME or ${NAME}, or NULL. */
static const char *lone_var(const dfl_sh_word *w, size_t *len)
{
  const char *t = w->text;
  size_t n = w->len;
  if (!(w->flags & DFL_SH_WORD_EXPANDS) || n < 2 || t[0] != '$')
    return NULL;
  size_t a = 1, b = n;
  if (t[1] == '{') {
    if (t[n - 1] != '}')
      return NULL;
    a = 2;
    b = n - 1;
  }
  if (a >= b)
    return NULL;
  for (size_t k = a; k < b; k++)
    if (!is_name_char(t[k], k == a))
      return NULL;
  *len = b - a;
  return t + a;
}

void dla_pieces_init(dla_pieces *it, const dla_run *r, const dla_cmd *c,
                     const dfl_sh_word *w)
{
  it->s = w->text;
  it->len = w->len;
  it->pos = 0;
  it->whole = true;
  size_t nl;
  const char *name = lone_var(w, &nl);
  if (!name)
    return;
  char buf[256];
  if (nl >= sizeof buf)
    return;
  memcpy(buf, name, nl);
  buf[nl] = '\0';
  const char *v = dfl_sh_env_before(c->script, c->raw, buf);
  if (v) {
    it->s = v;
    it->len = strlen(v);
    it->whole = false;
    return;
  }
  /* An ONBUILD payload runs in some later build whose ENV is unknown. */
  const dfl_stage_state *st = r->onbuild ? NULL : dfl_ctx_state(r->ctx);
  const dfl_env_entry *e = st ? dfl_env_get(&st->env, buf, nl) : NULL;
  if (e) {
    it->s = e->value;
    it->len = e->value_len;
    it->whole = false;
  }
}

static bool is_space(char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

bool dla_pieces_next(dla_pieces *it, const char **s, size_t *len)
{
  if (it->whole) {
    /* An empty word ("") installs nothing. */
    if (it->pos || it->len == 0)
      return false;
    it->pos = 1;
    *s = it->s;
    *len = it->len;
    return true;
  }
  for (;;) {
    while (it->pos < it->len && is_space(it->s[it->pos]))
      it->pos++;
    if (it->pos >= it->len)
      return false;
    size_t a = it->pos;
    while (it->pos < it->len && !is_space(it->s[it->pos]))
      it->pos++;
    /* A variable of options (APK_FLAGS="-q --no-cache") holds no
     * packages. */
    if (it->s[a] == '-')
      continue;
    *s = it->s + a;
    *len = it->pos - a;
    return true;
  }
}

/* ---- RUN --mount --------------------------------------------------------- */

static bool field_is(const char *f, size_t n, const char *key,
                     const char **val, size_t *vlen)
{
  size_t kl = strlen(key);
  if (n <= kl || f[kl] != '=' || memcmp(f, key, kl) != 0)
    return false;
  *val = f + kl + 1;
  *vlen = n - kl - 1;
  /* A field may be quoted as a whole CSV value. */
  if (*vlen >= 2 && ((*val)[0] == '"' || (*val)[0] == '\'') &&
      (*val)[*vlen - 1] == (*val)[0]) {
    (*val)++;
    *vlen -= 2;
  }
  return true;
}

bool dla_run_cache_mount(const dfl_instr *run, const char *needle)
{
  for (size_t i = 0; i < run->nflags; i++) {
    const dfl_flag *f = &run->flags[i];
    if (f->name_len != 5 || memcmp(f->name, "mount", 5) != 0 || !f->value)
      continue;
    const char *s = f->value;
    size_t n = f->value_len;
    bool cache = false, found = false;
    size_t a = 0;
    while (a <= n) {
      size_t b = a;
      while (b < n && s[b] != ',')
        b++;
      const char *v;
      size_t vl;
      if (field_is(s + a, b - a, "type", &v, &vl))
        cache = (vl == 5 && memcmp(v, "cache", 5) == 0) ||
                (vl == 5 && memcmp(v, "tmpfs", 5) == 0);
      else if (field_is(s + a, b - a, "target", &v, &vl) ||
               field_is(s + a, b - a, "dst", &v, &vl) ||
               field_is(s + a, b - a, "destination", &v, &vl))
        found = dla_contains(v, vl, needle);
      a = b + 1;
    }
    if (cache && found)
      return true;
  }
  return false;
}

/* ---- text helpers -------------------------------------------------------- */

bool dla_has_prefix(const char *s, size_t n, const char *prefix)
{
  size_t pl = strlen(prefix);
  return n >= pl && memcmp(s, prefix, pl) == 0;
}

bool dla_has_suffix(const char *s, size_t n, const char *suffix)
{
  size_t sl = strlen(suffix);
  return n >= sl && memcmp(s + n - sl, suffix, sl) == 0;
}

bool dla_contains(const char *s, size_t n, const char *needle)
{
  size_t nl = strlen(needle);
  if (nl == 0)
    return true;
  for (size_t i = 0; i + nl <= n; i++)
    if (s[i] == needle[0] && memcmp(s + i, needle, nl) == 0)
      return true;
  return false;
}

bool dla_is_windows_drive(const char *s, size_t n)
{
  return n >= 2 && s[1] == ':' &&
         ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'));
}

bool dla_is_archive(const char *s, size_t n)
{
  static const char *const ext[] = {
    ".tar", ".Z",   ".bz2", ".gz",  ".lz",   ".lzma", ".tZ",  ".tb2",
    ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz",  ".xz",
  };
  for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
    if (dla_has_suffix(s, n, ext[i]))
      return true;
  return false;
}

const char *dla_basename(const char *s, size_t n, size_t *len)
{
  size_t i = n;
  while (i > 0 && s[i - 1] != '/' && s[i - 1] != '\\')
    i--;
  *len = n - i;
  return s + i;
}

/* ---- COPY / ADD / WORKDIR words ------------------------------------------ */

size_t dla_words(const dfl_instr *in, dla_word **out)
{
  size_t n = 0, cap = 0;
  *out = NULL;
  if (in->json) {
    if (in->nargs) {
      *out = dfl_xmalloc(in->nargs * sizeof **out);
      for (size_t i = 0; i < in->nargs; i++) {
        (*out)[i].text = dfl_xstrndup(in->args[i].value, in->args[i].len);
        (*out)[i].len = in->args[i].len;
        (*out)[i].range = in->args[i].range;
      }
    }
    return in->nargs;
  }
  const char *s = in->rest;
  size_t len = in->rest_len, i = 0;
  dfl_buf b;
  dfl_buf_init(&b);
  while (i < len) {
    while (i < len && is_space(s[i]))
      i++;
    if (i >= len)
      break;
    size_t start = i;
    char quote = 0;
    dfl_buf_reset(&b);
    while (i < len && (quote || !is_space(s[i]))) {
      char ch = s[i++];
      if (quote) {
        if (ch == quote)
          quote = 0;
        else
          dfl_buf_putc(&b, ch);
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else {
        dfl_buf_putc(&b, ch);
      }
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 4;
      *out = dfl_xrealloc(*out, cap * sizeof **out);
    }
    dla_word *w = &(*out)[n++];
    w->len = strlen(dfl_buf_cstr(&b));
    w->text = dfl_xstrndup(dfl_buf_cstr(&b), w->len);
    w->range = dfl_instr_range(in, in->rest_offset + start,
                               in->rest_offset + i);
  }
  dfl_buf_free(&b);
  return n;
}

void dla_words_free(dla_word *w, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(w[i].text);
  free(w);
}

/* ---- image references ---------------------------------------------------- */

void dla_image_split(const char *s, size_t n, size_t *name_len,
                     const char **tag, size_t *tag_len, const char **digest)
{
  const char *at = memchr(s, '@', n);
  size_t end = at ? (size_t)(at - s) : n;
  *digest = at;
  size_t slash = 0;
  for (size_t i = 0; i < end; i++)
    if (s[i] == '/')
      slash = i + 1;
  const char *colon = NULL;
  for (size_t i = slash; i < end; i++)
    if (s[i] == ':')
      colon = s + i;
  *tag = colon ? colon + 1 : NULL;
  *tag_len = colon ? (size_t)(s + end - colon - 1) : 0;
  *name_len = colon ? (size_t)(colon - s) : end;
}

/* ---- package managers ---------------------------------------------------- */

bool dla_is_apt_get_install(const dla_cmd *c)
{
  return dla_cmd_is(c, "apt-get") && dla_arg_index(&c->cmd, "install");
}

void dla_unpinned_add(dla_unpinned *u, const char *s, size_t n,
                      dfl_range range)
{
  if (u->count++ == 0) {
    size_t k = n < sizeof u->first - 1 ? n : sizeof u->first - 1;
    memcpy(u->first, s, k);
    u->first[k] = '\0';
    u->range = range;
  }
}

void dla_report_first(dfl_ctx *ctx, const dfl_instr *in, bool onbuild,
                      bool (*bad)(const dla_cmd *c), const char *message)
{
  dla_run r;
  if (!dla_run_open(ctx, in, onbuild, &r))
    return;
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  while (dla_cmd_next(&it, &c))
    if (bad(&c)) {
      dfl_emit(ctx, in, dla_cmd_range(&r, &c), "%s", message);
      break;
    }
  dla_run_close(&r);
}

void dla_unpinned_word(dla_unpinned *u, const dla_run *r, const dla_cmd *c,
                       const dfl_sh_word *w,
                       bool (*pinned)(const char *s, size_t n))
{
  dla_pieces p;
  dla_pieces_init(&p, r, c, w);
  const char *s;
  size_t n;
  while (dla_pieces_next(&p, &s, &n))
    if (!pinned(s, n))
      dla_unpinned_add(u, s, n, dla_word_range(r, c, w));
}

void dla_unpinned_emit(dfl_ctx *ctx, const dfl_instr *in,
                       const dla_unpinned *u, const char *what,
                       const char *hint)
{
  if (!u->count)
    return;
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s '%s'", what, u->first);
  if (u->count > 1)
    dfl_buf_printf(&b, " and %zu more", u->count - 1);
  dfl_buf_puts(&b, ": ");
  /* hint is one of the rules' own literals, with one %s. */
  const char *p = strstr(hint, "%s");
  if (p) {
    dfl_buf_append(&b, hint, (size_t)(p - hint));
    dfl_buf_puts(&b, u->first);
    dfl_buf_puts(&b, p + 2);
  } else {
    dfl_buf_puts(&b, hint);
  }
  dfl_emit(ctx, in, u->range, "%s", dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

bool dla_apt_option(const dfl_sh_cmd *c, const char *option, bool want_true)
{
  const char *values[2] = {want_true ? "=true" : "=false",
                           want_true ? "=1" : "=0"};
  char needle[128];
  for (size_t v = 0; v < 2; v++) {
    snprintf(needle, sizeof needle, "%s%s", option, values[v]);
    for (size_t i = 1; i < c->argc; i++)
      if (dla_contains(c->argv[i].text, c->argv[i].len, needle))
        return true;
  }
  return false;
}
