/* BuildKit's shell lexer (frontend/dockerfile/shell/lex.go) in C.
 *
 * The structure follows the Go code function for function, because the
 * observable behaviour (results, word splits, error texts, which variables
 * were looked up) depends on the exact order in which runes are consumed and
 * on several quirks that a cleaner design would lose:
 *  - input is read as runes the way text/scanner reads it: a leading BOM is
 *    dropped, an invalid byte becomes U+FFFD, NUL is an ordinary rune;
 *  - every nested processStopOn resets the one words buffer shared by the
 *    whole lexer, so the partial word before a ${v:-...} is dropped from the
 *    word split (a${x:-b}c splits to ["bc"]; the result is still "abc");
 *  - ${v%p} works on rune-reversed copies, so invalid bytes in the value come
 *    out as U+FFFD;
 *  - ${v//p/r} goes through Go's Regexp.ReplaceAllString, so "$0" in r is the
 *    match and other "$name" references are dropped.
 * Glob patterns are compiled to a tiny program and run on a Pike VM with
 * RE2's leftmost-first priorities, which gives Go regexp's results in
 * O(len(value) * len(pattern)) time without a regex library. */
#include "dflint/expand.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/utf8.h"

#define EOF_RUNE (-1)
#define UNREAD (-2)

/* ---- environment -------------------------------------------------------- */

void dfl_env_init(dfl_env *env)
{
  env->items = NULL;
  env->n = 0;
  env->cap = 0;
}

void dfl_env_free(dfl_env *env)
{
  for (size_t i = 0; i < env->n; i++) {
    free(env->items[i].key);
    free(env->items[i].value);
  }
  free(env->items);
  dfl_env_init(env);
}

static dfl_env_entry *env_find(const dfl_env *env, const char *key,
                               size_t key_len)
{
  if (!env)
    return NULL;
  for (size_t i = 0; i < env->n; i++) {
    dfl_env_entry *e = &env->items[i];
    /* length first: memcmp must not read past a shorter key. */
    if (e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
      return e;
  }
  return NULL;
}

void dfl_env_set(dfl_env *env, const char *key, size_t key_len,
                 const char *value, size_t value_len)
{
  dfl_env_entry *e = env_find(env, key, key_len);
  if (e) {
    free(e->value);
  } else {
    if (env->n == env->cap) {
      env->cap = env->cap ? env->cap * 2 : 8;
      env->items = dfl_xrealloc(env->items, env->cap * sizeof *env->items);
    }
    e = &env->items[env->n++];
    e->key = dfl_xstrndup(key, key_len);
    /* Keys are C strings: one with a NUL byte is known by its part before
     * it, as everything that reads e->key sees it. */
    e->key_len = strlen(e->key);
  }
  e->value = dfl_xstrndup(value, value_len);
  e->value_len = value_len;
}

const dfl_env_entry *dfl_env_get(const dfl_env *env, const char *key,
                                 size_t key_len)
{
  return env_find(env, key, key_len);
}

void dfl_env_copy(dfl_env *dst, const dfl_env *src)
{
  dfl_env_init(dst);
  if (!src->n)
    return;
  /* src's keys are distinct already: no look-ups. */
  dst->items = dfl_xmalloc(src->n * sizeof *dst->items);
  dst->cap = dst->n = src->n;
  for (size_t i = 0; i < src->n; i++) {
    const dfl_env_entry *e = &src->items[i];
    dst->items[i].key = dfl_xstrndup(e->key, e->key_len);
    dst->items[i].key_len = e->key_len;
    dst->items[i].value = dfl_xstrndup(e->value, e->value_len);
    dst->items[i].value_len = e->value_len;
  }
}

/* ---- name lists ----------------------------------------------------------- */

static void namelist_append(dfl_namelist *l, const char *name, size_t len)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->names = dfl_xrealloc(l->names, l->cap * sizeof *l->names);
  }
  l->names[l->n++] = dfl_xstrndup(name, len);
}

bool dfl_namelist_has(const dfl_namelist *l, const char *name, size_t len)
{
  for (size_t i = 0; i < l->n; i++)
    if (strlen(l->names[i]) == len && memcmp(l->names[i], name, len) == 0)
      return true;
  return false;
}

void dfl_namelist_add(dfl_namelist *l, const char *name, size_t len)
{
  if (!dfl_namelist_has(l, name, len))
    namelist_append(l, name, len);
}

void dfl_namelist_free(dfl_namelist *l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->names[i]);
  free(l->names);
  l->names = NULL;
  l->n = 0;
  l->cap = 0;
}

/* The lexer records each name it looks up once. A word can reference
 * hundreds of thousands of distinct names, so membership is a hash set
 * rather than dfl_namelist_has's linear scan. */
typedef struct name_set {
  struct name_slot {
    uint64_t hash;
    const char *s; /* owned by the matched/unmatched list */
    size_t len;
  } *slots;
  size_t n, cap;
} name_set;

static uint64_t hash_bytes(const char *s, size_t len)
{
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

static struct name_slot *set_slot(name_set *set, uint64_t h, const char *s,
                                  size_t len)
{
  size_t mask = set->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    struct name_slot *sl = &set->slots[i];
    if (!sl->s || (sl->hash == h && sl->len == len &&
                   memcmp(sl->s, s, len) == 0))
      return sl;
  }
}

