/* Helpers of the group C hadolint rules (see dlc_common.h). */
#include "hadolint/dlc_common.h"

#include <string.h>

#include "dflint/lint.h"

/* The RUN that in stands for: in itself, or with onbuild the payload of
 * `ONBUILD RUN ...`; NULL for anything else. */
static const dfl_instr *run_of(const dfl_instr *in, bool onbuild)
{
  if (in->kind == DFL_INSTR_RUN)
    return in;
  if (onbuild && in->kind == DFL_INSTR_ONBUILD && in->sub &&
      in->sub->kind == DFL_INSTR_RUN)
    return in->sub;
  return NULL;
}

size_t dlc_nscripts(const dfl_run_scripts *rs)
{
  return rs ? 1 + rs->nheredocs : 0;
}

const dfl_sh_script *dlc_script(const dfl_run_scripts *rs, size_t k)
{
  if (!rs)
    return NULL;
  if (k == 0)
    return rs->text;
  return k <= rs->nheredocs ? rs->heredocs[k - 1] : NULL;
}

/* The position of byte o of a heredoc body: the body is the source verbatim
 * from body_range.start, so lines and columns follow its newlines. */
static dfl_pos heredoc_pos(const dfl_heredoc *hd, size_t o)
{
  dfl_pos p = hd->body_range.start;
  if (o > hd->content_len)
    o = hd->content_len;
  size_t bol = 0;
  bool moved = false;
  for (size_t i = 0; i < o; i++)
    if (hd->content[i] == '\n') {
      p.line++;
      bol = i + 1;
      moved = true;
    }
  p.col = moved ? (uint32_t)(o - bol + 1) : p.col + (uint32_t)o;
  p.offset += (uint32_t)o;
  return p;
}

/* The source range of bytes [start, end) of script k. */
static dfl_range script_range(const dfl_run_scripts *rs, size_t k,
                              size_t start, size_t end)
{
  const dfl_instr *run = rs->run;
  if (k == 0) {
    size_t lim = run->rest_len;
    if (end > lim)
      end = lim;
    if (start > end)
      start = end;
    return dfl_instr_range(run, run->rest_offset + start,
                           run->rest_offset + end);
  }
  const dfl_heredoc *hd = &run->heredocs[k - 1];
  dfl_range r = {heredoc_pos(hd, start), heredoc_pos(hd, end)};
  return r;
}

dfl_range dlc_cmd_range(const dfl_run_scripts *rs, size_t k,
                        const dfl_sh_cmd *c)
{
  return script_range(rs, k, c->start, c->end);
}

/* The exec form's words as one command, in the file's arena. */
static const dfl_sh_cmd *exec_cmd(dfl_ctx *ctx, const dfl_instr *run)
{
  if (!run->json || run->nargs == 0)
    return NULL;
  dfl_arena *a = dfl_ctx_arena(ctx);
  dfl_sh_cmd *c = dfl_arena_alloc(a, sizeof *c);
  memset(c, 0, sizeof *c);
  dfl_sh_word *argv = dfl_arena_alloc(a, run->nargs * sizeof *argv);
  memset(argv, 0, run->nargs * sizeof *argv);
  for (size_t i = 0; i < run->nargs; i++) {
    argv[i].text = run->args[i].value;
    argv[i].len = run->args[i].len;
    argv[i].raw = run->args[i].value;
    argv[i].raw_len = run->args[i].len;
  }
  c->argv = argv;
  c->argc = run->nargs;
  return c;
}

bool dlc_cmds_init(dlc_cmds *it, dfl_ctx *ctx, const dfl_instr *in,
                   bool onbuild)
{
  memset(it, 0, sizeof *it);
  it->in = in;
  it->run = run_of(in, onbuild);
  if (!it->run)
    return false;
  it->rs = dfl_ctx_run_scripts(ctx, in);
  it->exec = exec_cmd(ctx, it->run);
  return true;
}

const dfl_sh_cmd *dlc_cmds_next(dlc_cmds *it)
{
  if (it->exec) {
    if (it->i++ == 0)
      return it->exec;
    return NULL;
  }
  for (; it->k < dlc_nscripts(it->rs); it->k++, it->i = 0) {
    const dfl_sh_script *s = dlc_script(it->rs, it->k);
    if (s && it->i < s->ncmds)
      return &s->cmds[it->i++];
  }
  return NULL;
}

dfl_range dlc_cmds_range(const dlc_cmds *it, const dfl_sh_cmd *c)
{
  if (it->exec) {
    const dfl_instr *run = it->run;
    dfl_range r = {run->args[0].range.start,
                   run->args[run->nargs - 1].range.end};
    return r;
  }
  return dlc_cmd_range(it->rs, it->k, c);
}

bool dlc_cmd_is(const dfl_sh_cmd *c, const char *name, dfl_sh_cmd *out)
{
  dfl_sh_cmd u = dfl_sh_unwrap(c);
  if (u.argc == 0 || !dfl_sh_is(&u, name, DFL_SH_MATCH_PATH))
    return false;
  if (out)
    *out = u;
  return true;
}

bool dlc_has_word(const dfl_sh_cmd *c, const char *s)
{
  return dfl_sh_has_arg(c, s);
}

