/* UndefinedVar: a variable used in an instruction BuildKit expands that
 * neither the stage env nor an ARG declares. Usually a typo, or an ARG that
 * was never declared in this stage, and it silently expands to "". */
#include <string.h>

#include "dflint/buf.h"
#include "dflint/instr_check.h"
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

/* Names BuildKit never puts in the env, so never reports. */
static bool non_env_arg(const char *k, size_t n)
{
  return (n == 26 && memcmp(k, "BUILDKIT_SBOM_SCAN_CONTEXT", 26) == 0) ||
         (n == 24 && memcmp(k, "BUILDKIT_SBOM_SCAN_STAGE", 24) == 0);
}

/* reportUnmatchedVariables for one expanded word: each distinct unmatched
 * name once, unless an ARG declared it (with or without a value). */
static void report(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
                   const dfl_lex_result *r, const dfl_env *env,
                   const dfl_namelist *declared)
{
  for (size_t i = 0; i < r->unmatched.n; i++) {
    const char *name = r->unmatched.names[i];
    size_t len = strlen(name);
    if (dfl_namelist_has(declared, name, len) || non_env_arg(name, len))
      continue;
    /* suggest.Search over the env keys: distance below 3, case-sensitive,
     * the first of equally close keys wins. */
    const char *match = NULL;
    int best = 3;
    for (size_t k = 0; k < env->n; k++) {
      const char *key = env->items[k].key;
      int d = dfl_levenshtein(name, len, key, strlen(key));
      if (d < best) {
        best = d;
        match = key;
      }
    }
    if (match)
      dfl_emit(ctx, in, range,
               "Usage of undefined variable '$%s' (did you mean $%s?)", name,
               match);
    else
      dfl_emit(ctx, in, range, "Usage of undefined variable '$%s'", name);
  }
}

static void on_arg(dfl_ctx *ctx, const dfl_instr *in, const bkd_arg *a,
                   void *unused)
{
  /* Only a default that was actually used is expanded (no build-arg). */
  if (a->def)
    report(ctx, in, bkd_first_line_range(in, in->args[a->index].range),
           a->def, a->env, a->declared);
}

/* ParseHeredoc's ChompHeredocContent: leading tabs off every line. */
static void chomp(const char *s, size_t len, dfl_buf *out)
{
  bool bol = true;
  for (size_t i = 0; i < len; i++) {
    if (bol && s[i] == '\t')
      continue;
    bol = s[i] == '\n';
    dfl_buf_putc(out, s[i]);
  }
}

/* COPY/ADD heredoc sources whose delimiter was not quoted are expanded by
 * ExpandRaw: always with '\' as the escape and quotes left alone. */
static void check_heredocs(dfl_ctx *ctx, const dfl_instr *in,
                           const dfl_stage_state *st)
{
  for (size_t a = 0; a + 1 < in->nargs; a++) {
    bool is_heredoc;
    const dfl_heredoc *h =
        bkd_heredoc_of(in, in->args[a].value, in->args[a].len, &is_heredoc);
    if (!is_heredoc || (h && !h->expand))
      continue;
    dfl_buf body;
    dfl_buf_init(&body);
    if (h && h->chomp)
      chomp(h->content, h->content_len, &body);
    else if (h)
      dfl_buf_append(&body, h->content, h->content_len);
    dfl_lex lx = {.escape = '\\', .skip_process_quotes = true};
    dfl_lex_result r;
    int rc = dfl_lex_process(&lx, body.data ? body.data : "", body.len,
                             &st->env, &r);
    report(ctx, in, bkd_first_line_range(in, in->args[a].range), &r,
           &st->env, &st->declared_args);
    dfl_lex_result_free(&r);
    dfl_buf_free(&body);
    if (rc != 0)
      return;
  }
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  if (!st || in->error)
    return;
  /* Offline, the base image's own ENV is unknown unless it is scratch, a
   * stage of this file or an image known to set only PATH. Any unmatched
   * name could come from that ENV, so the rule stays silent there rather
   * than guess. */
  if (!st->env_complete)
    return;
  if (in->kind == DFL_INSTR_ARG) {
    bkd_arg_walk(ctx, in, on_arg, NULL);
    return;
  }
  bkd_words w = {0};
  bkd_expand_words(in, &w);
  bool ok = true;
  for (size_t i = 0; i < w.n && ok; i++) {
    dfl_lex_result r;
    ok = dfl_ctx_expand(ctx, w.items[i].text, w.items[i].len, &r) == 0;
    /* Reported even for the word that fails: BuildKit reports before it
     * looks at the error. */
    report(ctx, in, w.items[i].range, &r, &st->env, &st->declared_args);
    dfl_lex_result_free(&r);
  }
  bkd_words_free(&w);
  if (ok && (in->kind == DFL_INSTR_COPY || in->kind == DFL_INSTR_ADD))
    check_heredocs(ctx, in, st);
}

const dfl_rule dfl_rule_UndefinedVar = {
  .id = "UndefinedVar",
  .name = "UndefinedVar",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Variables should be defined before their use",
  .url = "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
  .on_instr = check,
};