/* Returns true when the name was not in the set yet (and adds it). */
static bool set_insert(name_set *set, const char *s, size_t len,
                       const char *owned)
{
  if (2 * (set->n + 1) > set->cap) {
    struct name_slot *old = set->slots;
    size_t old_cap = set->cap;
    set->cap = old_cap ? old_cap * 2 : 64;
    set->slots = dfl_xcalloc(set->cap, sizeof *set->slots);
    for (size_t i = 0; i < old_cap; i++)
      if (old[i].s)
        *set_slot(set, old[i].hash, old[i].s, old[i].len) = old[i];
    free(old);
  }
  uint64_t h = hash_bytes(s, len);
  struct name_slot *sl = set_slot(set, h, s, len);
  if (sl->s)
    return false;
  sl->hash = h;
  sl->s = owned;
  sl->len = len;
  set->n++;
  return true;
}

static bool set_has(const name_set *set, const char *s, size_t len)
{
  if (!set->cap)
    return false;
  return set_slot((name_set *)set, hash_bytes(s, len), s, len)->s != NULL;
}

/* ---- Go's strconv.Quote --------------------------------------------------- */

static void put_hex(dfl_buf *b, uint32_t v, int digits)
{
  static const char hex[] = "0123456789abcdef";
  for (int sh = (digits - 1) * 4; sh >= 0; sh -= 4)
    dfl_buf_putc(b, hex[(v >> sh) & 0xF]);
}

/* Kept private so the lexer builds and tests on its own; dfl_go_quote in
 * dump.c is the shared one. */
static void go_quote(dfl_buf *out, const char *s, size_t len)
{
  dfl_buf_putc(out, '"');
  size_t i = 0;
  while (i < len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1) {
      dfl_buf_append(out, "\\x", 2);
      put_hex(out, (unsigned char)s[i], 2);
      i++;
      continue;
    }
    i += w;
    if (r == '"' || r == '\\') {
      dfl_buf_putc(out, '\\');
      dfl_buf_putc(out, (char)r);
      continue;
    }
    if (dfl_rune_is_print(r)) {
      dfl_buf_put_rune(out, r);
      continue;
    }
    switch (r) {
    case '\a': dfl_buf_append(out, "\\a", 2); break;
    case '\b': dfl_buf_append(out, "\\b", 2); break;
    case '\f': dfl_buf_append(out, "\\f", 2); break;
    case '\n': dfl_buf_append(out, "\\n", 2); break;
    case '\r': dfl_buf_append(out, "\\r", 2); break;
    case '\t': dfl_buf_append(out, "\\t", 2); break;
    case '\v': dfl_buf_append(out, "\\v", 2); break;
    default:
      if (r < ' ' || r == 0x7F) {
        dfl_buf_append(out, "\\x", 2);
        put_hex(out, r, 2);
      } else if (r < 0x10000) {
        dfl_buf_append(out, "\\u", 2);
        put_hex(out, r, 4);
      } else {
        dfl_buf_append(out, "\\U", 2);
        put_hex(out, r, 8);
      }
    }
  }
  dfl_buf_putc(out, '"');
}

/* ---- text/scanner --------------------------------------------------------- */

/* One rune of lookahead, like Go's text/scanner: ch is the rune Peek
 * returns, pos the byte offset after it. */
typedef struct scanner {
  const char *s;
  size_t len;
  size_t pos;
  int32_t ch;
} scanner;

static void scan_init(scanner *sc, const char *s, size_t len)
{
  sc->s = s;
  sc->len = len;
  sc->pos = 0;
  sc->ch = UNREAD;
}

static int32_t scan_read(scanner *sc)
{
  if (sc->pos >= sc->len)
    return EOF_RUNE;
  size_t w;
  uint32_t r = dfl_utf8_decode(sc->s + sc->pos, sc->len - sc->pos, &w);
  sc->pos += w;
  return (int32_t)r;
}

static int32_t scan_peek(scanner *sc)
{
  if (sc->ch == UNREAD) {
    sc->ch = scan_read(sc);
    if (sc->ch == 0xFEFF) /* text/scanner skips a BOM at the very start */
      sc->ch = scan_read(sc);
  }
  return sc->ch;
}

static int32_t scan_next(scanner *sc)
{
  int32_t ch = scan_peek(sc);
  if (ch != EOF_RUNE)
    sc->ch = scan_read(sc);
  return ch;
}

/* Go's string(rune) and fmt's %c: EOF and other invalid runes become
 * U+FFFD. */
static void put_go_rune(dfl_buf *b, int32_t r)
{
  dfl_buf_put_rune(b, r < 0 ? DFL_RUNE_ERROR : (uint32_t)r);
}

static bool is_space(int32_t r)
{
  return r >= 0 && dfl_rune_is_space((uint32_t)r);
}

static bool is_digit(int32_t r)
{
  return r >= 0 && dfl_rune_is_digit((uint32_t)r);
}

static bool is_letter(int32_t r)
{
  return r >= 0 && dfl_rune_is_letter((uint32_t)r);
}

/* ---- shell patterns as a leftmost-first program --------------------------- */

enum { OP_LIT, OP_ANY, OP_SPLIT, OP_MATCH };

typedef struct inst {
  uint8_t op;
  uint32_t r; /* OP_LIT */
  uint32_t x; /* next pc; for OP_SPLIT the preferred branch */
  uint32_t y; /* OP_SPLIT's other branch */
} inst;

typedef struct prog {
  inst *v;
  size_t n, cap;
  bool anchored;
} prog;

