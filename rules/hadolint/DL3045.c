/* DL3045 CopyRelativeWithoutWorkdir: COPY to a relative destination in a
 * stage that never set WORKDIR. The files then land relative to whatever
 * working directory the base image happens to have (often /), which can
 * change when the base image does. */
#include <string.h>

#include "dflint/rule.h"

/* Absolute on Linux (/x) or Windows (C:\x, C:/x), or a variable whose
 * value is not known here. */
static bool absolute(const char *d, size_t n)
{
  while (n && (d[0] == '"' || d[0] == '\''))
    d++, n--;
  if (n == 0)
    return false;
  if (d[0] == '/' || d[0] == '$')
    return true;
  return n >= 3 && d[1] == ':' && (d[2] == '\\' || d[2] == '/');
}

static bool workdir_set(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  if (st)
    return st->workdir_seen; /* this stage, or one it is built FROM */
  /* Before the first FROM (hadolint's tests lint such fragments): a WORKDIR
   * above counts. */
  const dfl_dockerfile *df = dfl_ctx_file(ctx);
  for (size_t i = 0; i < in->index && i < df->ninstrs; i++)
    if (df->instrs[i]->kind == DFL_INSTR_WORKDIR)
      return true;
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY || in->nargs < 2)
    return;
  const dfl_arg *dest = &in->args[in->nargs - 1];
  if (absolute(dest->value, dest->len) || workdir_set(ctx, in))
    return;
  const char *d = dest->value;
  size_t n = dest->len;
  if (n >= 2 && (d[0] == '"' || d[0] == '\'') && d[n - 1] == d[0])
    d++, n -= 2;
  dfl_emit(ctx, in, dest->range,
           "COPY to the relative path %.*s, but no WORKDIR was set in this "
           "stage; set WORKDIR first or use an absolute destination",
           (int)n, d);
}

const dfl_rule dfl_rule_DL3045 = {
  .id = "DL3045",
  .name = "CopyRelativeWithoutWorkdir",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "COPY to a relative destination needs a WORKDIR first",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3045",
  .on_instr = check,
};
