#include "lint/pragma.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"
#include "dflint/buf.h"

typedef struct cursor {
  const char *s;
  size_t len;
  size_t pos;
} cursor;

static bool is_ws(char c)
{
  return c == ' ' || c == '\t';
}

static void skip_ws(cursor *c)
{
  while (c->pos < c->len && is_ws(c->s[c->pos]))
    c->pos++;
}

static bool eat_word(cursor *c, const char *w)
{
  size_t n = strlen(w);
  if (c->len - c->pos < n || memcmp(c->s + c->pos, w, n) != 0)
    return false;
  c->pos += n;
  return true;
}

/* what: the rest of the message after "malformed TOOL pragma: ". */
static void malformed(dfl_pragma *p, const char *what, const char *tool)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "malformed %s pragma: %s", tool, what);
  p->kind = DFL_PRAGMA_MALFORMED;
  p->error = dfl_buf_take(&b);
}

static bool id_char(char c, bool hadolint)
{
  if (hadolint)
    return c == 'D' || c == 'L' || c == 'S' || c == 'C' ||
           (c >= '0' && c <= '9');
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* ignore := "ignore" ws* "=" ws* id (ws* "," ws* id)* ; then the trailer. */
static bool parse_ids(cursor *c, dfl_pragma *p, bool hadolint)
{
  skip_ws(c);
  if (c->pos >= c->len || c->s[c->pos] != '=')
    return false;
  c->pos++;
  for (;;) {
    skip_ws(c);
    size_t start = c->pos;
    while (c->pos < c->len && id_char(c->s[c->pos], hadolint))
      c->pos++;
    if (c->pos == start)
      return false;
    if (!p->nids)
      p->id_col = start;
    p->ids = dfl_xrealloc(p->ids, (p->nids + 1) * sizeof *p->ids);
    p->ids[p->nids++] = dfl_xstrndup(c->s + start, c->pos - start);
    skip_ws(c);
    if (c->pos < c->len && c->s[c->pos] == ',') {
      c->pos++;
      continue;
    }
    return true;
  }
}

/* What may follow: nothing, "# anything" (hadolint), or "-- reason" (dflint). */
static bool trailer_ok(cursor *c, bool hadolint)
{
  skip_ws(c);
  if (c->pos == c->len)
    return true;
  if (c->s[c->pos] == '#')
    return true;
  if (!hadolint && c->len - c->pos >= 2 && c->s[c->pos] == '-' &&
      c->s[c->pos + 1] == '-')
    return true;
  return false;
}

void dfl_pragma_parse(const char *text, size_t len, dfl_pragma *out)
{
  memset(out, 0, sizeof *out);
  cursor c = {text, len, 0};
  skip_ws(&c);
  bool hadolint;
  const char *tool;
  if (eat_word(&c, "dflint")) {
    hadolint = false;
    tool = "dflint";
  } else if (eat_word(&c, "hadolint")) {
    hadolint = true;
    tool = "hadolint";
  } else {
    return;
  }
  /* "dflint" must be followed by white space to be a pragma at all:
   * "# dflint-based image" is an ordinary comment. */
  if (c.pos < c.len && !is_ws(c.s[c.pos]))
    return;
  skip_ws(&c);
  dfl_pragma_kind kind = hadolint ? DFL_PRAGMA_IGNORE_LINE
                                  : DFL_PRAGMA_IGNORE_NEXT;
  if (eat_word(&c, "global")) {
    kind = DFL_PRAGMA_IGNORE_GLOBAL;
    skip_ws(&c);
  } else if (hadolint && eat_word(&c, "stage")) {
    kind = DFL_PRAGMA_IGNORE_STAGE;
    skip_ws(&c);
  } else if (hadolint && eat_word(&c, "shell")) {
    skip_ws(&c);
    if (c.pos >= c.len || c.s[c.pos] != '=') {
      malformed(out, "expected shell=NAME", tool);
      return;
    }
    c.pos++;
    skip_ws(&c);
    size_t start = c.pos;
    while (c.pos < c.len && !is_ws(c.s[c.pos]))
      c.pos++;
    if (c.pos == start || !trailer_ok(&c, true)) {
      malformed(out, "expected shell=NAME", tool);
      return;
    }
    out->kind = DFL_PRAGMA_SHELL;
    out->shell = dfl_xstrndup(text + start, c.pos - start);
    return;
  }
  if (!eat_word(&c, "ignore")) {
    malformed(out,
              hadolint ? "expected ignore=, global "
                         "ignore=, stage ignore= or shell="
                       : "expected ignore=ID[,ID] or "
                         "global ignore=ID[,ID]",
              tool);
    return;
  }
  if (!parse_ids(&c, out, hadolint) || !trailer_ok(&c, hadolint)) {
    for (size_t i = 0; i < out->nids; i++)
      free(out->ids[i]);
    free(out->ids);
    out->ids = NULL;
    out->nids = 0;
    malformed(out,
              hadolint ? "expected ignore=CODE[,CODE] "
                         "with codes like DL3008 (anything after them needs "
                         "its own #)"
                       : "expected ignore=ID[,ID] "
                         "optionally followed by -- reason",
              tool);
    return;
  }
  out->kind = kind;
}

void dfl_pragma_free(dfl_pragma *p)
{
  for (size_t i = 0; i < p->nids; i++)
    free(p->ids[i]);
  free(p->ids);
  free(p->shell);
  free(p->error);
  memset(p, 0, sizeof *p);
}
