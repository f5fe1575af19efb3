/* InvalidDefinitionDescription (experimental): a comment directly above a
 * named FROM or an ARG is taken as its description (outline, targets), and
 * should then start with the stage name or the ARG key. */
#include <string.h>

#include "bk_common.h"

static bool word_is(const char *w, size_t wl, const char *s, size_t sl)
{
  return wl == sl && memcmp(w, s, wl) == 0;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if ((in->kind != DFL_INSTR_FROM && in->kind != DFL_INSTR_ARG) ||
      !in->ncomments || !bk_instr_parses(in))
    return;
  /* Only the last comment line counts, cut at the first single space
   * (strings.Split(c, " ")[0]). Blank lines between the comment and the
   * instruction do not detach it: only a lone "#" line does. */
  const dfl_comment *c = &in->comments[in->ncomments - 1];
  const char *sp = memchr(c->text, ' ', c->len);
  size_t wl = sp ? (size_t)(sp - c->text) : c->len;

  if (in->kind == DFL_INSTR_FROM) {
    const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
    /* An unnamed stage has nothing to describe. */
    if (!st || st->from != in || !st->name)
      return;
    if (word_is(c->text, wl, st->name, strlen(st->name)))
      return;
    dfl_emit(ctx, in, in->range,
             "Comment for FROM should follow the format: `# %s <description>`",
             st->name);
    return;
  }

  for (size_t a = 0; a < in->nargs; a++) {
    const char *eq = memchr(in->args[a].value, '=', in->args[a].len);
    size_t kl = eq ? (size_t)(eq - in->args[a].value) : in->args[a].len;
    if (word_is(c->text, wl, in->args[a].value, kl))
      return;
  }
  if (in->nargs > 1) {
    dfl_emit(ctx, in, in->range,
             "Comment for ARG should follow the format: `# <arg_key> <description>`");
    return;
  }
  const char *eq = memchr(in->args[0].value, '=', in->args[0].len);
  size_t kl = eq ? (size_t)(eq - in->args[0].value) : in->args[0].len;
  dfl_emit(ctx, in, in->range,
           "Comment for ARG should follow the format: `# %.*s <description>`",
           (int)kl, in->args[0].value);
}

const dfl_rule dfl_rule_InvalidDefinitionDescription = {
  .id = "InvalidDefinitionDescription",
  .name = "InvalidDefinitionDescription",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "Comment for build stage or argument should follow the format: "
             "`# <arg/stage name> <description>`. If this is not intended to "
             "be a description comment, add an empty line or comment between "
             "the instruction and the comment.",
  .url = "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
  .experimental = true,
  .on_instr = check,
};
