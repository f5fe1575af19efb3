/* DL3037 ZypperVersionPinning: zypper installing packages without a
 * version (name=version, or a comparison such as name>=version). The image
 * gets whatever the repositories hold on the day it is built. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

#define MAX_OPS 256

/* Global value options, and those of install: -r repo, -t type, --from. */
static const char install_value_flags[] =
    "R|root|c|config|D|reposd-dir|C|cache-dir|raw-cache-dir|solv-cache-dir|"
    "pkg-cache-dir|userdata|installroot|p|plus-repo|plus-content|"
    "releasever|r|repo|t|type|from|download";

static bool pinned(const dfl_sh_word *w)
{
  const char *t = w->text;
  size_t n = w->len;
  if (memchr(t, '=', n) || memchr(t, '<', n) || memchr(t, '>', n))
    return true;
  return n >= 4 && memcmp(t + n - 4, ".rpm", 4) == 0;
}

static bool typed(const dfl_sh_word *w)
{
  static const char *const prefixes[] = {"pattern:", "patch:", "product:",
                                         "srcpackage:", NULL};
  for (size_t i = 0; prefixes[i]; i++)
    if (strncmp(w->text, prefixes[i], strlen(prefixes[i])) == 0)
      return true;
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    if (!dlb_named(&it.u, "zypper"))
      continue;
    const dfl_sh_word *sub[1];
    if (dlb_positionals(&it.u, dlb_zypper_value_flags, sub, 1) == 0 ||
        !(dfl_sh_word_eq(sub[0], "install") || dfl_sh_word_eq(sub[0], "in")))
      continue;
    /* Patterns, patches and products (-t pattern, pattern:NAME) have no
     * versions to pin; only packages do. */
    const char *type = dfl_sh_flag_value(&it.u, "t|type");
    if (type && strcmp(type, "package") != 0)
      continue;
    const dfl_sh_word *ops[MAX_OPS];
    size_t n = dlb_positionals(&it.u, install_value_flags, ops, MAX_OPS);
    if (n > MAX_OPS)
      n = MAX_OPS;
    for (size_t i = 0; i < n; i++) {
      const dfl_sh_word *w = ops[i];
      /* Words up to the subcommand are global options' operands. */
      if (w <= sub[0] || pinned(w) || typed(w))
        continue;
      dfl_emit(ctx, in, dlb_word_range(&it, w),
               "zypper install %.*s has no version; pin it as "
               "%.*s=<version>",
               (int)w->len, w->text, (int)w->len, w->text);
      goto done;
    }
  }
done:
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3037 = {
  .id = "DL3037",
  .name = "ZypperVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Pin versions in zypper install (package=version)",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3037",
  .on_instr = check,
};
