/* DL3036 ZypperClean: zypper installs in a RUN that does not run
 * `zypper clean` afterwards. Repository metadata and downloaded packages
 * stay in /var/cache/zypp, in the layer. */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static const char *const cache_dirs[] = {"/var/cache/zypp", NULL};

static bool word_in(const dfl_sh_word *w, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (dfl_sh_word_eq(w, list[i]))
      return true;
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  static const char *const fills[] = {"install", "in", "update", "up",
                                      "patch", "dist-upgrade", "dup",
                                      "source-install", "si", NULL};
  static const char *const cleans[] = {"clean", "cc", NULL};
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  bool installs = false, clean_after = false;
  dfl_range at = in->range;
  while (dlb_cmds_next(&it)) {
    const dfl_sh_word *sub[1];
    if (dlb_named(&it.u, "zypper")) {
      if (dlb_positionals(&it.u, dlb_zypper_value_flags, sub, 1) == 0)
        continue;
      if (word_in(sub[0], fills)) {
        installs = true;
        clean_after = false; /* the clean must follow the last install */
        at = dlb_cmd_range(&it);
      } else if (installs && word_in(sub[0], cleans)) {
        clean_after = true;
      }
    } else if (installs && dlb_rm_recursive(&it.u, cache_dirs)) {
      clean_after = true;
    }
  }
  dlb_cmds_free(&it);
  if (!installs || clean_after || dlb_cache_mount(ctx, run, cache_dirs))
    return;
  dfl_emit(ctx, in, at,
           "zypper is not followed by `zypper clean` in the same RUN; its "
           "cache stays in the layer");
}

const dfl_rule dfl_rule_DL3036 = {
  .id = "DL3036",
  .name = "ZypperClean",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Run zypper clean after zypper install in the same RUN",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3036",
  .on_instr = check,
};
