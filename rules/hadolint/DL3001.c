/* DL3001: a RUN calls a program that only makes sense in an interactive
 * session or a running system (ssh, vim, top, ps, kill, service, mount,
 * free, shutdown). In an image build it usually means a step was copied
 * from a terminal session, or a container is being used like a VM. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static const char *const interactive[] = {
  "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
};

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_run r;
  if (!dla_run_open(ctx, in, true, &r))
    return;
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  bool found = false;
  while (!found && dla_cmd_next(&it, &c))
    for (size_t i = 0; i < sizeof interactive / sizeof interactive[0]; i++)
      if (dla_cmd_is(&c, interactive[i])) {
        /* One finding per RUN, at the first such command. */
        dfl_emit(ctx, in, dla_cmd_range(&r, &c),
                 "'%s' has no place in an image build: it needs an "
                 "interactive session or a running system",
                 interactive[i]);
        found = true;
        break;
      }
  dla_run_close(&r);
}

const dfl_rule dfl_rule_DL3001 = {
  .id = "DL3001",
  .name = "InteractiveCommandInRun",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "RUN calls a command meant for interactive sessions or running "
             "systems (ssh, vim, ps, top, service ...)",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3001",
  .on_instr = check,
};
