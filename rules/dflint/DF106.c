/* DF106 ContextCopyBloat: `COPY .` (or ADD, or `*`) takes the whole build
 * context, and the context, after .dockerignore, holds .git, node_modules,
 * a virtualenv, build outputs, or simply more bytes than the configured
 * threshold. Those end up in the layer, bust its cache on every local
 * change, and can leak history or host-specific binaries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/context.h"
#include "dflint/dockerignore.h"
#include "dflint/lint.h"
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

#define DEFAULT_THRESHOLD ((uint64_t)50 * 1000 * 1000) /* 50 MB */
#define MAX_LISTED 3      /* offenders named in the message */
#define MAX_SUGGESTED 6   /* .dockerignore lines suggested */

/* One walk of the context. COPYs that differ only in --exclude need their
 * own; every plain `COPY .` of the file shares the first. */
typedef struct walk {
  char *excludes; /* the --exclude patterns, one per line; "" for none */
  int rc;
  dfl_context_summary sum;
} walk;

typedef struct state {
  bool loaded;
  bool broken;    /* the ignore file exists but BuildKit would reject it */
  dfl_ignore *ig;
  walk *walks;
  size_t nwalks;
} state;

static state *get_state(dfl_ctx *ctx)
{
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (!s->loaded) {
    s->loaded = true;
    char *err = NULL;
    s->ig = dfl_ignore_load(dfl_ctx_context_dir(ctx), dfl_ctx_path(ctx), &err);
    s->broken = err != NULL;
    free(err);
  }
  return s;
}

static void finish(dfl_ctx *ctx)
{
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  for (size_t i = 0; i < s->nwalks; i++) {
    free(s->walks[i].excludes);
    dfl_context_summary_free(&s->walks[i].sum);
  }
  free(s->walks);
  dfl_ignore_free(s->ig);
  memset(s, 0, sizeof *s);
}

static const walk *walk_for(dfl_ctx *ctx, state *s, const char *excludes)
{
  for (size_t i = 0; i < s->nwalks; i++)
    if (strcmp(s->walks[i].excludes, excludes) == 0)
      return &s->walks[i];
  dfl_ignore *ex = NULL;
  if (*excludes) {
    ex = dfl_ignore_parse(excludes, strlen(excludes), NULL);
    if (!ex)
      return NULL; /* BuildKit rejects the pattern: nothing to measure */
  }
  s->walks = dfl_xrealloc(s->walks, (s->nwalks + 1) * sizeof *s->walks);
  walk *w = &s->walks[s->nwalks++];
  w->excludes = strdup(excludes);
  w->rc = dfl_context_walk_shared(dfl_ctx_context_dir(ctx), s->ig, excludes,
                                  ex, &w->sum);
  dfl_ignore_free(ex);
  return w;
}

/* Sources that name the whole context: ".", "./", "/" and "*" (which
 * matches every top-level entry, dotfiles included). */
static bool whole_context(const char *src, size_t len)
{
  char *raw = dfl_xstrndup(src, len);
  char *clean = dfl_path_clean(raw);
  bool whole = strcmp(clean, ".") == 0 || strcmp(clean, "/") == 0 ||
               strcmp(clean, "*") == 0 || strcmp(clean, "/*") == 0;
  free(raw);
  free(clean);
  return whole;
}

/* --exclude values after expansion, one per line, or false when one does
 * not expand (the build fails there). */
static bool excludes_of(dfl_ctx *ctx, const dfl_instr *in, dfl_buf *out)
{
  for (size_t i = 0; i < in->nflags; i++) {
    const dfl_flag *f = &in->flags[i];
    if (f->name_len != 7 || memcmp(f->name, "exclude", 7) != 0 || !f->value)
      continue;
    dfl_lex_result r;
    if (dfl_ctx_expand(ctx, f->value, f->value_len, &r) != 0) {
      dfl_lex_result_free(&r);
      return false;
    }
    /* A pattern starting with '#' would read as a comment: the leading
     * slash the ignore reader drops keeps it a pattern. */
    if (r.result_len && r.result[0] == '#')
      dfl_buf_putc(out, '/');
    dfl_buf_append(out, r.result, r.result_len);
    dfl_buf_putc(out, '\n');
    dfl_lex_result_free(&r);
  }
  return true;
}

static void put_size(dfl_buf *b, uint64_t bytes)
{
  char sz[32];
  dfl_context_format_size(bytes, sz, sizeof sz);
  dfl_buf_puts(b, sz);
}

/* "a", "a and b", "a, b and c" */
static void put_sep(dfl_buf *b, size_t i, size_t n)
{
  if (i > 0)
    dfl_buf_puts(b, i + 1 == n ? " and " : ", ");
}

/* "node_modules/", "web/dist/", or for one line covering several places
 * "12 __pycache__/ directories", "3 *.o files". */
static void put_label(dfl_buf *b, const dfl_context_item *it)
{
  if (!it->pattern || it->count < 2) {
    dfl_buf_puts(b, it->path);
    return;
  }
  const char *p = it->pattern;
  if (strncmp(p, "**/", 3) == 0)
    p += 3;
  dfl_buf_printf(b, "%llu %s%s", (unsigned long long)it->count, p,
                 it->is_dir ? "/ directories" : " files");
}

static bool suggested(const char *const *lines, size_t n, const char *p)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(lines[i], p) == 0)
      return true;
  return false;
}

