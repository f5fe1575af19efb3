/* DL3032 YumCleanAll: yum installs in a RUN that does not clean yum's cache
 * afterwards. The downloaded metadata and packages stay in the layer and
 * make the image bigger for nothing. */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static const char *const cache_dirs[] = {"/var/cache/yum", "/var/cache/dnf",
                                         NULL};

/* `yum clean ...` (or dnf's, which is what yum is on recent RHEL), or an
 * rm -r of the cache directory. */
static bool cleans(const dfl_sh_cmd *u)
{
  if (dlb_named(u, "yum") || dlb_named(u, "dnf")) {
    const dfl_sh_word *p[1];
    return dlb_positionals(u, dlb_rpm_value_flags, p, 1) >= 1 &&
           dfl_sh_word_eq(p[0], "clean");
  }
  return dlb_rm_recursive(u, cache_dirs);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  bool installs = false, clean_after = false;
  dfl_range at = in->range;
  while (dlb_cmds_next(&it)) {
    size_t first;
    if (dlb_named(&it.u, "yum") &&
        dlb_rpm_install(&it.u, &first) != DLB_RPM_NONE) {
      installs = true;
      clean_after = false; /* a clean must follow the last install */
      at = dlb_cmd_range(&it);
    } else if (installs && cleans(&it.u)) {
      clean_after = true;
    }
  }
  dlb_cmds_free(&it);
  /* A cache mount keeps the cache out of the layer. */
  if (!installs || clean_after || dlb_cache_mount(ctx, run, cache_dirs))
    return;
  dfl_emit(ctx, in, at,
           "yum install is not followed by `yum clean all` (or rm -rf "
           "/var/cache/yum) in the same RUN; its cache stays in the layer");
}

const dfl_rule dfl_rule_DL3032 = {
  .id = "DL3032",
  .name = "YumCleanAll",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Run yum clean all after yum install in the same RUN",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3032",
  .on_instr = check,
};