static uint32_t emit(prog *p, uint8_t op, uint32_t r, uint32_t x, uint32_t y)
{
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 16;
    p->v = dfl_xrealloc(p->v, p->cap * sizeof *p->v);
  }
  p->v[p->n] = (inst){op, r, x, y};
  return (uint32_t)p->n++;
}

/* convertShellPatternToRegex: '*' is ".*" (greedy) or ".*?" (lazy), '?' is
 * ".", "\*" "\?" "\\" are literals, a backslash before '}' or '/' is
 * dropped, any other escape is an error. Everything else is literal (the Go
 * code escapes regexp metacharacters, so they are literals too). */
static int compile_pattern(const char *pat, size_t len, bool greedy,
                           bool anchored, prog *p, dfl_buf *err)
{
  scanner s;
  scan_init(&s, pat, len);
  p->anchored = anchored;
  for (int32_t tok = scan_next(&s); tok != EOF_RUNE; tok = scan_next(&s)) {
    if (tok == '*') {
      uint32_t k = (uint32_t)p->n;
      /* k: split between looping through k+1 and leaving to k+2 */
      if (greedy)
        emit(p, OP_SPLIT, 0, k + 1, k + 2);
      else
        emit(p, OP_SPLIT, 0, k + 2, k + 1);
      emit(p, OP_ANY, 0, k, 0);
      continue;
    }
    if (tok == '?') {
      emit(p, OP_ANY, 0, (uint32_t)p->n + 1, 0);
      continue;
    }
    if (tok == '\\') {
      int32_t nx = scan_peek(&s);
      if (nx == '}' || nx == '/')
        continue;
      tok = scan_next(&s);
      if (tok != '*' && tok != '?' && tok != '\\') {
        dfl_buf_append(err, "invalid escape '\\", 17);
        put_go_rune(err, tok);
        dfl_buf_putc(err, '\'');
        return -1;
      }
    }
    emit(p, OP_LIT, (uint32_t)tok, (uint32_t)p->n + 1, 0);
  }
  emit(p, OP_MATCH, 0, 0, 0);
  return 0;
}

typedef struct thread {
  uint32_t pc;
  size_t start;
} thread;

typedef struct tlist {
  thread *t;
  size_t n;
  uint64_t *mark; /* mark[pc] == gen: pc already on the list */
  uint64_t gen;
} tlist;

typedef struct vm {
  const prog *p;
  tlist a, b;
  uint32_t *stack;
  uint64_t gen;
} vm;

static void vm_init(vm *m, const prog *p)
{
  m->p = p;
  m->a.t = dfl_xmalloc(p->n * sizeof(thread));
  m->b.t = dfl_xmalloc(p->n * sizeof(thread));
  m->a.mark = dfl_xcalloc(p->n, sizeof(uint64_t));
  m->b.mark = dfl_xcalloc(p->n, sizeof(uint64_t));
  m->a.n = m->b.n = 0;
  m->a.gen = m->b.gen = 0;
  /* every split pushes two entries at most once per list fill */
  m->stack = dfl_xmalloc((2 * p->n + 2) * sizeof(uint32_t));
  m->gen = 0;
}

static void vm_free(vm *m)
{
  free(m->a.t);
  free(m->b.t);
  free(m->a.mark);
  free(m->b.mark);
  free(m->stack);
}

static void list_clear(vm *m, tlist *l)
{
  l->n = 0;
  l->gen = ++m->gen;
}

/* Adds the threads reachable from pc in priority order (the preferred
 * branch of a split first), keeping only the first thread per pc, as RE2's
 * and Go's NFA do. Iterative so long runs of '*' cannot overflow the
 * stack. */
static void add_thread(vm *m, tlist *l, uint32_t pc, size_t start)
{
  size_t sp = 0;
  m->stack[sp++] = pc;
  while (sp) {
    uint32_t cur = m->stack[--sp];
    if (l->mark[cur] == l->gen)
      continue;
    l->mark[cur] = l->gen;
    const inst *in = &m->p->v[cur];
    if (in->op == OP_SPLIT) {
      m->stack[sp++] = in->y;
      m->stack[sp++] = in->x;
    } else {
      l->t[l->n++] = (thread){cur, start};
    }
  }
}

/* Leftmost-first search of text[from..len) (Go's FindStringIndex for an
 * unanchored program, or a match at 0 for an anchored one). */
static bool vm_find(vm *m, const char *text, size_t len, size_t from,
                    size_t *ms, size_t *me)
{
  tlist *cl = &m->a, *nl = &m->b;
  bool matched = false;
  size_t pos = from;
  list_clear(m, cl);
  for (;;) {
    if (!matched && (!m->p->anchored || pos == 0))
      add_thread(m, cl, 0, pos);
    if (cl->n == 0)
      break;
    int32_t r = EOF_RUNE;
    size_t w = 0;
    if (pos < len)
      r = (int32_t)dfl_utf8_decode(text + pos, len - pos, &w);
    list_clear(m, nl);
    for (size_t i = 0; i < cl->n; i++) {
      const thread *t = &cl->t[i];
      const inst *in = &m->p->v[t->pc];
      if (in->op == OP_MATCH) {
        /* lower-priority threads are cut; higher ones live on in nl */
        matched = true;
        *ms = t->start;
        *me = pos;
        break;
      }
      if (r == EOF_RUNE)
        continue;
      if ((in->op == OP_LIT && (uint32_t)r == in->r) ||
          (in->op == OP_ANY && r != '\n'))
        add_thread(m, nl, in->x, t->start);
    }
    if (pos >= len)
      break;
    tlist *tmp = cl;
    cl = nl;
    nl = tmp;
    pos += w;
  }
  return matched;
}

