/* See bk_dispatch.h. The word lists follow instructions/commands.go (the
 * Expand methods) and the RUN --mount parser in commands_runmount.go; the
 * EXPOSE walk follows dockerfile2llb/convert_expose.go. */
#include "buildkit/bk_dispatch.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/instr_check.h"
#include "dflint/lint.h"

dfl_range bkd_first_line_range(const dfl_instr *in, dfl_range r)
{
  if (r.start.line != in->range.start.line || r.start.line == 0)
    return in->range;
  return r;
}

static void push(bkd_words *w, const char *text, size_t len, bkd_role role,
                 int arg, const char *flag, dfl_range range)
{
  if (w->n == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 8;
    w->items = dfl_xrealloc(w->items, w->cap * sizeof *w->items);
  }
  bkd_word *x = &w->items[w->n++];
  x->text = dfl_xstrndup(text, len);
  x->len = len;
  x->role = role;
  x->arg = arg;
  x->flag = flag;
  x->range = range;
}

void bkd_words_free(bkd_words *w)
{
  for (size_t i = 0; i < w->n; i++)
    free((char *)w->items[i].text);
  free(w->items);
  memset(w, 0, sizeof *w);
}

static void push_arg(bkd_words *w, const dfl_instr *in, size_t i,
                     bkd_role role)
{
  push(w, in->args[i].value, in->args[i].len, role, (int)i, NULL,
       bkd_first_line_range(in, in->args[i].range));
}

/* A string flag with a value; an empty value expands to nothing, so it is
 * left out (it cannot name a variable). */
static void push_flag(bkd_words *w, const dfl_instr *in, const char *name)
{
  const dfl_flag *f = dfl_instr_flag(in, name);
  if (!f || !f->value || !f->value_len)
    return;
  push(w, f->value, f->value_len, BKD_FLAG, -1, name,
       bkd_first_line_range(in, f->range));
}

const dfl_heredoc *bkd_heredoc_of(const dfl_instr *in, const char *word,
                                  size_t len, bool *is_heredoc)
{
  *is_heredoc = false;
  size_t i = 0;
  while (i < len && word[i] >= '0' && word[i] <= '9')
    i++;
  if (len - i < 2 || word[i] != '<' || word[i + 1] != '<')
    return NULL;
  i += 2;
  if (i < len && word[i] == '-')
    i++;
  if (i == len || memchr(word + i, '<', len - i))
    return NULL;
  dfl_lex lx = {.escape = '\\', .skip_unset_env = true};
  dfl_lex_result r;
  int rc = dfl_lex_process(&lx, word + i, len - i, NULL, &r);
  const dfl_heredoc *found = NULL;
  if (rc == 0 && r.nwords == 1) {
    *is_heredoc = true;
    for (size_t h = 0; h < in->nheredocs; h++)
      if (in->heredocs[h].name_len == r.word_lens[0] &&
          memcmp(in->heredocs[h].name, r.words[0], r.word_lens[0]) == 0)
        found = &in->heredocs[h];
  }
  dfl_lex_result_free(&r);
  return found;
}

static void kvp_words(const dfl_instr *in, bkd_words *out)
{
  for (size_t a = 0; a + 1 < in->nargs; a += 3) {
    push_arg(out, in, a, BKD_KEY);
    push_arg(out, in, a + 1, BKD_VALUE);
  }
}

static void copy_words(const dfl_instr *in, bkd_words *out)
{
  if (in->nargs < 2)
    return;
  push_flag(out, in, "chown");
  push_flag(out, in, "chmod");
  if (in->kind == DFL_INSTR_ADD)
    push_flag(out, in, "checksum");
  for (size_t a = 0; a + 1 < in->nargs; a++) {
    bool hd;
    bkd_heredoc_of(in, in->args[a].value, in->args[a].len, &hd);
    if (!hd)
      push_arg(out, in, a, BKD_SOURCE);
  }
  push_arg(out, in, in->nargs - 1, BKD_DEST);
}


