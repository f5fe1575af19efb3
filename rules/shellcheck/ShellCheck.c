/* ShellCheck: the shell scripts RUN executes, checked by the external
 * `shellcheck` program, each finding reported under its own SCnnnn code at
 * the exact line and column in the Dockerfile.
 *
 * What is checked (reference/hadolint.md, "ShellCheck integration"):
 *  - the text of every shell-form RUN (exec form runs no shell), and of
 *    ONBUILD RUN; its data heredocs go along, so ShellCheck sees complete
 *    here-documents and checks the expansions in unquoted ones;
 *  - every heredoc body a shell runs as its script (`RUN <<EOF`,
 *    `RUN bash -e <<EOF`: dfl_ctx_run_scripts says which), as a script of
 *    its own. A RUN that is only such a heredoc has no other text to check.
 * The shell is the stage's SHELL (inherited through FROM <stage>), or a
 * `# hadolint shell=NAME` pragma from its line on (before the first FROM it
 * is every stage's default), else /bin/sh; a heredoc run by `bash <<EOF`, or
 * with its own #!, uses that shell. PowerShell and cmd (hadolint's
 * "non-POSIX" shells), and shells ShellCheck does not know (zsh, fish...),
 * are not checked.
 * Each script starts with a #! line for its shell and one `export NAME ...`
 * line declaring the proxy variables Docker predefines and the ARG and ENV
 * names in scope, as hadolint does, so they are not "referenced but not
 * assigned". Unlike hadolint's `export NAME=1`, no value is given: a build
 * arg's value is not known, and with one ShellCheck would call `echo $NAME`
 * safe (no SC2086). An ONBUILD trigger runs in a child image: only the ENV
 * names reach it (ARGs do not).
 *
 * Scripts are collected by on_instr and checked in on_finish, through
 * src/lint/shellcheck_batch.c: one shellcheck process for many scripts
 * (across the files of a run under `dflint check`), each distinct script
 * checked once. Each line of each file remembers
 * where it came from, to map ShellCheck's (line, column in characters) back
 * to the Dockerfile: the RUN text is BuildKit's joined line (continuations
 * removed), mapped through dfl_instr_pos; heredoc bodies are source lines
 * verbatim. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dflint/buf.h"
#include "dflint/lint.h"
#include "dflint/rule.h"
#include "dflint/shell.h"
#include "dflint/utf8.h"
#include "lint/engine.h"
#include "lint/pragma.h"
#include "lint/shellcheck.h"
#include "lint/shellcheck_batch.h"

/* The shell a script is checked as: ShellCheck's dialects, or SKIP. */
static const char SKIP[] = "";

enum { MAP_NONE, MAP_TEXT, MAP_SRC };

/* Where one line of a script file came from. */
typedef struct map_line {
  int kind;
  const char *text; /* the line's bytes as written to the file */
  size_t len;
  size_t text_off;  /* MAP_TEXT: offset of text in run->rest */
  dfl_pos base;     /* MAP_SRC: the source position of text[0] */
} map_line;

typedef struct script {
  const dfl_instr *in;  /* reported under (pragmas look at it) */
  const dfl_instr *run; /* the RUN (an ONBUILD's payload) */
  dfl_buf text;
  map_line *lines;
  size_t nlines, cap;
} script;

typedef struct shell_pragma {
  uint32_t line;
  const char *dialect;
} shell_pragma;

typedef struct state {
  bool started, disabled;
  shell_pragma *pragmas;
  size_t npragmas, next_pragma;
  const char *default_shell; /* for stages and ONBUILD triggers */
  const char *cur_shell;
  const char **stage_shells; /* per model stage, its latest shell */
  long cur_stage;            /* -1 before the first FROM */
  dfl_namelist pre_names;    /* ARG/ENV names before the first FROM */
  script *scripts;
  size_t nscripts, cap;
} state;

/* ---- shells ---- */

static bool has_ci(const char *s, size_t n, const char *needle)
{
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (strncasecmp(s + i, needle, k) == 0)
      return true;
  return false;
}

