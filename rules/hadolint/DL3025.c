/* DL3025 JsonNotationCmd: CMD, ENTRYPOINT and HEALTHCHECK CMD in shell
 * form. The shell form runs the command under /bin/sh -c, so the process
 * does not get the container's signals (docker stop waits, then kills it)
 * and an ENTRYPOINT ignores the arguments of docker run. BuildKit's
 * JSONArgsRecommended reports CMD and ENTRYPOINT by default, so this rule is
 * off by default. */
#include <strings.h>

#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->error || in->json)
    return;
  const char *what;
  switch (in->kind) {
  case DFL_INSTR_CMD:
    what = "CMD";
    break;
  case DFL_INSTR_ENTRYPOINT:
    what = "ENTRYPOINT";
    break;
  case DFL_INSTR_HEALTHCHECK:
    /* HEALTHCHECK NONE has no command; CMD is the only other type. */
    if (in->nargs < 2 || in->args[0].len != 3 ||
        strncasecmp(in->args[0].value, "CMD", 3) != 0)
      return;
    what = "HEALTHCHECK CMD";
    break;
  default:
    return;
  }
  if (in->nargs == 0)
    return;
  dfl_emit(ctx, in,
           dfl_instr_range(in, in->rest_offset,
                           in->rest_offset + in->rest_len),
           "%s is in shell form; write it as a JSON array "
           "([\"executable\", \"arg\"]) so the command runs without a shell "
           "in between",
           what);
}

const dfl_rule dfl_rule_DL3025 = {
  .id = "DL3025",
  .name = "JsonNotationCmd",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "CMD, ENTRYPOINT and HEALTHCHECK CMD should use the JSON "
             "(exec) form",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3025",
  .off_by_default = true,
  .on_instr = check,
};
