/* .dockerignore reading and matching, ported from the behaviour of
 * moby/patternmatcher (ignorefile.ReadAll, New, Pattern.compile/match,
 * MatchesOrParentMatches, MatchesUsingParentResults) and the Go standard
 * library pieces it leans on (filepath.Clean/Dir/Match, strings.TrimSpace,
 * text/scanner, regexp/syntax).
 *
 * patternmatcher turns most patterns into a Go regexp by string pasting, and
 * the pasted text is then read by Go's regexp parser, which knows nothing of
 * globs: `\d` is a digit class, `[*]` becomes `[[^/]*]`, `^` is an anchor.
 * It means to escape `.+()|{}$`, but its bitmap (escapeBytes, [8]byte) loses
 * every byte from 64 up, so `|`, `{` and `}` reach the regexp raw: `a|b*`
 * is an alternation and `x{2}` a repeat count. We paste the same text.
 * To agree with BuildKit on every pattern we build the same regexp text and
 * parse it with RE2's rules (the subset the pasting can produce, plus the
 * rest of RE2's escapes and classes), then run it on a Pike VM: a Thompson
 * NFA simulation that keeps each program counter at most once per input
 * position. Matching is O(path length x program size) whatever the pattern,
 * so `*` repeated fifty times cannot backtrack exponentially. */
#include "dflint/dockerignore.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/utf8.h"

#define MAX_RUNE 0x10FFFFu
/* bufio.Scanner's MaxScanTokenSize: ReadAll fails on a longer line. */
#define MAX_LINE 65536u
/* regexp/syntax's maxHeight, maxRepeat and maxSize (in instructions). */
#define MAX_NEST 1000
#define MAX_REPEAT 1000
#define MAX_SIZE (128u << 20) / 40u

/* ------------------------------------------------------------------ */
/* Go string helpers                                                   */

/* utf8.DecodeLastRune: the last rune of s[0..len) and its width. */
static uint32_t decode_last_rune(const char *s, size_t len, size_t *width)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t end = len, start = end - 1;
  *width = 1;
  if (p[start] < 0x80)
    return p[start];
  size_t lim = end >= 4 ? end - 4 : 0;
  /* Walk back to a byte that can start a rune, at most 3 steps. */
  while (start > lim && (p[start] & 0xC0) == 0x80)
    start--;
  size_t w;
  uint32_t r = dfl_utf8_decode(s + start, end - start, &w);
  if (start + w != end)
    return DFL_RUNE_ERROR;
  *width = w;
  return r;
}

/* strings.TrimSpace on s[*off..*off+*len). */
static void trim_space(const char *s, size_t *off, size_t *len)
{
  size_t a = *off, b = *off + *len, w;
  while (a < b) {
    uint32_t r = dfl_utf8_decode(s + a, b - a, &w);
    if (!dfl_rune_is_space(r))
      break;
    a += w;
  }
  while (b > a) {
    uint32_t r = decode_last_rune(s + a, b - a, &w);
    if (!dfl_rune_is_space(r))
      break;
    b -= w;
  }
  *off = a;
  *len = b - a;
}

/* strconv.Quote, for messages: the pattern exactly as Go would print it. */
static void quote_go(dfl_buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  dfl_buf_putc(b, '"');
  for (size_t i = 0; i < len;) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1) {
      unsigned char c = (unsigned char)s[i];
      char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
      dfl_buf_append(b, esc, 4);
    } else if (r == '"' || r == '\\') {
      dfl_buf_putc(b, '\\');
      dfl_buf_putc(b, (char)r);
    } else if (dfl_rune_is_print(r)) {
      dfl_buf_append(b, s + i, w);
    } else {
      switch (r) {
      case '\a': dfl_buf_puts(b, "\\a"); break;
      case '\b': dfl_buf_puts(b, "\\b"); break;
      case '\f': dfl_buf_puts(b, "\\f"); break;
      case '\n': dfl_buf_puts(b, "\\n"); break;
      case '\r': dfl_buf_puts(b, "\\r"); break;
      case '\t': dfl_buf_puts(b, "\\t"); break;
      case '\v': dfl_buf_puts(b, "\\v"); break;
      default:
        if (r < ' ' || r == 0x7F)
          dfl_buf_printf(b, "\\x%02x", (unsigned)r);
        else if (r < 0x10000)
          dfl_buf_printf(b, "\\u%04x", (unsigned)r);
        else
          dfl_buf_printf(b, "\\U%08x", (unsigned)r);
      }
    }
    i += w;
  }
  dfl_buf_putc(b, '"');
}

/* ------------------------------------------------------------------ */
/* filepath.Clean / Dir                                                */

/* Cleans s[0..len) into out (room for len + 1 bytes, and at least 2);
 * returns the cleaned length. A port of Go's lexical algorithm: out never
 * grows past the input except for "" -> ".". */
static size_t clean_into(const char *s, size_t len, char *out)
{
  if (len == 0) {
    out[0] = '.';
    return 1;
  }
  bool rooted = s[0] == '/';
  size_t r = 0, w = 0, dotdot = 0;
  if (rooted) {
    out[w++] = '/';
    r = dotdot = 1;
  }
  while (r < len) {
    if (s[r] == '/') {
      r++; /* empty element */
    } else if (s[r] == '.' && (r + 1 == len || s[r + 1] == '/')) {
      r++; /* . element */
    } else if (s[r] == '.' && s[r + 1] == '.' && (r + 2 == len || s[r + 2] == '/')) {
      r += 2; /* .. element: remove up to the last slash */
      if (w > dotdot) {
        w--;
        while (w > dotdot && out[w] != '/')
          w--;
      } else if (!rooted) {
        /* Cannot backtrack, but not rooted: keep the "..". */
        if (w > 0)
          out[w++] = '/';
        out[w++] = '.';
        out[w++] = '.';
        dotdot = w;
      }
    } else {
      /* A real element: add a slash if needed, then copy it. */
      if ((rooted && w != 1) || (!rooted && w != 0))
        out[w++] = '/';
      for (; r < len && s[r] != '/'; r++)
        out[w++] = s[r];
    }
  }
  if (w == 0)
    out[w++] = '.';
  return w;
}

/* Cleaned copy of s[0..len), NUL-terminated, in the arena. */
static char *clean_arena(dfl_arena *a, const char *s, size_t len, size_t *out_len)
{
  char *out = dfl_arena_alloc(a, len + 2);
  *out_len = clean_into(s, len, out);
  out[*out_len] = '\0';
  return out;
}

char *dfl_path_clean(const char *path)
{
  size_t len = strlen(path);
  char *out = dfl_xmalloc(len + 2);
  out[clean_into(path, len, out)] = '\0';
  return out;
}

char *dfl_path_dir(const char *path)
{
  const char *slash = strrchr(path, '/');
  size_t len = slash ? (size_t)(slash - path) + 1 : 0;
  char *out = dfl_xmalloc(len + 2);
  out[clean_into(path, len, out)] = '\0';
  return out;
}

/* ------------------------------------------------------------------ */
/* filepath.Match, for the syntax check patternmatcher.New performs with  */
/* Match(pattern, "."): which malformed patterns it lets through (it stops */
/* checking at the first chunk that fails) decides what BuildKit accepts.  */

typedef struct {
  const char *s;
  size_t n;
} span;

static void scan_chunk(span *pat, bool *star, span *chunk)
{
  *star = false;
  while (pat->n > 0 && pat->s[0] == '*') {
    pat->s++;
    pat->n--;
    *star = true;
  }
  bool inrange = false;
  size_t i;
  for (i = 0; i < pat->n; i++) {
    char c = pat->s[i];
    if (c == '\\') {
      if (i + 1 < pat->n)
        i++;
    } else if (c == '[') {
      inrange = true;
    } else if (c == ']') {
      inrange = false;
    } else if (c == '*' && !inrange) {
      break;
    }
  }
  chunk->s = pat->s;
  chunk->n = i;
  pat->s += i;
  pat->n -= i;
}

