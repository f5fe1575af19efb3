/* The shell model of RUN (see dflint/shell.h for what it is and is not).
 *
 * One pass over the text. The tokenizer hands out operators and word starts;
 * the list parser keeps compound commands (( ), { }, if, loops, case) on an
 * explicit frame stack, so their nesting costs heap, not C stack. Words are
 * lexed where they start, and a $( ), `` or <( ) inside one starts a nested
 * list right there: that is the only recursion, and it is capped at
 * DFL_SH_MAX_NESTING (deeper text is skipped by an iterative scanner).
 *
 * Commands are numbered when their first word or redirection starts, so the
 * list is in text order with an outer command before the commands of its
 * substitutions. Words and redirections go to flat arrays tagged with their
 * command and are handed out per command at the end. Every construct gets a
 * scope record (parent, kind); they give `nest`, `depth`, inherited pipes and
 * the "does this assignment reach that command" walk of dfl_sh_env_before. */
#include "dflint/shell.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

struct dfl_sh_scope {
  unsigned bits;    /* DFL_SH_IN_* of this construct; 0 for the root */
  unsigned parent;
  unsigned level;   /* number of ancestors, for the common-ancestor walk */
  unsigned depth;   /* enclosing ( ), { }, substitutions, itself included */
  unsigned nest;    /* bits of this scope and all its ancestors */
  bool piped;       /* this compound command is a pipeline element */
};

/* A command while it is being parsed; words and redirections are counted
 * here and stored in the flat arrays. */
typedef struct pcmd {
  size_t start, end;
  size_t next, parent;
  unsigned scope;
  dfl_sh_op op;
  bool piped, dead;
  size_t nargv, nassign, nredir;
} pcmd;

typedef struct pword {
  dfl_sh_word w;
  size_t owner;
  bool assign;
} pword;

typedef struct predir {
  dfl_sh_redir r;
  size_t owner;
} predir;

typedef enum fkind {
  F_ROOT,
  F_SUBSHELL,
  F_GROUP,
  F_IF,
  F_LOOP,
  F_CASE,
  F_SUBST, /* $( ) and <( ): ends at ) */
  F_BQ,    /* `...`: ends at the parser's limit */
  F__COUNT
} fkind;

typedef enum phase {
  PH_NONE,
  PH_COND,         /* if/elif/while/until test */
  PH_BODY,
  PH_HEADER,       /* for NAME in words */
  PH_CASE_WORD,
  PH_CASE_IN,
  PH_CASE_PATTERN,
} phase;

typedef struct frame {
  fkind kind;
  phase phase;
  unsigned scope; /* the construct */
  unsigned cur;   /* the scope commands get now: a condition or a branch */
  size_t words;   /* header words (for) or pattern words (case) */
  bool sep;       /* for: a ; or newline was seen in the header */
} frame;

typedef struct sbuf {
  char *d;
  size_t n, cap;
} sbuf;

typedef struct parser {
  dfl_sh_script *s;
  const char *t;
  size_t pos, lim; /* lim is narrowed to the closing ` inside backquotes */
  pcmd *cmds;
  size_t ncmds, capcmds;
  pword *words;
  size_t nwords, capwords;
  predir *redirs;
  size_t nredirs, capredirs;
  dfl_sh_scope *scopes;
  size_t nscopes, capscopes;
  frame *frames;
  size_t nframes, capframes;
  size_t open[F__COUNT]; /* open frames per kind */
  size_t *heredocs;      /* redirections waiting for their body */
  size_t nheredocs, capheredocs;
  sbuf cooked; /* a stack: each word appends after the words it is in */
  unsigned rec; /* recursion depth of nested substitutions */
  size_t owner; /* the command whose word is being lexed, or NONE */
  unsigned problems;
} parser;

/* One list (the script, or one substitution's body). */
typedef struct level {
  size_t base;         /* this level's frame */
  size_t parent;       /* command owning the substitution, or NONE */
  size_t cur;          /* command being built, or NONE */
  size_t prev;         /* finished command waiting for `next`, or NONE */
  bool pipe_pending;   /* the next command or compound is piped into */
  bool after_compound; /* fi, done, esac, ), } just closed something */
  unsigned last_scope; /* ... its scope, or UINT_MAX */
  bool cond;           /* inside [[ ... ]] */
  bool funcdef;        /* the next compound command is a function body */
  size_t open0[F__COUNT];
} level;

#define DEFINE_PUSH(fn, type, arr, n, cap)                                   \
  static type *fn(parser *p)                                                 \
  {                                                                          \
    if (p->n == p->cap) {                                                    \
      p->cap = p->cap ? p->cap * 2 : 16;                                     \
      p->arr = dfl_xrealloc(p->arr, p->cap * sizeof *p->arr);                \
    }                                                                        \
    type *e = &p->arr[p->n++];                                               \
    memset(e, 0, sizeof *e);                                                 \
    return e;                                                                \
  }

DEFINE_PUSH(push_cmd, pcmd, cmds, ncmds, capcmds)
DEFINE_PUSH(push_word, pword, words, nwords, capwords)
DEFINE_PUSH(push_redir, predir, redirs, nredirs, capredirs)
DEFINE_PUSH(push_scope, dfl_sh_scope, scopes, nscopes, capscopes)
DEFINE_PUSH(push_frame_raw, frame, frames, nframes, capframes)

static void put(sbuf *b, const char *s, size_t n)
{
  if (!b || n == 0)
    return;
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n)
      cap *= 2;
    b->d = dfl_xrealloc(b->d, cap);
    b->cap = cap;
  }
  memcpy(b->d + b->n, s, n);
  b->n += n;
}

static void putch(sbuf *b, char c)
{
  put(b, &c, 1);
}

/* ---- characters ---------------------------------------------------------- */

static char at(const parser *p, size_t i)
{
  return i < p->lim ? p->t[i] : '\0';
}

/* \r counts as a blank so CRLF heredoc bodies lex like LF ones. */
static bool is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

static bool is_meta(char c)
{
  return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' ||
         c == '(' || c == ')';
}

static bool is_delim(char c)
{
  return is_blank(c) || c == '\n' || is_meta(c);
}

