/* DL3013: pip install of a package without a version. Without a pin, each
 * build resolves to the newest release on the index, so images drift and
 * a release with breaking changes breaks the build. Installs from a
 * requirements file (-r), under a constraints file (-c) or of the project
 * itself (.) are left to those files. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dla_common.h"

/* pip's options that take a value as the next word. */
#define VALUE_FLAGS                                                          \
  "abi|b|build|e|editable|extra-index-url|f|find-links|i|index-url|"         \
  "implementation|no-binary|only-binary|platform|prefix|progress-bar|proxy|" \
  "python|python-version|root|root-user-action|src|t|target|trusted-host|"   \
  "upgrade-strategy"

/* The index of the "install" argument of a pip install, or 0: pip, pip3,
 * pip3.12, pipx ... (not pipenv) install, or python* -m pip install. */
static size_t install_at(const dla_cmd *c)
{
  size_t bl;
  const char *b = dla_cmd_base(c, &bl);
  const dfl_sh_cmd *k = &c->cmd;
  if (dla_has_prefix(b, bl, "pip") && !dla_has_prefix(b, bl, "pipenv"))
    return dla_arg_index(k, "install");
  if (dla_has_prefix(b, bl, "python"))
    for (size_t i = 1; i + 2 < k->argc; i++)
      if (dfl_sh_word_eq(&k->argv[i], "-m") &&
          dfl_sh_word_eq(&k->argv[i + 1], "pip") &&
          dfl_sh_word_eq(&k->argv[i + 2], "install"))
        return i + 2;
  return 0;
}

static bool is_vcs(const char *s, size_t n)
{
  static const char *const schemes[] = {"git", "hg+", "svn", "bzr+"};
  for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
    if (dla_has_prefix(s, n, schemes[i]))
      return true;
  return false;
}

static bool pinned(const char *s, size_t n)
{
  static const char *const ops[] = {"==", ">=", "<=", ">", "<", "!=", "~="};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (dla_contains(s, n, ops[i]))
      return true;
  if (dla_has_suffix(s, n, ".whl") || dla_has_suffix(s, n, ".tar.gz"))
    return true;
  if (is_vcs(s, n))
    return dla_contains(s, n, "@"); /* git+https://...@tag */
  /* A URL or a path: the file decides the version. A path with no '/'
   * (.[extra]) is the local project. */
  return dla_contains(s, n, "/") || (n && s[0] == '.');
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
    size_t at = install_at(&c);
    if (!at || dfl_sh_has_flag(&c.cmd, "r|requirement|c|constraint") ||
        dla_arg_index(&c.cmd, "."))
      continue;
    /* The packages are the plain arguments after "install". */
    dfl_sh_cmd tail = c.cmd;
    tail.argv = c.cmd.argv + at;
    tail.argc = c.cmd.argc - at;
    dfl_sh_args a;
    dfl_sh_args_init(&a, &tail, VALUE_FLAGS);
    for (const dfl_sh_word *w; (w = dfl_sh_args_next(&a));) {
      if (dfl_sh_word_eq(w, "install"))
        continue;
      dla_unpinned_word(&u, &r, &c, w, pinned);
    }
  }
  dla_unpinned_emit(ctx, in, &u, "Pin the version of pip package",
                    "pin it with ==<version> (a VCS URL with @<ref>), or "
                    "install from a requirements file");
  dla_run_close(&r);
}

const dfl_rule dfl_rule_DL3013 = {
  .id = "DL3013",
  .name = "PipVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "pip install of a package without a version",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3013",
  .on_instr = check,
};