/* getEsc: a possibly escaped character of a class; false on a bad pattern. */
static bool get_esc(span *chunk, uint32_t *r)
{
  if (chunk->n == 0 || chunk->s[0] == '-' || chunk->s[0] == ']')
    return false;
  if (chunk->s[0] == '\\') {
    chunk->s++;
    chunk->n--;
    if (chunk->n == 0)
      return false;
  }
  size_t w;
  *r = dfl_utf8_decode(chunk->s, chunk->n, &w);
  bool ok = !(*r == DFL_RUNE_ERROR && w == 1);
  chunk->s += w;
  chunk->n -= w;
  return ok && chunk->n > 0;
}

/* matchChunk: 1 and the rest of name in *rest on a match, 0 on no match,
 * -1 on a malformed chunk (checked to its end even after a mismatch). */
static int match_chunk(span chunk, span s, span *rest)
{
  bool failed = false;
  while (chunk.n > 0) {
    failed = failed || s.n == 0;
    char c = chunk.s[0];
    if (c == '[') {
      uint32_t r = 0;
      if (!failed) {
        size_t w;
        r = dfl_utf8_decode(s.s, s.n, &w);
        s.s += w;
        s.n -= w;
      }
      chunk.s++;
      chunk.n--;
      bool negated = false;
      if (chunk.n > 0 && chunk.s[0] == '^') {
        negated = true;
        chunk.s++;
        chunk.n--;
      }
      bool match = false;
      int nrange = 0;
      for (;;) {
        if (chunk.n > 0 && chunk.s[0] == ']' && nrange > 0) {
          chunk.s++;
          chunk.n--;
          break;
        }
        uint32_t lo, hi;
        if (!get_esc(&chunk, &lo))
          return -1;
        hi = lo;
        if (chunk.s[0] == '-') {
          chunk.s++;
          chunk.n--;
          if (!get_esc(&chunk, &hi))
            return -1;
        }
        match = match || (lo <= r && r <= hi);
        nrange++;
      }
      failed = failed || match == negated;
    } else if (c == '?') {
      if (!failed) {
        failed = s.s[0] == '/';
        size_t w;
        dfl_utf8_decode(s.s, s.n, &w);
        s.s += w;
        s.n -= w;
      }
      chunk.s++;
      chunk.n--;
    } else {
      if (c == '\\') {
        chunk.s++;
        chunk.n--;
        if (chunk.n == 0)
          return -1;
      }
      if (!failed) {
        failed = chunk.s[0] != s.s[0];
        s.s++;
        s.n--;
      }
      chunk.s++;
      chunk.n--;
    }
  }
  if (failed)
    return 0;
  *rest = s;
  return 1;
}

/* filepath.Match: 1, 0, or -1 for ErrBadPattern. */
static int fp_match(span pat, span name)
{
  while (pat.n > 0) {
    bool star;
    span chunk, t;
    scan_chunk(&pat, &star, &chunk);
    if (star && chunk.n == 0)
      return memchr(name.s, '/', name.n) == NULL; /* trailing * */
    int m = match_chunk(chunk, name, &t);
    if (m == 1 && (t.n == 0 || pat.n > 0)) {
      name = t;
      continue;
    }
    if (m < 0)
      return -1;
    if (star) {
      bool found = false;
      for (size_t i = 0; i < name.n && name.s[i] != '/'; i++) {
        span sub = {name.s + i + 1, name.n - i - 1};
        m = match_chunk(chunk, sub, &t);
        if (m == 1) {
          if (pat.n == 0 && t.n > 0)
            continue;
          name = t;
          found = true;
          break;
        }
        if (m < 0)
          return -1;
      }
      if (found)
        continue;
    }
    return 0;
  }
  return name.n == 0;
}

/* ------------------------------------------------------------------ */
/* Compiled regexp programs                                            */

enum { I_MATCH, I_CLASS, I_ANYNL, I_SPLIT, I_JMP, I_EMPTY };

/* Empty-width conditions an I_EMPTY instruction can require. */
enum { E_BEGIN = 1, E_END = 2, E_WORD = 4, E_NOWORD = 8 };

typedef struct {
  uint8_t op;
  uint8_t cond; /* I_EMPTY */
  uint32_t x;   /* I_CLASS: class index; I_SPLIT/I_JMP: target */
  uint32_t y;   /* I_SPLIT: second target */
} inst;

typedef struct {
  uint32_t off, n; /* ranges[off .. off+2n), sorted, disjoint lo/hi pairs */
} cls;

typedef struct {
  inst *code;
  size_t n;
  uint32_t *ranges;
  cls *classes;
} prog;

typedef enum { M_EXACT, M_PREFIX, M_SUFFIX, M_REGEXP } mtype;

typedef struct {
  char *text; /* ReadAll form, "!" included; NUL-terminated */
  size_t text_len; /* it may hold NUL bytes from the file */
  char *clean; /* patternmatcher's cleanedPattern (no "!") */
  size_t clean_len;
  size_t line;
  bool exclusion;
  mtype type;
  char *regexp; /* M_REGEXP only */
  char *error;  /* set when BuildKit cannot evaluate the pattern */
  prog prog;
} pattern;

struct dfl_ignore {
  dfl_arena arena;
  pattern *pats;
  size_t n;
  bool exclusions;
  size_t max_prog;
  char *source;
};

/* ------------------------------------------------------------------ */
/* RE2-syntax parser for the regexp text patternmatcher builds          */

enum { N_EMPTY, N_CLASS, N_ANYNL, N_ASSERT, N_CAT, N_ALT, N_STAR, N_PLUS, N_QUEST, N_REPEAT };

typedef struct rnode {
  int kind;
  uint32_t arg; /* class index or empty-width condition */
  int min, max; /* N_REPEAT; max -1 for no upper bound */
  int height;
  struct rnode *sub;
  struct rnode **kids;
  size_t nkids;
} rnode;

typedef struct {
  rnode **v;
  size_t n, cap;
} nodevec;

typedef struct {
  uint32_t *v; /* lo/hi pairs */
  size_t n, cap;
} rangevec;

typedef struct {
  const char *s;
  size_t len, pos;
  dfl_arena *tmp;
  rangevec ranges; /* every class's ranges, back to back */
  cls *classes;
  size_t nclasses, cap_classes;
  char *err;
  int depth;
} rparser;

static void vec_push(nodevec *v, rnode *n)
{
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->v = dfl_xrealloc(v->v, v->cap * sizeof *v->v);
  }
  v->v[v->n++] = n;
}

static void range_push(rangevec *v, uint32_t lo, uint32_t hi)
{
  if (v->n + 2 > v->cap) {
    v->cap = v->cap ? v->cap * 2 : 16;
    v->v = dfl_xrealloc(v->v, v->cap * sizeof *v->v);
  }
  v->v[v->n++] = lo;
  v->v[v->n++] = hi;
}

/* Sets the Go-style error "error parsing regexp: <code>: `<expr>`". */
static void rerr(rparser *p, const char *code, const char *expr, size_t len)
{
  if (p->err)
    return;
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "error parsing regexp: %s: `", code);
  dfl_buf_append(&b, expr, len);
  dfl_buf_putc(&b, '`');
  p->err = dfl_buf_take(&b);
}

/* Length of the \p class at s[0..len): "\pL" or "\p{Name}". */
static size_t uclass_len(const char *s, size_t len)
{
  if (len > 2 && s[2] == '{') {
    const char *end = memchr(s, '}', len);
    return end ? (size_t)(end - s) + 1 : len;
  }
  size_t w = 0;
  if (len > 2)
    dfl_utf8_decode(s + 2, len - 2, &w);
  return 2 + w;
}

