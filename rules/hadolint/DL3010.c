/* DL3010: a local archive is COPYed and then unpacked by a later RUN. The
 * archive itself stays in the COPY layer, so the image carries both the
 * archive and its contents; ADD unpacks a local tar archive in one step
 * and keeps only the contents. */
#include <stdlib.h>
#include <string.h>

#include "dflint/model.h"
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

typedef struct archive {
  const dfl_instr *copy;
  char *name; /* basename, malloc'd */
  size_t len;
  bool reported;
} archive;

typedef struct state {
  archive *v;
  size_t n, cap;
  const dfl_stage *stage; /* the stage the archives were copied in */
} state;

static void clear(state *s)
{
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i].name);
  s->n = 0;
}

static void remember(state *s, const dfl_instr *copy, const char *p, size_t n)
{
  size_t bl;
  const char *b = dla_basename(p, n, &bl);
  if (bl == 0)
    return;
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 8;
    s->v = dfl_xrealloc(s->v, s->cap * sizeof *s->v);
  }
  archive *a = &s->v[s->n++];
  a->copy = copy;
  a->name = dfl_xstrndup(b, bl);
  a->len = bl;
  a->reported = false;
}

static void on_copy(state *s, const dfl_instr *in)
{
  if (dfl_instr_flag(in, "from") || in->nheredocs)
    return;
  dla_word *w;
  size_t n = dla_words(in, &w);
  if (n >= 2) {
    /* Copied to a file name that is itself an archive: that is the name
     * the RUN will use. */
    if (dla_is_archive(w[n - 1].text, w[n - 1].len))
      remember(s, in, w[n - 1].text, w[n - 1].len);
    else
      for (size_t i = 0; i + 1 < n; i++)
        if (dla_is_archive(w[i].text, w[i].len))
          remember(s, in, w[i].text, w[i].len);
  }
  dla_words_free(w, n);
}

static bool is_tar_extract(const dfl_sh_cmd *c)
{
  for (size_t i = 1; i < c->argc; i++) {
    const dfl_sh_word *w = &c->argv[i];
    if (dfl_sh_word_eq(w, "--extract") || dfl_sh_word_eq(w, "--get"))
      return true;
    if (w->len >= 2 && w->text[0] == '-' && w->text[1] != '-' &&
        memchr(w->text, 'x', w->len))
      return true;
  }
  /* Old-style bundled options: tar xzf file.tgz */
  if (c->argc > 1) {
    const dfl_sh_word *w = &c->argv[1];
    if (w->len && w->text[0] != '-' && memchr(w->text, 'x', w->len)) {
      for (size_t k = 0; k < w->len; k++)
        if (!((w->text[k] >= 'a' && w->text[k] <= 'z') ||
              (w->text[k] >= 'A' && w->text[k] <= 'Z')))
          return false;
      return true;
    }
  }
  return false;
}

static bool is_unpacker(const dla_cmd *c)
{
  static const char *const names[] = {
    "unzip", "gunzip", "bunzip2", "unlzma", "unxz",
    "zgz",   "uncompress", "zcat", "gzcat",
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (dla_cmd_is(c, names[i]))
      return true;
  return false;
}

/* Whether word w (a path, or --file=path) names the archive a. */
static bool names_archive(const dfl_sh_word *w, const archive *a)
{
  const char *t = w->text;
  size_t n = w->len;
  if (dla_has_prefix(t, n, "--file=")) {
    t += 7;
    n -= 7;
  } else if (n && t[0] == '-') {
    return false;
  }
  size_t bl;
  const char *b = dla_basename(t, n, &bl);
  return bl == a->len && memcmp(b, a->name, bl) == 0;
}

static void on_run(dfl_ctx *ctx, state *s, const dfl_instr *in)
{
  dla_run r;
  if (!dla_run_open(ctx, in, false, &r))
    return;
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  while (dla_cmd_next(&it, &c)) {
    bool tar = dla_cmd_is(&c, "tar") && is_tar_extract(&c.cmd);
    if (!tar && !is_unpacker(&c))
      continue;
    for (size_t k = 0; k < s->n; k++) {
      archive *a = &s->v[k];
      if (a->reported)
        continue;
      for (size_t i = 1; i < c.cmd.argc; i++)
        if (names_archive(&c.cmd.argv[i], a)) {
          a->reported = true;
          /* Reported at the COPY, as hadolint does: that is the line to
           * change. */
          dfl_emit(ctx, a->copy, a->copy->range,
                   "%s is copied, then unpacked by the RUN at line %u: ADD "
                   "unpacks a local tar archive without keeping it in a "
                   "layer",
                   a->name, (unsigned)in->range.start.line);
          /* Each COPY once. */
          for (size_t j = 0; j < s->n; j++)
            if (s->v[j].copy == a->copy)
              s->v[j].reported = true;
          break;
        }
    }
  }
  dla_run_close(&r);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY && in->kind != DFL_INSTR_RUN &&
      in->kind != DFL_INSTR_FROM)
    return;
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  /* Archives are tracked per stage: a RUN only sees files of its own. */
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  if (in->kind == DFL_INSTR_FROM || st != s->stage) {
    clear(s);
    s->stage = st;
  }
  if (in->kind == DFL_INSTR_COPY)
    on_copy(s, in);
  else if (in->kind == DFL_INSTR_RUN)
    on_run(ctx, s, in);
}

static void finish(dfl_ctx *ctx)
{
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  clear(s);
  free(s->v);
  s->v = NULL;
  s->cap = 0;
}

const dfl_rule dfl_rule_DL3010 = {
  .id = "DL3010",
  .name = "CopyArchiveThenExtract",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "A copied local archive is unpacked by a later RUN; ADD does "
             "both in one layer",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3010",
  .on_instr = check,
  .on_finish = finish,
};