/* The dialect for an interpreter name or path. */
static const char *dialect_of(const char *s, size_t n)
{
  /* hadolint's test for a non-POSIX shell looks at the whole text. */
  if (has_ci(s, n, "pwsh") || has_ci(s, n, "powershell") ||
      has_ci(s, n, "cmd"))
    return SKIP;
  const char *b = s;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '/' || s[i] == '\\')
      b = s + i + 1;
  size_t bl = n - (size_t)(b - s);
  if (bl > 4 && strncasecmp(b + bl - 4, ".exe", 4) == 0)
    bl -= 4;
  static const struct {
    const char *name, *dialect;
  } known[] = {
    {"sh", "sh"},     {"bash", "bash"},   {"dash", "dash"},
    {"ash", "dash"},  {"busybox", "dash"}, {"ksh", "ksh"},
    {"mksh", "ksh"},  {"pdksh", "ksh"},   {"ksh93", "ksh"},
    {"oksh", "ksh"},  {"lksh", "ksh"},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strlen(known[i].name) == bl && strncmp(b, known[i].name, bl) == 0)
      return known[i].dialect;
  return SKIP;
}

static bool is_env(const char *s, size_t n)
{
  const char *b = s;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '/')
      b = s + i + 1;
  return n - (size_t)(b - s) == 3 && strncmp(b, "env", 3) == 0;
}

/* SHELL ["/usr/bin/env", "bash", "-c"]: the program env runs. */
static const char *dialect_of_words(const dfl_arg *w, size_t n)
{
  if (!n)
    return SKIP;
  if (is_env(w[0].value, w[0].len))
    for (size_t i = 1; i < n; i++)
      if (w[i].len && w[i].value[0] != '-' &&
          !memchr(w[i].value, '=', w[i].len))
        return dialect_of(w[i].value, w[i].len);
  return dialect_of(w[0].value, w[0].len);
}

/* The shell of a "#!..." line (len: up to its newline), or NULL. */
static const char *dialect_of_shebang(const char *s, size_t len)
{
  if (len < 2 || s[0] != '#' || s[1] != '!')
    return NULL;
  size_t i = 2, words = 0;
  bool after_env = false;
  while (i < len) {
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
      i++;
    size_t st = i;
    while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
      i++;
    if (i == st)
      break;
    words++;
    if (words == 1 && is_env(s + st, i - st)) {
      after_env = true;
      continue;
    }
    if (after_env && (s[st] == '-' || memchr(s + st, '=', i - st)))
      continue;
    return dialect_of(s + st, i - st);
  }
  return SKIP;
}

/* ---- names in scope ---- */

static bool identifier(const char *s)
{
  if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              *s == '_'))
    return false;
  for (s++; *s; s++)
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
          (*s >= '0' && *s <= '9') || *s == '_'))
      return false;
  return true;
}

static void add_name(dfl_buf *b, const char *name)
{
  if (identifier(name))
    dfl_buf_printf(b, " %s", name);
}

/* The export line: what Docker predefines, and the ARG/ENV names the RUN
 * sees. */
static void export_line(dfl_ctx *ctx, state *st, bool onbuild, dfl_buf *b)
{
  static const char *const proxies[] = {
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
    "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",    "no_proxy",
  };
  dfl_buf_puts(b, "export");
  for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
    add_name(b, proxies[i]);
  const dfl_stage_state *ss = dfl_ctx_state(ctx);
  if (!ss) {
    if (!onbuild)
      for (size_t i = 0; i < st->pre_names.n; i++)
        add_name(b, st->pre_names.names[i]);
    return;
  }
  for (size_t i = 0; i < ss->env.n; i++) {
    const char *k = ss->env.items[i].key;
    if (onbuild && dfl_namelist_has(&ss->declared_args, k, strlen(k)))
      continue;
    add_name(b, k);
  }
  if (!onbuild)
    for (size_t i = 0; i < ss->declared_args.n; i++)
      add_name(b, ss->declared_args.names[i]);
}

/* ---- building scripts ---- */

static void add_line(script *s, int kind, const char *text, size_t len,
                     size_t text_off, dfl_pos base)
{
  if (s->nlines == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->lines = dfl_xrealloc(s->lines, s->cap * sizeof *s->lines);
  }
  map_line *m = &s->lines[s->nlines++];
  m->kind = kind;
  m->text = text;
  m->len = len;
  m->text_off = text_off;
  m->base = base;
  dfl_buf_append(&s->text, text, len);
  dfl_buf_putc(&s->text, '\n');
}