/* A construct RE2 accepts that dflint does not evaluate. */
static void unsupported(rparser *p, const char *what, const char *expr, size_t len)
{
  if (p->err)
    return;
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "dflint cannot evaluate %s `", what);
  dfl_buf_append(&b, expr, len);
  dfl_buf_puts(&b, "` in the Go regexp BuildKit builds from this pattern");
  p->err = dfl_buf_take(&b);
}

static rnode *new_node(rparser *p, int kind)
{
  rnode *n = dfl_arena_alloc(p->tmp, sizeof *n);
  n->kind = kind;
  n->height = 1;
  return n;
}

static int cmp_range(const void *a, const void *b)
{
  const uint32_t *x = a, *y = b;
  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] > y[1] ? -1 : x[1] < y[1];
}

/* Sorts and merges r (cleanClass), negates it if asked, and stores it as a
 * new class; returns its index. */
static uint32_t add_class(rparser *p, rangevec *r, bool negate)
{
  size_t n = r->n / 2;
  if (n > 1)
    qsort(r->v, n, 2 * sizeof *r->v, cmp_range);
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t lo = r->v[2 * i], hi = r->v[2 * i + 1];
    if (w > 0 && lo <= r->v[2 * w - 1] + 1) {
      if (hi > r->v[2 * w - 1])
        r->v[2 * w - 1] = hi;
      continue;
    }
    r->v[2 * w] = lo;
    r->v[2 * w + 1] = hi;
    w++;
  }
  uint32_t off = (uint32_t)p->ranges.n;
  if (negate) {
    uint32_t next = 0;
    for (size_t i = 0; i < w; i++) {
      if (r->v[2 * i] > next)
        range_push(&p->ranges, next, r->v[2 * i] - 1);
      next = r->v[2 * i + 1] + 1;
    }
    if (next <= MAX_RUNE)
      range_push(&p->ranges, next, MAX_RUNE);
  } else {
    for (size_t i = 0; i < w; i++)
      range_push(&p->ranges, r->v[2 * i], r->v[2 * i + 1]);
  }
  if (p->nclasses == p->cap_classes) {
    p->cap_classes = p->cap_classes ? p->cap_classes * 2 : 16;
    p->classes = dfl_xrealloc(p->classes, p->cap_classes * sizeof *p->classes);
  }
  p->classes[p->nclasses].off = off;
  p->classes[p->nclasses].n = (uint32_t)((p->ranges.n - off) / 2);
  return (uint32_t)p->nclasses++;
}

static rnode *class_node(rparser *p, rangevec *r, bool negate)
{
  rnode *n = new_node(p, N_CLASS);
  n->arg = add_class(p, r, negate);
  return n;
}

static rnode *literal_node(rparser *p, uint32_t c)
{
  rangevec r = {0};
  range_push(&r, c, c);
  rnode *n = class_node(p, &r, false);
  free(r.v);
  return n;
}

/* Perl and POSIX groups, as lo/hi lists (regexp/syntax perl_groups.go). */
typedef struct {
  const char *name;
  const uint32_t *r;
  size_t n; /* pairs */
} group;

static const uint32_t g_digit[] = {'0', '9'};
static const uint32_t g_space[] = {'\t', '\n', '\f', '\r', ' ', ' '};
static const uint32_t g_word[] = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
static const uint32_t g_alnum[] = {'0', '9', 'A', 'Z', 'a', 'z'};
static const uint32_t g_alpha[] = {'A', 'Z', 'a', 'z'};
static const uint32_t g_ascii[] = {0, 0x7F};
static const uint32_t g_blank[] = {'\t', '\t', ' ', ' '};
static const uint32_t g_cntrl[] = {0, 0x1F, 0x7F, 0x7F};
static const uint32_t g_graph[] = {'!', '~'};
static const uint32_t g_lower[] = {'a', 'z'};
static const uint32_t g_print[] = {' ', '~'};
static const uint32_t g_punct[] = {'!', '/', ':', '@', '[', '`', '{', '~'};
static const uint32_t g_pspace[] = {'\t', '\r', ' ', ' '};
static const uint32_t g_upper[] = {'A', 'Z'};
static const uint32_t g_xdigit[] = {'0', '9', 'A', 'F', 'a', 'f'};

#define GROUP(n, a) {n, a, sizeof a / sizeof a[0] / 2}
static const group posix_groups[] = {
  GROUP("alnum", g_alnum), GROUP("alpha", g_alpha), GROUP("ascii", g_ascii),
  GROUP("blank", g_blank), GROUP("cntrl", g_cntrl), GROUP("digit", g_digit),
  GROUP("graph", g_graph), GROUP("lower", g_lower), GROUP("print", g_print),
  GROUP("punct", g_punct), GROUP("space", g_pspace), GROUP("upper", g_upper),
  GROUP("word", g_word), GROUP("xdigit", g_xdigit),
};

static const group *perl_group(char c)
{
  static const group d = GROUP("d", g_digit), s = GROUP("s", g_space), w = GROUP("w", g_word);
  switch (c | 0x20) {
  case 'd': return &d;
  case 's': return &s;
  case 'w': return &w;
  default: return NULL;
  }
}

static void append_group(rangevec *r, const group *g, bool negated)
{
  if (!negated) {
    for (size_t i = 0; i < g->n; i++)
      range_push(r, g->r[2 * i], g->r[2 * i + 1]);
    return;
  }
  uint32_t next = 0;
  for (size_t i = 0; i < g->n; i++) {
    if (g->r[2 * i] > next)
      range_push(r, next, g->r[2 * i] - 1);
    next = g->r[2 * i + 1] + 1;
  }
  range_push(r, next, MAX_RUNE);
}

static bool next_rune(rparser *p, size_t *pos, uint32_t *c)
{
  size_t w;
  *c = dfl_utf8_decode(p->s + *pos, p->len - *pos, &w);
  if (*c == DFL_RUNE_ERROR && w == 1) {
    rerr(p, "invalid UTF-8", p->s + *pos, p->len - *pos);
    return false;
  }
  *pos += w;
  return true;
}

static int unhex(uint32_t c)
{
  if (c >= '0' && c <= '9')
    return (int)(c - '0');
  if (c >= 'a' && c <= 'f')
    return (int)(c - 'a' + 10);
  if (c >= 'A' && c <= 'F')
    return (int)(c - 'A' + 10);
  return -1;
}