static bool is_name_start(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(char c)
{
  return is_name_start(c) || (c >= '0' && c <= '9');
}

/* Length of a backslash-newline (or backslash-CRLF) at i, else 0. */
static size_t continuation(const parser *p, size_t i)
{
  if (at(p, i) != '\\')
    return 0;
  if (at(p, i + 1) == '\n')
    return 2;
  if (at(p, i + 1) == '\r' && at(p, i + 2) == '\n')
    return 3;
  return 0;
}

/* NAME=, NAME+= or NAME[...]= at the start of raw; returns the length of
 * the name part (before "+=" or "="), 0 when it is no assignment. */
static size_t assignment_name(const char *raw, size_t n)
{
  if (n == 0 || !is_name_start(raw[0]))
    return 0;
  size_t i = 1;
  while (i < n && is_name_char(raw[i]))
    i++;
  if (i < n && raw[i] == '[') {
    while (i < n && raw[i] != ']')
      i++;
    if (i == n)
      return 0;
    i++;
  }
  if (i < n && raw[i] == '=')
    return i;
  if (i + 1 < n && raw[i] == '+' && raw[i + 1] == '=')
    return i;
  return 0;
}

/* ---- scopes and frames -------------------------------------------------- */

static unsigned new_scope(parser *p, unsigned parent, unsigned bits)
{
  dfl_sh_scope *sc = push_scope(p);
  sc->bits = bits;
  sc->parent = parent;
  return (unsigned)(p->nscopes - 1);
}

static unsigned cur_scope(const parser *p)
{
  return p->frames[p->nframes - 1].cur;
}

static frame *top(parser *p)
{
  return &p->frames[p->nframes - 1];
}

static void open_frame(parser *p, level *L, fkind kind, unsigned bits)
{
  if (L && L->funcdef)
    bits |= DFL_SH_IN_FUNCTION;
  unsigned sc = new_scope(p, cur_scope(p), bits);
  if (L) {
    p->scopes[sc].piped = L->pipe_pending;
    L->pipe_pending = false;
    L->funcdef = false;
    L->after_compound = false;
  }
  frame *f = push_frame_raw(p);
  f->kind = kind;
  f->scope = f->cur = sc;
  p->open[kind]++;
}

static void close_frame(parser *p, level *L)
{
  frame *f = top(p);
  p->open[f->kind]--;
  L->after_compound = true;
  L->last_scope = f->scope;
  L->prev = NONE;
  L->pipe_pending = false;
  L->cond = false;
  p->nframes--;
}

/* Makes the innermost open `kind` frame of this level the top one, closing
 * (as errors) what is open inside it. False when there is none. Frames are
 * counted per kind, so a closer with nothing to close costs O(1). */
static bool close_to(parser *p, level *L, fkind kind)
{
  if (p->open[kind] <= L->open0[kind])
    return false;
  while (top(p)->kind != kind) {
    p->problems |= DFL_SH_PROB_SYNTAX;
    close_frame(p, L);
  }
  return true;
}

/* ---- commands ----------------------------------------------------------- */

static void start_cmd(parser *p, level *L, size_t start)
{
  pcmd *c = push_cmd(p);
  size_t idx = p->ncmds - 1;
  c->start = c->end = start;
  c->next = NONE;
  c->parent = L->parent;
  c->scope = cur_scope(p);
  c->piped = L->pipe_pending;
  L->pipe_pending = false;
  if (L->prev != NONE)
    p->cmds[L->prev].next = idx;
  L->prev = NONE;
  L->funcdef = false;
  L->after_compound = false;
  L->cur = idx;
}

static void finish_cmd(parser *p, level *L, dfl_sh_op op)
{
  L->cond = false;
  if (L->cur == NONE)
    return;
  pcmd *c = &p->cmds[L->cur];
  c->op = op;
  L->prev = op == DFL_SH_OP_NONE ? NONE : L->cur;
  if (op == DFL_SH_OP_PIPE) {
    c->piped = true;
    L->pipe_pending = true;
  }
  L->cur = NONE;
}

static void extend_cmd(parser *p, size_t owner, size_t end)
{
  if (owner != NONE && p->cmds[owner].end < end)
    p->cmds[owner].end = end;
}

/* ---- skipping (past the nesting cap) ------------------------------------ */

/* Moves past the close that balances `depth` opens, honouring quotes and
 * backslashes; iterative, for text nested too deep to parse. */
static void skip_balanced(parser *p, char open, char close, unsigned depth)
{
  p->problems |= DFL_SH_PROB_DEPTH;
  while (p->pos < p->lim) {
    char c = p->t[p->pos];
    if (c == '\\') {
      p->pos = p->pos + 2 < p->lim ? p->pos + 2 : p->lim;
    } else if (c == '\'' || c == '"' || c == '`') {
      size_t j = p->pos + 1;
      while (j < p->lim && p->t[j] != c)
        j += (c != '\'' && p->t[j] == '\\') ? 2 : 1;
      p->pos = j < p->lim ? j + 1 : p->lim;
    } else if (c == open) {
      depth++;
      p->pos++;
    } else if (c == close) {
      p->pos++;
      if (--depth == 0)
        return;
    } else {
      p->pos++;
    }
  }
  p->problems |= DFL_SH_PROB_QUOTE;
}

/* ---- words -------------------------------------------------------------- */

static void parse_list(parser *p, size_t parent);
static void lex_dollar(parser *p, sbuf *out, unsigned *flags, bool in_dq);
static void lex_backquote(parser *p, sbuf *out, unsigned *flags);

/* '...': pos at the opening quote. */
static void lex_squote(parser *p, sbuf *out)
{
  size_t from = p->pos + 1;
  const char *q = from < p->lim ? memchr(p->t + from, '\'', p->lim - from)
                                : NULL;
  size_t end = q ? (size_t)(q - p->t) : p->lim;
  put(out, p->t + from, end - from);
  if (!q)
    p->problems |= DFL_SH_PROB_QUOTE;
  p->pos = q ? end + 1 : p->lim;
}

/* "...": pos at the opening quote. */
static void lex_dquote(parser *p, sbuf *out, unsigned *flags)
{
  p->pos++;
  for (;;) {
    if (p->pos >= p->lim) {
      p->problems |= DFL_SH_PROB_QUOTE;
      return;
    }
    char c = p->t[p->pos];
    if (c == '"') {
      p->pos++;
      return;
    }
    if (c == '\\') {
      size_t k = continuation(p, p->pos);
      char n = at(p, p->pos + 1);
      if (k) {
        p->pos += k;
      } else if (n == '$' || n == '`' || n == '"' || n == '\\') {
        putch(out, n);
        p->pos += 2;
      } else {
        putch(out, c);
        p->pos++;
      }
    } else if (c == '$') {
      lex_dollar(p, out, flags, true);
    } else if (c == '`') {
      lex_backquote(p, out, flags);
    } else {
      putch(out, c);
      p->pos++;
    }
  }
}

/* $'...' (bash): pos at the '$'. The common escapes are decoded; others
 * are kept as written. */
static void lex_ansi(parser *p, sbuf *out)
{
  p->pos += 2;
  while (p->pos < p->lim && p->t[p->pos] != '\'') {
    char c = p->t[p->pos];
    if (c != '\\' || p->pos + 1 >= p->lim) {
      putch(out, c);
      p->pos++;
      continue;
    }
    char n = p->t[p->pos + 1];
    const char *map = "a\ab\be\033E\033f\fn\nr\rt\tv\v\\\\''\"\"??";
    const char *m = NULL;
    for (const char *k = map; *k; k += 2)
      if (*k == n) {
        m = k + 1;
        break;
      }
    if (m) {
      putch(out, *m);
      p->pos += 2;
    } else if (n >= '0' && n <= '7') {
      unsigned v = 0;
      size_t i = p->pos + 1;
      for (int d = 0; d < 3 && i < p->lim && p->t[i] >= '0' && p->t[i] <= '7';
           d++, i++)
        v = v * 8 + (unsigned)(p->t[i] - '0');
      putch(out, (char)v);
      p->pos = i;
    } else {
      put(out, p->t + p->pos, 2);
      p->pos += 2;
    }
  }
  if (p->pos >= p->lim)
    p->problems |= DFL_SH_PROB_QUOTE;
  else
    p->pos++;
}

/* $( ), <( ), >( ): pos at the character before '('. The body is a nested
 * list whose commands name the current owner as parent. */
static void lex_subst(parser *p)
{
  p->pos += 2;
  if (p->rec >= DFL_SH_MAX_NESTING) {
    skip_balanced(p, '(', ')', 1);
    return;
  }
  p->rec++;
  open_frame(p, NULL, F_SUBST, DFL_SH_IN_SUBST);
  parse_list(p, p->owner);
  p->rec--;
}

/* Inside $(( )) and ${ }: escapes, quotes and substitutions, which are
 * parsed (their text is not kept). Returns false for any other character.
 * In double quotes a single quote is an ordinary character. */
static bool lex_nested(parser *p, char c, bool in_dq, unsigned *flags)
{
  if (c == '\\')
    p->pos = p->pos + 2 < p->lim ? p->pos + 2 : p->lim;
  else if (c == '\'' && !in_dq)
    lex_squote(p, NULL);
  else if (c == '"')
    lex_dquote(p, NULL, flags);
  else if (c == '$')
    lex_dollar(p, NULL, flags, in_dq);
  else if (c == '`')
    lex_backquote(p, NULL, flags);
  else
    return false;
  return true;
}

/* $(( )) and the (( )) command: pos at the first character, skip is how
 * many characters open it. Substitutions inside are parsed. */
static void lex_arith(parser *p, size_t skip)
{
  p->pos += skip;
  if (p->rec >= DFL_SH_MAX_NESTING) {
    skip_balanced(p, '(', ')', 2);
    return;
  }
  p->rec++;
  unsigned depth = 0, flags = 0;
  for (;;) {
    if (p->pos >= p->lim) {
      p->problems |= DFL_SH_PROB_QUOTE;
      break;
    }
    char c = p->t[p->pos];
    if (c == '(') {
      depth++;
      p->pos++;
    } else if (c == ')') {
      p->pos++;
      if (depth > 0) {
        depth--;
      } else {
        if (at(p, p->pos) == ')')
          p->pos++;
        break;
      }
    } else if (!lex_nested(p, c, false, &flags)) {
      p->pos++;
    }
  }
  p->rec--;
}

/* ${...}: pos at the '$'. Braces nest as in bash; substitutions inside
 * (${X:-$(cmd)}) are parsed. */
static void lex_brace(parser *p, bool in_dq)
{
  p->pos += 2;
  if (p->rec >= DFL_SH_MAX_NESTING) {
    skip_balanced(p, '{', '}', 1);
    return;
  }
  p->rec++;
  unsigned depth = 1, flags = 0;
  for (;;) {
    if (p->pos >= p->lim) {
      p->problems |= DFL_SH_PROB_QUOTE;
      break;
    }
    char c = p->t[p->pos];
    if (c == '{') {
      depth++;
      p->pos++;
    } else if (c == '}') {
      p->pos++;
      if (--depth == 0)
        break;
    } else if (!lex_nested(p, c, in_dq, &flags)) {
      p->pos++;
    }
  }
  p->rec--;
}

/* `...`: pos at the opening backquote. The body runs to the next unescaped
 * backquote and is parsed as a list with the limit moved there; \` \$ \\
 * inside are then ordinary escapes to the inner lexer, which is what the
 * shell's extra backslash pass amounts to for finding commands. */
static void lex_backquote(parser *p, sbuf *out, unsigned *flags)
{
  size_t s0 = p->pos, j = p->pos + 1;
  while (j < p->lim && p->t[j] != '`')
    j += p->t[j] == '\\' ? 2 : 1;
  bool found = j < p->lim;
  size_t end = found ? j : p->lim;
  if (!found)
    p->problems |= DFL_SH_PROB_QUOTE;
  if (p->rec >= DFL_SH_MAX_NESTING) {
    p->problems |= DFL_SH_PROB_DEPTH;
  } else {
    p->rec++;
    size_t saved = p->lim;
    p->lim = end;
    p->pos = s0 + 1;
    open_frame(p, NULL, F_BQ, DFL_SH_IN_SUBST);
    parse_list(p, p->owner);
    p->lim = saved;
    p->rec--;
  }
  p->pos = found ? end + 1 : end;
  put(out, p->t + s0, p->pos - s0);
  *flags |= DFL_SH_WORD_EXPANDS;
}

/* Anything starting with '$': pos at the '$'. Expansions are kept as
 * written; a '$' that starts none is literal. */
static void lex_dollar(parser *p, sbuf *out, unsigned *flags, bool in_dq)
{
  size_t s0 = p->pos;
  char n = at(p, p->pos + 1);
  if (n == '\'' && !in_dq) {
    lex_ansi(p, out);
    *flags |= DFL_SH_WORD_QUOTED;
    return;
  }
  if (n == '"' && !in_dq) {
    p->pos++;
    lex_dquote(p, out, flags);
    *flags |= DFL_SH_WORD_QUOTED;
    return;
  }
  if (n == '(' && at(p, p->pos + 2) == '(')
    lex_arith(p, 3);
  else if (n == '(')
    lex_subst(p);
  else if (n == '{')
    lex_brace(p, in_dq);
  else if (is_name_start(n)) {
    p->pos += 2;
    while (p->pos < p->lim && is_name_char(p->t[p->pos]))
      p->pos++;
  } else if ((n >= '0' && n <= '9') || (n && strchr("@*#?$!-", n))) {
    p->pos += 2;
  } else {
    putch(out, '$');
    p->pos++;
    return;
  }
  put(out, p->t + s0, p->pos - s0);
  *flags |= DFL_SH_WORD_EXPANDS;
}

/* One word from pos (which is at a word character). Quote removal goes to
 * the cooked stack; the text is copied to the arena at the end. */
static void lex_word(parser *p, dfl_sh_word *w)
{
  size_t start = p->pos, mark = p->cooked.n;
  unsigned flags = 0;
  bool array = false;
  while (p->pos < p->lim) {
    char c = p->t[p->pos];
    if ((c == '<' || c == '>') && p->pos == start && at(p, p->pos + 1) == '(') {
      lex_subst(p);
      put(&p->cooked, p->t + start, p->pos - start);
      flags |= DFL_SH_WORD_EXPANDS;
      continue;
    }
    bool delim = is_delim(c);
    if (array) {
      /* NAME=(a b c): blanks and newlines are part of the word. */
      if (c == ')')
        array = false;
      if (delim) {
        putch(&p->cooked, c);
        p->pos++;
        continue;
      }
    } else if (delim) {
      size_t n = p->pos - start;
      size_t nl = assignment_name(p->t + start, n);
      if (c == '(' && nl && (nl + 1 == n || (nl + 2 == n && p->t[start + nl] == '+'))) {
        array = true;
        putch(&p->cooked, c);
        p->pos++;
        continue;
      }
      break;
    }
    switch (c) {
    case '\\': {
      size_t k = continuation(p, p->pos);
      if (k) {
        p->pos += k;
      } else if (p->pos + 1 < p->lim) {
        putch(&p->cooked, p->t[p->pos + 1]);
        p->pos += 2;
        flags |= DFL_SH_WORD_QUOTED;
      } else {
        putch(&p->cooked, c);
        p->pos++;
      }
      break;
    }
    case '\'':
      lex_squote(p, &p->cooked);
      flags |= DFL_SH_WORD_QUOTED;
      break;
    case '"':
      lex_dquote(p, &p->cooked, &flags);
      flags |= DFL_SH_WORD_QUOTED;
      break;
    case '$':
      lex_dollar(p, &p->cooked, &flags, false);
      break;
    case '`':
      lex_backquote(p, &p->cooked, &flags);
      break;
    default:
      putch(&p->cooked, c);
      p->pos++;
    }
  }
  if (array)
    p->problems |= DFL_SH_PROB_QUOTE;
  if (p->pos == start && p->pos < p->lim)
    p->pos++; /* never stall, whatever the caller thought was a word */
  memset(w, 0, sizeof *w);
  w->text = dfl_arena_strndup(&p->s->arena, p->cooked.d ? p->cooked.d + mark : "",
                              p->cooked.n - mark);
  w->len = p->cooked.n - mark;
  p->cooked.n = mark;
  w->raw = p->t + start;
  w->raw_len = p->pos - start;
  w->start = start;
  w->end = p->pos;
  w->flags = flags;
}

/* A word for no command (for lists, case subjects and patterns, function
 * names): lexed for the substitutions in it, then dropped. */
static dfl_sh_word lex_loose_word(parser *p)
{
  size_t saved = p->owner;
  p->owner = NONE;
  dfl_sh_word w;
  lex_word(p, &w);
  p->owner = saved;
  return w;
}

static void add_word(parser *p, level *L)
{
  size_t owner = L->cur, saved = p->owner;
  p->owner = owner;
  dfl_sh_word w;
  lex_word(p, &w);
  p->owner = saved;
  bool assign = p->cmds[owner].nargv == 0 &&
                assignment_name(w.raw, w.raw_len) != 0;
  pword *pw = push_word(p);
  pw->w = w;
  pw->owner = owner;
  pw->assign = assign;
  pcmd *c = &p->cmds[owner];
  if (assign) {
    c->nassign++;
  } else if (++c->nargv == 1 && !(w.flags & DFL_SH_WORD_QUOTED) &&
             w.len == 2 && memcmp(w.text, "[[", 2) == 0) {
    L->cond = true;
  }
  extend_cmd(p, owner, w.end);
}

/* ---- tokens ------------------------------------------------------------- */

typedef enum tk {
  TK_EOF,
  TK_WORD, /* pos is left at the word */
  TK_CONDOP, /* an operator inside [[ ]], which is a word there */
  TK_NEWLINE,
  TK_SEMI,
  TK_DSEMI, /* ;; ;& ;;& */
  TK_AND,
  TK_OR,
  TK_PIPE,
  TK_BG,
  TK_LPAREN,
  TK_RPAREN,
  TK_REDIR,
} tk;

typedef struct token {
  tk kind;
  size_t start;
  dfl_sh_redir_kind rkind;
  const char *op;
  int fd;
} token;

static void skip_blanks(parser *p, bool newlines)
{
  while (p->pos < p->lim) {
    char c = p->t[p->pos];
    size_t k;
    if (is_blank(c) || (newlines && c == '\n')) {
      p->pos++;
    } else if ((k = continuation(p, p->pos)) != 0) {
      p->pos += k;
    } else if (c == '#') {
      const char *nl = memchr(p->t + p->pos, '\n', p->lim - p->pos);
      p->pos = nl ? (size_t)(nl - p->t) : p->lim;
    } else {
      break;
    }
  }
}

/* Reads the bodies of the here-documents opened on the line that just
 * ended: pos is after its newline. */
static void read_heredocs(parser *p)
{
  for (size_t i = 0; i < p->nheredocs; i++) {
    dfl_sh_redir *r = &p->redirs[p->heredocs[i]].r;
    r->has_body = true;
    r->body_start = p->pos;
    r->body_end = p->lim;
    while (p->pos < p->lim) {
      size_t ls = p->pos;
      const char *nl = memchr(p->t + ls, '\n', p->lim - ls);
      size_t le = nl ? (size_t)(nl - p->t) : p->lim;
      size_t ts = ls, te = le;
      if (r->strip_tabs)
        while (ts < te && p->t[ts] == '\t')
          ts++;
      if (te > ts && p->t[te - 1] == '\r')
        te--;
      p->pos = nl ? le + 1 : p->lim;
      if (te - ts == r->target.len &&
          memcmp(p->t + ts, r->target.text, r->target.len) == 0) {
        r->body_end = ls;
        r->terminated = true;
        break;
      }
    }
    if (!r->terminated)
      p->problems |= DFL_SH_PROB_HEREDOC;
  }
  p->nheredocs = 0;
}

static void redir_token(token *t, dfl_sh_redir_kind k, const char *op)
{
  t->kind = TK_REDIR;
  t->rkind = k;
  t->op = op;
}

/* The next token. Operators are consumed; for a word, pos stays at its
 * start. In [[ ]] newlines are blanks and < > ( ) | & are words. */
static void next_token(parser *p, bool cond, token *t)
{
  skip_blanks(p, cond);
  memset(t, 0, sizeof *t);
  t->start = p->pos;
  t->fd = -1;
  if (p->pos >= p->lim) {
    t->kind = TK_EOF;
    return;
  }
  char c = p->t[p->pos], c1 = at(p, p->pos + 1), c2 = at(p, p->pos + 2);
  if (cond && c && strchr("<>()|&", c)) {
    t->kind = TK_CONDOP;
    p->pos += ((c == '&' || c == '|') && c1 == c) ? 2 : 1;
    return;
  }
  if (c >= '0' && c <= '9') {
    size_t j = p->pos;
    long fd = 0;
    while (j < p->lim && p->t[j] >= '0' && p->t[j] <= '9') {
      if (fd < 100000)
        fd = fd * 10 + (p->t[j] - '0');
      j++;
    }
    char d = at(p, j);
    if ((d == '<' || d == '>') && at(p, j + 1) != '(') {
      t->fd = (int)fd;
      p->pos = j;
      c = d;
      c1 = at(p, j + 1);
      c2 = at(p, j + 2);
    } else {
      t->kind = TK_WORD;
      return;
    }
  }
  switch (c) {
  case '\n':
    p->pos++;
    t->kind = TK_NEWLINE;
    read_heredocs(p);
    return;
  case ';':
    if (c1 == ';') {
      p->pos += c2 == '&' ? 3 : 2;
      t->kind = TK_DSEMI;
    } else if (c1 == '&') {
      p->pos += 2;
      t->kind = TK_DSEMI;
    } else {
      p->pos++;
      t->kind = TK_SEMI;
    }
    return;
  case '&':
    if (c1 == '&') {
      p->pos += 2;
      t->kind = TK_AND;
    } else if (c1 == '>' && c2 == '>') {
      p->pos += 3;
      redir_token(t, DFL_SH_REDIR_ALL_APPEND, "&>>");
    } else if (c1 == '>') {
      p->pos += 2;
      redir_token(t, DFL_SH_REDIR_ALL, "&>");
    } else {
      p->pos++;
      t->kind = TK_BG;
    }
    return;
  case '|':
    p->pos += (c1 == '|' || c1 == '&') ? 2 : 1;
    t->kind = c1 == '|' ? TK_OR : TK_PIPE;
    return;
  case '(':
    p->pos++;
    t->kind = TK_LPAREN;
    return;
  case ')':
    p->pos++;
    t->kind = TK_RPAREN;
    return;
  case '<':
    if (c1 == '(' && t->fd < 0) {
      t->kind = TK_WORD;
    } else if (c1 == '<' && c2 == '<') {
      p->pos += 3;
      redir_token(t, DFL_SH_REDIR_HERESTRING, "<<<");
    } else if (c1 == '<' && c2 == '-') {
      p->pos += 3;
      redir_token(t, DFL_SH_REDIR_HEREDOC, "<<-");
    } else if (c1 == '<') {
      p->pos += 2;
      redir_token(t, DFL_SH_REDIR_HEREDOC, "<<");
    } else if (c1 == '&') {
      p->pos += 2;
      redir_token(t, DFL_SH_REDIR_DUP_IN, "<&");
    } else if (c1 == '>') {
      p->pos += 2;
      redir_token(t, DFL_SH_REDIR_READ_WRITE, "<>");
    } else {
      p->pos++;
      redir_token(t, DFL_SH_REDIR_IN, "<");
    }
    return;
  case '>':
    if (c1 == '(' && t->fd < 0) {
      t->kind = TK_WORD;
    } else if (c1 == '>') {
      p->pos += 2;
      redir_token(t, DFL_SH_REDIR_APPEND, ">>");
    } else if (c1 == '&') {
      p->pos += 2;
      redir_token(t, DFL_SH_REDIR_DUP_OUT, ">&");
    } else if (c1 == '|') {
      p->pos += 2;
      redir_token(t, DFL_SH_REDIR_CLOBBER, ">|");
    } else {
      p->pos++;
      redir_token(t, DFL_SH_REDIR_OUT, ">");
    }
    return;
  default:
    t->kind = TK_WORD;
  }
}

/* ---- keywords ----------------------------------------------------------- */

typedef enum kw {
  KW_NONE,
  KW_IF,
  KW_THEN,
  KW_ELIF,
  KW_ELSE,
  KW_FI,
  KW_WHILE,
  KW_UNTIL,
  KW_FOR,
  KW_SELECT,
  KW_DO,
  KW_DONE,
  KW_CASE,
  KW_ESAC,
  KW_LBRACE,
  KW_RBRACE,
  KW_BANG,
  KW_FUNCTION,
} kw;

/* The reserved word at pos, if the word there is one: unquoted, whole. */
static kw peek_keyword(const parser *p, size_t *len)
{
  static const struct {
    const char *s;
    kw k;
  } table[] = {
    {"if", KW_IF},         {"then", KW_THEN},   {"elif", KW_ELIF},
    {"else", KW_ELSE},     {"fi", KW_FI},       {"while", KW_WHILE},
    {"until", KW_UNTIL},   {"for", KW_FOR},     {"select", KW_SELECT},
    {"do", KW_DO},         {"done", KW_DONE},   {"case", KW_CASE},
    {"esac", KW_ESAC},     {"{", KW_LBRACE},    {"}", KW_RBRACE},
    {"!", KW_BANG},        {"function", KW_FUNCTION},
  };
  size_t i = p->pos;
  while (i < p->lim && i - p->pos < 9 && p->t[i] && !is_delim(p->t[i]) &&
         !strchr("'\"\\$`", p->t[i]))
    i++;
  if (i < p->lim && !is_delim(p->t[i]))
    return KW_NONE;
  size_t n = i - p->pos;
  for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
    if (strlen(table[k].s) == n && memcmp(table[k].s, p->t + p->pos, n) == 0) {
      *len = n;
      return table[k].k;
    }
  return KW_NONE;
}

static void keyword(parser *p, level *L, kw k, size_t len)
{
  p->pos += len;
  frame *f;
  switch (k) {
  case KW_IF:
  case KW_WHILE:
  case KW_UNTIL: {
    unsigned bits = k == KW_IF ? DFL_SH_IN_IF : DFL_SH_IN_LOOP;
    open_frame(p, L, k == KW_IF ? F_IF : F_LOOP, bits);
    f = top(p);
    f->phase = PH_COND;
    f->cur = new_scope(p, f->scope, bits | DFL_SH_IN_CONDITION);
    break;
  }
  case KW_FOR:
  case KW_SELECT:
    open_frame(p, L, F_LOOP, DFL_SH_IN_LOOP);
    top(p)->phase = PH_HEADER;
    break;
  case KW_THEN:
  case KW_ELSE:
  case KW_ELIF:
  case KW_DO: {
    fkind want = k == KW_DO ? F_LOOP : F_IF;
    if (!close_to(p, L, want)) {
      p->problems |= DFL_SH_PROB_SYNTAX;
      break;
    }
    f = top(p);
    unsigned bits = want == F_IF ? DFL_SH_IN_IF : DFL_SH_IN_LOOP;
    if (k == KW_ELIF) {
      f->phase = PH_COND;
      f->cur = new_scope(p, f->scope, bits | DFL_SH_IN_CONDITION);
    } else {
      f->phase = PH_BODY;
      f->cur = new_scope(p, f->scope, bits);
    }
    /* `a; then b` reads as a then b; a branch switch ends the chain. */
    if (k == KW_ELSE || k == KW_ELIF)
      L->prev = NONE;
    L->pipe_pending = false;
    L->after_compound = false;
    break;
  }
  case KW_FI:
  case KW_DONE:
  case KW_ESAC:
  case KW_RBRACE: {
    fkind want = k == KW_FI     ? F_IF
                 : k == KW_DONE ? F_LOOP
                 : k == KW_ESAC ? F_CASE
                                : F_GROUP;
    if (close_to(p, L, want)) {
      /* fi before then, done before do */
      if (top(p)->phase == PH_COND || top(p)->phase == PH_HEADER)
        p->problems |= DFL_SH_PROB_SYNTAX;
      close_frame(p, L);
    } else {
      p->problems |= DFL_SH_PROB_SYNTAX;
    }
    break;
  }
  case KW_CASE:
    open_frame(p, L, F_CASE, DFL_SH_IN_CASE);
    top(p)->phase = PH_CASE_WORD;
    break;
  case KW_LBRACE:
    open_frame(p, L, F_GROUP, DFL_SH_IN_GROUP);
    break;
  case KW_BANG:
    break;
  case KW_FUNCTION:
    /* function NAME [()] BODY */
    skip_blanks(p, false);
    if (p->pos < p->lim && !is_delim(p->t[p->pos]))
      lex_loose_word(p);
    skip_blanks(p, false);
    if (at(p, p->pos) == '(') {
      p->pos++;
      skip_blanks(p, false);
      if (at(p, p->pos) == ')')
        p->pos++;
    }
    L->funcdef = true;
    break;
  case KW_NONE:
    break;
  }
}

/* ---- lists -------------------------------------------------------------- */

static void redirection(parser *p, level *L, const token *tok)
{
  if (L->cur == NONE && !L->after_compound)
    start_cmd(p, L, tok->start);
  size_t owner = L->cur; /* NONE after a compound: ( ... ) > f */
  skip_blanks(p, false);
  dfl_sh_word target;
  char c = at(p, p->pos);
  if (p->pos < p->lim &&
      (!is_delim(c) || ((c == '<' || c == '>') && at(p, p->pos + 1) == '('))) {
    size_t saved = p->owner;
    p->owner = owner;
    lex_word(p, &target);
    p->owner = saved;
  } else {
    p->problems |= DFL_SH_PROB_SYNTAX;
    memset(&target, 0, sizeof target);
    target.text = "";
    target.raw = p->t + p->pos;
    target.start = target.end = p->pos;
  }
  predir *pr = push_redir(p);
  pr->owner = owner;
  pr->r.kind = tok->rkind;
  pr->r.op = tok->op;
  pr->r.fd = tok->fd;
  pr->r.target = target;
  pr->r.start = tok->start;
  pr->r.end = target.end;
  if (tok->rkind == DFL_SH_REDIR_HEREDOC) {
    pr->r.strip_tabs = tok->op[2] == '-';
    if (p->nheredocs == p->capheredocs) {
      p->capheredocs = p->capheredocs ? p->capheredocs * 2 : 4;
      p->heredocs = dfl_xrealloc(p->heredocs,
                                 p->capheredocs * sizeof *p->heredocs);
    }
    p->heredocs[p->nheredocs++] = p->nredirs - 1;
  }
  if (owner != NONE) {
    p->cmds[owner].nredir++;
    extend_cmd(p, owner, target.end);
  }
}

/* The case header and patterns; false when the token is for the caller. */
static bool case_token(parser *p, level *L, const token *tok)
{
  frame *f = top(p);
  switch (tok->kind) {
  case TK_NEWLINE:
  case TK_SEMI:
  case TK_DSEMI:
    return true;
  case TK_WORD: {
    size_t len;
    if (f->phase == PH_CASE_PATTERN && f->words == 0 &&
        peek_keyword(p, &len) == KW_ESAC) {
      p->pos += len;
      close_frame(p, L);
      return true;
    }
    dfl_sh_word w = lex_loose_word(p);
    f = top(p);
    if (f->phase == PH_CASE_WORD) {
      f->phase = PH_CASE_IN;
    } else if (f->phase == PH_CASE_IN) {
      if (!(w.len == 2 && memcmp(w.text, "in", 2) == 0))
        p->problems |= DFL_SH_PROB_SYNTAX;
      f->phase = PH_CASE_PATTERN;
      f->words = 0;
    } else {
      f->words++;
    }
    return true;
  }
  case TK_LPAREN:
  case TK_PIPE:
    if (f->phase == PH_CASE_PATTERN)
      return true;
    break;
  case TK_RPAREN:
    if (f->phase == PH_CASE_PATTERN) {
      f->phase = PH_BODY;
      f->cur = new_scope(p, f->scope, DFL_SH_IN_CASE);
      L->after_compound = false;
      L->prev = NONE;
      return true;
    }
    break;
  default:
    break;
  }
  p->problems |= DFL_SH_PROB_SYNTAX;
  f->phase = PH_BODY;
  f->cur = new_scope(p, f->scope, DFL_SH_IN_CASE);
  return false;
}

/* The header of for/select: NAME [in WORDS] (; or newline) do. */
static bool header_token(parser *p, level *L, const token *tok)
{
  frame *f = top(p);
  switch (tok->kind) {
  case TK_NEWLINE:
  case TK_SEMI:
    f->sep = true;
    return true;
  case TK_WORD: {
    size_t len;
    if ((f->sep || f->words == 1) && peek_keyword(p, &len) == KW_DO) {
      p->pos += len;
      f->phase = PH_BODY;
      f->cur = new_scope(p, f->scope, DFL_SH_IN_LOOP);
      L->prev = NONE;
      return true;
    }
    lex_loose_word(p);
    top(p)->words++;
    return true;
  }
  case TK_LPAREN:
    if (at(p, p->pos) == '(') { /* for ((i = 0; i < n; i++)) */
      p->pos = tok->start;
      lex_arith(p, 2);
      f = top(p);
      f->words++;
      f->sep = true;
      return true;
    }
    break;
  default:
    break;
  }
  p->problems |= DFL_SH_PROB_SYNTAX;
  f->phase = PH_BODY;
  f->cur = new_scope(p, f->scope, DFL_SH_IN_LOOP);
  return false;
}

static dfl_sh_op op_of(tk kind)
{
  switch (kind) {
  case TK_AND:
    return DFL_SH_OP_AND;
  case TK_OR:
    return DFL_SH_OP_OR;
  case TK_PIPE:
    return DFL_SH_OP_PIPE;
  case TK_BG:
    return DFL_SH_OP_BG;
  case TK_NEWLINE:
    return DFL_SH_OP_NEWLINE;
  default:
    return DFL_SH_OP_SEMI;
  }
}

/* Parses one list: the script (the root frame) or the body of the
 * substitution whose frame was just opened. Returns when that frame closes
 * or at the end of the text. */
static void parse_list(parser *p, size_t parent)
{
  level L;
  memset(&L, 0, sizeof L);
  L.base = p->nframes - 1;
  L.parent = parent;
  L.cur = L.prev = NONE;
  L.last_scope = UINT_MAX;
  memcpy(L.open0, p->open, sizeof L.open0);

  for (;;) {
    token tok;
    next_token(p, L.cond, &tok);

    if (tok.kind == TK_EOF) {
      finish_cmd(p, &L, DFL_SH_OP_NONE);
      if (L.prev != NONE && p->cmds[L.prev].op != DFL_SH_OP_NEWLINE &&
          p->cmds[L.prev].op != DFL_SH_OP_SEMI &&
          p->cmds[L.prev].op != DFL_SH_OP_BG)
        p->problems |= DFL_SH_PROB_SYNTAX;
      if (p->nframes - 1 > L.base)
        p->problems |= DFL_SH_PROB_SYNTAX;
      while (p->nframes - 1 > L.base)
        close_frame(p, &L);
      if (top(p)->kind == F_SUBST)
        p->problems |= DFL_SH_PROB_QUOTE;
      if (top(p)->kind != F_ROOT)
        close_frame(p, &L);
      return;
    }

    frame *f = top(p);
    if (f->kind == F_CASE && f->phase != PH_BODY && case_token(p, &L, &tok))
      continue;
    f = top(p);
    if (f->kind == F_LOOP && f->phase == PH_HEADER &&
        header_token(p, &L, &tok))
      continue;

    switch (tok.kind) {
    case TK_WORD: {
      size_t len;
      kw k;
      if (L.cur == NONE && !L.cond &&
          (k = peek_keyword(p, &len)) != KW_NONE) {
        keyword(p, &L, k, len);
        break;
      }
      if (L.cur == NONE)
        start_cmd(p, &L, tok.start);
      add_word(p, &L);
      if (L.cond && p->cmds[L.cur].nargv > 1) {
        const pword *w = &p->words[p->nwords - 1];
        if (w->w.len == 2 && memcmp(w->w.text, "]]", 2) == 0 &&
            !(w->w.flags & DFL_SH_WORD_QUOTED))
          L.cond = false;
      }
      break;
    }
    case TK_CONDOP: {
      /* Only reached inside [[ ]], so L.cur is the [[ command. */
      pword *pw = push_word(p);
      pw->owner = L.cur;
      pw->w.text = dfl_arena_strndup(&p->s->arena, p->t + tok.start,
                                     p->pos - tok.start);
      pw->w.len = pw->w.raw_len = p->pos - tok.start;
      pw->w.raw = p->t + tok.start;
      pw->w.start = tok.start;
      pw->w.end = p->pos;
      p->cmds[L.cur].nargv++;
      extend_cmd(p, L.cur, p->pos);
      break;
    }
    case TK_REDIR:
      redirection(p, &L, &tok);
      break;
    case TK_LPAREN:
      if (L.cur != NONE) {
        const pcmd *c = &p->cmds[L.cur];
        if (c->nargv == 1 && c->nassign == 0 && c->nredir == 0) {
          /* NAME() BODY: a definition, not a command. */
          skip_blanks(p, false);
          if (at(p, p->pos) == ')')
            p->pos++;
          else
            p->problems |= DFL_SH_PROB_SYNTAX;
          p->cmds[L.cur].dead = true;
          L.cur = NONE;
          L.prev = NONE;
          L.funcdef = true;
          break;
        }
        p->problems |= DFL_SH_PROB_SYNTAX;
        finish_cmd(p, &L, DFL_SH_OP_NONE);
      }
      if (at(p, p->pos) == '(') { /* (( arithmetic )) */
        p->pos = tok.start;
        lex_arith(p, 2);
        L.after_compound = true;
        L.last_scope = UINT_MAX;
        L.prev = NONE;
        L.pipe_pending = false;
        break;
      }
      open_frame(p, &L, F_SUBSHELL, DFL_SH_IN_SUBSHELL);
      break;
    case TK_RPAREN:
      finish_cmd(p, &L, DFL_SH_OP_NONE);
      if (close_to(p, &L, F_SUBSHELL)) {
        close_frame(p, &L);
        break;
      }
      if (p->frames[L.base].kind == F_SUBST) {
        if (p->nframes - 1 > L.base)
          p->problems |= DFL_SH_PROB_SYNTAX;
        while (p->nframes > L.base)
          close_frame(p, &L);
        return;
      }
      p->problems |= DFL_SH_PROB_SYNTAX; /* stray ): a separator */
      L.after_compound = false;
      L.prev = NONE;
      break;
    case TK_DSEMI:
      finish_cmd(p, &L, DFL_SH_OP_NONE);
      if (close_to(p, &L, F_CASE)) {
        f = top(p);
        f->phase = PH_CASE_PATTERN;
        f->words = 0;
        f->cur = f->scope;
        L.prev = NONE;
        L.after_compound = false;
        L.pipe_pending = false;
      } else {
        p->problems |= DFL_SH_PROB_SYNTAX;
      }
      break;
    case TK_AND:
    case TK_OR:
    case TK_SEMI:
    case TK_NEWLINE:
    case TK_PIPE:
    case TK_BG: {
      dfl_sh_op op = op_of(tok.kind);
      if (L.cur != NONE) {
        finish_cmd(p, &L, op);
      } else if (L.after_compound) {
        if (op == DFL_SH_OP_PIPE) {
          if (L.last_scope != UINT_MAX)
            p->scopes[L.last_scope].piped = true;
          L.pipe_pending = true;
        }
      } else if (op != DFL_SH_OP_NEWLINE && op != DFL_SH_OP_SEMI) {
        p->problems |= DFL_SH_PROB_SYNTAX;
      }
      L.after_compound = false;
      L.cond = false;
      break;
    }
    case TK_EOF: /* handled before the switch */
      break;
    }
  }
}

/* ---- the script --------------------------------------------------------- */

static bool may_set(const dfl_sh_cmd *c);

static void build(parser *p)
{
  dfl_sh_script *s = p->s;
  dfl_arena *a = &s->arena;

  for (size_t i = 0; i < p->nscopes; i++) {
    dfl_sh_scope *sc = &p->scopes[i];
    unsigned own = sc->bits | (sc->piped ? DFL_SH_IN_PIPELINE : 0);
    unsigned nested = (sc->bits & DFL_SH_NESTED) ? 1 : 0;
    if (i == 0) {
      sc->nest = own;
      sc->level = 0;
      sc->depth = nested;
    } else {
      const dfl_sh_scope *par = &p->scopes[sc->parent];
      sc->nest = par->nest | own;
      sc->level = par->level + 1;
      sc->depth = par->depth + nested;
    }
  }
  s->scopes_ = dfl_arena_grow(a, p->scopes, p->nscopes, p->nscopes,
                              sizeof *p->scopes);
  s->nscopes_ = p->nscopes;

  size_t *map = dfl_xmalloc((p->ncmds ? p->ncmds : 1) * sizeof *map);
  size_t n = 0;
  for (size_t i = 0; i < p->ncmds; i++)
    map[i] = p->cmds[i].dead ? NONE : n++;
  s->cmds = dfl_arena_alloc(a, (n ? n : 1) * sizeof *s->cmds);
  s->ncmds = n;
  for (size_t i = 0; i < p->ncmds; i++) {
    const pcmd *pc = &p->cmds[i];
    if (map[i] == NONE)
      continue;
    dfl_sh_cmd *c = &s->cmds[map[i]];
    const dfl_sh_scope *sc = &p->scopes[pc->scope];
    c->index = map[i];
    if (pc->nargv)
      c->argv = dfl_arena_alloc(a, pc->nargv * sizeof *c->argv);
    if (pc->nassign)
      c->assigns = dfl_arena_alloc(a, pc->nassign * sizeof *c->assigns);
    if (pc->nredir)
      c->redirs = dfl_arena_alloc(a, pc->nredir * sizeof *c->redirs);
    c->op = pc->op;
    c->next = pc->next != NONE && map[pc->next] != NONE ? &s->cmds[map[pc->next]]
                                                        : NULL;
    c->parent = pc->parent != NONE && map[pc->parent] != NONE
                    ? &s->cmds[map[pc->parent]]
                    : NULL;
    c->nest = sc->nest;
    c->depth = sc->depth;
    c->piped = pc->piped;
    c->start = pc->start;
    c->end = pc->end;
    c->scope_ = pc->scope;
  }
  for (size_t i = 0; i < p->nwords; i++) {
    const pword *pw = &p->words[i];
    if (pw->owner == NONE || map[pw->owner] == NONE)
      continue;
    dfl_sh_cmd *c = &s->cmds[map[pw->owner]];
    if (!pw->assign) {
      c->argv[c->argc++] = pw->w;
      continue;
    }
    dfl_sh_assign *as = &c->assigns[c->nassigns++];
    as->word = pw->w;
    const char *eq = memchr(pw->w.text, '=', pw->w.len);
    size_t nl = eq ? (size_t)(eq - pw->w.text) : pw->w.len;
    as->append = nl > 0 && pw->w.text[nl - 1] == '+';
    as->name_len = as->append ? nl - 1 : nl;
    as->name = dfl_arena_strndup(a, pw->w.text, as->name_len);
    as->value = eq ? eq + 1 : pw->w.text + pw->w.len;
    as->value_len = pw->w.len - (size_t)(as->value - pw->w.text);
  }
  for (size_t i = 0; i < p->nredirs; i++) {
    const predir *pr = &p->redirs[i];
    if (pr->owner == NONE || map[pr->owner] == NONE)
      continue;
    dfl_sh_cmd *c = &s->cmds[map[pr->owner]];
    c->redirs[c->nredirs++] = pr->r;
  }
  free(map);

  size_t *setters = dfl_arena_alloc(a, (n ? n : 1) * sizeof *setters);
  for (size_t i = 0, last = 0; i < n; i++) {
    setters[i] = last;
    if (may_set(&s->cmds[i]))
      last = i + 1;
  }
  s->setters_ = setters;
}

static size_t unwrap_at(const dfl_sh_cmd *c);

dfl_sh_script *dfl_sh_parse(const char *text, size_t len)
{
  dfl_sh_script *s = dfl_xcalloc(1, sizeof *s);
  dfl_arena_init(&s->arena);
  s->text = dfl_arena_strndup(&s->arena, text ? text : "", text ? len : 0);
  s->len = text ? len : 0;

  parser p;
  memset(&p, 0, sizeof p);
  p.s = s;
  p.t = s->text;
  p.lim = s->len;
  p.owner = NONE;
  new_scope(&p, 0, 0);
  frame *root = push_frame_raw(&p);
  root->kind = F_ROOT;
  parse_list(&p, NONE);
  build(&p);
  s->problems = p.problems;
  /* Rules ask for the unwrapped command over and over: work it out once. */
  for (size_t i = 0; i < s->ncmds; i++)
    s->cmds[i].unwrap_ = unwrap_at(&s->cmds[i]) + 1;

  free(p.cmds);
  free(p.words);
  free(p.redirs);
  free(p.scopes);
  free(p.frames);
  free(p.heredocs);
  free(p.cooked.d);
  return s;
}

void dfl_sh_free(dfl_sh_script *s)
{
  if (!s)
    return;
  dfl_arena_free(&s->arena);
  free(s);
}

/* ---- names -------------------------------------------------------------- */

bool dfl_sh_word_eq(const dfl_sh_word *w, const char *s)
{
  size_t n = strlen(s);
  return w->len == n && memcmp(w->text, s, n) == 0;
}

static const char *base_name(const char *s, size_t len, size_t *blen)
{
  size_t i = len;
  while (i > 0 && s[i - 1] != '/')
    i--;
  *blen = len - i;
  return s + i;
}

static bool base_is(const dfl_sh_word *w, const char *name)
{
  size_t bl, n = strlen(name);
  const char *b = base_name(w->text, w->len, &bl);
  return bl == n && memcmp(b, name, n) == 0;
}

const char *dfl_sh_name(const dfl_sh_cmd *c)
{
  return c->argc ? c->argv[0].text : NULL;
}

bool dfl_sh_is(const dfl_sh_cmd *c, const char *name, unsigned how)
{
  /* Rules ask this of every command, for many names: no copies. */
  size_t k = 0;
  if (how & DFL_SH_MATCH_UNWRAP)
    k = c->unwrap_ ? c->unwrap_ - 1 : unwrap_at(c);
  if (k >= c->argc)
    return false;
  const dfl_sh_word *w = &c->argv[k];
  size_t n = strlen(name);
  if (w->len == n && memcmp(w->text, name, n) == 0)
    return true;
  return (how & DFL_SH_MATCH_PATH) && base_is(w, name);
}

const dfl_sh_cmd *dfl_sh_find(const dfl_sh_script *s, const dfl_sh_cmd *prev,
                              const char *name, unsigned how)
{
  for (size_t i = prev ? prev->index + 1 : 0; i < s->ncmds; i++)
    if (dfl_sh_is(&s->cmds[i], name, how))
      return &s->cmds[i];
  return NULL;
}

/* ---- flags -------------------------------------------------------------- */

/* Calls for each '|'-separated entry of spec until one matches. */
static bool spec_has(const char *spec, const char *s, size_t n, int form)
{
  /* form: 0 short flag (n == 1), 1 long flag, 2 literal word */
  while (spec && *spec) {
    const char *e = strchr(spec, '|');
    size_t el = e ? (size_t)(e - spec) : strlen(spec);
    bool lit = el > 0 && spec[0] == '-';
    int ef = lit ? 2 : el == 1 ? 0 : 1;
    if (ef == form && el == n && memcmp(spec, s, n) == 0)
      return true;
    spec = e ? e + 1 : NULL;
  }
  return false;
}

/* Whether w spells one of spec's flags; *value gets the value attached to
 * it (after '=', or the rest of a short cluster), NULL when the value, if
 * the flag takes one, would be the next word. */
static bool match_flag(const char *spec, const dfl_sh_word *w,
                       const char **value)
{
  const char *t = w->text;
  size_t n = w->len;
  *value = NULL;
  if (n < 2 || t[0] != '-')
    return false;
  const char *eq = memchr(t, '=', n);
  size_t head = eq ? (size_t)(eq - t) : n;
  if (spec_has(spec, t, head, 2)) {
    *value = eq ? eq + 1 : NULL;
    return true;
  }
  if (t[1] == '-') {
    if (head > 2 && spec_has(spec, t + 2, head - 2, 1)) {
      *value = eq ? eq + 1 : NULL;
      return true;
    }
    return false;
  }
  for (size_t k = 1; k < head; k++)
    if (spec_has(spec, t + k, 1, 0)) {
      if (k + 1 < n)
        *value = t + k + 1 + (t[k + 1] == '=' ? 1 : 0);
      return true;
    }
  return false;
}

static bool is_dashdash(const dfl_sh_word *w)
{
  return w->len == 2 && w->text[0] == '-' && w->text[1] == '-';
}

bool dfl_sh_has_flag(const dfl_sh_cmd *c, const char *spec)
{
  const char *v;
  for (size_t i = 1; i < c->argc && !is_dashdash(&c->argv[i]); i++)
    if (match_flag(spec, &c->argv[i], &v))
      return true;
  return false;
}

const char *dfl_sh_flag_value(const dfl_sh_cmd *c, const char *spec)
{
  const char *found = NULL, *v;
  for (size_t i = 1; i < c->argc && !is_dashdash(&c->argv[i]); i++) {
    if (!match_flag(spec, &c->argv[i], &v))
      continue;
    if (v) {
      found = v;
    } else if (i + 1 < c->argc) {
      found = c->argv[++i].text;
    } else {
      found = NULL;
    }
  }
  return found;
}

bool dfl_sh_has_arg(const dfl_sh_cmd *c, const char *text)
{
  for (size_t i = 1; i < c->argc; i++)
    if (dfl_sh_word_eq(&c->argv[i], text))
      return true;
  return false;
}

void dfl_sh_args_init(dfl_sh_args *it, const dfl_sh_cmd *c,
                      const char *value_flags)
{
  it->cmd = c;
  it->value_flags = value_flags;
  it->i = 1;
  it->rest = false;
}

const dfl_sh_word *dfl_sh_args_next(dfl_sh_args *it)
{
  const dfl_sh_cmd *c = it->cmd;
  while (it->i < c->argc) {
    const dfl_sh_word *w = &c->argv[it->i++];
    if (it->rest)
      return w;
    if (is_dashdash(w)) {
      it->rest = true;
      continue;
    }
    if (w->len >= 2 && w->text[0] == '-') {
      const char *v;
      if (it->value_flags && match_flag(it->value_flags, w, &v) && !v)
        it->i++;
      continue;
    }
    return w;
  }
  return NULL;
}

/* ---- wrappers ----------------------------------------------------------- */

typedef struct wrapper {
  const char *name;
  const char *value_flags; /* options whose value is the next word */
  unsigned operands;       /* words before the command (gosu USER cmd) */
  bool assigns;            /* NAME=value words before the command */
} wrapper;

static const wrapper wrappers[] = {
  {"sudo",
   "u|user|g|group|p|prompt|C|close-from|r|role|t|type|U|other-user|D|chdir|"
   "R|chroot|T|command-timeout|h|host",
   0, true},
  {"doas", "u|C", 0, false},
  {"env", "u|unset|C|chdir|S|split-string", 0, true},
  {"nohup", NULL, 0, false},
  {"time", "f|format|o|output", 0, false},
  {"nice", "n|adjustment", 0, false},
  {"timeout", "s|signal|k|kill-after", 1, false},
  {"exec", "a", 0, false},
  {"command", NULL, 0, false},
  {"builtin", NULL, 0, false},
  {"eatmydata", NULL, 0, false},
  {"gosu", NULL, 1, false},
  {"su-exec", NULL, 1, false},
  {"stdbuf", "i|o|e|input|output|error", 0, false},
  {"setsid", NULL, 0, false},
  {"ionice", "c|class|n|classdata|p|pid|P|pgid|u|uid", 0, false},
};

static const wrapper *find_wrapper(const dfl_sh_word *w)
{
  size_t bl;
  const char *b = base_name(w->text, w->len, &bl);
  for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++)
    if (strlen(wrappers[i].name) == bl && memcmp(b, wrappers[i].name, bl) == 0)
      return &wrappers[i];
  return NULL;
}

