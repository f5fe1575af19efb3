/* LegacyKeyValueFormat: ENV or LABEL written as `key value` instead of
 * `key=value`. */
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

/* dispatchEnv and dispatchLabel only run once every key and value expanded;
 * an expansion error fails the build before the check. */
static bool words_expand(dfl_ctx *ctx, const dfl_instr *in)
{
  bkd_words w = {0};
  bkd_expand_words(in, &w);
  bool ok = true;
  for (size_t i = 0; i < w.n && ok; i++) {
    dfl_lex_result r;
    ok = dfl_ctx_expand(ctx, w.items[i].text, w.items[i].len, &r) == 0;
    dfl_lex_result_free(&r);
  }
  bkd_words_free(&w);
  return ok;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_ENV && in->kind != DFL_INSTR_LABEL)
    return;
  if (!dfl_ctx_state(ctx) || in->error)
    return;
  bool legacy = false;
  for (size_t a = 0; a + 2 < in->nargs; a += 3)
    legacy |= in->args[a + 2].len == 0;
  if (!legacy || !words_expand(ctx, in))
    return;
  /* The triplets are key, value, separator; the parser leaves the
   * separator empty for the whitespace form. */
  for (size_t a = 0; a + 2 < in->nargs; a += 3)
    if (in->args[a + 2].len == 0)
      dfl_emit(ctx, in, bkd_first_line_range(in, in->args[a].range),
               "\"%.*s key=value\" should be used instead of legacy \"%.*s "
               "key value\" format",
               (int)in->keyword_len, in->keyword, (int)in->keyword_len,
               in->keyword);
}

const dfl_rule dfl_rule_LegacyKeyValueFormat = {
  .id = "LegacyKeyValueFormat",
  .name = "LegacyKeyValueFormat",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "Legacy key/value format with whitespace separator should not "
             "be used",
  .url = "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
  .on_instr = check,
};