static bool is_alnum(uint32_t c)
{
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* parseEscape: the escape at *pos (a backslash) as one rune. */
static bool parse_escape(rparser *p, size_t *pos, uint32_t *out)
{
  size_t start = *pos, t = *pos + 1;
  if (t >= p->len) {
    rerr(p, "trailing backslash at end of expression", "", 0);
    return false;
  }
  uint32_t c;
  if (!next_rune(p, &t, &c))
    return false;
  switch (c) {
  case '1': case '2': case '3': case '4': case '5': case '6': case '7':
    /* A single non-zero digit would be a backreference: unsupported. */
    if (t >= p->len || p->s[t] < '0' || p->s[t] > '7')
      break;
    /* fall through */
  case '0': {
    uint32_t r = c - '0';
    for (int i = 1; i < 3 && t < p->len && p->s[t] >= '0' && p->s[t] <= '7'; i++)
      r = r * 8 + (uint32_t)(p->s[t++] - '0');
    *out = r;
    *pos = t;
    return true;
  }
  case 'x': {
    if (t >= p->len)
      break;
    if (!next_rune(p, &t, &c))
      return false;
    if (c == '{') {
      uint32_t r = 0;
      int nhex = 0;
      bool ok = false;
      while (t < p->len) {
        if (!next_rune(p, &t, &c))
          return false;
        if (c == '}') {
          ok = nhex > 0;
          break;
        }
        int v = unhex(c);
        if (v < 0)
          break;
        r = r * 16 + (uint32_t)v;
        if (r > MAX_RUNE)
          break;
        nhex++;
      }
      if (!ok)
        break;
      *out = r;
      *pos = t;
      return true;
    }
    int x = unhex(c), y = -1;
    if (t < p->len) {
      if (!next_rune(p, &t, &c))
        return false;
      y = unhex(c);
    }
    if (x < 0 || y < 0)
      break;
    *out = (uint32_t)(x * 16 + y);
    *pos = t;
    return true;
  }
  case 'a': *out = '\a'; *pos = t; return true;
  case 'f': *out = '\f'; *pos = t; return true;
  case 'n': *out = '\n'; *pos = t; return true;
  case 'r': *out = '\r'; *pos = t; return true;
  case 't': *out = '\t'; *pos = t; return true;
  case 'v': *out = '\v'; *pos = t; return true;
  default:
    /* Escaped punctuation is itself; escaped letters must mean something. */
    if (c < 0x80 && !is_alnum(c)) {
      *out = c;
      *pos = t;
      return true;
    }
  }
  rerr(p, "invalid escape sequence", p->s + start, t - start);
  return false;
}

/* parseClassChar. */
static bool class_char(rparser *p, size_t *t, size_t whole, uint32_t *out)
{
  if (*t >= p->len) {
    rerr(p, "missing closing ]", p->s + whole, p->len - whole);
    return false;
  }
  if (p->s[*t] == '\\')
    return parse_escape(p, t, out);
  return next_rune(p, t, out);
}

/* parseClass: the bracket expression at p->pos. */
static rnode *parse_class(rparser *p)
{
  size_t whole = p->pos, t = p->pos + 1;
  bool negate = false;
  if (t < p->len && p->s[t] == '^') {
    negate = true;
    t++;
  }
  rangevec r = {0};
  bool first = true; /* ']' is a literal as the first character */
  while (t >= p->len || p->s[t] != ']' || first) {
    first = false;
    /* POSIX [:alnum:]; Go looks for ":]" anywhere in the rest of the text. */
    if (p->len - t > 2 && p->s[t] == '[' && p->s[t + 1] == ':') {
      const char *end = NULL;
      for (size_t i = t + 2; i + 1 < p->len; i++) {
        if (p->s[i] == ':' && p->s[i + 1] == ']') {
          end = p->s + i;
          break;
        }
      }
      if (end) {
        size_t nlen = (size_t)(end - p->s) + 2 - t;
        const char *name = p->s + t + 2;
        size_t len = nlen - 4;
        bool neg = len > 0 && name[0] == '^';
        if (neg) {
          name++;
          len--;
        }
        const group *g = NULL;
        for (size_t i = 0; i < sizeof posix_groups / sizeof posix_groups[0]; i++)
          if (strlen(posix_groups[i].name) == len && memcmp(posix_groups[i].name, name, len) == 0)
            g = &posix_groups[i];
        if (!g) {
          rerr(p, "invalid character class range", p->s + t, nlen);
          free(r.v);
          return NULL;
        }
        append_group(&r, g, neg);
        t += nlen;
        continue;
      }
    }
    if (p->len - t >= 2 && p->s[t] == '\\' && (p->s[t + 1] == 'p' || p->s[t + 1] == 'P')) {
      unsupported(p, "the Unicode class", p->s + t, uclass_len(p->s + t, p->len - t));
      free(r.v);
      return NULL;
    }
    if (p->len - t >= 2 && p->s[t] == '\\' && perl_group(p->s[t + 1])) {
      append_group(&r, perl_group(p->s[t + 1]), p->s[t + 1] >= 'A' && p->s[t + 1] <= 'Z');
      t += 2;
      continue;
    }
    size_t rng = t;
    uint32_t lo, hi;
    if (!class_char(p, &t, whole, &lo)) {
      free(r.v);
      return NULL;
    }
    hi = lo;
    /* [a-] means a or '-': a range needs something other than ']' after '-'. */
    if (p->len - t >= 2 && p->s[t] == '-' && p->s[t + 1] != ']') {
      t++;
      if (!class_char(p, &t, whole, &hi)) {
        free(r.v);
        return NULL;
      }
      if (hi < lo) {
        rerr(p, "invalid character class range", p->s + rng, t - rng);
        free(r.v);
        return NULL;
      }
    }
    range_push(&r, lo, hi);
  }
  p->pos = t + 1;
  rnode *n = class_node(p, &r, negate);
  free(r.v);
  return n;
}

static rnode *parse_alt(rparser *p);

/* parseInt: a decimal without leading zeros; -1 when 1e8 or more. */
static bool parse_int(const char *s, size_t len, size_t *pos, int *out)
{
  size_t t = *pos;
  if (t >= len || s[t] < '0' || s[t] > '9')
    return false;
  if (len - t >= 2 && s[t] == '0' && s[t + 1] >= '0' && s[t + 1] <= '9')
    return false;
  long n = 0;
  for (; t < len && s[t] >= '0' && s[t] <= '9'; t++)
    n = n >= 100000000 || n < 0 ? -1 : n * 10 + (s[t] - '0');
  *out = n >= 100000000 ? -1 : (int)n;
  *pos = t;
  return true;
}

/* parseRepeat: {n}, {n,} or {n,m} at pos; false when '{' is a literal. */
static bool parse_repeat(const char *s, size_t len, size_t pos, int *min, int *max, size_t *after)
{
  size_t t = pos + 1;
  if (!parse_int(s, len, &t, min) || t >= len)
    return false;
  if (s[t] != ',') {
    *max = *min;
  } else {
    t++;
    if (t >= len)
      return false;
    if (s[t] == '}') {
      *max = -1;
    } else {
      if (!parse_int(s, len, &t, max))
        return false;
      if (*max < 0)
        *min = -1; /* too big */
    }
  }
  if (t >= len || s[t] != '}')
    return false;
  *after = t + 1;
  return true;
}

/* repeatIsValid: nested repeat counts may not multiply past n copies. */
static bool repeat_valid(const rnode *r, int n)
{
  if (r->kind == N_REPEAT) {
    int m = r->max;
    if (m == 0)
      return true;
    if (m < 0)
      m = r->min;
    if (m > n)
      return false;
    if (m > 0)
      n /= m;
  }
  if (r->sub && !repeat_valid(r->sub, n))
    return false;
  for (size_t i = 0; i < r->nkids; i++)
    if (!repeat_valid(r->kids[i], n))
      return false;
  return true;
}

static rnode *wrap(rparser *p, int kind, rnode *sub)
{
  rnode *n = new_node(p, kind);
  n->sub = sub;
  n->height = sub->height + 1;
  if (n->height > MAX_NEST)
    rerr(p, "expression nests too deeply", p->s, p->len);
  return n;
}

static rnode *assert_node(rparser *p, uint32_t cond)
{
  rnode *n = new_node(p, N_ASSERT);
  n->arg = cond;
  return n;
}

/* A concatenation, up to '|', ')' or the end. */
static rnode *parse_concat(rparser *p)
{
  nodevec items = {0};
  size_t last_repeat = SIZE_MAX; /* start of the previous operator, if it was one */
  while (p->pos < p->len && !p->err) {
    char c = p->s[p->pos];
    size_t start = p->pos;
    size_t repeat = SIZE_MAX;
    if (c == '|' || c == ')')
      break;
    switch (c) {
    case '(':
      if (p->pos + 1 < p->len && p->s[p->pos + 1] == '?') {
        /* patternmatcher escapes '(' so this cannot come from a pattern. */
        unsupported(p, "the Perl group", p->s + p->pos, 2);
        break;
      }
      if (++p->depth > MAX_NEST) {
        rerr(p, "expression nests too deeply", p->s, p->len);
        break;
      }
      p->pos++;
      {
        rnode *sub = parse_alt(p);
        if (p->err)
          break;
        if (p->pos >= p->len) {
          rerr(p, "missing closing )", p->s, p->len);
          break;
        }
        p->pos++;
        p->depth--;
        vec_push(&items, sub);
      }
      break;
    case '^':
      vec_push(&items, assert_node(p, E_BEGIN));
      p->pos++;
      break;
    case '$':
      vec_push(&items, assert_node(p, E_END));
      p->pos++;
      break;
    case '.':
      vec_push(&items, new_node(p, N_ANYNL));
      p->pos++;
      break;
    case '[': {
      rnode *n = parse_class(p);
      if (n)
        vec_push(&items, n);
      break;
    }
    case '{': case '*': case '+': case '?': {
      int kind = c == '*' ? N_STAR : c == '+' ? N_PLUS : c == '?' ? N_QUEST : N_REPEAT;
      int min = 0, max = 0;
      size_t after = p->pos + 1;
      if (c == '{') {
        if (!parse_repeat(p->s, p->len, p->pos, &min, &max, &after)) {
          /* Not a repeat count: RE2 reads the brace as a literal. */
          vec_push(&items, literal_node(p, '{'));
          p->pos++;
          break;
        }
        if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
          rerr(p, "invalid repeat count", p->s + start, after - start);
          break;
        }
      }
      if (after < p->len && p->s[after] == '?')
        after++; /* non-greedy: same set of matches */
      if (last_repeat != SIZE_MAX) {
        rerr(p, "invalid nested repetition operator", p->s + last_repeat, after - last_repeat);
        break;
      }
      if (items.n == 0) {
        rerr(p, "missing argument to repetition operator", p->s + start, after - start);
        break;
      }
      rnode *n = wrap(p, kind, items.v[items.n - 1]);
      n->min = min;
      n->max = max;
      if (kind == N_REPEAT && (min >= 2 || max >= 2) && !repeat_valid(n, MAX_REPEAT)) {
        rerr(p, "invalid repeat count", p->s + start, after - start);
        break;
      }
      items.v[items.n - 1] = n;
      p->pos = after;
      repeat = start;
      break;
    }
    case '\\': {
      char e = p->pos + 1 < p->len ? p->s[p->pos + 1] : '\0';
      if (e == 'A' || e == 'z' || e == 'b' || e == 'B') {
        uint32_t cond = e == 'A' ? E_BEGIN : e == 'z' ? E_END : e == 'b' ? E_WORD : E_NOWORD;
        vec_push(&items, assert_node(p, cond));
        p->pos += 2;
        break;
      }
      if (e == 'C') {
        rerr(p, "invalid escape sequence", p->s + p->pos, 2);
        break;
      }
      if (e == 'Q') {
        /* \Q...\E: everything up to \E (or the end) is literal, one rune
         * at a time, so a following operator applies to the last one. */
        size_t t = p->pos + 2, end = p->len, resume = p->len;
        for (size_t i = t; i + 1 < p->len; i++) {
          if (p->s[i] == '\\' && p->s[i + 1] == 'E') {
            end = i;
            resume = i + 2;
            break;
          }
        }
        while (t < end) {
          uint32_t r;
          if (!next_rune(p, &t, &r))
            break;
          vec_push(&items, literal_node(p, r));
        }
        p->pos = resume;
        break;
      }
      if (e == 'p' || e == 'P') {
        unsupported(p, "the Unicode class", p->s + p->pos,
                    uclass_len(p->s + p->pos, p->len - p->pos));
        break;
      }
      if (e && perl_group(e)) {
        rangevec r = {0};
        append_group(&r, perl_group(e), e >= 'A' && e <= 'Z');
        vec_push(&items, class_node(p, &r, false));
        free(r.v);
        p->pos += 2;
        break;
      }
      uint32_t r;
      if (parse_escape(p, &p->pos, &r))
        vec_push(&items, literal_node(p, r));
      break;
    }
    default: {
      uint32_t r;
      if (next_rune(p, &p->pos, &r))
        vec_push(&items, literal_node(p, r));
    }
    }
    last_repeat = repeat;
  }
  rnode *n;
  if (items.n == 1) {
    n = items.v[0];
  } else {
    n = new_node(p, items.n ? N_CAT : N_EMPTY);
    n->nkids = items.n;
    if (items.n) {
      n->kids = dfl_arena_alloc(p->tmp, items.n * sizeof *n->kids);
      memcpy(n->kids, items.v, items.n * sizeof *n->kids);
    }
  }
  free(items.v);
  return n;
}