/* Index in argv of the command c runs through its wrappers. */
static size_t unwrap_at(const dfl_sh_cmd *c)
{
  size_t i = 0;
  while (i < c->argc) {
    const wrapper *wr = find_wrapper(&c->argv[i]);
    if (!wr)
      break;
    size_t j = i + 1;
    bool stop = false;
    while (j < c->argc) {
      const dfl_sh_word *w = &c->argv[j];
      if (is_dashdash(w)) {
        j++;
        break;
      }
      bool dash_alone = w->len == 1 && w->text[0] == '-';
      if (w->len == 0 || w->text[0] != '-' ||
          (dash_alone && strcmp(wr->name, "env") != 0))
        break;
      const char *v;
      /* command -v/-V only looks the name up. */
      if (strcmp(wr->name, "command") == 0 && match_flag("v|V", w, &v))
        stop = true;
      j += (wr->value_flags && match_flag(wr->value_flags, w, &v) && !v) ? 2 : 1;
    }
    if (stop)
      break;
    if (wr->assigns)
      while (j < c->argc &&
             assignment_name(c->argv[j].text, c->argv[j].len) != 0)
        j++;
    j += wr->operands;
    i = j < c->argc ? j : c->argc;
  }
  return i;
}

dfl_sh_cmd dfl_sh_unwrap(const dfl_sh_cmd *c)
{
  dfl_sh_cmd u = *c;
  size_t k = c->unwrap_ ? c->unwrap_ - 1 : unwrap_at(c);
  if (k > c->argc)
    k = c->argc;
  u.argv = c->argv ? c->argv + k : NULL; /* NULL + 0 is undefined */
  u.argc = c->argc - k;
  u.unwrap_ = 1; /* unwrapping is idempotent: nothing more to strip */
  return u;
}

