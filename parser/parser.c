/* The Dockerfile parser: BuildKit's parser.Parse, rewritten to keep going
 * after an error and to remember where every piece came from.
 *
 * The shape follows BuildKit exactly: physical lines are read one at a time;
 * the first line of an instruction loses its leading white space; a line
 * ending in the escape character continues; comment lines inside a
 * continuation vanish; blank ones vanish and are remembered for
 * NoEmptyContinuation; the joined text is split into keyword, flags and
 * arguments by the instruction's own argument parser; RUN/COPY/ADD lines
 * with << then read heredoc bodies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/expand.h"
#include "dflint/parse.h"
#include "dflint/utf8.h"
#include "internal.h"

typedef struct parser {
  dfl_dockerfile *df;
  dfl_arena *a;
  const char *s;
  size_t len;
  uint32_t next_line; /* 0-based index of the next physical line to read */
  unsigned escape;

  bool directives_done;

  dfl_comment *comments;
  size_t ncomments;
  size_t comments_cap;

  size_t instrs_cap;
  size_t errors_cap;
} parser;

/* ---- lines ---- */

static size_t line_start(const parser *p, uint32_t i)
{
  return p->df->line_starts[i];
}

/* End of line i's content, excluding its "\n". */
static size_t line_end(const parser *p, uint32_t i)
{
  if (i + 1 < p->df->nlines)
    return p->df->line_starts[i + 1] - 1;
  size_t end = p->len;
  if (end > line_start(p, i) && p->s[end - 1] == '\n')
    end--;
  return end;
}

static bool line_has_newline(const parser *p, uint32_t i)
{
  return i + 1 < p->df->nlines ||
         (p->len > 0 && p->s[p->len - 1] == '\n' && line_end(p, i) < p->len);
}

/* bytes.TrimRight(line, "\r\n") */
static size_t trim_newline(const char *s, size_t from, size_t to)
{
  while (to > from && (s[to - 1] == '\r' || s[to - 1] == '\n'))
    to--;
  return to;
}

static size_t skip_space(const char *s, size_t from, size_t to)
{
  size_t w;
  while (from < to && space_at(s, to, from, &w))
    from += w;
  return from;
}

static bool is_comment(const char *s, size_t from, size_t to)
{
  from = skip_space(s, from, to);
  return from < to && s[from] == '#';
}

/* The continuation regexp ([^E])E[ \t]*$|^E[ \t]*$ : returns true and moves
 * *to before the escape character when the line continues. */
static bool trim_continuation(const parser *p, size_t from, size_t *to)
{
  size_t t = *to;
  while (t > from && (p->s[t - 1] == ' ' || p->s[t - 1] == '\t'))
    t--;
  if (t == from || (unsigned char)p->s[t - 1] != p->escape)
    return false;
  if (t - 1 > from && (unsigned char)p->s[t - 2] == p->escape)
    return false;
  *to = t - 1;
  return true;
}

/* ---- positions ---- */

static dfl_pos pos_at(const dfl_dockerfile *df, uint32_t line, size_t offset)
{
  dfl_pos pos;
  pos.line = line + 1;
  pos.col = (uint32_t)(offset - df->line_starts[line]) + 1;
  pos.offset = (uint32_t)offset;
  return pos;
}

static dfl_range line_range(const parser *p, uint32_t line)
{
  dfl_range r;
  r.start = pos_at(p->df, line, line_start(p, line));
  r.end = pos_at(p->df, line, line_end(p, line));
  return r;
}

/* ---- diagnostics ---- */