/* Go's Regexp.Expand for a program with no capture groups: "$$" is '$',
 * "$0" / "${0}" the match, any other well-formed reference is empty and a
 * malformed one is a literal '$'. */
static void expand_template(dfl_buf *out, const char *t, size_t tl,
                            const char *src, size_t ms, size_t me)
{
  while (tl > 0) {
    const char *d = memchr(t, '$', tl);
    if (!d)
      break;
    dfl_buf_append(out, t, (size_t)(d - t));
    tl -= (size_t)(d - t) + 1;
    t = d + 1;
    if (tl > 0 && t[0] == '$') {
      dfl_buf_putc(out, '$');
      t++;
      tl--;
      continue;
    }
    /* regexp's extract(): a name of letters, digits and '_', maybe braced */
    const char *str = t;
    size_t sl = tl;
    bool brace = false;
    if (sl > 0 && str[0] == '{') {
      brace = true;
      str++;
      sl--;
    }
    size_t i = 0;
    while (i < sl) {
      size_t w;
      uint32_t r = dfl_utf8_decode(str + i, sl - i, &w);
      if (!dfl_rune_is_letter(r) && !dfl_rune_is_digit(r) && r != '_')
        break;
      i += w;
    }
    size_t name_len = i;
    if (name_len == 0 || (brace && (i >= sl || str[i] != '}'))) {
      dfl_buf_putc(out, '$');
      continue;
    }
    if (brace)
      i++;
    /* Only group 0 exists; leading zeros make "00" a (missing) name. */
    if (name_len == 1 && str[0] == '0')
      dfl_buf_append(out, src + ms, me - ms);
    t = str + i;
    tl = sl - i;
  }
  dfl_buf_append(out, t, tl);
}

/* Go's Regexp.ReplaceAllString. What it appends to out is taken from
 * *budget; returns false, with out partly written, when that runs out. */
static bool replace_all(vm *m, const char *src, size_t len, const char *repl,
                        size_t repl_len, dfl_buf *out, size_t *budget)
{
  size_t start = out->len, last = 0, search = 0, ms, me;
  while (search <= len) {
    if (!vm_find(m, src, len, search, &ms, &me))
      break;
    dfl_buf_append(out, src + last, ms - last);
    /* no replacement for an empty match right after the previous match */
    if (me > last || ms == 0)
      expand_template(out, repl, repl_len, src, ms, me);
    if (out->len - start > *budget)
      return false;
    last = me;
    size_t w = 0;
    if (search < len)
      dfl_utf8_decode(src + search, len - search, &w);
    if (search + w > me)
      search += w;
    else if (search + 1 > me)
      search++;
    else
      search = me;
  }
  dfl_buf_append(out, src + last, len - last);
  if (out->len - start > *budget)
    return false;
  *budget -= out->len - start;
  return true;
}

/* Go's []rune(s): invalid bytes become U+FFFD. */
static uint32_t *to_runes(const char *s, size_t len, size_t *n)
{
  uint32_t *r = dfl_xmalloc((len ? len : 1) * sizeof *r);
  size_t k = 0;
  for (size_t i = 0; i < len;) {
    size_t w;
    r[k++] = dfl_utf8_decode(s + i, len - i, &w);
    i += w;
  }
  *n = k;
  return r;
}

static void reverse_string(const char *s, size_t len, dfl_buf *out)
{
  size_t n;
  uint32_t *r = to_runes(s, len, &n);
  for (size_t i = n; i > 0; i--)
    dfl_buf_put_rune(out, r[i - 1]);
  free(r);
}

/* Reverses a pattern rune by rune but keeps "\x" pairs in order. */
static void reverse_pattern(const char *s, size_t len, dfl_buf *out)
{
  size_t n;
  uint32_t *r = to_runes(s, len, &n);
  uint32_t *o = dfl_xmalloc((n ? n : 1) * sizeof *o);
  for (size_t i = 0; i < n;) {
    size_t oi = n - 1 - i;
    if (r[i] == '\\' && i != n - 1) {
      o[oi - 1] = r[i];
      o[oi] = r[i + 1];
      i += 2;
    } else {
      o[oi] = r[i];
      i++;
    }
  }
  for (size_t i = 0; i < n; i++)
    dfl_buf_put_rune(out, o[i]);
  free(o);
  free(r);
}

/* ---- the lexer ------------------------------------------------------------ */

typedef struct shell_word {
  const dfl_lex *lx;
  const dfl_env *env;
  scanner sc;
  bool raw_escapes;
  unsigned depth; /* nested processStopOn calls, see DFL_LEX_MAX_NESTING */
  dfl_buf wbuf;   /* BuildKit's shellWord.wordsBuffer, shared by all levels */
  dfl_buf err;
  dfl_namelist *matched, *unmatched;
  name_set seen;
  size_t replace_budget; /* bytes ${name//...} may still produce, see
                            DFL_LEX_MAX_REPLACE */
} shell_word;

/* wordsStruct. Only the outermost processStopOn's words are ever returned,
 * and a nested call only clears the shared buffer, so nested calls do not
 * collect. */
typedef struct words {
  shell_word *w;
  bool collect;
  bool in_word;
  char **items;
  size_t *lens;
  size_t n, cap;
} words;

