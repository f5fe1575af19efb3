/* DL3000: WORKDIR with a relative path, which resolves against whatever
 * directory the previous WORKDIR or the base image left. Off by default:
 * BuildKit's WorkdirRelativePath reports the first relative WORKDIR of a
 * stage, which is the one that matters. */
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_WORKDIR || in->rest_len == 0)
    return;
  dla_word *w;
  size_t n = dla_words(in, &w);
  /* The path as written, quotes removed; a variable may hold anything. */
  if (n && w[0].len && w[0].text[0] != '/' && w[0].text[0] != '$' &&
      !dla_is_windows_drive(w[0].text, w[0].len))
    dfl_emit(ctx, in, dfl_instr_range(in, in->rest_offset,
                                      in->rest_offset + in->rest_len),
             "WORKDIR %s is relative: give an absolute path so it does not "
             "depend on the previous working directory",
             in->rest);
  dla_words_free(w, n);
}

const dfl_rule dfl_rule_DL3000 = {
  .id = "DL3000",
  .name = "WorkdirAbsolutePath",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "best-practice",
  .summary = "WORKDIR with a relative path",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3000",
  .off_by_default = true,
  .on_instr = check,
};
