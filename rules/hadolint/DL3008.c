/* DL3008: apt-get install of a package without a version. The build then
 * installs whatever the archive holds that day, so rebuilding the same
 * Dockerfile can change the image or break it. A package is pinned by
 * name=version, by name/release, or by installing a .deb file. */
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

static bool pinned(const char *s, size_t n)
{
  return dla_contains(s, n, "=") || dla_contains(s, n, "/") ||
         dla_has_suffix(s, n, ".deb");
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_run r;
  if (!dla_run_open(ctx, in, true, &r))
    return;
  dla_unpinned u = {0};
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  while (dla_cmd_next(&it, &c)) {
    if (!dla_is_apt_get_install(&c))
      continue;
    /* Option values are not packages: -t release, -o key=value, -c file. */
    dfl_sh_args a;
    dfl_sh_args_init(&a, &c.cmd, "t|target-release|o|option|c|config-file");
    for (const dfl_sh_word *w; (w = dfl_sh_args_next(&a));) {
      if (dfl_sh_word_eq(w, "install"))
        continue;
      dla_unpinned_word(&u, &r, &c, w, pinned);
    }
  }
  dla_unpinned_emit(ctx, in, &u, "Pin the version of apt package",
                    "apt-get install %s=<version>");
  dla_run_close(&r);
}

const dfl_rule dfl_rule_DL3008 = {
  .id = "DL3008",
  .name = "AptGetVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "apt-get install of a package without a version",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3008",
  .on_instr = check,
};