/* ---- environment -------------------------------------------------------- */

typedef enum effect { E_NONE, E_SET, E_UNSET, E_UNKNOWN } effect;

enum { ENV_SCAN_MAX = 1024 };

static bool name_eq(const char *s, size_t n, const char *name, size_t nl)
{
  return n == nl && memcmp(s, name, n) == 0;
}

static const char *const decl_builtins[] = {"export", "declare", "typeset",
                                            "local", "readonly"};

/* Whether c can set or unset a variable of its shell (effect_of can be
 * other than E_NONE for some name). */
static bool may_set(const dfl_sh_cmd *c)
{
  if (c->argc == 0)
    return c->nassigns > 0;
  for (size_t i = 0; i < sizeof decl_builtins / sizeof decl_builtins[0]; i++)
    if (dfl_sh_word_eq(&c->argv[0], decl_builtins[i]))
      return true;
  return dfl_sh_word_eq(&c->argv[0], "unset") ||
         dfl_sh_word_eq(&c->argv[0], "read");
}

/* What command c does to variable `name` in its own shell. */
static effect effect_of(const dfl_sh_cmd *c, const char *name, size_t nl,
                        const dfl_sh_word **wv, const char **value)
{
  effect e = E_NONE;
  if (c->argc == 0) {
    for (size_t i = 0; i < c->nassigns; i++)
      if (name_eq(c->assigns[i].name, c->assigns[i].name_len, name, nl)) {
        e = c->assigns[i].append ? E_UNKNOWN : E_SET;
        *wv = &c->assigns[i].word;
        *value = c->assigns[i].value;
      }
    return e;
  }
  const dfl_sh_word *cmd = &c->argv[0];
  bool is_decl = false;
  for (size_t i = 0; i < sizeof decl_builtins / sizeof decl_builtins[0]; i++)
    is_decl |= dfl_sh_word_eq(cmd, decl_builtins[i]);
  if (is_decl) {
    for (size_t i = 1; i < c->argc; i++) {
      const dfl_sh_word *w = &c->argv[i];
      if (w->len && (w->text[0] == '-' || w->text[0] == '+'))
        continue;
      size_t an = assignment_name(w->text, w->len);
      if (an && name_eq(w->text, an, name, nl)) {
        e = w->text[an] == '+' ? E_UNKNOWN : E_SET;
        *wv = w;
        *value = w->text + an + (w->text[an] == '+' ? 2 : 1);
      }
    }
    return e;
  }
  if (dfl_sh_word_eq(cmd, "unset")) {
    for (size_t i = 1; i < c->argc; i++)
      if (name_eq(c->argv[i].text, c->argv[i].len, name, nl))
        e = E_UNSET;
    return e;
  }
  if (dfl_sh_word_eq(cmd, "read")) {
    for (size_t i = 1; i < c->argc; i++)
      if (name_eq(c->argv[i].text, c->argv[i].len, name, nl))
        e = E_UNKNOWN;
  }
  return e;
}