static void add_header(script *s, const char *dialect, const dfl_buf *exports)
{
  static const dfl_pos none = {0, 0, 0};
  char shebang[32];
  int n = snprintf(shebang, sizeof shebang, "#!/bin/%s", dialect);
  /* Header lines map nowhere; their text is not kept (NULL). */
  add_line(s, MAP_NONE, shebang, (size_t)n, 0, none);
  s->lines[s->nlines - 1].text = NULL;
  add_line(s, MAP_NONE, exports->data, exports->len, 0, none);
  s->lines[s->nlines - 1].text = NULL;
}

static script *new_script(state *st, const dfl_instr *in, const dfl_instr *run)
{
  if (st->nscripts == st->cap) {
    st->cap = st->cap ? st->cap * 2 : 8;
    st->scripts = dfl_xrealloc(st->scripts, st->cap * sizeof *st->scripts);
  }
  script *s = &st->scripts[st->nscripts++];
  memset(s, 0, sizeof *s);
  s->in = in;
  s->run = run;
  dfl_buf_init(&s->text);
  return s;
}

/* Appends the body lines of hd, from line `from` (0-based) on. */
static void add_body(script *s, const dfl_heredoc *hd, size_t from)
{
  const char *c = hd->content;
  size_t n = hd->content_len, pos = 0, j = 0;
  while (pos < n) {
    const char *nl = memchr(c + pos, '\n', n - pos);
    size_t end = nl ? (size_t)(nl - c) : n;
    size_t len = end - pos;
    while (len && c[pos + len - 1] == '\r')
      len--;
    if (j >= from) {
      dfl_pos base;
      base.line = hd->body_range.start.line + (uint32_t)j;
      base.col = j == 0 ? hd->body_range.start.col : 1;
      base.offset = hd->body_range.start.offset + (uint32_t)pos;
      add_line(s, MAP_SRC, c + pos, len, 0, base);
    }
    j++;
    pos = nl ? end + 1 : n;
  }
}

/* The delimiter line: the name as written to the file (a <<- terminator's
 * leading tabs are not), mapped to the terminator's line. */
static void add_terminator(script *s, const dfl_heredoc *hd)
{
  dfl_pos base = {hd->terminator_line, 1, hd->body_range.end.offset};
  add_line(s, MAP_SRC, hd->name, hd->name_len, 0, base);
}

/* Whether the RUN text does nothing but hand heredocs to BuildKit
 * (`RUN <<EOF`): then the bodies are the scripts, and the text is not one. */
static bool text_is_only_heredocs(const dfl_sh_script *t)
{
  if (!t->ncmds)
    return false;
  for (size_t i = 0; i < t->ncmds; i++) {
    const dfl_sh_cmd *c = &t->cmds[i];
    if (c->argc || c->nassigns || !c->nredirs)
      return false;
    for (size_t r = 0; r < c->nredirs; r++)
      if (c->redirs[r].kind != DFL_SH_REDIR_HEREDOC)
        return false;
  }
  return true;
}

/* The command whose here-document hd is, or NULL. */
static const dfl_sh_cmd *heredoc_holder(const dfl_sh_script *t,
                                        const dfl_heredoc *hd)
{
  for (size_t i = 0; t && i < t->ncmds; i++)
    for (size_t r = 0; r < t->cmds[i].nredirs; r++) {
      const dfl_sh_redir *rd = &t->cmds[i].redirs[r];
      if (rd->kind == DFL_SH_REDIR_HEREDOC &&
          rd->target.len == hd->name_len &&
          memcmp(rd->target.text, hd->name, hd->name_len) == 0)
        return &t->cmds[i];
    }
  return NULL;
}

