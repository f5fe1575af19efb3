/* DL3019: apk add without --no-cache. The package index and downloaded
 * packages stay under /var/cache/apk in the layer; --no-cache skips the
 * cache, and a cache or tmpfs mount keeps it out of the image. */
#include "dflint/rule.h"
#include "hadolint/dla_common.h"
#include "hadolint/dlb_common.h"

/* rm -r of the apk cache later in the same RUN has the same effect. */
static bool is_cleanup(const dla_cmd *c)
{
  static const char *const cache[] = {"/var/cache/apk", NULL};
  return dlb_rm_recursive(&c->cmd, cache);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_run r;
  if (!dla_run_open(ctx, in, true, &r))
    return;
  if (dla_run_cache_mount(r.run, "/var/cache/apk")) {
    dla_run_close(&r);
    return;
  }
  bool have = false, cleanup = false;
  dfl_range where = in->range;
  dla_cmd_it it;
  dla_cmd c;
  dla_cmd_it_init(&it, &r);
  while (dla_cmd_next(&it, &c)) {
    if (have && is_cleanup(&c))
      cleanup = true;
    if (!have && dla_cmd_is(&c, "apk") && dla_arg_index(&c.cmd, "add") &&
        /* --no-network installs from what is already there: nothing
         * is downloaded into the cache. */
        !dfl_sh_has_flag(&c.cmd, "no-cache|no-network")) {
      have = true;
      where = dla_cmd_range(&r, &c);
    }
  }
  if (have && !cleanup)
    dfl_emit(ctx, in, where,
             "apk add without --no-cache leaves the package cache in the "
             "layer");
  dla_run_close(&r);
}

const dfl_rule dfl_rule_DL3019 = {
  .id = "DL3019",
  .name = "ApkNoCache",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "apk add keeps its package cache in the layer (--no-cache)",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3019",
  .on_instr = check,
};