bool dlc_word_expands(const dfl_sh_word *w)
{
  return (w->flags & DFL_SH_WORD_EXPANDS) != 0;
}

/* ASCII case-insensitive comparison of n bytes. */
static bool ieq(const char *a, const char *b, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (unsigned char)(y - 'A' + 'a');
    if (x != y)
      return false;
  }
  return true;
}

/* The value of key in a --mount field list "type=cache,target=/x" (keys are
 * case-insensitive in BuildKit), or NULL. *len receives its length. */
static const char *mount_field(const char *v, size_t n, const char *key,
                               size_t *len)
{
  size_t kl = strlen(key);
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && v[j] != ',')
      j++;
    const char *eq = memchr(v + i, '=', j - i);
    if (eq && (size_t)(eq - (v + i)) == kl &&
        ieq(v + i, key, kl)) {
      *len = (size_t)(v + j - (eq + 1));
      return eq + 1;
    }
    i = j + 1;
  }
  return NULL;
}

static bool has_sub(const char *s, size_t n, const char *needle)
{
  size_t nl = strlen(needle);
  for (size_t i = 0; i + nl <= n; i++)
    if (memcmp(s + i, needle, nl) == 0)
      return true;
  return false;
}

bool dlc_has_cache_mount(const dfl_instr *run, const char *needle)
{
  for (size_t f = 0; f < run->nflags; f++) {
    const dfl_flag *fl = &run->flags[f];
    if (fl->name_len != 5 || memcmp(fl->name, "mount", 5) != 0 || !fl->value)
      continue;
    size_t tl = 0, dl = 0;
    const char *type = mount_field(fl->value, fl->value_len, "type", &tl);
    if (!type || !((tl == 5 && ieq(type, "cache", 5)) ||
                   (tl == 5 && ieq(type, "tmpfs", 5))))
      continue;
    static const char *const dst_keys[] = {"target", "dst", "destination"};
    for (size_t k = 0; k < 3; k++) {
      const char *dst = mount_field(fl->value, fl->value_len, dst_keys[k], &dl);
      if (dst && has_sub(dst, dl, needle))
        return true;
    }
  }
  return false;
}

bool dlc_same_flags(const dfl_instr *a, const dfl_instr *b)
{
  if (a->nflags != b->nflags)
    return false;
  bool used[64] = {false};
  if (b->nflags > 64)
    return false;
  for (size_t i = 0; i < a->nflags; i++) {
    bool found = false;
    for (size_t j = 0; j < b->nflags && !found; j++)
      if (!used[j] && a->flags[i].text_len == b->flags[j].text_len &&
          memcmp(a->flags[i].text, b->flags[j].text, a->flags[i].text_len) ==
              0)
        used[j] = found = true;
    if (!found)
      return false;
  }
  return true;
}

const dfl_config *dlc_config(const dfl_ctx *ctx)
{
  const dfl_lint_options *o = dfl_ctx_options(ctx);
  return o ? o->config : NULL;
}

int dlc_label_type(const dfl_config *cfg, const char *key, size_t len)
{
  if (!cfg)
    return -1;
  for (size_t i = 0; i < cfg->nlabels; i++)
    if (strlen(cfg->labels[i].name) == len &&
        memcmp(cfg->labels[i].name, key, len) == 0)
      return (int)cfg->labels[i].type;
  return -1;
}

bool dlc_word(const dfl_ctx *ctx, const char *s, size_t len, dfl_buf *out)
{
  dfl_buf_reset(out);
  if (!memchr(s, '$', len) && !memchr(s, '"', len) && !memchr(s, '\'', len) &&
      !memchr(s, '\\', len) && !memchr(s, '`', len)) {
    dfl_buf_append(out, s, len);
    return true;
  }
  dfl_lex_result r;
  bool ok = dfl_ctx_expand(ctx, s, len, &r) == 0 && r.unmatched.n == 0;
  if (ok)
    dfl_buf_append(out, r.result, r.result_len);
  dfl_lex_result_free(&r);
  return ok;
}

void dlc_check_labels(dfl_ctx *ctx, const dfl_instr *in, int type,
                      bool (*bad)(const char *value, size_t len),
                      const char *what)
{
  const dfl_config *cfg = dlc_config(ctx);
  if (in->kind != DFL_INSTR_LABEL || !cfg || !cfg->nlabels)
    return;
  dfl_buf key, val;
  dfl_buf_init(&key);
  dfl_buf_init(&val);
  for (size_t i = 0; i < DLC_PAIRS(in); i++) {
    const dfl_arg *k = DLC_KEY(in, i), *v = DLC_VALUE(in, i);
    if (!dlc_word(ctx, k->value, k->len, &key))
      continue;
    int t = dlc_label_type(cfg, dfl_buf_cstr(&key), key.len);
    if (t < 0 || (type >= 0 && t != type))
      continue;
    if (!dlc_word(ctx, v->value, v->len, &val))
      continue;
    if (bad(dfl_buf_cstr(&val), val.len))
      dfl_emit(ctx, in, v->range, "Label `%s` %s", dfl_buf_cstr(&key), what);
  }
  dfl_buf_free(&key);
  dfl_buf_free(&val);
}