static bool mount_key_known(const char *k, size_t n)
{
  static const char *const keys[] = {
    "type", "from", "source", "src", "target", "dst", "destination",
    "readonly", "ro", "readwrite", "rw", "required", "size", "id",
    "sharing", "mode", "uid", "gid", "env",
  };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
      return true;
  return false;
}

/* parseMount with an expander: each key=value field's value is expanded in
 * order; a field BuildKit rejects ends the instruction's expansion. */
static void mount_words(const dfl_instr *in, bkd_words *out)
{
  for (size_t fi = 0; fi < in->nflags; fi++) {
    const dfl_flag *f = &in->flags[fi];
    if (f->name_len != 5 || memcmp(f->name, "mount", 5) != 0 || !f->value)
      continue;
    dfl_csv csv;
    if (!dfl_csv_fields(f->value, f->value_len, &csv, NULL)) {
      dfl_csv_free(&csv);
      return;
    }
    const dfl_buf *fields = csv.items;
    size_t n = csv.n;
    dfl_range r = bkd_first_line_range(in, f->range);
    for (size_t k = 0; k < n; k++) {
      const char *t = fields[k].data ? fields[k].data : "";
      size_t tl = fields[k].len;
      const char *eq = memchr(t, '=', tl);
      size_t kl = eq ? (size_t)(eq - t) : tl;
      char key[32];
      bool fits = kl < sizeof key;
      for (size_t c = 0; fits && c < kl; c++)
        key[c] = (char)((t[c] >= 'A' && t[c] <= 'Z') ? t[c] + 32 : t[c]);
      if (!eq) {
        static const char *const bare[] = {"readonly", "ro", "readwrite",
                                           "rw", "required"};
        bool known = false;
        for (size_t b = 0; fits && b < sizeof bare / sizeof bare[0]; b++)
          known |= strlen(bare[b]) == kl && memcmp(bare[b], key, kl) == 0;
        if (!known) {
          dfl_csv_free(&csv);
          return;
        }
        continue;
      }
      push(out, eq + 1, tl - kl - 1, BKD_MOUNT, -1, "mount", r);
      if (!fits || !mount_key_known(key, kl)) {
        dfl_csv_free(&csv);
        return;
      }
    }
    dfl_csv_free(&csv);
  }
}

void bkd_expand_words(const dfl_instr *in, bkd_words *out)
{
  switch (in->kind) {
  case DFL_INSTR_ENV:
  case DFL_INSTR_LABEL:
    kvp_words(in, out);
    break;
  case DFL_INSTR_ADD:
  case DFL_INSTR_COPY:
    copy_words(in, out);
    break;
  case DFL_INSTR_WORKDIR:
  case DFL_INSTR_USER:
  case DFL_INSTR_STOPSIGNAL:
    if (in->nargs == 1)
      push_arg(out, in, 0, BKD_OTHER);
    break;
  case DFL_INSTR_VOLUME:
    for (size_t a = 0; a < in->nargs; a++)
      push_arg(out, in, a, BKD_OTHER);
    break;
  case DFL_INSTR_RUN:
    mount_words(in, out);
    break;
  default:
    break;
  }
}

/* ---- ARG ---- */

static bool non_env_arg(const char *k, size_t n)
{
  return (n == 26 && memcmp(k, "BUILDKIT_SBOM_SCAN_CONTEXT", 26) == 0) ||
         (n == 24 && memcmp(k, "BUILDKIT_SBOM_SCAN_STAGE", 24) == 0);
}