static void collect(dfl_ctx *ctx, state *st, const dfl_instr *in,
                    const dfl_instr *run, bool onbuild)
{
  const dfl_run_scripts *rs = dfl_ctx_run_scripts(ctx, in);
  /* A RUN BuildKit rejects is DF000's. */
  if (!rs || run->error)
    return;
  const char *shell = onbuild ? st->default_shell : st->cur_shell;
  dfl_buf exports;
  dfl_buf_init(&exports);
  export_line(ctx, st, onbuild, &exports);
  static const dfl_pos none = {0, 0, 0};

  if (rs->text && shell != SKIP && !text_is_only_heredocs(rs->text)) {
    script *s = new_script(st, in, run);
    add_header(s, shell, &exports);
    const char *t = run->rest ? run->rest : "";
    size_t n = run->rest_len, pos = 0;
    do {
      const char *nl = memchr(t + pos, '\n', n - pos);
      size_t end = nl ? (size_t)(nl - t) : n;
      add_line(s, MAP_TEXT, t + pos, end - pos, pos, none);
      pos = nl ? end + 1 : n;
    } while (pos < n);
    for (size_t h = 0; h < run->nheredocs; h++) {
      /* A body that is a script of its own is checked below, not twice. */
      if (!rs->heredocs[h])
        add_body(s, &run->heredocs[h], 0);
      add_terminator(s, &run->heredocs[h]);
    }
  }

  for (size_t h = 0; h < rs->nheredocs; h++) {
    if (!rs->heredocs[h])
      continue;
    const dfl_heredoc *hd = &run->heredocs[h];
    const char *body = hd->content ? hd->content : "";
    const char *nl = memchr(body, '\n', hd->content_len);
    size_t first = nl ? (size_t)(nl - body) : hd->content_len;
    const char *bang = dialect_of_shebang(body, first);
    const char *d = NULL;
    const dfl_sh_cmd *holder = heredoc_holder(rs->text, hd);
    if (holder && holder->argc) {
      dfl_sh_cmd u = dfl_sh_unwrap(holder);
      if (u.argc)
        d = dialect_of(u.argv[0].text, u.argv[0].len);
    }
    if (!d)
      d = bang ? bang : shell;
    if (d == SKIP)
      continue;
    script *s = new_script(st, in, run);
    add_header(s, d, &exports);
    /* Its own #! line is replaced by the header's. */
    add_body(s, hd, bang ? 1 : 0);
  }
  dfl_buf_free(&exports);
}

/* ---- state ---- */

static void start(dfl_ctx *ctx, state *st)
{
  st->started = true;
  const dfl_lint_options *o = dfl_ctx_options(ctx);
  if ((o && o->shellcheck == DFL_SHELLCHECK_OFF) || !dfl_shellcheck_path()) {
    st->disabled = true;
    return;
  }
  st->default_shell = st->cur_shell = "sh";
  st->cur_stage = -1;
  const dfl_model *m = dfl_ctx_model(ctx);
  dfl_arena *a = dfl_ctx_arena(ctx);
  st->stage_shells =
      dfl_arena_alloc(a, (m->nstages + 1) * sizeof *st->stage_shells);
  /* `# hadolint shell=NAME` anywhere outside heredoc bodies. */
  size_t n;
  const dfl_pragma_line *pl = dfl_ctx_pragmas(ctx, &n);
  size_t cap = 0;
  for (size_t k = 0; k < n; k++) {
    if (pl[k].p.kind != DFL_PRAGMA_SHELL)
      continue;
    if (st->npragmas == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      st->pragmas = dfl_arena_grow(a, st->pragmas, st->npragmas, ncap,
                                   sizeof *st->pragmas);
      cap = ncap;
    }
    st->pragmas[st->npragmas].line = pl[k].line;
    st->pragmas[st->npragmas].dialect =
        dialect_of(pl[k].p.shell, strlen(pl[k].p.shell));
    st->npragmas++;
  }
}

/* SHELL: for the rest of the stage (before the first FROM: until it). */
static void set_shell(state *st, const char *d)
{
  st->cur_shell = d;
  if (st->cur_stage >= 0)
    st->stage_shells[st->cur_stage] = d;
}

static void apply_pragmas(state *st, uint32_t before_line)
{
  while (st->next_pragma < st->npragmas &&
         st->pragmas[st->next_pragma].line < before_line) {
    const char *d = st->pragmas[st->next_pragma++].dialect;
    /* Before the first FROM it is every stage's default too. */
    if (st->cur_stage < 0)
      st->default_shell = d;
    st->cur_shell = d;
    if (st->cur_stage >= 0)
      st->stage_shells[st->cur_stage] = d;
  }
}