static void words_flush(words *wd)
{
  dfl_buf *b = &wd->w->wbuf;
  if (wd->n == wd->cap) {
    wd->cap = wd->cap ? wd->cap * 2 : 8;
    wd->items = dfl_xrealloc(wd->items, wd->cap * sizeof *wd->items);
    wd->lens = dfl_xrealloc(wd->lens, wd->cap * sizeof *wd->lens);
  }
  wd->items[wd->n] = dfl_xstrndup(b->data, b->len);
  wd->lens[wd->n] = b->len;
  wd->n++;
  dfl_buf_reset(b);
  wd->in_word = false;
}

static void add_raw_char(words *wd, int32_t ch)
{
  if (!wd->collect)
    return;
  put_go_rune(&wd->w->wbuf, ch);
  wd->in_word = true;
}

static void add_char(words *wd, int32_t ch)
{
  if (!wd->collect)
    return;
  if (is_space(ch) && wd->in_word) {
    if (wd->w->wbuf.len != 0)
      words_flush(wd);
  } else if (!is_space(ch)) {
    add_raw_char(wd, ch);
  }
}

static void add_string(words *wd, const char *s, size_t len)
{
  if (!wd->collect)
    return;
  for (size_t i = 0; i < len;) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    add_char(wd, (int32_t)r);
    i += w;
  }
}

static void add_raw_string(words *wd, const char *s, size_t len)
{
  if (!wd->collect)
    return;
  dfl_buf_append(&wd->w->wbuf, s, len);
  wd->in_word = true;
}

static void get_words(words *wd)
{
  if (wd->collect && wd->w->wbuf.len > 0)
    words_flush(wd);
}

static void words_free(words *wd)
{
  for (size_t i = 0; i < wd->n; i++)
    free(wd->items[i]);
  free(wd->items);
  free(wd->lens);
}

static int fail(shell_word *w, const char *msg)
{
  dfl_buf_reset(&w->err);
  dfl_buf_puts(&w->err, msg);
  return -1;
}

static int fail_modifier(shell_word *w, const dfl_buf *chs)
{
  dfl_buf_reset(&w->err);
  dfl_buf_puts(&w->err, "unsupported modifier (");
  dfl_buf_append(&w->err, chs->data, chs->len);
  dfl_buf_puts(&w->err, ") in substitution");
  return -1;
}

static void record(shell_word *w, const char *name, size_t len, bool found)
{
  if (set_has(&w->seen, name, len))
    return;
  dfl_namelist *l = found ? w->matched : w->unmatched;
  namelist_append(l, name, len);
  set_insert(&w->seen, name, len, l->names[l->n - 1]);
}

static const char *bdata(const dfl_buf *b)
{
  return b->data ? b->data : "";
}

/* getEnv: the value, or NULL when the name is not set. */
static const dfl_env_entry *get_env(shell_word *w, const dfl_buf *name)
{
  const dfl_env_entry *e = dfl_env_get(w->env, bdata(name), name->len);
  record(w, bdata(name), name->len, e != NULL);
  return e;
}

static int process_dollar(shell_word *w, dfl_buf *out);
static int process_single_quote(shell_word *w, dfl_buf *out);
static int process_double_quote(shell_word *w, dfl_buf *out);

/* processStopOn: appends the processed text up to stop (consumed) or the end
 * of input to result. */
static int process_stop_on(shell_word *w, int32_t stop, bool raw_escapes,
                           dfl_buf *result, words *wd)
{
  dfl_buf_reset(&w->wbuf);
  if (stop != EOF_RUNE && w->depth > DFL_LEX_MAX_NESTING)
    return fail(w, "syntax error: nesting too deep");
  bool saved_raw = w->raw_escapes;
  w->raw_escapes = raw_escapes;
  w->depth++;
  int rc = -1;
  dfl_buf tmp;
  dfl_buf_init(&tmp);

  int32_t ch;
  while ((ch = scan_peek(&w->sc)) != EOF_RUNE) {
    if (stop != EOF_RUNE && ch == stop) {
      scan_next(&w->sc);
      get_words(wd);
      rc = 0;
      goto out;
    }
    if (ch == '$' ||
        (!w->lx->skip_process_quotes && (ch == '\'' || ch == '"'))) {
      dfl_buf_reset(&tmp);
      int r;
      if (ch == '$')
        r = process_dollar(w, &tmp);
      else if (ch == '\'')
        r = process_single_quote(w, &tmp);
      else
        r = process_double_quote(w, &tmp);
      if (r)
        goto out;
      if (tmp.len)
        dfl_buf_append(result, tmp.data, tmp.len);
      if (ch == '$')
        add_string(wd, tmp.data, tmp.len);
      else
        add_raw_string(wd, tmp.data, tmp.len);
      continue;
    }
    if (ch == '<') {
      /* processPossibleHeredoc: "<<" keeps the blanks after it in the same
       * word, so `RUN <<  EOF` yields the word "<<  EOF". */
      dfl_buf_reset(&tmp);
      scan_next(&w->sc);
      dfl_buf_putc(&tmp, '<');
      if (scan_peek(&w->sc) == '<') {
        scan_next(&w->sc);
        dfl_buf_putc(&tmp, '<');
        while (scan_peek(&w->sc) == ' ' || scan_peek(&w->sc) == '\t')
          put_go_rune(&tmp, scan_next(&w->sc));
      }
      dfl_buf_append(result, tmp.data, tmp.len);
      add_raw_string(wd, tmp.data, tmp.len);
      continue;
    }
    ch = scan_next(&w->sc);
    if (ch == (int32_t)w->lx->escape) {
      if (w->raw_escapes) {
        add_raw_char(wd, ch);
        put_go_rune(result, ch);
      }
      ch = scan_next(&w->sc);
      if (ch == EOF_RUNE)
        break;
      add_raw_char(wd, ch);
    } else {
      add_char(wd, ch);
    }
    put_go_rune(result, ch);
  }
  if (stop != EOF_RUNE) {
    dfl_buf_reset(&w->err);
    dfl_buf_puts(&w->err,
                 "unexpected end of statement while looking for matching ");
    put_go_rune(&w->err, stop);
    goto out;
  }
  get_words(wd);
  rc = 0;
out:
  dfl_buf_free(&tmp);
  w->depth--;
  w->raw_escapes = saved_raw;
  return rc;
}

