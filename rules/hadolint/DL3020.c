/* DL3020: ADD for a plain local file or directory. ADD also fetches URLs
 * and unpacks local tar archives, so a reader cannot tell which of those
 * was intended; COPY does only the copy, and says so. */
#include <string.h>

#include "dflint/expand.h"
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

/* Sources for which ADD does something COPY cannot. */
static bool needs_add(const char *s, size_t n)
{
  if (dla_is_archive(s, n))
    return true;
  if (dla_has_prefix(s, n, "http://") || dla_has_prefix(s, n, "https://"))
    return true;
  /* Git repositories (ADD git@host:org/repo.git, ADD git://...). */
  return dla_has_prefix(s, n, "git@") || dla_has_prefix(s, n, "git://") ||
         dla_has_prefix(s, n, "ssh://");
}

/* A source with variables (ADD ${PKG_URL} /tmp/) is judged by its value
 * when the ARG/ENV values are known. */
static bool expanded_needs_add(dfl_ctx *ctx, const dla_word *w)
{
  if (!memchr(w->text, '$', w->len))
    return false;
  dfl_lex_result r;
  bool yes = dfl_ctx_expand(ctx, w->text, w->len, &r) == 0 &&
             r.unmatched.n == 0 && needs_add(r.result, r.result_len);
  dfl_lex_result_free(&r);
  return yes;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_ADD)
    return;
  dla_word *w;
  size_t n = dla_words(in, &w);
  for (size_t i = 0; i + 1 < n; i++)
    if (!needs_add(w[i].text, w[i].len) && !expanded_needs_add(ctx, &w[i])) {
      dfl_emit(ctx, in, w[i].range,
               "Use COPY for %s: ADD is only needed for URLs and local tar "
               "archives",
               w[i].text);
      break;
    }
  dla_words_free(w, n);
}

const dfl_rule dfl_rule_DL3020 = {
  .id = "DL3020",
  .name = "AddInsteadOfCopy",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "best-practice",
  .summary = "ADD of a plain file or directory; COPY says what is meant",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3020",
  .on_instr = check,
};