static rnode *parse_alt(rparser *p)
{
  nodevec alts = {0};
  vec_push(&alts, parse_concat(p));
  while (!p->err && p->pos < p->len && p->s[p->pos] == '|') {
    p->pos++;
    vec_push(&alts, parse_concat(p));
  }
  rnode *n = alts.v[0];
  if (alts.n > 1) {
    n = new_node(p, N_ALT);
    n->nkids = alts.n;
    n->kids = dfl_arena_alloc(p->tmp, alts.n * sizeof *n->kids);
    memcpy(n->kids, alts.v, alts.n * sizeof *n->kids);
  }
  free(alts.v);
  return n;
}

/* Thompson construction into a flat program. */
typedef struct {
  inst *v;
  size_t n, cap;
} codevec;

static size_t emit(codevec *c, uint8_t op, uint32_t x, uint32_t y)
{
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 32;
    c->v = dfl_xrealloc(c->v, c->cap * sizeof *c->v);
  }
  c->v[c->n] = (inst){.op = op, .x = x, .y = y};
  return c->n++;
}

static void comp(codevec *c, const rnode *n)
{
  switch (n->kind) {
  case N_EMPTY:
    break;
  case N_CLASS:
    emit(c, I_CLASS, n->arg, 0);
    break;
  case N_ANYNL:
    emit(c, I_ANYNL, 0, 0);
    break;
  case N_ASSERT: {
    size_t at = emit(c, I_EMPTY, 0, 0);
    c->v[at].cond = (uint8_t)n->arg;
    break;
  }
  case N_CAT:
    for (size_t i = 0; i < n->nkids; i++)
      comp(c, n->kids[i]);
    break;
  case N_ALT: {
    size_t *jumps = dfl_xmalloc(n->nkids * sizeof *jumps);
    for (size_t i = 0; i + 1 < n->nkids; i++) {
      size_t split = emit(c, I_SPLIT, 0, 0);
      c->v[split].x = (uint32_t)(split + 1);
      comp(c, n->kids[i]);
      jumps[i] = emit(c, I_JMP, 0, 0);
      c->v[split].y = (uint32_t)c->n;
    }
    comp(c, n->kids[n->nkids - 1]);
    for (size_t i = 0; i + 1 < n->nkids; i++)
      c->v[jumps[i]].x = (uint32_t)c->n;
    free(jumps);
    break;
  }
  case N_STAR: {
    size_t split = emit(c, I_SPLIT, 0, 0);
    c->v[split].x = (uint32_t)(split + 1);
    comp(c, n->sub);
    emit(c, I_JMP, (uint32_t)split, 0);
    c->v[split].y = (uint32_t)c->n;
    break;
  }
  case N_PLUS: {
    size_t body = c->n;
    comp(c, n->sub);
    size_t split = emit(c, I_SPLIT, (uint32_t)body, 0);
    c->v[split].y = (uint32_t)(split + 1);
    break;
  }
  case N_QUEST: {
    size_t split = emit(c, I_SPLIT, 0, 0);
    c->v[split].x = (uint32_t)(split + 1);
    comp(c, n->sub);
    c->v[split].y = (uint32_t)c->n;
    break;
  }
  case N_REPEAT: {
    /* x{2,4} = x x x? x?, x{2,} = x x x*: the same strings as Go's
     * nested x x (x (x)?)? form, which is all a match needs. */
    rnode one = {.kind = n->max < 0 ? N_STAR : N_QUEST, .sub = n->sub};
    for (int i = 0; i < n->min; i++)
      comp(c, n->sub);
    if (n->max < 0)
      comp(c, &one);
    for (int i = n->min; i < n->max; i++)
      comp(c, &one);
    break;
  }
  }
}