void bkd_arg_walk(dfl_ctx *ctx, const dfl_instr *in, bkd_arg_fn fn,
                  void *arg)
{
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  if (!st || in->kind != DFL_INSTR_ARG)
    return;
  const dfl_lint_options *opts = dfl_ctx_options(ctx);
  const dfl_model *m = dfl_ctx_model(ctx);
  dfl_lex lx = {.escape = (unsigned char)dfl_ctx_file(ctx)->escape};
  dfl_env env;
  dfl_env_copy(&env, &st->env);
  dfl_namelist declared = {0};
  for (size_t i = 0; i < st->declared_args.n; i++)
    dfl_namelist_add(&declared, st->declared_args.names[i],
                     strlen(st->declared_args.names[i]));

  for (size_t a = 0; a < in->nargs; a++) {
    const char *w = in->args[a].value;
    size_t wl = in->args[a].len;
    const char *eq = memchr(w, '=', wl);
    size_t kl = eq ? (size_t)(eq - w) : wl;
    const dfl_env_entry *bv = dfl_env_get(&opts->build_args, w, kl);
    const char *val = NULL;
    size_t vlen = 0;
    dfl_lex_result r;
    bool expanded = false;
    int rc = 0;
    if (!eq && !bv) {
      const dfl_env_entry *g = dfl_env_get(&m->global_env, w, kl);
      if (g) {
        val = g->value;
        vlen = g->value_len;
      }
    }
    if (bv) {
      val = bv->value;
      vlen = bv->value_len;
    } else if (eq) {
      rc = dfl_lex_process(&lx, eq + 1, wl - kl - 1, &env, &r);
      expanded = true;
      val = r.result;
      vlen = r.result_len;
    }
    bkd_arg ba = {a, w, kl, expanded ? &r : NULL, &env, &declared};
    fn(ctx, in, &ba, arg);
    if (rc == 0 && val && !non_env_arg(w, kl))
      dfl_env_set(&env, w, kl, val, vlen);
    if (expanded)
      dfl_lex_result_free(&r);
    if (rc != 0)
      break;
    dfl_namelist_add(&declared, w, kl);
  }
  dfl_env_free(&env);
  dfl_namelist_free(&declared);
}

/* ---- EXPOSE ---- */

typedef struct raw_port {
  const char *s;
  size_t len;
  size_t arg;
} raw_port;

static int raw_cmp(const void *a, const void *b)
{
  const raw_port *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->s, y->s, n);
  if (c)
    return c;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return x->arg < y->arg ? -1 : x->arg > y->arg;
}

/* strconv.ParseInt(s, 10, 0) limited to 0..65535 (parsePortNumber). */
static bool port_number(const char *s, size_t len, long *out)
{
  size_t i = 0;
  bool neg = false;
  if (len == 0)
    return false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == len)
    return false;
  long v = 0;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    if (v < 1000000)
      v = v * 10 + (s[i] - '0');
  }
  if (neg)
    v = -v;
  if (v < 0 || v > 65535)
    return false;
  *out = v;
  return true;
}

static bool port_range(const char *s, size_t len, long *start, long *end)
{
  if (len == 0)
    return false;
  const char *dash = memchr(s, '-', len);
  size_t sl = dash ? (size_t)(dash - s) : len;
  if (!port_number(s, sl, start))
    return false;
  if (!dash || (len - sl - 1 == sl && memcmp(s, dash + 1, sl) == 0)) {
    *end = *start;
    return true;
  }
  if (!port_number(dash + 1, len - sl - 1, end))
    return false;
  return *end >= *start;
}

/* net.ParseIP, after net.SplitHostPort stripped the brackets. */
static bool valid_ip(const char *ip, size_t len)
{
  if (len == 0 || len >= 64 || memchr(ip, '\0', len))
    return false;
  char buf[64];
  memcpy(buf, ip, len);
  buf[len] = '\0';
  unsigned char dst[16];
  return inet_pton(AF_INET, buf, dst) == 1 || inet_pton(AF_INET6, buf, dst) == 1;
}

/* The rest of parsePort after the lint checks: false where it fails. */
static bool port_rest_ok(const char *ip, size_t iplen, const char *host,
                         size_t hostlen, const char *cport, size_t cplen)
{
  if (iplen && ip[0] == '[') {
    const char *close = memchr(ip, ']', iplen);
    if (!close || (size_t)(close - ip) != iplen - 1 ||
        memchr(ip + 1, '[', iplen - 1))
      return false;
    ip++;
    iplen -= 2;
    if (!valid_ip(ip, iplen))
      return false;
  } else if (iplen && !valid_ip(ip, iplen)) {
    return false;
  }
  long s, e;
  if (!port_range(cport, cplen, &s, &e))
    return false;
  if (hostlen) {
    long hs, he;
    if (!port_range(host, hostlen, &hs, &he))
      return false;
    if (e - s != he - hs && e != s)
      return false;
  }
  return true;
}