typedef enum reach { R_YES, R_NO, R_MAYBE } reach;

/* Whether what `from` did to its shell is seen by c: walks from its scope
 * up to the scope it shares with c. */
static reach reaches(const dfl_sh_script *s, const dfl_sh_cmd *from,
                     const dfl_sh_cmd *c)
{
  if (from->piped || from->op == DFL_SH_OP_BG)
    return R_NO;
  unsigned a = from->scope_, b = c->scope_, bits = 0;
  while (a != b) {
    const dfl_sh_scope *sa = &s->scopes_[a], *sb = &s->scopes_[b];
    if (sa->level >= sb->level) {
      bits |= sa->bits | (sa->piped ? DFL_SH_IN_PIPELINE : 0);
      a = sa->parent;
    } else {
      b = sb->parent;
    }
  }
  if (bits & (DFL_SH_IN_SUBSHELL | DFL_SH_IN_SUBST | DFL_SH_IN_FUNCTION |
              DFL_SH_IN_PIPELINE))
    return R_NO;
  if (bits & (DFL_SH_IN_IF | DFL_SH_IN_LOOP | DFL_SH_IN_CASE |
              DFL_SH_IN_CONDITION))
    return R_MAYBE;
  return R_YES;
}

static const char *known(const dfl_sh_word *w, const char *value)
{
  return (w->flags & DFL_SH_WORD_EXPANDS) ? NULL : value;
}