static void begin_stage(dfl_ctx *ctx, state *st, const dfl_instr *in)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  for (size_t i = 0; i < m->nstages; i++) {
    if (m->stages[i].from != in)
      continue;
    int base = m->stages[i].base_stage;
    /* FROM <earlier stage> keeps that stage's shell; anything else starts
     * from the default. */
    st->cur_shell = base >= 0 && (size_t)base < i && st->stage_shells[base]
                        ? st->stage_shells[base]
                        : st->default_shell;
    st->cur_stage = (long)i;
    st->stage_shells[i] = st->cur_shell;
    return;
  }
}

static void note_names(state *st, const dfl_instr *in)
{
  if (in->kind == DFL_INSTR_ARG) {
    for (size_t a = 0; a < in->nargs; a++) {
      const char *eq = memchr(in->args[a].value, '=', in->args[a].len);
      size_t k = eq ? (size_t)(eq - in->args[a].value) : in->args[a].len;
      dfl_namelist_add(&st->pre_names, in->args[a].value, k);
    }
  } else {
    for (size_t a = 0; a < in->nargs; a += 3)
      dfl_namelist_add(&st->pre_names, in->args[a].value, in->args[a].len);
  }
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  state *st = dfl_ctx_rule_state(ctx, sizeof *st);
  if (!st->started)
    start(ctx, st);
  if (st->disabled)
    return;
  apply_pragmas(st, in->range.start.line);
  switch (in->kind) {
  case DFL_INSTR_FROM:
    begin_stage(ctx, st, in);
    break;
  case DFL_INSTR_SHELL:
    if (in->json && in->nargs)
      set_shell(st, dialect_of_words(in->args, in->nargs));
    break;
  case DFL_INSTR_ARG:
  case DFL_INSTR_ENV:
    if (st->cur_stage < 0)
      note_names(st, in);
    break;
  case DFL_INSTR_RUN:
    collect(ctx, st, in, in, false);
    break;
  case DFL_INSTR_ONBUILD:
    if (in->sub && in->sub->kind == DFL_INSTR_RUN)
      collect(ctx, st, in, in->sub, true);
    break;
  default:
    break;
  }
}

/* ---- running shellcheck and mapping back ---- */

/* The byte offset of 1-based character column col in text[0..len):
 * ShellCheck counts code points (an invalid byte counts as one) and a tab as
 * one column. */
static size_t byte_of_column(const char *text, size_t len, long col)
{
  size_t b = 0;
  for (long c = 1; c < col && b < len; c++) {
    size_t w = 1;
    dfl_utf8_decode(text + b, len - b, &w);
    b += w ? w : 1;
  }
  return b;
}

/* Maps (line, col) of a script file; false for the header lines. */
static bool map_pos(const script *s, long line, long col, dfl_pos *out,
                    size_t *text_off)
{
  if (line < 1 || !s->nlines)
    return false;
  const map_line *m;
  size_t b;
  if ((size_t)line > s->nlines) {
    /* Past the end (an unterminated construct): the end of the last line. */
    m = &s->lines[s->nlines - 1];
    b = m->len;
  } else {
    m = &s->lines[line - 1];
    b = m->kind == MAP_NONE ? 0 : byte_of_column(m->text, m->len, col);
  }
  if (m->kind == MAP_TEXT) {
    *text_off = m->text_off + b;
    *out = dfl_instr_pos(s->run, s->run->rest_offset + m->text_off + b);
    return true;
  }
  if (m->kind == MAP_SRC) {
    *text_off = SIZE_MAX;
    *out = m->base;
    out->col += (uint32_t)b;
    out->offset += (uint32_t)b;
    return true;
  }
  return false;
}

static bool pos_before(dfl_pos a, dfl_pos b)
{
  return a.line < b.line || (a.line == b.line && a.col < b.col);
}

static dfl_severity level_of(const char *l)
{
  if (l && strcmp(l, "error") == 0)
    return DFL_SEV_ERROR;
  if (l && strcmp(l, "warning") == 0)
    return DFL_SEV_WARNING;
  if (l && strcmp(l, "info") == 0)
    return DFL_SEV_INFO;
  return DFL_SEV_STYLE;
}