/* One spec; false when the walk must stop. */
static bool walk_spec(dfl_ctx *ctx, const dfl_instr *in, const char *spec,
                      size_t len, dfl_range range, bkd_port_fn fn, void *arg)
{
  /* splitParts: the last two ':'-separated parts are the host and
   * container ports, everything before them the IP. */
  size_t ncolons = 0, last = 0, prev = 0;
  for (size_t i = 0; i < len; i++)
    if (spec[i] == ':') {
      ncolons++;
      prev = last;
      last = i;
    }
  const char *ip = spec, *host = spec, *cport = spec;
  size_t iplen = 0, hostlen = 0, cplen = len;
  if (ncolons == 1) {
    hostlen = last;
    cport = spec + last + 1;
    cplen = len - last - 1;
  } else if (ncolons >= 2) {
    iplen = prev;
    host = spec + prev + 1;
    hostlen = last - prev - 1;
    cport = spec + last + 1;
    cplen = len - last - 1;
  }
  /* splitProtoPort */
  const char *slash = memchr(cport, '/', cplen);
  size_t plen = slash ? (size_t)(slash - cport) : cplen;
  const char *proto = slash ? slash + 1 : "";
  size_t prlen = slash ? cplen - plen - 1 : 0;
  if (plen == 0)
    return false;
  static const char *const protos[] = {"tcp", "udp", "sctp"};
  bool proto_ok = prlen == 0;
  for (size_t p = 0; p < 3 && !proto_ok; p++) {
    if (strlen(protos[p]) != prlen)
      continue;
    bool eq = true;
    for (size_t c = 0; c < prlen && eq; c++) {
      char x = proto[c];
      if (x >= 'A' && x <= 'Z')
        x = (char)(x + 32);
      eq = x == protos[p][c];
    }
    proto_ok = eq;
  }
  if (!proto_ok)
    return false;

  bkd_port bp = {spec, len, proto, prlen, iplen > 0, hostlen > 0, range};
  fn(ctx, in, &bp, arg);
  return port_rest_ok(ip, iplen, host, hostlen, cport, plen);
}

void bkd_expose_walk(dfl_ctx *ctx, const dfl_instr *in, bkd_port_fn fn,
                     void *arg)
{
  if (in->kind != DFL_INSTR_EXPOSE || !in->nargs || !dfl_ctx_state(ctx))
    return;
  raw_port *raw = dfl_xcalloc(in->nargs, sizeof *raw);
  for (size_t a = 0; a < in->nargs; a++)
    raw[a] = (raw_port){in->args[a].value, in->args[a].len, a};
  qsort(raw, in->nargs, sizeof *raw, raw_cmp);

  /* Every argument is expanded before any spec is parsed. */
  dfl_lex_result *res = dfl_xcalloc(in->nargs, sizeof *res);
  bool ok = true;
  size_t done = 0;
  for (; done < in->nargs; done++)
    if (dfl_ctx_expand(ctx, raw[done].s, raw[done].len, &res[done]) != 0) {
      ok = false;
      done++;
      break;
    }
  for (size_t a = 0; ok && a < in->nargs; a++) {
    dfl_range r = bkd_first_line_range(in, in->args[raw[a].arg].range);
    for (size_t w = 0; ok && w < res[a].nwords; w++)
      ok = walk_spec(ctx, in, res[a].words[w], res[a].word_lens[w], r, fn,
                     arg);
  }
  for (size_t a = 0; a < done; a++)
    dfl_lex_result_free(&res[a]);
  free(res);
  free(raw);
}
