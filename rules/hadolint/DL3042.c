/* DL3042 PipNoCacheDir: pip install without --no-cache-dir. pip keeps every
 * downloaded wheel in ~/.cache/pip; in an image that cache is never used
 * again and only makes the layer bigger. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

/* pip's general options that take a value. */
static const char pip_value_flags[] =
    "proxy|retries|timeout|exists-action|trusted-host|cert|client-cert|"
    "cache-dir|log|python|keyring-provider|use-feature|use-deprecated|"
    "progress-bar|src|prefix|root|target|t|c|constraint|r|requirement|e|"
    "editable|i|index-url|extra-index-url|f|find-links|platform|"
    "python-version|implementation|abi|no-binary|only-binary|"
    "upgrade-strategy|root-user-action|report|config-settings|C|"
    "global-option";

/* pip, pip3, pip3.12 (not pipx or pipenv, which are other tools), or
 * python with a version suffix. */
static bool versioned(const char *name, const char *base)
{
  const char *slash = strrchr(name, '/');
  if (slash)
    name = slash + 1;
  size_t n = strlen(base);
  if (strncmp(name, base, n) != 0)
    return false;
  for (const char *c = name + n; *c; c++)
    if (!isdigit((unsigned char)*c) && *c != '.')
      return false;
  return true;
}

/* Whether u is `pip install` or `python -m pip install`. */
static bool pip_install(const dfl_sh_cmd *u)
{
  if (u->argc == 0)
    return false;
  size_t i = 1;
  if (versioned(u->argv[0].text, "python")) {
    for (; i < u->argc; i++) {
      const dfl_sh_word *w = &u->argv[i];
      if (dfl_sh_word_eq(w, "-mpip")) {
        i++;
        break;
      }
      if (dfl_sh_word_eq(w, "-m")) {
        if (i + 1 < u->argc && dfl_sh_word_eq(&u->argv[i + 1], "pip")) {
          i += 2;
          break;
        }
        return false; /* another module */
      }
      if (w->len == 0 || w->text[0] != '-')
        return false; /* a script runs, not pip */
    }
  } else if (!versioned(u->argv[0].text, "pip")) {
    return false;
  }
  /* The subcommand: the first word that is not an option or its value. */
  dfl_sh_cmd rest = *u;
  rest.argv = u->argv + i - 1;
  rest.argc = u->argc - (i - 1);
  const dfl_sh_word *sub[1];
  return dlb_positionals(&rest, pip_value_flags, sub, 1) >= 1 &&
         dfl_sh_word_eq(sub[0], "install");
}

static bool no_cache_arg(const dfl_sh_cmd *u)
{
  /* pip accepts unambiguous prefixes of long options: --no-cache works. */
  for (size_t i = 1; i < u->argc; i++)
    if (strncmp(u->argv[i].text, "--no-cache", 10) == 0)
      return true;
  return false;
}

static bool truthy(const char *v)
{
  static const char *const yes[] = {"1", "true", "yes", "on", NULL};
  for (size_t i = 0; yes[i]; i++)
    if (strcasecmp(v, yes[i]) == 0)
      return true;
  return false;
}

/* PIP_NO_CACHE_DIR as the command sees it: set in the script before it,
 * else by the stage's ENV/ARG, else by an ENV before the first FROM. */
static bool env_disables_cache(dfl_ctx *ctx, const dfl_instr *in,
                               const dlb_cmds *it)
{
  const char *v = dfl_sh_env_before(it->s, it->cmd, "PIP_NO_CACHE_DIR");
  if (v)
    return truthy(v);
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  if (st) {
    const dfl_env_entry *e = dfl_env_get(&st->env, "PIP_NO_CACHE_DIR", 16);
    return e && truthy(e->value);
  }
  char *ov = dlb_orphan_value(ctx, in, "PIP_NO_CACHE_DIR");
  bool r = ov && truthy(ov);
  free(ov);
  return r;
}

/* A cache or tmpfs mount on pip's cache directory, or on the .cache
 * directory that holds it (--mount=type=cache,target=/root/.cache). */
static bool cache_mounted(dfl_ctx *ctx, const dfl_instr *run)
{
  size_t i = 0;
  dlb_mount m;
  while (dlb_mount_next(ctx, run, &i, &m)) {
    if (!m.target ||
        (strcmp(m.type, "cache") != 0 && strcmp(m.type, "tmpfs") != 0))
      continue;
    size_t n = strlen(m.target);
    while (n > 1 && m.target[n - 1] == '/')
      n--;
    if (strstr(m.target, ".cache/pip") ||
        (n >= 6 && memcmp(m.target + n - 6, ".cache", 6) == 0))
      return true;
  }
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
    if (!pip_install(&it.u) || no_cache_arg(&it.u) ||
        env_disables_cache(ctx, in, &it))
      continue;
    if (!cache_mounted(ctx, run))
      dfl_emit(ctx, in, dlb_cmd_range(&it),
               "pip install keeps its download cache in the image; add "
               "--no-cache-dir (or set PIP_NO_CACHE_DIR=1)");
    break;
  }
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3042 = {
  .id = "DL3042",
  .name = "PipNoCacheDir",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Use pip install --no-cache-dir",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3042",
  .on_instr = check,
};