static long int_of(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

/* Reports script s's comments (a JSON array, ShellCheck's json1 entries). */
static void report(dfl_ctx *ctx, const script *s, const char *json)
{
  json_t *comments = json_loads(json, 0, NULL);
  size_t i;
  json_t *c;
  json_array_foreach(comments, i, c)
  {
    long code = int_of(c, "code");
    const char *msg = json_string_value(json_object_get(c, "message"));
    dfl_range r;
    size_t from, to;
    if (!map_pos(s, int_of(c, "line"), int_of(c, "column"), &r.start, &from))
      continue; /* about the header dflint wrote, not the Dockerfile */
    if (!map_pos(s, int_of(c, "endLine"), int_of(c, "endColumn"), &r.end,
                 &to) ||
        pos_before(r.end, r.start))
      r.end = r.start;
    else if (from != SIZE_MAX && to != SIZE_MAX && to > from)
      /* Both on the RUN text: keep a span that ends a continued line on
       * that line. */
      r = dfl_instr_range(s->run, s->run->rest_offset + from,
                          s->run->rest_offset + to);
    char id[32], url[96];
    snprintf(id, sizeof id, "SC%ld", code);
    snprintf(url, sizeof url, "https://www.shellcheck.net/wiki/SC%ld", code);
    dfl_emit_code_ex(ctx, s->in, r, id, "ShellCheck",
                     level_of(json_string_value(json_object_get(c, "level"))),
                     url, msg ? msg : "");
  }
  json_decref(comments);
}

/* The scripts go to ShellCheck through src/lint/shellcheck_batch.c: in the
 * first pass of `dflint check` they are only handed over (checked in
 * batches across files before the real pass); in the real pass their
 * answers are ready, or one process checks what is missing. */
static void run_all(dfl_ctx *ctx, state *st)
{
  if (dfl_ctx_options(ctx)->prepass) {
    for (size_t i = 0; i < st->nscripts; i++)
      dfl_shellcheck_want(st->scripts[i].text.data ? st->scripts[i].text.data : "",
                          st->scripts[i].text.len);
    return;
  }
  const char **texts = dfl_xcalloc(st->nscripts, sizeof *texts);
  size_t *lens = dfl_xcalloc(st->nscripts, sizeof *lens);
  char **answers = dfl_xcalloc(st->nscripts, sizeof *answers);
  for (size_t i = 0; i < st->nscripts; i++) {
    texts[i] = st->scripts[i].text.data ? st->scripts[i].text.data : "";
    lens[i] = st->scripts[i].text.len;
  }
  char *err = NULL;
  if (dfl_shellcheck_answers(texts, lens, st->nscripts, answers, &err) != 0)
    fprintf(stderr, "dflint: warning: %s: %s; its findings are missing\n",
            dfl_ctx_path(ctx) ? dfl_ctx_path(ctx) : "-", err);
  free(err);
  for (size_t i = 0; i < st->nscripts; i++) {
    if (answers[i])
      report(ctx, &st->scripts[i], answers[i]);
    free(answers[i]);
  }
  free(answers);
  free(texts);
  free(lens);
}

static void finish(dfl_ctx *ctx)
{
  state *st = dfl_ctx_rule_state(ctx, sizeof *st);
  if (st->nscripts)
    run_all(ctx, st);
  for (size_t i = 0; i < st->nscripts; i++) {
    dfl_buf_free(&st->scripts[i].text);
    free(st->scripts[i].lines);
  }
  free(st->scripts);
  dfl_namelist_free(&st->pre_names);
}

const dfl_rule dfl_rule_ShellCheck = {
  .id = "ShellCheck",
  .name = "ShellCheck",
  .source = DFL_SOURCE_SHELLCHECK,
  .severity = DFL_SEV_WARNING,
  .category = "shell",
  .summary = "ShellCheck's findings in the shell scripts RUN executes, each "
             "under its SCnnnn code",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/ShellCheck.md",
  .on_instr = check,
  .on_finish = finish,
  .prepass = true,
};