static void message(dfl_buf *b, const dfl_instr *in, const char *src,
                    const dfl_context_summary *sum, uint64_t threshold)
{
  bool over = sum->bytes > threshold;
  dfl_buf_printf(b, "%s %s copies ", in->kind == DFL_INSTR_ADD ? "ADD" : "COPY", src);
  if (sum->truncated)
    dfl_buf_puts(b, "at least ");
  put_size(b, sum->bytes);
  dfl_buf_puts(b, " from the build context");
  if (sum->truncated)
    dfl_buf_printf(b, " (the walk stopped at its %s limit)", sum->limit ? sum->limit : "");
  if (over) {
    dfl_buf_puts(b, ", more than the ");
    put_size(b, threshold);
    dfl_buf_puts(b, " threshold");
  }

  /* What to name: found things first; for size alone, the biggest entries. */
  const dfl_context_item *items = sum->nfound ? sum->found : sum->top;
  size_t n = sum->nfound ? sum->nfound : sum->ntop;
  size_t listed = n < MAX_LISTED ? n : MAX_LISTED;
  /* Found things are all worth naming; of plain entries, only those that
   * weigh (a tenth of the total), and always the biggest. */
  if (!sum->nfound)
    while (listed > 1 && items[listed - 1].bytes < sum->bytes / 10)
      listed--;
  uint64_t listed_bytes = 0;
  for (size_t i = 0; i < listed; i++)
    listed_bytes += items[i].bytes;
  if (listed) {
    dfl_buf_puts(b, listed_bytes > sum->bytes / 2 ? ", most of it " : ", including ");
    for (size_t i = 0; i < listed; i++) {
      put_sep(b, i, listed);
      const dfl_context_item *it = &items[i];
      put_label(b, it);
      dfl_buf_puts(b, " (");
      put_size(b, it->bytes);
      dfl_buf_putc(b, ')');
    }
  }

  if (sum->nfound) {
    /* One line per pattern; the double-star form of a name already covers
     * the top-level one. */
    const char *lines[MAX_SUGGESTED];
    size_t nl = 0;
    bool more = false;
    for (size_t i = 0; i < sum->nfound; i++) {
      const char *p = sum->found[i].pattern;
      char wide[512];
      snprintf(wide, sizeof wide, "**/%s", p);
      if (suggested(lines, nl, p) || suggested(lines, nl, wide))
        continue;
      bool covered = false;
      for (size_t k = 0; k < sum->nfound && !covered; k++)
        covered = strcmp(sum->found[k].pattern, wide) == 0;
      if (covered)
        continue;
      if (nl == MAX_SUGGESTED) {
        more = true;
        break;
      }
      lines[nl++] = p;
    }
    dfl_buf_puts(b, ": add ");
    for (size_t i = 0; i < nl; i++) {
      put_sep(b, i, more ? nl + 1 : nl);
      dfl_buf_puts(b, lines[i]);
    }
    if (more)
      dfl_buf_puts(b, " and the rest");
    dfl_buf_puts(b, " to .dockerignore");
  } else {
    dfl_buf_puts(b, ": leave out what the image does not need with .dockerignore, "
                    "or copy only the paths it uses");
  }
  if (sum->unreadable)
    dfl_buf_printf(b, " (%llu %s could not be read)", (unsigned long long)sum->unreadable,
                   sum->unreadable == 1 ? "entry" : "entries");
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY && in->kind != DFL_INSTR_ADD)
    return;
  /* Before the first FROM there is no stage to copy into. ONBUILD payloads
   * run in some later build's context, not this one. */
  if (!dfl_ctx_state(ctx) || in->error)
    return;
  const dfl_flag *from = dfl_instr_flag(in, "from");
  if (from && from->value && from->value_len)
    return; /* another stage or image, not the context */

  bkd_words w = {0};
  bkd_expand_words(in, &w);
  const bkd_word *hit = NULL;
  char *src = NULL;
  for (size_t i = 0; i < w.n && !hit; i++) {
    if (w.items[i].role != BKD_SOURCE)
      continue;
    dfl_lex_result r;
    if (dfl_ctx_expand(ctx, w.items[i].text, w.items[i].len, &r) == 0 &&
        whole_context(r.result, r.result_len)) {
      hit = &w.items[i];
      src = dfl_xstrndup(r.result, r.result_len);
    }
    dfl_lex_result_free(&r);
  }
  dfl_buf ex;
  dfl_buf_init(&ex);
  state *s = hit ? get_state(ctx) : NULL;
  /* With an ignore file BuildKit rejects, the build fails before copying. */
  if (hit && !s->broken && excludes_of(ctx, in, &ex)) {
    const walk *wk = walk_for(ctx, s, ex.len ? dfl_buf_cstr(&ex) : "");
    const dfl_lint_options *lo = dfl_ctx_options(ctx);
    uint64_t threshold = lo && lo->context_size_threshold > 0
                             ? (uint64_t)lo->context_size_threshold
                             : DEFAULT_THRESHOLD;
    if (wk && wk->rc == 0 && (wk->sum.kinds || wk->sum.bytes > threshold)) {
      dfl_buf msg;
      dfl_buf_init(&msg);
      message(&msg, in, src, &wk->sum, threshold);
      dfl_emit(ctx, in, hit->range, "%s", dfl_buf_cstr(&msg));
      dfl_buf_free(&msg);
    }
  }
  dfl_buf_free(&ex);
  free(src);
  bkd_words_free(&w);
}

const dfl_rule dfl_rule_DF106 = {
  .id = "DF106",
  .name = "ContextCopyBloat",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "COPY of the whole build context takes in .git, node_modules, a virtualenv, "
             "build outputs or more bytes than the threshold",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF106.md",
  .on_instr = check,
  .on_finish = finish,
};