static void add_error(parser *p, dfl_range range, uint32_t buildkit_line,
                      bool fatal, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_error(parser *p, dfl_range range, uint32_t buildkit_line,
                      bool fatal, const char *fmt, ...)
{
  dfl_dockerfile *df = p->df;
  if (df->nerrors == p->errors_cap) {
    p->errors_cap = p->errors_cap ? p->errors_cap * 2 : 4;
    df->errors = dfl_arena_grow(p->a, df->errors, df->nerrors, p->errors_cap,
                                sizeof *df->errors);
  }
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  dfl_parse_error *e = &df->errors[df->nerrors++];
  e->message = dfl_arena_strndup(p->a, dfl_buf_cstr(&b), b.len);
  e->range = range;
  e->buildkit_line = buildkit_line;
  e->fatal = fatal;
  dfl_buf_free(&b);
}

static void check_line_length(parser *p, uint32_t i)
{
  size_t n = line_end(p, i) - p->df->line_starts[i];
  if (i == 0 && p->df->has_bom)
    n += 3;
  if (n <= DFL_MAX_LINE)
    return;
  add_error(p, line_range(p, i), i, true,
            "dockerfile line greater than max allowed size of %d",
            DFL_MAX_LINE);
}

/* ---- parser directives ---- */

static const char *const directive_names[DFL_DIRECTIVE__COUNT] = {
  [DFL_DIRECTIVE_SYNTAX] = "syntax",
  [DFL_DIRECTIVE_ESCAPE] = "escape",
  [DFL_DIRECTIVE_CHECK] = "check",
};

static bool re_space(char c) /* Go regexp \s */
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_alpha(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* DirectiveParser.ParseLine on s[from..to) (already trimmed). Returns true
 * when the line was a directive (so it is not a comment for the next
 * instruction). */
static bool parse_directive(parser *p, uint32_t line, size_t from, size_t to)
{
  const char *s = p->s;
  if (from >= to || s[from] != '#') {
    p->directives_done = true;
    return false;
  }
  size_t i = skip_space(s, from + 1, to);
  size_t key = i;
  if (i >= to || !is_alpha(s[i])) {
    p->directives_done = true;
    return false;
  }
  while (i < to && (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9')))
    i++;
  size_t key_end = i;
  while (i < to && re_space(s[i]))
    i++;
  if (i >= to || s[i] != '=') {
    p->directives_done = true;
    return false;
  }
  i++;
  size_t vstart = i, vend = to;
  while (vstart < vend && re_space(s[vstart]))
    vstart++;
  while (vend > vstart && re_space(s[vend - 1]))
    vend--;
  if (vstart == vend) {
    /* (.+?) needs one character: with only blanks after "=", the lazy
     * group takes the last blank before the end. */
    if (i == to) {
      p->directives_done = true;
      return false;
    }
    vstart = vend = to;
    vstart--;
  }
  for (size_t k = vstart; k < vend; k++) {
    if (s[k] == '\n') { /* "." does not match a newline */
      p->directives_done = true;
      return false;
    }
  }
  int kind = -1;
  for (int k = 0; k < DFL_DIRECTIVE__COUNT; k++) {
    size_t n = strlen(directive_names[k]);
    if (n != key_end - key)
      continue;
    size_t j = 0;
    while (j < n && (s[key + j] | 0x20) == directive_names[k][j])
      j++;
    if (j == n)
      kind = k;
  }
  if (kind < 0) {
    p->directives_done = true;
    return false;
  }
  dfl_directive *d = &p->df->directives[kind];
  dfl_range r = line_range(p, line);
  if (d->present) {
    add_error(p, r, line, true, "only one %s parser directive can be used",
              directive_names[kind]);
    return false;
  }
  d->present = true;
  d->value = dfl_arena_strndup(p->a, s + vstart, vend - vstart);
  d->len = vend - vstart;
  d->range = r;
  d->value_range.start = pos_at(p->df, line, vstart);
  d->value_range.end = pos_at(p->df, line, vend);
  if (kind == DFL_DIRECTIVE_ESCAPE) {
    if (d->len != 1 || (d->value[0] != '`' && d->value[0] != '\\')) {
      add_error(p, r, line, true,
                "invalid escape token '%s' does not match ` or \\", d->value);
      return false;
    }
    p->escape = (unsigned char)d->value[0];
    p->df->escape = d->value[0];
  }
  return true;
}

/* ---- comments above an instruction ---- */

static void push_comment(parser *p, uint32_t line, size_t from, size_t to)
{
  trim_space(p->s, &from, &to);
  if (from == to) {
    p->ncomments = 0; /* a bare "#" ends a description block */
    return;
  }
  if (p->ncomments == p->comments_cap) {
    p->comments_cap = p->comments_cap ? p->comments_cap * 2 : 8;
    p->comments = dfl_xrealloc(p->comments,
                               p->comments_cap * sizeof *p->comments);
  }
  dfl_comment *c = &p->comments[p->ncomments++];
  c->text = p->s + from; /* points into df->src, which lives in the arena */
  c->len = to - from;
  c->line = line + 1;
}

/* ---- building nodes ---- */

static void set_args(parser *p, dfl_instr *in, const word_list *wl,
                     size_t base)
{
  in->nargs = wl->n;
  in->has_next = wl->n > 0;
  if (!wl->n)
    return;
  in->args = dfl_arena_alloc(p->a, wl->n * sizeof *in->args);
  for (size_t i = 0; i < wl->n; i++) {
    in->args[i].value = wl->text[i];
    in->args[i].len = wl->len[i];
    in->args[i].range =
        dfl_instr_range(in, base + wl->start[i], base + wl->end[i]);
  }
}

/* One argument holding the whole rest of the line: it shares in->rest's
 * string instead of copying it (most RUN lines are this). */
static void set_single_arg(parser *p, dfl_instr *in, const char *s, size_t len,
                           size_t at)
{
  in->nargs = 1;
  in->has_next = true;
  in->args = dfl_arena_alloc(p->a, sizeof *in->args);
  bool shared = s == in->rest || (len == in->rest_len && len &&
                                  memcmp(s, in->rest, len) == 0 &&
                                  in->rest[len] == '\0');
  in->args[0].value = shared ? in->rest : dfl_arena_strndup(p->a, s, len);
  in->args[0].len = len;
  in->args[0].range = dfl_instr_range(in, at, at + len);
}

static void node_error(parser *p, dfl_instr *in, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void node_error(parser *p, dfl_instr *in, const char *fmt, ...)
{
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  in->error = dfl_arena_strndup(p->a, dfl_buf_cstr(&b), b.len);
  dfl_buf_free(&b);
}

static bool has_byte(const char *s, size_t len, char c)
{
  return memchr(s, c, len) != NULL;
}

/* parseNameVal: ENV and LABEL. */
static void parse_name_val(parser *p, dfl_instr *in, const char *rest,
                           size_t len, size_t at, const char *what)
{
  word_list words = {0};
  parse_words(p->a, rest, len, p->escape, &words);
  word_list out = {0};
  if (words.n == 0)
    goto done;
  if (!has_byte(words.text[0], words.len[0], '=')) {
    size_t k = 0;
    while (k < len && !is_split_space(rest[k]))
      k++;
    if (k == len) {
      node_error(p, in, "%s must have two arguments", what);
      goto done;
    }
    size_t v = k;
    while (v < len && is_split_space(rest[v]))
      v++;
    word_list_push(p->a, &out, rest, k, 0, (uint32_t)k);
    word_list_push(p->a, &out, rest + v, len - v, (uint32_t)v, (uint32_t)len);
    word_list_push(p->a, &out, "", 0, (uint32_t)len, (uint32_t)len);
    set_args(p, in, &out, at);
    goto done;
  }
  for (size_t i = 0; i < words.n; i++) {
    const char *w = words.text[i];
    const char *eq = memchr(w, '=', words.len[i]);
    if (!eq) {
      dfl_buf q;
      dfl_buf_init(&q);
      dfl_go_quote(&q, w, words.len[i]);
      node_error(p, in,
                 "Syntax error - can't find = in %s. Must be of the form: "
                 "name=value",
                 dfl_buf_cstr(&q));
      dfl_buf_free(&q);
      goto done;
    }
    size_t klen = (size_t)(eq - w);
    uint32_t ws = words.start[i], we = words.end[i];
    /* Spans: the key is the start of the word up to "="; the value the
     * rest of the word (exact unless quotes precede the "="). */
    const char *src_eq = memchr(rest + ws, '=', we - ws);
    uint32_t eq_off = src_eq ? (uint32_t)(src_eq - rest) : ws;
    word_list_push(p->a, &out, w, klen, ws, eq_off);
    word_list_push(p->a, &out, eq + 1, words.len[i] - klen - 1, eq_off + 1, we);
    word_list_push(p->a, &out, "=", 1, eq_off, eq_off + 1);
  }
  set_args(p, in, &out, at);
done:
  word_list_free(&words);
  word_list_free(&out);
}

/* parseMaybeJSON (list=false) and parseMaybeJSONToList (list=true). */
static void parse_maybe_json(parser *p, dfl_instr *in, const char *rest,
                             size_t len, size_t at, bool list)
{
  if (len == 0 && !list)
    return;
  word_list wl = {0};
  size_t lead = skip_space(rest, 0, len);
  json_result jr = JSON_INVALID;
  if (lead < len && rest[lead] == '[')
    jr = parse_json_array(p->a, rest + lead, len - lead, &wl);
  if (jr == JSON_OK) {
    in->json = true;
    for (size_t i = 0; i < wl.n; i++) {
      wl.start[i] += (uint32_t)lead;
      wl.end[i] += (uint32_t)lead;
    }
    set_args(p, in, &wl, at);
    word_list_free(&wl);
    return;
  }
  word_list_free(&wl);
  if (jr == JSON_NOT_STRINGS) {
    node_error(p, in, "when using JSON array syntax, arrays must be "
                      "comprised of strings only");
    return;
  }
  if (list) {
    if (len == 0)
      return;
    word_list sw = {0};
    split_whitespace(p->a, rest, len, &sw);
    set_args(p, in, &sw, at);
    word_list_free(&sw);
    return;
  }
  set_single_arg(p, in, rest, len, at);
}

static dfl_instr *new_node(parser *p, dfl_instr *top, size_t from, size_t to);

static void dispatch(parser *p, dfl_instr *in, size_t at)
{
  const char *rest = in->rest;
  size_t len = in->rest_len;
  switch (in->kind) {
  case DFL_INSTR_FROM:
  case DFL_INSTR_EXPOSE:
    if (len) {
      word_list wl = {0};
      split_whitespace(p->a, rest, len, &wl);
      set_args(p, in, &wl, at);
      word_list_free(&wl);
    }
    break;
  case DFL_INSTR_ADD:
  case DFL_INSTR_COPY:
  case DFL_INSTR_VOLUME:
    parse_maybe_json(p, in, rest, len, at, true);
    break;
  case DFL_INSTR_RUN:
  case DFL_INSTR_CMD:
  case DFL_INSTR_ENTRYPOINT:
  case DFL_INSTR_SHELL:
    parse_maybe_json(p, in, rest, len, at, false);
    break;
  case DFL_INSTR_MAINTAINER:
  case DFL_INSTR_USER:
  case DFL_INSTR_WORKDIR:
  case DFL_INSTR_STOPSIGNAL:
    if (len)
      set_single_arg(p, in, rest, len, at);
    break;
  case DFL_INSTR_ARG:
    if (len) {
      word_list wl = {0};
      parse_words(p->a, rest, len, p->escape, &wl);
      set_args(p, in, &wl, at);
      word_list_free(&wl);
    }
    break;
  case DFL_INSTR_ENV:
    parse_name_val(p, in, rest, len, at, "ENV");
    break;
  case DFL_INSTR_LABEL:
    parse_name_val(p, in, rest, len, at, "LABEL");
    break;
  case DFL_INSTR_HEALTHCHECK: {
    /* The type word ends at the first byte that is white space. */
    size_t sep = 0;
    while (sep < len && !dfl_rune_is_space((unsigned char)rest[sep]))
      sep++;
    if (sep == 0)
      break;
    size_t next = sep;
    while (next < len && dfl_rune_is_space((unsigned char)rest[next]))
      next++;
    dfl_instr tmp = *in;
    tmp.args = NULL;
    tmp.nargs = 0;
    parse_maybe_json(p, &tmp, rest + next, len - next, at + next, false);
    in->json = tmp.json;
    in->error = tmp.error;
    if (in->error)
      break;
    in->nargs = tmp.nargs + 1;
    in->has_next = true;
    in->args = dfl_arena_alloc(p->a, in->nargs * sizeof *in->args);
    in->args[0].value = dfl_arena_strndup(p->a, rest, sep);
    in->args[0].len = sep;
    in->args[0].range = dfl_instr_range(in, at, at + sep);
    for (size_t i = 0; i < tmp.nargs; i++)
      in->args[i + 1] = tmp.args[i];
    break;
  }
  case DFL_INSTR_ONBUILD:
    if (len) {
      in->sub = new_node(p, in, at, at + len);
      in->sub->parent = in;
      in->has_next = true;
      if (in->sub->error)
        in->error = in->sub->error;
    }
    break;
  case DFL_INSTR_UNKNOWN:
  default:
    /* parseIgnore: one empty node. */
    in->has_next = true;
    in->nargs = 1;
    in->args = dfl_arena_alloc(p->a, sizeof *in->args);
    in->args[0].value = "";
    in->args[0].range = dfl_instr_range(in, at, at + len);
    break;
  }
}

/* newNodeFromLine on top->line[from..to); top is the instruction that owns
 * the joined line and its segments (a new one when from == 0 and the
 * instruction is not yet filled in). */
static dfl_instr *new_node(parser *p, dfl_instr *top, size_t from, size_t to)
{
  dfl_instr *in = top;
  if (from != 0 || top->keyword) {
    in = dfl_arena_alloc(p->a, sizeof *in);
    in->line = top->line;
    in->line_len = top->line_len;
    in->segments = top->segments;
    in->nsegments = top->nsegments;
    in->range = top->range;
    in->last_logical_line = top->last_logical_line;
  }
  const char *line = top->line;
  trim_space(line, &from, &to);
  size_t k = from;
  while (k < to && !is_split_space(line[k]))
    k++;
  in->keyword = dfl_arena_strndup(p->a, line + from, k - from);
  in->keyword_len = k - from;
  in->keyword_range = dfl_instr_range(in, from, k);
  in->kind = dfl_instr_kind_from_keyword(in->keyword, in->keyword_len);

  size_t args = k;
  while (args < to && is_split_space(line[args]))
    args++;
  size_t rest_from = to, rest_to = to;
  if (args < to) {
    word_list fl = {0};
    size_t rest_at;
    extract_flags(p->a, line + args, to - args, p->escape, &fl, &rest_at);
    rest_from = args + rest_at;
    trim_space(line, &rest_from, &rest_to);
    if (fl.n) {
      in->nflags = fl.n;
      in->flags = dfl_arena_alloc(p->a, fl.n * sizeof *in->flags);
      for (size_t i = 0; i < fl.n; i++) {
        dfl_flag *f = &in->flags[i];
        f->text = fl.text[i];
        f->text_len = fl.len[i];
        f->range =
            dfl_instr_range(in, args + fl.start[i], args + fl.end[i]);
        const char *t = f->text;
        size_t tl = f->text_len;
        size_t skip = (tl >= 2 && t[0] == '-' && t[1] == '-') ? 2 : 0;
        const char *eq = memchr(t + skip, '=', tl - skip);
        f->name = t + skip;
        f->name_len = eq ? (size_t)(eq - t) - skip : tl - skip;
        if (eq) {
          f->value = eq + 1;
          f->value_len = tl - (size_t)(eq + 1 - t);
        }
      }
    }
    word_list_free(&fl);
  }
  in->rest = dfl_arena_strndup(p->a, line + rest_from, rest_to - rest_from);
  in->rest_len = rest_to - rest_from;
  in->rest_offset = (uint32_t)rest_from;
  dispatch(p, in, rest_from);
  return in;
}

/* ---- heredocs ---- */

static bool can_contain_heredoc(const dfl_instr *in)
{
  if (in->kind == DFL_INSTR_ONBUILD && in->sub)
    in = in->sub;
  if (in->kind != DFL_INSTR_RUN && in->kind != DFL_INSTR_COPY &&
      in->kind != DFL_INSTR_ADD)
    return false;
  return !in->json;
}

static size_t count_quotes(const char *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += s[i] == '\'' || s[i] == '"';
  return n;
}

/* ParseHeredoc on one word: ^(\d*)<<(-?)([^<]*)$ then the delimiter lexed
 * with and without quotes. Returns 1 for a heredoc, 0 for none, -1 for a
 * lexing error (message in *err, malloc'd). */
static int heredoc_from_word(const char *w, size_t len, dfl_heredoc *h,
                             char **err)
{
  size_t i = 0;
  unsigned long fd = 0;
  while (i < len && w[i] >= '0' && w[i] <= '9') {
    if (fd < 100000000UL)
      fd = fd * 10 + (unsigned long)(w[i] - '0');
    i++;
  }
  if (len - i < 2 || w[i] != '<' || w[i + 1] != '<')
    return 0;
  i += 2;
  bool chomp = false;
  if (i < len && w[i] == '-') {
    chomp = true;
    i++;
  }
  if (memchr(w + i, '<', len - i))
    return 0;
  if (i == len)
    return 0;
  const char *rest = w + i;
  size_t rlen = len - i;

  dfl_lex lx = {.escape = '\\', .skip_unset_env = true};
  dfl_lex_result plain, raw;
  if (dfl_lex_process(&lx, rest, rlen, NULL, &plain) != 0) {
    *err = plain.error;
    plain.error = NULL;
    dfl_lex_result_free(&plain);
    return -1;
  }
  if (plain.nwords != 1) {
    dfl_lex_result_free(&plain);
    return 0;
  }
  lx.raw_quotes = true;
  dfl_lex_process(&lx, rest, rlen, NULL, &raw);
  h->expand = raw.nwords == 1 &&
              count_quotes(plain.words[0], plain.word_lens[0]) ==
                  count_quotes(raw.words[0], raw.word_lens[0]);
  h->chomp = chomp;
  h->fd = (unsigned)fd;
  h->name = plain.words[0]; /* copied by the caller */
  h->name_len = plain.word_lens[0];
  plain.words[0] = NULL;
  dfl_lex_result_free(&plain);
  dfl_lex_result_free(&raw);
  return 1;
}

static void read_heredocs(parser *p, dfl_instr *in, uint32_t start_line)
{
  dfl_lex lx = {.escape = '\\', .raw_quotes = true, .raw_escapes = true,
                .skip_unset_env = true};
  dfl_lex_result words;
  dfl_lex_process(&lx, in->line, in->line_len, NULL, &words);
  size_t cap = 0;
  size_t search_from = 0;
  for (size_t wi = 0; wi < words.nwords; wi++) {
    dfl_heredoc h;
    memset(&h, 0, sizeof h);
    char *err = NULL;
    int r = heredoc_from_word(words.words[wi], words.word_lens[wi], &h, &err);
    if (r < 0) {
      dfl_range rr = in->range;
      add_error(p, rr, start_line, true, "%s", err);
      free(err);
      break;
    }
    if (r == 0)
      continue;
    char *name = (char *)h.name;
    h.name = dfl_arena_strndup(p->a, name, h.name_len);
    free(name);

    /* Where the <<WORD is on the line, for messages. */
    const char *w = words.words[wi];
    size_t wl = words.word_lens[wi];
    size_t at = search_from;
    bool found = false;
    while (at + wl <= in->line_len) {
      if (memcmp(in->line + at, w, wl) == 0) {
        found = true;
        break;
      }
      at++;
    }
    if (found) {
      h.word_range = dfl_instr_range(in, at, at + wl);
      search_from = at + wl;
    } else {
      h.word_range = in->keyword_range;
    }

    /* Read the body up to the terminator line. */
    bool terminated = false;
    dfl_buf body;
    dfl_buf_init(&body);
    size_t body_start = p->next_line < p->df->nlines
                            ? line_start(p, p->next_line)
                            : p->len;
    uint32_t body_first_line = p->next_line;
    while (p->next_line < p->df->nlines) {
      uint32_t li = p->next_line++;
      check_line_length(p, li);
      size_t ls = line_start(p, li), le = line_end(p, li);
      size_t te = trim_newline(p->s, ls, le);
      size_t ts = ls;
      if (h.chomp)
        while (ts < te && p->s[ts] == '\t')
          ts++;
      if (te - ts == h.name_len && memcmp(p->s + ts, h.name, h.name_len) == 0) {
        terminated = true;
        h.terminator_line = li + 1;
        break;
      }
      dfl_buf_append(&body, p->s + ls,
                     le - ls + (line_has_newline(p, li) ? 1 : 0));
    }
    h.content = dfl_arena_strndup(p->a, body.data ? body.data : "", body.len);
    h.content_len = body.len;
    dfl_buf_free(&body);
    uint32_t last = p->next_line ? p->next_line - 1 : 0;
    if (body_first_line < p->df->nlines) {
      uint32_t body_last = terminated ? (last > body_first_line ? last - 1
                                                                : body_first_line)
                                      : last;
      h.body_range.start = pos_at(p->df, body_first_line, body_start);
      h.body_range.end = pos_at(p->df, body_last, line_end(p, body_last));
      if (terminated && last == body_first_line)
        h.body_range.end = h.body_range.start;
    }
    if (in->nheredocs == cap) {
      cap = cap ? cap * 2 : 2;
      in->heredocs =
          dfl_arena_grow(p->a, in->heredocs, in->nheredocs, cap, sizeof h);
    }
    in->heredocs[in->nheredocs++] = h;
    if (p->df->nlines)
      in->range.end = pos_at(p->df, last, line_end(p, last));
    if (!terminated) {
      add_error(p, in->range, start_line, true, "unterminated heredoc");
      break;
    }
  }
  if (in->sub) {
    in->sub->heredocs = in->heredocs;
    in->sub->nheredocs = in->nheredocs;
    in->sub->range = in->range;
  }
  dfl_lex_result_free(&words);
}

/* ---- the main loop ---- */

static bool contains_heredoc_marker(const char *s, size_t len)
{
  for (size_t i = 0; i + 1 < len; i++)
    if (s[i] == '<' && s[i + 1] == '<')
      return true;
  return false;
}

static void add_instr(parser *p, dfl_instr *in)
{
  dfl_dockerfile *df = p->df;
  if (df->ninstrs == p->instrs_cap) {
    p->instrs_cap = p->instrs_cap ? p->instrs_cap * 2 : 16;
    df->instrs = dfl_xrealloc(df->instrs, p->instrs_cap * sizeof *df->instrs);
  }
  in->index = df->ninstrs;
  df->instrs[df->ninstrs++] = in;
}

typedef struct seg_list {
  dfl_segment *items;
  size_t n;
  size_t cap;
  uint32_t *empty;
  size_t nempty;
  size_t empty_cap;
} seg_list;

static void seg_push(seg_list *sl, dfl_buf *joined, const parser *p,
                     uint32_t line, size_t from, size_t to)
{
  if (sl->n == sl->cap) {
    sl->cap = sl->cap ? sl->cap * 2 : 8;
    sl->items = dfl_xrealloc(sl->items, sl->cap * sizeof *sl->items);
  }
  dfl_segment *sg = &sl->items[sl->n++];
  sg->joined = (uint32_t)joined->len;
  sg->source = (uint32_t)from;
  sg->len = (uint32_t)(to - from);
  sg->line = line + 1;
  sg->col = (uint32_t)(from - p->df->line_starts[line]) + 1;
  dfl_buf_append(joined, p->s + from, to - from);
}

static void parse_all(parser *p)
{
  dfl_dockerfile *df = p->df;
  dfl_buf joined;
  dfl_buf_init(&joined);
  seg_list sl = {0};

  while (p->next_line < df->nlines) {
    uint32_t li = p->next_line++;
    check_line_length(p, li);
    size_t ls = line_start(p, li), le = line_end(p, li);
    bool comment = is_comment(p->s, ls, le);
    if (comment)
      push_comment(p, li, ls + 1, le);
    size_t te = trim_newline(p->s, ls, le);
    size_t ts = skip_space(p->s, ls, te);
    if (!p->directives_done && parse_directive(p, li, ts, te) && comment)
      p->ncomments--;
    if (ts < te && p->s[ts] == '#')
      te = ts; /* trimComments */
    bool cont = trim_continuation(p, ts, &te);
    if (!cont && te == ts)
      continue;

    joined.len = 0;
    sl.n = 0;
    sl.nempty = 0;
    seg_push(&sl, &joined, p, li, ts, te);
    uint32_t start_line = li;
    uint32_t last_line = li;
    while (cont && p->next_line < df->nlines) {
      uint32_t cj = p->next_line++;
      last_line = cj;
      check_line_length(p, cj);
      size_t cs = line_start(p, cj), ce = line_end(p, cj);
      if (is_comment(p->s, cs, ce))
        continue;
      size_t cte = trim_newline(p->s, cs, ce);
      if (skip_space(p->s, cs, cte) == cte) {
        if (sl.nempty == sl.empty_cap) {
          sl.empty_cap = sl.empty_cap ? sl.empty_cap * 2 : 4;
          sl.empty = dfl_xrealloc(sl.empty, sl.empty_cap * sizeof *sl.empty);
        }
        sl.empty[sl.nempty++] = cj + 1;
        continue;
      }
      cont = trim_continuation(p, cs, &cte);
      seg_push(&sl, &joined, p, cj, cs, cte);
    }

    dfl_instr *in = dfl_arena_alloc(p->a, sizeof *in);
    in->line = dfl_arena_strndup(p->a, dfl_buf_cstr(&joined), joined.len);
    in->line_len = joined.len;
    in->nsegments = sl.n;
    in->segments = dfl_arena_alloc(p->a, sl.n * sizeof *sl.items);
    memcpy(in->segments, sl.items, sl.n * sizeof *sl.items);
    if (sl.nempty) {
      in->nempty_lines = sl.nempty;
      in->empty_lines = dfl_arena_alloc(p->a, sl.nempty * sizeof *sl.empty);
      memcpy(in->empty_lines, sl.empty, sl.nempty * sizeof *sl.empty);
    }
    in->range.start = pos_at(df, start_line, ts);
    in->range.end = pos_at(df, last_line, line_end(p, last_line));
    in->last_logical_line = last_line + 1;
    if (p->ncomments) {
      in->ncomments = p->ncomments;
      in->comments = dfl_arena_alloc(p->a, p->ncomments * sizeof *p->comments);
      memcpy(in->comments, p->comments, p->ncomments * sizeof *p->comments);
    }
    new_node(p, in, 0, joined.len);
    if (in->error)
      add_error(p, in->range, start_line + 1, true, "%s", in->error);
    if (can_contain_heredoc(in) && contains_heredoc_marker(in->line, in->line_len))
      read_heredocs(p, in, start_line + 1);
    add_instr(p, in);
    p->ncomments = 0;
  }

  if (df->ninstrs == 0) {
    dfl_range r;
    memset(&r, 0, sizeof r);
    r.start.line = r.end.line = df->nlines ? df->nlines : 1;
    r.start.col = r.end.col = 1;
    add_error(p, r, df->nlines, true, "file with no instructions");
  }
  dfl_buf_free(&joined);
  free(sl.items);
  free(sl.empty);
}

dfl_dockerfile *dfl_parse(const char *src, size_t len, const char *path)
{
  dfl_dockerfile *df = dfl_xcalloc(1, sizeof *df);
  dfl_arena_init(&df->arena);
  df->path = path ? dfl_arena_strndup(&df->arena, path, strlen(path)) : NULL;
  char *copy = dfl_arena_alloc(&df->arena, len + 1);
  if (len)
    memcpy(copy, src, len);
  df->src = copy;
  df->src_len = len;
  df->escape = '\\';

  /* The line table: scanLines tokens, each ending after its "\n". */
  size_t nlines = 0;
  for (size_t i = 0; i < len; i++)
    nlines += src[i] == '\n';
  if (len && src[len - 1] != '\n')
    nlines++;
  df->line_starts =
      dfl_arena_alloc(&df->arena, (nlines ? nlines : 1) * sizeof(uint32_t));
  df->nlines = (uint32_t)nlines;
  size_t li = 0;
  if (nlines)
    df->line_starts[li++] = 0;
  for (size_t i = 0; i + 1 < len && li < nlines; i++)
    if (src[i] == '\n')
      df->line_starts[li++] = (uint32_t)(i + 1);
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
    df->has_bom = true;
    df->line_starts[0] = 3;
  }

  parser p;
  memset(&p, 0, sizeof p);
  p.df = df;
  p.a = &df->arena;
  p.s = copy;
  p.len = len;
  p.escape = '\\';
  parse_all(&p);
  free(p.comments);
  return df;
}

void dfl_dockerfile_free(dfl_dockerfile *df)
{
  if (!df)
    return;
  free(df->instrs);
  dfl_arena_free(&df->arena);
  free(df);
}

/* ---- position helpers ---- */

dfl_pos dfl_instr_pos(const dfl_instr *in, size_t joined_offset)
{
  dfl_pos pos = {0, 0, 0};
  if (!in->nsegments)
    return in->range.start;
  size_t lo = 0, hi = in->nsegments;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (in->segments[mid].joined <= joined_offset)
      lo = mid;
    else
      hi = mid;
  }
  const dfl_segment *sg = &in->segments[lo];
  size_t delta = joined_offset - sg->joined;
  pos.line = sg->line;
  pos.col = sg->col + (uint32_t)delta;
  pos.offset = sg->source + (uint32_t)delta;
  return pos;
}

dfl_range dfl_instr_range(const dfl_instr *in, size_t from, size_t to)
{
  dfl_range r;
  r.start = dfl_instr_pos(in, from);
  /* The end of a span that closes a segment stays on that segment's line. */
  r.end = dfl_instr_pos(in, to > from ? to - 1 : from);
  if (to > from) {
    r.end.col++;
    r.end.offset++;
  }
  return r;
}

dfl_str dfl_dockerfile_line(const dfl_dockerfile *df, uint32_t n)
{
  dfl_str s = {"", 0};
  if (n == 0 || n > df->nlines)
    return s;
  size_t start = df->line_starts[n - 1];
  size_t end = n < df->nlines ? df->line_starts[n] - 1 : df->src_len;
  if (n == df->nlines && end > start && df->src[end - 1] == '\n')
    end--;
  while (end > start && df->src[end - 1] == '\r')
    end--;
  s.ptr = df->src + start;
  s.len = end - start;
  return s;
}

const dfl_parse_error *dfl_dockerfile_fatal_error(const dfl_dockerfile *df)
{
  for (size_t i = 0; i < df->nerrors; i++)
    if (df->errors[i].fatal)
      return &df->errors[i];
  return NULL;
}
