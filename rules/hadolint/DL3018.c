/* DL3018: apk add of a package without a version. Alpine repositories
 * only keep the current build of each package, so an unpinned add gives a
 * different image whenever the repository moves. */
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

/* apk options whose value is the next word. */
#define VALUE_FLAGS                                                          \
  "t|virtual|X|repository|p|root|arch|keys-dir|repositories-file|"          \
  "cache-dir|cache-max-age"

static bool pinned(const char *s, size_t n)
{
  return dla_contains(s, n, "=") || dla_contains(s, n, "~") ||
         dla_contains(s, n, ">") || dla_contains(s, n, "<") ||
         dla_has_suffix(s, n, ".apk");
}

/* Nothing to pin: a pinned package, or !name, a conflict (kept out, not
 * installed). */
static bool settled(const char *s, size_t n)
{
  return (n && s[0] == '!') || pinned(s, n);
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
    if (!dla_cmd_is(&c, "apk") || !dla_arg_index(&c.cmd, "add"))
      continue;
    dfl_sh_args a;
    dfl_sh_args_init(&a, &c.cmd, VALUE_FLAGS);
    for (const dfl_sh_word *w; (w = dfl_sh_args_next(&a));) {
      if (dfl_sh_word_eq(w, "add"))
        continue;
      dla_unpinned_word(&u, &r, &c, w, settled);
    }
  }
  dla_unpinned_emit(ctx, in, &u, "Pin the version of apk package",
                    "apk add %s=<version>");
  dla_run_close(&r);
}

const dfl_rule dfl_rule_DL3018 = {
  .id = "DL3018",
  .name = "ApkVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "apk add of a package without a version",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3018",
  .on_instr = check,
};