/* Instructions comp will emit for n, saturating: checked against Go's
 * maxSize before expanding repeat counts. */
static uint64_t comp_size(const rnode *n)
{
  uint64_t s = 0;
  switch (n->kind) {
  case N_EMPTY:
    return 0;
  case N_CLASS: case N_ANYNL: case N_ASSERT:
    return 1;
  case N_CAT: case N_ALT:
    for (size_t i = 0; i < n->nkids; i++)
      s += comp_size(n->kids[i]);
    if (n->kind == N_ALT)
      s += 2 * (n->nkids - 1);
    break;
  case N_STAR:
    return comp_size(n->sub) + 2;
  case N_PLUS: case N_QUEST:
    return comp_size(n->sub) + 1;
  case N_REPEAT: {
    uint64_t sub = comp_size(n->sub);
    s = (uint64_t)n->min * sub;
    s += n->max < 0 ? sub + 2 : (uint64_t)(n->max - n->min) * (sub + 1);
    break;
  }
  }
  return s > UINT32_MAX ? UINT32_MAX : s;
}

/* Parses and compiles the regexp text re[0..len) into pat->prog in the
 * arena; on failure returns a malloc'd message. */
static char *compile_regexp(dfl_arena *a, const char *re, size_t len, prog *out)
{
  dfl_arena tmp;
  dfl_arena_init(&tmp);
  rparser p = {.s = re, .len = len, .tmp = &tmp};
  rnode *root = parse_alt(&p);
  if (!p.err && p.pos < p.len)
    rerr(&p, "unexpected )", re, len);
  if (!p.err && comp_size(root) > MAX_SIZE)
    rerr(&p, "expression too large", re, len);
  char *err = p.err;
  if (!err) {
    codevec c = {0};
    comp(&c, root);
    emit(&c, I_MATCH, 0, 0);
    out->n = c.n;
    out->code = dfl_arena_alloc(a, c.n * sizeof *c.v);
    memcpy(out->code, c.v, c.n * sizeof *c.v);
    out->ranges = dfl_arena_alloc(a, (p.ranges.n ? p.ranges.n : 1) * sizeof *p.ranges.v);
    if (p.ranges.n)
      memcpy(out->ranges, p.ranges.v, p.ranges.n * sizeof *p.ranges.v);
    out->classes = dfl_arena_alloc(a, (p.nclasses ? p.nclasses : 1) * sizeof *p.classes);
    if (p.nclasses)
      memcpy(out->classes, p.classes, p.nclasses * sizeof *p.classes);
    free(c.v);
  }
  free(p.ranges.v);
  free(p.classes);
  dfl_arena_free(&tmp);
  return err;
}

/* ------------------------------------------------------------------ */
/* Pike VM                                                             */

typedef struct {
  uint32_t *clist, *nlist, *stack, *mark;
  size_t nc, nn;
  uint32_t gen;
} vm;

/* Scratch sized for the largest program; one per match call, so a
 * compiled dfl_ignore can be shared between threads. */
static void vm_init(vm *m, size_t n)
{
  n = n ? n : 1;
  m->clist = dfl_xmalloc(n * sizeof *m->clist);
  m->nlist = dfl_xmalloc(n * sizeof *m->nlist);
  m->stack = dfl_xmalloc(n * sizeof *m->stack);
  m->mark = dfl_xcalloc(n, sizeof *m->mark);
  m->gen = 0;
}

static void vm_free(vm *m)
{
  free(m->clist);
  free(m->nlist);
  free(m->stack);
  free(m->mark);
}

static bool is_word_byte(unsigned char c)
{
  return c == '_' || is_alnum(c);
}

/* Empty-width conditions that hold at pos. */
static unsigned conditions(const char *s, size_t len, size_t pos)
{
  unsigned f = 0;
  bool before = pos > 0 && is_word_byte((unsigned char)s[pos - 1]);
  bool after = pos < len && is_word_byte((unsigned char)s[pos]);
  if (pos == 0)
    f |= E_BEGIN;
  if (pos == len)
    f |= E_END;
  f |= before != after ? E_WORD : E_NOWORD;
  return f;
}

/* Adds pc and everything reachable from it without input to list; true when
 * that reaches I_MATCH. Marks make each pc enter a list at most once per
 * input position, which is what keeps the simulation linear. */
static bool add_thread(vm *m, const prog *pg, uint32_t *list, size_t *nlist, uint32_t pc,
                       unsigned cond)
{
  size_t sp = 0;
  if (m->mark[pc] == m->gen)
    return false;
  m->mark[pc] = m->gen;
  m->stack[sp++] = pc;
  while (sp > 0) {
    const inst *in = &pg->code[m->stack[--sp]];
    uint32_t next[2];
    int nnext = 0;
    switch (in->op) {
    case I_MATCH:
      return true;
    case I_JMP:
      next[nnext++] = in->x;
      break;
    case I_SPLIT:
      next[nnext++] = in->y;
      next[nnext++] = in->x;
      break;
    case I_EMPTY:
      if ((cond & in->cond) == in->cond)
        next[nnext++] = (uint32_t)(in - pg->code) + 1;
      break;
    default:
      list[(*nlist)++] = (uint32_t)(in - pg->code);
    }
    for (int i = 0; i < nnext; i++) {
      if (m->mark[next[i]] != m->gen) {
        m->mark[next[i]] = m->gen;
        m->stack[sp++] = next[i];
      }
    }
  }
  return false;
}

static bool class_has(const prog *pg, uint32_t ci, uint32_t r)
{
  const cls *c = &pg->classes[ci];
  const uint32_t *v = pg->ranges + c->off;
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r < v[2 * mid])
      hi = mid;
    else if (r > v[2 * mid + 1])
      lo = mid + 1;
    else
      return true;
  }
  return false;
}

/* regexp.MatchString: is there a match anywhere in s (the pasted regexp
 * anchors itself with ^ and usually $). */
static bool vm_run(vm *m, const prog *pg, const char *s, size_t len)
{
  size_t pos = 0;
  bool anchored = pg->code[0].op == I_EMPTY && pg->code[0].cond == E_BEGIN;
  m->nc = 0;
  m->gen++;
  unsigned cond = conditions(s, len, 0);
  for (;;) {
    /* Unanchored search: a new thread may start at every position. */
    if (add_thread(m, pg, m->clist, &m->nc, 0, cond))
      return true;
    if (pos >= len)
      return false;
    /* Every pasted regexp starts with ^: once no thread is alive, none can
     * start later either. */
    if (m->nc == 0 && anchored)
      return false;
    size_t w;
    uint32_t r = dfl_utf8_decode(s + pos, len - pos, &w);
    size_t npos = pos + w;
    unsigned ncond = conditions(s, len, npos);
    m->gen++;
    m->nn = 0;
    for (size_t i = 0; i < m->nc; i++) {
      const inst *in = &pg->code[m->clist[i]];
      bool ok = in->op == I_ANYNL ? r != '\n' : class_has(pg, in->x, r);
      if (ok && add_thread(m, pg, m->nlist, &m->nn, m->clist[i] + 1, ncond))
        return true;
    }
    uint32_t *t = m->clist;
    m->clist = m->nlist;
    m->nlist = t;
    m->nc = m->nn;
    pos = npos;
    cond = ncond;
  }
}

/* ------------------------------------------------------------------ */
/* Patterns                                                            */

/* Pattern.compile: classifies the pattern and pastes its Go regexp exactly
 * as patternmatcher does, rune by rune as text/scanner reads it. */
