/* DL3040 DnfCleanAll: dnf or microdnf installs in a RUN that does not clean
 * their cache afterwards. Repository metadata and packages stay in the
 * layer. */
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static const char *const cache_dirs[] = {"/var/cache/dnf", "/var/cache/yum",
                                         "/var/cache/libdnf5", NULL};
static const char *const mount_needles[] = {"/var/cache/dnf", "/var/cache/yum",
                                            "/var/cache/libdnf5",
                                            ".cache/libdnf5", NULL};

/* Subcommands that download: installs and upgrades. */
static bool fills_cache(const dfl_sh_cmd *u)
{
  static const char *const subs[] = {
    "install", "in", "install-n", "install-na", "install-nevra",
    "localinstall", "groupinstall", "reinstall", "rei", "upgrade", "up",
    "update", "upgrade-minimal", "up-min", "update-minimal", "distro-sync",
    "dsync", NULL,
  };
  size_t first;
  if (dlb_rpm_install(u, &first) != DLB_RPM_NONE)
    return true;
  const dfl_sh_word *p[1];
  if (dlb_positionals(u, dlb_rpm_value_flags, p, 1) == 0)
    return false;
  for (size_t i = 0; subs[i]; i++)
    if (dfl_sh_word_eq(p[0], subs[i]))
      return true;
  return false;
}

static bool is_clean(const dfl_sh_cmd *u)
{
  const dfl_sh_word *p[1];
  return dlb_positionals(u, dlb_rpm_value_flags, p, 1) >= 1 &&
         dfl_sh_word_eq(p[0], "clean");
}

/* dnf and microdnf are judged separately (one's clean does not empty the
 * other's cache); dnf5 is dnf. */
static int family(const dfl_sh_cmd *u)
{
  if (dlb_named(u, "dnf") || dlb_named(u, "dnf5"))
    return 0;
  if (dlb_named(u, "microdnf"))
    return 1;
  return -1;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  static const char *const names[] = {"dnf", "microdnf"};
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  bool installs[2] = {false, false}, clean_after[2] = {false, false};
  dfl_range at[2] = {in->range, in->range};
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    int f = family(&it.u);
    if (f >= 0 && fills_cache(&it.u)) {
      installs[f] = true;
      clean_after[f] = false; /* a clean must follow the last install */
      at[f] = dlb_cmd_range(&it);
    } else if (f >= 0 && is_clean(&it.u)) {
      clean_after[f] = installs[f];
    } else if (dlb_rm_recursive(&it.u, cache_dirs)) {
      for (int k = 0; k < 2; k++)
        clean_after[k] = installs[k];
    }
  }
  dlb_cmds_free(&it);
  for (int f = 0; f < 2; f++) {
    if (!installs[f] || clean_after[f])
      continue;
    if (dlb_cache_mount(ctx, run, mount_needles))
      return;
    dfl_emit(ctx, in, at[f],
             "%s install is not followed by `%s clean all` in the same RUN; "
             "its cache stays in the layer",
             names[f], names[f]);
    return;
  }
}

const dfl_rule dfl_rule_DL3040 = {
  .id = "DL3040",
  .name = "DnfCleanAll",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Run dnf clean all after dnf install in the same RUN",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3040",
  .on_instr = check,
};
