/* DL3016: npm install of a package without a version, tag or commit. The
 * build then takes the newest release, so images drift between builds. A
 * bare `npm install` (from package.json and its lock file) is fine. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dla_common.h"

/* npm options whose value is the next word. */
#define VALUE_FLAGS                                                          \
  "loglevel|registry|prefix|cache|userconfig|globalconfig|w|workspace"

static bool pinned(const char *s, size_t n)
{
  static const char *const git[] = {"git://", "git+ssh://", "git+http://",
                                     "git+https://"};
  for (size_t i = 0; i < sizeof git / sizeof git[0]; i++)
    if (dla_has_prefix(s, n, git[i]))
      return dla_contains(s, n, "#"); /* #commit, #tag or #semver:... */
  if (dla_has_suffix(s, n, ".tar") || dla_has_suffix(s, n, ".tar.gz") ||
      dla_has_suffix(s, n, ".tgz"))
    return true;
  if (dla_has_prefix(s, n, "/") || dla_has_prefix(s, n, "./") ||
      dla_has_prefix(s, n, "../") || dla_has_prefix(s, n, "~/"))
    return true; /* a folder */
  /* name@version; a leading @ belongs to the scope (@org/name@1.2). */
  if (n && s[0] == '@') {
    const char *slash = memchr(s, '/', n);
    if (!slash)
      return false;
    n -= (size_t)(slash - s);
    s = slash;
  }
  return dla_contains(s, n, "@");
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
    if (!dla_cmd_is(&c, "npm"))
      continue;
    /* The subcommand is the first plain argument: `npm run install` runs
     * a script, it installs nothing. */
    dfl_sh_args a;
    dfl_sh_args_init(&a, &c.cmd, VALUE_FLAGS);
    const dfl_sh_word *sub = dfl_sh_args_next(&a);
    if (!sub || !(dfl_sh_word_eq(sub, "install") ||
                  dfl_sh_word_eq(sub, "i") || dfl_sh_word_eq(sub, "add")))
      continue;
    for (const dfl_sh_word *w; (w = dfl_sh_args_next(&a));) {
      dla_unpinned_word(&u, &r, &c, w, pinned);
    }
  }
  dla_unpinned_emit(ctx, in, &u, "Pin the version of npm package",
                    "npm install %s@<version>");
  dla_run_close(&r);
}

const dfl_rule dfl_rule_DL3016 = {
  .id = "DL3016",
  .name = "NpmVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "npm install of a package without a version",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3016",
  .on_instr = check,
};