static void compile_pattern(dfl_ignore *ig, pattern *pt)
{
  const char *s = pt->clean;
  size_t len = pt->clean_len, pos = 0, w;
  dfl_buf re;
  dfl_buf_init(&re);
  dfl_buf_putc(&re, '^');
  mtype type = M_EXACT;
  /* text/scanner skips a byte order mark at the very start. */
  if (len >= 3 && dfl_utf8_decode(s, len, &w) == 0xFEFF)
    pos = 3;
  for (int i = 0; pos < len; i++) {
    uint32_t ch = dfl_utf8_decode(s + pos, len - pos, &w);
    pos += w;
    if (ch == '*') {
      if (pos < len && s[pos] == '*') {
        pos++;
        if (pos < len && s[pos] == '/')
          pos++; /* treat "**" + "/" as "**" */
        if (pos >= len) {
          /* Trailing "**", as .gitignore: everything below. */
          if (type == M_EXACT) {
            type = M_PREFIX;
          } else {
            dfl_buf_puts(&re, ".*");
            type = M_REGEXP;
          }
        } else {
          dfl_buf_puts(&re, "(.*/)?");
          type = M_REGEXP;
        }
        if (i == 0)
          type = M_SUFFIX;
      } else {
        dfl_buf_puts(&re, "[^/]*");
        type = M_REGEXP;
      }
    } else if (ch == '?') {
      dfl_buf_puts(&re, "[^/]");
      type = M_REGEXP;
    } else if (ch == '.' || ch == '+' || ch == '(' || ch == ')' || ch == '$') {
      /* shouldEscape: only these of ".+()|{}$" survive its bitmap. */
      dfl_buf_putc(&re, '\\');
      dfl_buf_putc(&re, (char)ch);
    } else if (ch == '\\') {
      if (pos < len) {
        uint32_t next = dfl_utf8_decode(s + pos, len - pos, &w);
        pos += w;
        dfl_buf_putc(&re, '\\');
        dfl_buf_put_rune(&re, next);
        type = M_REGEXP;
      } else {
        dfl_buf_putc(&re, '\\'); /* a trailing backslash stays */
      }
    } else if (ch == '[' || ch == ']') {
      dfl_buf_putc(&re, (char)ch);
      type = M_REGEXP;
    } else {
      dfl_buf_put_rune(&re, ch);
    }
  }
  pt->type = type;
  if (type == M_REGEXP) {
    dfl_buf_putc(&re, '$');
    pt->regexp = dfl_arena_strndup(&ig->arena, re.data, re.len);
    char *err = compile_regexp(&ig->arena, re.data, re.len, &pt->prog);
    if (err) {
      /* Go's errors make BuildKit fail with "syntax error in pattern"; the
       * constructs we do not implement are valid for BuildKit, so say so. */
      bool ours = strncmp(err, "dflint", 6) == 0;
      dfl_buf msg;
      dfl_buf_init(&msg);
      dfl_buf_printf(&msg, "line %zu: %s ", pt->line, ours ? "pattern" : "syntax error in pattern");
      quote_go(&msg, pt->text, pt->text_len);
      dfl_buf_printf(&msg, ours ? ": %s" : " (%s)", err);
      pt->error = dfl_arena_strndup(&ig->arena, msg.data, msg.len);
      dfl_buf_free(&msg);
      free(err);
    } else if (pt->prog.n > ig->max_prog) {
      ig->max_prog = pt->prog.n;
    }
  }
  dfl_buf_free(&re);
}

/* Pattern.match: 1, 0, or -1 when the pattern cannot be evaluated. */
static int pattern_match(const pattern *pt, vm *m, const char *path, size_t len)
{
  const char *c = pt->clean;
  size_t n = pt->clean_len;
  switch (pt->type) {
  case M_EXACT:
    return len == n && memcmp(path, c, n) == 0;
  case M_PREFIX:
    /* strip the trailing "**" */
    return len >= n - 2 && memcmp(path, c, n - 2) == 0;
  case M_SUFFIX: {
    /* strip the leading double star; a pattern "<double star>/foo" also
     * matches "foo" itself */
    const char *suf = c + 2;
    size_t sn = n - 2;
    if (len >= sn && memcmp(path + len - sn, suf, sn) == 0)
      return 1;
    return sn > 0 && suf[0] == '/' && len == sn - 1 && memcmp(path, suf + 1, sn - 1) == 0;
  }
  case M_REGEXP:
    if (pt->error)
      return -1;
    return vm_run(m, &pt->prog, path, len);
  }
  return 0;
}

/* The parent-directory fallback of MatchesOrParentMatches: each prefix of
 * Dir(path) ending before a slash, then Dir(path) itself. */
static int match_parents(const pattern *pt, vm *m, const char *dir, size_t dlen)
{
  for (size_t i = 0; i <= dlen; i++) {
    if (i == dlen || dir[i] == '/') {
      if (pattern_match(pt, m, dir, i) == 1)
        return 1;
    }
  }
  return 0;
}

static int match_impl(const dfl_ignore *ig, const char *path, const bool *parent, bool *out,
                      const char **err)
{
  if (err)
    *err = NULL;
  if (!ig)
    return 0;
  size_t len = strlen(path);
  char *dir = dfl_path_dir(path);
  size_t dlen = strlen(dir);
  bool has_parent = !(dlen == 1 && dir[0] == '.');
  vm m;
  vm_init(&m, ig->max_prog);
  bool matched = false;
  int result = 0;
  for (size_t i = 0; i < ig->n; i++) {
    const pattern *pt = &ig->pats[i];
    int match = parent ? parent[i] : 0;
    if (!match) {
      /* An inclusion cannot change a match, an exclusion needs one. */
      if (pt->exclusion != matched) {
        if (out)
          out[i] = false;
        continue;
      }
      match = pattern_match(pt, &m, path, len);
      if (match < 0) {
        if (err)
          *err = pt->error;
        result = -1;
        break;
      }
      if (!match && !parent && has_parent)
        match = match_parents(pt, &m, dir, dlen);
    }
    if (out)
      out[i] = match;
    if (match)
      matched = !pt->exclusion;
  }
  if (result == 0)
    result = matched;
  vm_free(&m);
  free(dir);
  return result;
}

int dfl_ignore_match(const dfl_ignore *ig, const char *path, const char **err)
{
  return match_impl(ig, path, NULL, NULL, err);
}

bool dfl_ignore_matches(const dfl_ignore *ig, const char *path)
{
  return match_impl(ig, path, NULL, NULL, NULL) == 1;
}

int dfl_ignore_match_walk(const dfl_ignore *ig, const char *path, const bool *parent,
                          bool *out, const char **err)
{
  return match_impl(ig, path, parent, out, err);
}

/* ------------------------------------------------------------------ */
/* ReadAll + New                                                       */

static dfl_ignore *fail(dfl_ignore *ig, dfl_buf *msg, char **err)
{
  dfl_ignore_free(ig);
  char *m = dfl_buf_take(msg);
  if (err)
    *err = m;
  else
    free(m);
  return NULL;
}

/* ReadAll: bufio.Scanner lines (one trailing \r dropped), the BOM stripped
 * from the first, comments only where '#' is the very first byte, then
 * TrimSpace, '!', filepath.Clean and a leading '/' dropped. Returns false
 * (message in msg) on a line bufio.Scanner refuses. */