const char *dfl_sh_env_before(const dfl_sh_script *s, const dfl_sh_cmd *c,
                              const char *name)
{
  size_t nl = strlen(name);
  for (size_t i = c->nassigns; i-- > 0;)
    if (name_eq(c->assigns[i].name, c->assigns[i].name_len, name, nl))
      return c->assigns[i].append ? NULL
                                  : known(&c->assigns[i].word,
                                          c->assigns[i].value);

  /* Words of env/sudo between the wrapper and the command. */
  size_t k = unwrap_at(c);
  for (size_t i = k; i-- > 1;) {
    const dfl_sh_word *w = &c->argv[i];
    size_t an = assignment_name(w->text, w->len);
    if (an && name_eq(w->text, an, name, nl))
      return w->text[an] == '+' ? NULL : known(w, w->text + an + 1);
    if (dfl_sh_word_eq(w, "-i") || dfl_sh_word_eq(w, "-") ||
        dfl_sh_word_eq(w, "--ignore-environment"))
      return NULL;
    if ((dfl_sh_word_eq(w, "-u") || dfl_sh_word_eq(w, "--unset")) &&
        i + 1 < k && name_eq(c->argv[i + 1].text, c->argv[i + 1].len, name, nl))
      return NULL;
    if (w->len == 8 + nl && memcmp(w->text, "--unset=", 8) == 0 &&
        memcmp(w->text + 8, name, nl) == 0)
      return NULL;
  }

  /* Only commands that set something are visited, and at most
   * ENV_SCAN_MAX of them, so a rule asking for every command of a hostile
   * script of assignments stays linear. */
  size_t visited = 0;
  for (size_t i = s->setters_[c->index]; i > 0; i = s->setters_[i - 1]) {
    if (++visited > ENV_SCAN_MAX)
      return NULL;
    const dfl_sh_cmd *q = &s->cmds[i - 1];
    const dfl_sh_word *w = NULL;
    const char *value = NULL;
    effect e = effect_of(q, name, nl, &w, &value);
    if (e == E_NONE)
      continue;
    reach r = reaches(s, q, c);
    if (r == R_NO)
      continue;
    if (r == R_MAYBE || e != E_SET)
      return NULL;
    return known(w, value);
  }
  return NULL;
}

