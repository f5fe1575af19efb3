/* DL3021: COPY of several sources to a destination that does not end with
 * '/'. The destination must be a directory then, and the trailing slash is
 * what says so; without it the build fails, or a reader expects a file. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static bool is_dir(const char *s, size_t n)
{
  if (dla_has_suffix(s, n, "/"))
    return true;
  /* "." and ".." (also as the last part of a path) cannot be files. */
  size_t bl;
  const char *b = dla_basename(s, n, &bl);
  return (bl == 1 && b[0] == '.') || (bl == 2 && memcmp(b, "..", 2) == 0);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY)
    return;
  dla_word *w;
  size_t n = dla_words(in, &w);
  if (n > 2 && !is_dir(w[n - 1].text, w[n - 1].len))
    dfl_emit(ctx, in, w[n - 1].range,
             "COPY with %zu sources needs a directory destination ending "
             "with '/': %s/",
             n - 1, w[n - 1].text);
  dla_words_free(w, n);
}

const dfl_rule dfl_rule_DL3021 = {
  .id = "DL3021",
  .name = "CopyMultipleSourcesDestDir",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "COPY of several sources to a destination without a trailing '/'",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3021",
  .on_instr = check,
};
