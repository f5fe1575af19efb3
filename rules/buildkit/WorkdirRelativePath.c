/* WorkdirRelativePath: the first WORKDIR of a stage chain is relative, so it
 * resolves against whatever working directory the base image happens to
 * set. */
#include "dflint/buf.h"
#include "dflint/parse.h"
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_WORKDIR)
    return;
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  /* Only the first WORKDIR counts: fixing it fixes every later relative
   * one. A WORKDIR in a base stage counts too; the image's own does not. */
  if (!st || in->error || st->workdir_seen || in->nargs != 1)
    return;
  dfl_lex_result r;
  /* A failed expansion stops the build before the check runs. */
  if (dfl_ctx_expand(ctx, in->args[0].value, in->args[0].len, &r) == 0 &&
      (r.result_len == 0 || r.result[0] != '/')) {
    dfl_buf q;
    dfl_buf_init(&q);
    dfl_go_quote(&q, r.result, r.result_len);
    dfl_emit(ctx, in, bkd_first_line_range(in, in->args[0].range),
             "Relative workdir %s can have unexpected results if the base "
             "image changes",
             dfl_buf_cstr(&q));
    dfl_buf_free(&q);
  }
  dfl_lex_result_free(&r);
}

const dfl_rule dfl_rule_WorkdirRelativePath = {
  .id = "WorkdirRelativePath",
  .name = "WorkdirRelativePath",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Relative workdir without an absolute workdir declared within "
             "the build can have unexpected results if the base image "
             "changes",
  .url = "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
  .on_instr = check,
};