/* ---- whole script ------------------------------------------------------- */

bool dfl_sh_has_pipe(const dfl_sh_script *s)
{
  for (size_t i = 0; i < s->ncmds; i++)
    if (s->cmds[i].op == DFL_SH_OP_PIPE)
      return true;
  return false;
}

static bool is_shell_name(const char *s, size_t n)
{
  static const char *const shells[] = {"sh",  "bash", "dash", "ash",
                                       "zsh", "ksh",  "mksh"};
  for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++)
    if (name_eq(s, n, shells[i], strlen(shells[i])))
      return true;
  return false;
}

/* Whether a body's #! line (if any) names a POSIX-like shell. */
static bool shebang_is_shell(const char *body, size_t len)
{
  if (len < 2 || body[0] != '#' || body[1] != '!')
    return true;
  size_t i = 2, end = 2;
  while (end < len && body[end] != '\n')
    end++;
  bool via_env = false;
  for (;;) {
    while (i < end && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r'))
      i++;
    size_t ws = i;
    while (i < end && body[i] != ' ' && body[i] != '\t' && body[i] != '\r')
      i++;
    if (i == ws)
      return false;
    size_t bl;
    const char *b = base_name(body + ws, i - ws, &bl);
    if (via_env && b[0] == '-' && bl > 0)
      continue; /* env -S ... */
    if (!via_env && name_eq(b, bl, "env", 3)) {
      via_env = true;
      continue;
    }
    return is_shell_name(b, bl);
  }
}

bool dfl_sh_heredoc_is_script(const dfl_sh_script *rest, const char *name,
                              size_t name_len, const char *body,
                              size_t body_len)
{
  for (size_t i = 0; i < rest->ncmds; i++) {
    const dfl_sh_cmd *c = &rest->cmds[i];
    for (size_t j = 0; j < c->nredirs; j++) {
      const dfl_sh_redir *r = &c->redirs[j];
      if (r->kind != DFL_SH_REDIR_HEREDOC || r->fd > 0 ||
          !name_eq(r->target.text, r->target.len, name, name_len))
        continue;
      /* BuildKit runs the body itself only when the heredoc is the whole
       * command; `<<A <<B` or `<<A >f` go to the shell, which runs nothing. */
      if (c->argc == 0)
        return rest->ncmds == 1 && c->nassigns == 0 && c->nredirs == 1 &&
               r->fd < 0 && shebang_is_shell(body, body_len);
      dfl_sh_cmd u = dfl_sh_unwrap(c);
      if (u.argc == 0)
        return false;
      size_t bl;
      const char *b = base_name(u.argv[0].text, u.argv[0].len, &bl);
      if (!is_shell_name(b, bl))
        return false;
      /* Options start with - or +; -o/+o/-O/+O take the next word. A -c
       * means the script is an argument and an operand is a script file,
       * unless -s says the script is standard input. */
      bool has_s = false, operand = false;
      for (size_t k = 1; k < u.argc; k++) {
        const dfl_sh_word *w = &u.argv[k];
        if (is_dashdash(w) || dfl_sh_word_eq(w, "-")) {
          operand = k + 1 < u.argc;
          break;
        }
        if (w->len < 2 || (w->text[0] != '-' && w->text[0] != '+')) {
          operand = true;
          break;
        }
        if (w->text[1] == '-')
          continue; /* --login, --norc ... */
        for (size_t m = 1; m < w->len; m++) {
          if (w->text[m] == 'c')
            return false;
          if (w->text[m] == 's')
            has_s = true;
        }
        char last = w->text[w->len - 1];
        if (last == 'o' || last == 'O')
          k++;
      }
      return has_s || !operand;
    }
  }
  return false;
}