static int process_single_quote(shell_word *w, dfl_buf *out)
{
  int32_t ch = scan_next(&w->sc);
  if (w->lx->raw_quotes)
    put_go_rune(out, ch);
  for (;;) {
    ch = scan_next(&w->sc);
    if (ch == EOF_RUNE)
      return fail(w, "unexpected end of statement while looking for "
                     "matching single-quote");
    if (ch == '\'') {
      if (w->lx->raw_quotes)
        put_go_rune(out, ch);
      return 0;
    }
    put_go_rune(out, ch);
  }
}

static int process_double_quote(shell_word *w, dfl_buf *out)
{
  int32_t esc = (int32_t)w->lx->escape;
  int32_t ch = scan_next(&w->sc);
  if (w->lx->raw_quotes)
    put_go_rune(out, ch);
  for (;;) {
    int32_t p = scan_peek(&w->sc);
    if (p == EOF_RUNE)
      return fail(w, "unexpected end of statement while looking for "
                     "matching double-quote");
    if (p == '"') {
      ch = scan_next(&w->sc);
      if (w->lx->raw_quotes)
        put_go_rune(out, ch);
      return 0;
    }
    if (p == '$') {
      if (process_dollar(w, out))
        return -1;
      continue;
    }
    ch = scan_next(&w->sc);
    if (ch == esc) {
      if (w->raw_escapes)
        put_go_rune(out, ch);
      p = scan_peek(&w->sc);
      if (p == EOF_RUNE)
        continue; /* the loop then reports the missing quote */
      /* only these are escaped inside double quotes; others keep the \ */
      if (p == '"' || p == '$' || p == esc)
        ch = scan_next(&w->sc);
    }
    put_go_rune(out, ch);
  }
}

static bool is_special_param(int32_t ch)
{
  switch (ch) {
  case '@': case '*': case '#': case '?': case '-': case '$': case '!':
  case '0':
    return true;
  }
  return false;
}

/* processName: letters, digits and '_'; a leading digit takes only digits;
 * a special parameter is one rune. */
static void process_name(shell_word *w, dfl_buf *name)
{
  int32_t ch;
  while ((ch = scan_peek(&w->sc)) != EOF_RUNE) {
    if (name->len == 0 && is_digit(ch)) {
      while (is_digit(scan_peek(&w->sc)))
        put_go_rune(name, scan_next(&w->sc));
      return;
    }
    if (name->len == 0 && is_special_param(ch)) {
      put_go_rune(name, scan_next(&w->sc));
      return;
    }
    if (!is_letter(ch) && !is_digit(ch) && ch != '_')
      break;
    put_go_rune(name, scan_next(&w->sc));
  }
}

static int invalid_pattern(shell_word *w, const char *pat, size_t len,
                           const dfl_buf *why)
{
  dfl_buf_reset(&w->err);
  dfl_buf_puts(&w->err, "invalid pattern (");
  dfl_buf_append(&w->err, pat, len);
  dfl_buf_puts(&w->err, ") in substitution: ");
  dfl_buf_append(&w->err, why->data, why->len);
  return -1;
}

/* trimPrefix: drops the shortest (or longest) prefix matching pat. */
static int trim_prefix(shell_word *w, const char *pat, size_t pat_len,
                       const char *val, size_t val_len, bool greedy,
                       dfl_buf *out)
{
  prog p = {0};
  dfl_buf why;
  dfl_buf_init(&why);
  if (compile_pattern(pat, pat_len, greedy, true, &p, &why)) {
    invalid_pattern(w, pat, pat_len, &why);
    dfl_buf_free(&why);
    free(p.v);
    return -1;
  }
  vm m;
  vm_init(&m, &p);
  size_t ms, me;
  if (vm_find(&m, val, val_len, 0, &ms, &me))
    dfl_buf_append(out, val + me, val_len - me);
  else
    dfl_buf_append(out, val, val_len);
  vm_free(&m);
  free(p.v);
  return 0;
}

/* trimSuffix: a regexp cannot find the shortest rightmost match, so BuildKit
 * reverses both the pattern and the value and trims a prefix. */
static int trim_suffix(shell_word *w, const char *pat, size_t pat_len,
                       const char *val, size_t val_len, bool greedy,
                       dfl_buf *out)
{
  dfl_buf rpat, rval, trimmed;
  dfl_buf_init(&rpat);
  dfl_buf_init(&rval);
  dfl_buf_init(&trimmed);
  reverse_pattern(pat, pat_len, &rpat);
  reverse_string(val, val_len, &rval);
  int rc = trim_prefix(w, rpat.data ? rpat.data : "", rpat.len,
                       rval.data ? rval.data : "", rval.len, greedy, &trimmed);
  if (rc == 0)
    reverse_string(trimmed.data, trimmed.len, out);
  dfl_buf_free(&rpat);
  dfl_buf_free(&rval);
  dfl_buf_free(&trimmed);
  return rc;
}

