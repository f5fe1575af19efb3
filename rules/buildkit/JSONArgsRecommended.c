/* JSONArgsRecommended: CMD or ENTRYPOINT in shell form while the stage has
 * no SHELL of its own. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_CMD && in->kind != DFL_INSTR_ENTRYPOINT)
    return;
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  if (!st || in->error || in->json)
    return;
  /* BuildKit only knows a SHELL from the image config, which it has for a
   * SHELL instruction in this stage or its base stages. A base image that
   * sets one in its config is unknown offline and treated as having none,
   * as BuildKit treats images without one. */
  if (st->shell_set)
    return;
  dfl_emit(ctx, in, in->range,
           "JSON arguments recommended for %.*s to prevent unintended "
           "behavior related to OS signals",
           (int)in->keyword_len, in->keyword);
}

const dfl_rule dfl_rule_JSONArgsRecommended = {
  .id = "JSONArgsRecommended",
  .name = "JSONArgsRecommended",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "JSON arguments recommended for ENTRYPOINT/CMD to prevent "
             "unintended behavior related to OS signals",
  .url = "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
  .on_instr = check,
};