static bool read_all(dfl_ignore *ig, const char *text, size_t len, dfl_buf *msg)
{
  size_t cap = 0, pos = 0, line = 0;
  dfl_buf pat;
  dfl_buf_init(&pat);
  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    size_t off = pos, n = end - pos;
    pos = nl ? end + 1 : len;
    line++;
    if (n >= MAX_LINE) {
      dfl_buf_printf(msg, "line %zu: bufio.Scanner: token too long (lines are limited to %u bytes)",
                     line, MAX_LINE - 1);
      dfl_buf_free(&pat);
      return false;
    }
    if (n > 0 && text[off + n - 1] == '\r')
      n--;
    if (line == 1 && n >= 3 && memcmp(text + off, "\xEF\xBB\xBF", 3) == 0) {
      off += 3;
      n -= 3;
    }
    if (n > 0 && text[off] == '#')
      continue;
    trim_space(text, &off, &n);
    if (n == 0)
      continue;
    bool invert = text[off] == '!';
    if (invert) {
      off++;
      n--;
      trim_space(text, &off, &n);
    }
    dfl_buf_reset(&pat);
    if (invert)
      dfl_buf_putc(&pat, '!');
    if (n > 0) {
      size_t clen;
      char *c = clean_arena(&ig->arena, text + off, n, &clen);
      if (clen > 1 && c[0] == '/')
        dfl_buf_append(&pat, c + 1, clen - 1);
      else
        dfl_buf_append(&pat, c, clen);
    }
    if (ig->n == cap) {
      cap = cap ? cap * 2 : 16;
      ig->pats = dfl_xrealloc(ig->pats, cap * sizeof *ig->pats);
    }
    pattern *pt = &ig->pats[ig->n++];
    memset(pt, 0, sizeof *pt);
    pt->text = dfl_arena_strndup(&ig->arena, pat.data, pat.len);
    pt->text_len = pat.len;
    pt->line = line;
  }
  dfl_buf_free(&pat);
  return true;
}

/* New: TrimSpace (a no-op after ReadAll), Clean again, '!' split off, then
 * filepath.Match(pattern, ".") as a syntax check. */
static bool new_matcher(dfl_ignore *ig, dfl_buf *msg)
{
  size_t w = 0;
  for (size_t i = 0; i < ig->n; i++) {
    pattern *pt = &ig->pats[i];
    size_t off = 0, n = pt->text_len;
    trim_space(pt->text, &off, &n);
    if (n == 0)
      continue;
    size_t clen;
    char *c = clean_arena(&ig->arena, pt->text + off, n, &clen);
    if (c[0] == '!') {
      if (clen == 1) {
        dfl_buf_printf(msg, "line %zu: illegal exclusion pattern: \"!\"", pt->line);
        return false;
      }
      pt->exclusion = true;
      ig->exclusions = true;
      c++;
      clen--;
    }
    span sp = {c, clen}, dot = {".", 1};
    if (fp_match(sp, dot) < 0) {
      dfl_buf_printf(msg, "line %zu: syntax error in pattern ", pt->line);
      quote_go(msg, pt->text, pt->text_len);
      return false;
    }
    pt->clean = c;
    pt->clean_len = clen;
    compile_pattern(ig, pt);
    ig->pats[w++] = *pt;
  }
  ig->n = w;
  return true;
}

dfl_ignore *dfl_ignore_parse(const char *text, size_t len, char **err)
{
  if (err)
    *err = NULL;
  dfl_ignore *ig = dfl_xcalloc(1, sizeof *ig);
  dfl_arena_init(&ig->arena);
  dfl_buf msg;
  dfl_buf_init(&msg);
  if (!read_all(ig, text, len, &msg) || !new_matcher(ig, &msg))
    return fail(ig, &msg, err);
  dfl_buf_free(&msg);
  return ig;
}

/* Reads a whole file; 1 read, 0 absent (a missing file, or a directory in
 * its place, is no ignore file to BuildKit either), -errno on failure. */
static int read_file(const char *path, char **data, size_t *len)
{
  struct stat st;
  if (stat(path, &st) != 0)
    return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
  if (S_ISDIR(st.st_mode))
    return 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return errno == ENOENT ? 0 : -errno;
  dfl_buf b;
  dfl_buf_init(&b);
  char chunk[8192];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    dfl_buf_append(&b, chunk, got);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    dfl_buf_free(&b);
    return -EIO;
  }
  *len = b.len;
  *data = b.data ? dfl_buf_take(&b) : dfl_xstrndup("", 0);
  return 1;
}

dfl_ignore *dfl_ignore_load(const char *context_dir, const char *dockerfile_path, char **err)
{
  if (err)
    *err = NULL;
  dfl_buf path;
  dfl_buf_init(&path);
  char *data = NULL;
  size_t len = 0;
  int got = 0;
  /* BuildKit reads "<Dockerfile>.dockerignore" next to the Dockerfile first
   * and only falls back to the context's .dockerignore when that file is
   * missing. (Over gRPC an empty file arrives as nil and also falls back;
   * the docs promise the specific file wins, which is what we do.) */
  if (dockerfile_path && *dockerfile_path && strcmp(dockerfile_path, "-") != 0) {
    dfl_buf_printf(&path, "%s.dockerignore", dockerfile_path);
    got = read_file(path.data, &data, &len);
  }
  if (got == 0) {
    dfl_buf_reset(&path);
    const char *dir = context_dir && *context_dir ? context_dir : ".";
    size_t dl = strlen(dir);
    dfl_buf_printf(&path, "%s%s.dockerignore", dir, dl && dir[dl - 1] == '/' ? "" : "/");
    got = read_file(path.data, &data, &len);
  }
  if (got <= 0) {
    if (got < 0 && err) {
      dfl_buf msg;
      dfl_buf_init(&msg);
      dfl_buf_printf(&msg, "%s: %s", path.data, strerror(-got));
      *err = dfl_buf_take(&msg);
    }
    dfl_buf_free(&path);
    return NULL;
  }
  char *perr = NULL;
  dfl_ignore *ig = dfl_ignore_parse(data, len, &perr);
  free(data);
  if (!ig) {
    if (err) {
      dfl_buf msg;
      dfl_buf_init(&msg);
      dfl_buf_printf(&msg, "%s: %s", path.data, perr);
      *err = dfl_buf_take(&msg);
    }
    free(perr);
    dfl_buf_free(&path);
    return NULL;
  }
  ig->source = dfl_buf_take(&path);
  /* Broken patterns name their file too, so a rule can print them as is. */
  for (size_t i = 0; i < ig->n; i++) {
    pattern *pt = &ig->pats[i];
    if (pt->error) {
      dfl_buf msg;
      dfl_buf_init(&msg);
      dfl_buf_printf(&msg, "%s: %s", ig->source, pt->error);
      pt->error = dfl_arena_strndup(&ig->arena, msg.data, msg.len);
      dfl_buf_free(&msg);
    }
  }
  return ig;
}

void dfl_ignore_free(dfl_ignore *ig)
{
  if (!ig)
    return;
  free(ig->pats);
  free(ig->source);
  dfl_arena_free(&ig->arena);
  free(ig);
}

bool dfl_ignore_has_exclusions(const dfl_ignore *ig)
{
  return ig && ig->exclusions;
}

size_t dfl_ignore_count(const dfl_ignore *ig)
{
  return ig ? ig->n : 0;
}

const char *dfl_ignore_pattern(const dfl_ignore *ig, size_t i)
{
  return ig && i < ig->n ? ig->pats[i].text : NULL;
}

bool dfl_ignore_is_exclusion(const dfl_ignore *ig, size_t i)
{
  return ig && i < ig->n && ig->pats[i].exclusion;
}

size_t dfl_ignore_line(const dfl_ignore *ig, size_t i)
{
  return ig && i < ig->n ? ig->pats[i].line : 0;
}

const char *dfl_ignore_pattern_error(const dfl_ignore *ig, size_t i)
{
  return ig && i < ig->n ? ig->pats[i].error : NULL;
}

const char *dfl_ignore_regexp(const dfl_ignore *ig, size_t i)
{
  return ig && i < ig->n && ig->pats[i].type == M_REGEXP ? ig->pats[i].regexp : NULL;
}

const char *dfl_ignore_source(const dfl_ignore *ig)
{
  return ig ? ig->source : NULL;
}