/* The ${name<mod>word} forms. ch is the rune after the name. */
static int process_modifier(shell_word *w, const dfl_buf *name, int32_t ch,
                            dfl_buf *chs, dfl_buf *out)
{
  bool null_is_unset = false;
  if (ch == ':') {
    null_is_unset = true;
    ch = scan_next(&w->sc);
    put_go_rune(chs, ch);
  }
  bool raw = ch == '#' || ch == '%';
  if (null_is_unset && raw)
    return fail_modifier(w, chs);

  dfl_buf word;
  dfl_buf_init(&word);
  words nested = {.w = w};
  int rc = -1;
  if (process_stop_on(w, '}', raw, &word, &nested)) {
    if (scan_peek(&w->sc) == EOF_RUNE)
      fail(w, "syntax error: missing '}'");
    goto out;
  }

  const dfl_env_entry *e = get_env(w, name);
  if (w->lx->skip_unset_env && !e) {
    dfl_buf_append(out, "${", 2);
    dfl_buf_append(out, name->data, name->len);
    dfl_buf_append(out, chs->data, chs->len);
    dfl_buf_append(out, bdata(&word), word.len);
    dfl_buf_putc(out, '}');
    rc = 0;
    goto out;
  }
  const char *val = e ? e->value : "";
  size_t val_len = e ? e->value_len : 0;
  bool empty = !e || (null_is_unset && val_len == 0);

  switch (ch) {
  case '-':
    if (empty)
      dfl_buf_append(out, bdata(&word), word.len);
    else
      dfl_buf_append(out, val, val_len);
    rc = 0;
    break;
  case '+':
    if (!empty)
      dfl_buf_append(out, bdata(&word), word.len);
    rc = 0;
    break;
  case '?':
    if (empty) {
      dfl_buf_reset(&w->err);
      dfl_buf_append(&w->err, name->data, name->len);
      dfl_buf_append(&w->err, ": ", 2);
      if (word.len)
        dfl_buf_append(&w->err, word.data, word.len);
      else if (!e)
        dfl_buf_puts(&w->err, "is not allowed to be unset");
      else
        dfl_buf_puts(&w->err, "is not allowed to be empty");
      break;
    }
    dfl_buf_append(out, val, val_len);
    rc = 0;
    break;
  case '%':
  case '#': {
    /* a doubled '#' / '%' asks for the longest match */
    const char *pat = bdata(&word);
    size_t pat_len = word.len;
    bool greedy = false;
    if (pat_len > 0 && pat[0] == (char)ch) {
      greedy = true;
      pat++;
      pat_len--;
    }
    if (ch == '%')
      rc = trim_suffix(w, pat, pat_len, val, val_len, greedy, out);
    else
      rc = trim_prefix(w, pat, pat_len, val, val_len, greedy, out);
    break;
  }
  default:
    fail_modifier(w, chs);
  }
out:
  dfl_buf_free(&word);
  return rc;
}

/* ${name/pattern/replacement} and ${name//pattern/replacement}. */
static int process_replace(shell_word *w, const dfl_buf *name, dfl_buf *out)
{
  bool all = scan_peek(&w->sc) == '/';
  if (all)
    scan_next(&w->sc);
  dfl_buf pat, repl;
  dfl_buf_init(&pat);
  dfl_buf_init(&repl);
  words nested = {.w = w};
  int rc = -1;
  if (process_stop_on(w, '/', true, &pat, &nested)) {
    if (scan_peek(&w->sc) == EOF_RUNE)
      fail(w, "syntax error: missing '/' in ${}");
    goto out;
  }
  if (process_stop_on(w, '}', true, &repl, &nested)) {
    if (scan_peek(&w->sc) == EOF_RUNE)
      fail(w, "syntax error: missing '}'");
    goto out;
  }

  const dfl_env_entry *e = get_env(w, name);
  if (w->lx->skip_unset_env && !e) {
    /* BuildKit writes a single '/' even for the replace-all form */
    dfl_buf_append(out, "${", 2);
    dfl_buf_append(out, name->data, name->len);
    dfl_buf_putc(out, '/');
    dfl_buf_append(out, bdata(&pat), pat.len);
    dfl_buf_putc(out, '/');
    dfl_buf_append(out, bdata(&repl), repl.len);
    dfl_buf_putc(out, '}');
    rc = 0;
    goto out;
  }
  const char *val = e ? e->value : "";
  size_t val_len = e ? e->value_len : 0;

  prog p = {0};
  dfl_buf why;
  dfl_buf_init(&why);
  if (compile_pattern(bdata(&pat), pat.len, true, false, &p, &why)) {
    invalid_pattern(w, bdata(&pat), pat.len, &why);
  } else {
    vm m;
    vm_init(&m, &p);
    size_t ms, me;
    bool too_large = false;
    if (all) {
      too_large = !replace_all(&m, val, val_len, bdata(&repl), repl.len, out,
                               &w->replace_budget);
    } else if (vm_find(&m, val, val_len, 0, &ms, &me)) {
      /* the single form inserts the replacement literally */
      dfl_buf_append(out, val, ms);
      dfl_buf_append(out, bdata(&repl), repl.len);
      dfl_buf_append(out, val + me, val_len - me);
    } else {
      dfl_buf_append(out, val, val_len);
    }
    vm_free(&m);
    rc = too_large ? fail(w, "syntax error: replacement result too large") : 0;
  }
  dfl_buf_free(&why);
  free(p.v);
out:
  dfl_buf_free(&pat);
  dfl_buf_free(&repl);
  return rc;
}

