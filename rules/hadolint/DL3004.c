/* DL3004: sudo in a RUN. Build steps already run as the image's USER; sudo
 * adds a setuid binary and a TTY/PAM dependency, and behaves differently
 * from one base image to the next. Switch with USER, or use gosu/su-exec
 * in an entrypoint. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dla_common.h"

/* Whether c runs sudo, directly or through another wrapper (env sudo x). */
static bool runs_sudo(const dla_cmd *c)
{
  /* The wrappers are the words before the command that runs. */
  size_t k = (size_t)(c->cmd.argv - c->raw->argv);
  if (k == 0)
    k = 1;
  for (size_t i = 0; i < k && i < c->raw->argc; i++) {
    size_t bl;
    const char *b =
        dla_basename(c->raw->argv[i].text, c->raw->argv[i].len, &bl);
    if (bl == 4 && memcmp(b, "sudo", 4) == 0)
      return true;
  }
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_run r;
  if (!dla_run_open(ctx, in, true, &r))
    return;
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  while (dla_cmd_next(&it, &c))
    if (runs_sudo(&c)) {
      dfl_emit(ctx, in,
               dla_run_range(&r, c.script_index, c.raw->argv[0].start,
                             c.raw->argv[c.raw->argc - 1].end),
               "Do not use sudo in a build: set the user with USER, or use "
               "gosu/su-exec at run time");
      break;
    }
  dla_run_close(&r);
}

const dfl_rule dfl_rule_DL3004 = {
  .id = "DL3004",
  .name = "SudoInRun",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "best-practice",
  .summary = "A RUN calls sudo; set the user with USER, or drop privileges "
             "with gosu at run time",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3004",
  .on_instr = check,
};