/* processDollar: appends the expansion of the $... at the cursor to out. */
static int process_dollar(shell_word *w, dfl_buf *out)
{
  scan_next(&w->sc);
  dfl_buf name;
  dfl_buf_init(&name);
  int rc = 0;

  if (scan_peek(&w->sc) != '{') {
    process_name(w, &name);
    if (name.len == 0) {
      dfl_buf_putc(out, '$');
    } else {
      const dfl_env_entry *e = get_env(w, &name);
      if (!e && w->lx->skip_unset_env) {
        dfl_buf_putc(out, '$');
        dfl_buf_append(out, name.data, name.len);
      } else if (e) {
        dfl_buf_append(out, e->value, e->value_len);
      }
    }
    dfl_buf_free(&name);
    return 0;
  }

  scan_next(&w->sc);
  int32_t p = scan_peek(&w->sc);
  if (p == EOF_RUNE)
    return fail(w, "syntax error: missing '}'");
  if (p == '{' || p == '}' || p == ':')
    return fail(w, "syntax error: bad substitution");

  process_name(w, &name);
  int32_t ch = scan_next(&w->sc);
  dfl_buf chs;
  dfl_buf_init(&chs);
  put_go_rune(&chs, ch);

  if (ch == '}') {
    const dfl_env_entry *e = get_env(w, &name);
    if (!e && w->lx->skip_unset_env) {
      dfl_buf_append(out, "${", 2);
      dfl_buf_append(out, bdata(&name), name.len);
      dfl_buf_putc(out, '}');
    } else if (e) {
      dfl_buf_append(out, e->value, e->value_len);
    }
  } else if (ch == ':' || ch == '+' || ch == '-' || ch == '?' || ch == '#' ||
             ch == '%') {
    rc = process_modifier(w, &name, ch, &chs, out);
  } else if (ch == '/') {
    rc = process_replace(w, &name, out);
  } else {
    rc = fail_modifier(w, &chs);
  }
  dfl_buf_free(&chs);
  dfl_buf_free(&name);
  return rc;
}

/* Whether the lexer would hand word back unchanged as one word: printable
 * ASCII without spaces, quotes, '$' or the escape character. Most words of
 * a Dockerfile are (image names, paths, flags), and the rules expand them
 * over and over. */
static bool plain_word(const dfl_lex *lx, const char *word, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)word[i];
    if (c <= ' ' || c >= 0x7f || c == '$' || c == '\'' || c == '"' ||
        c == lx->escape)
      return false;
  }
  return true;
}

int dfl_lex_process(const dfl_lex *lx, const char *word, size_t len,
                    const dfl_env *env, dfl_lex_result *out)
{
  memset(out, 0, sizeof *out);
  if (!plain_word(lx, word, len))
    return dfl_lex_process_full(lx, word, len, env, out);
  out->result = dfl_xstrndup(word, len);
  out->result_len = len;
  if (len) {
    out->words = dfl_xmalloc(sizeof *out->words);
    out->word_lens = dfl_xmalloc(sizeof *out->word_lens);
    out->words[0] = dfl_xstrndup(word, len);
    out->word_lens[0] = len;
    out->nwords = 1;
  }
  return 0;
}

int dfl_lex_process_full(const dfl_lex *lx, const char *word, size_t len,
                         const dfl_env *env, dfl_lex_result *out)
{
  memset(out, 0, sizeof *out);
  shell_word w = {0};
  w.lx = lx;
  w.env = env;
  w.raw_escapes = lx->raw_escapes;
  w.matched = &out->matched;
  w.unmatched = &out->unmatched;
  w.replace_budget = DFL_LEX_MAX_REPLACE;
  dfl_buf_init(&w.wbuf);
  dfl_buf_init(&w.err);
  scan_init(&w.sc, word, len);

  dfl_buf result;
  dfl_buf_init(&result);
  words wd = {.w = &w, .collect = true};
  int rc = process_stop_on(&w, EOF_RUNE, w.raw_escapes, &result, &wd);
  if (rc == 0) {
    out->result_len = result.len;
    out->result = result.data ? dfl_buf_take(&result) : dfl_xstrndup("", 0);
    out->words = wd.items;
    out->word_lens = wd.lens;
    out->nwords = wd.n;
  } else {
    dfl_buf msg;
    dfl_buf_init(&msg);
    dfl_buf_puts(&msg, "failed to process ");
    go_quote(&msg, word, len);
    dfl_buf_append(&msg, ": ", 2);
    dfl_buf_append(&msg, bdata(&w.err), w.err.len);
    out->error_len = msg.len;
    out->error = dfl_buf_take(&msg);
    out->result = dfl_xstrndup("", 0);
    words_free(&wd);
    dfl_buf_free(&result);
  }
  dfl_buf_free(&w.wbuf);
  dfl_buf_free(&w.err);
  free(w.seen.slots);
  return rc;
}

void dfl_lex_result_free(dfl_lex_result *r)
{
  free(r->result);
  for (size_t i = 0; i < r->nwords; i++)
    free(r->words[i]);
  free(r->words);
  free(r->word_lens);
  dfl_namelist_free(&r->matched);
  dfl_namelist_free(&r->unmatched);
  free(r->error);
  memset(r, 0, sizeof *r);
}
