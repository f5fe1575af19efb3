/* DL3028 GemVersionPinning: `gem install NAME` without a version. The
 * image then gets whatever is newest on the day it is built. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

/* Options of gem install that take no value. Every other option is taken
 * to consume the next word when that is not an option itself: gem has many
 * value options, and one of them unknown here must not turn its value into
 * a "gem" (hadolint drops the word after each option the same way). */
static bool no_value_option(const char *w)
{
  static const char *const list[] = {
    "-N", "-E", "-f", "-w", "-l", "-r", "-b", "-q", "-V", "-u",
    "--env-shebang", "--force", "--wrappers", "--local", "--remote",
    "--both", "--quiet", "--verbose", "--conservative", "--minimal-deps",
    "--user-install", "--default", "--development", "--development-all",
    "--ignore-dependencies", "--lock", "--suggestions", "--vendor",
    "--explain", "--prerelease", "--clear-sources", "--update-sources",
    "--backtrace", "--debug", "--norc", "--format-executable",
    "--post-install-message", "--silent", "--document", NULL,
  };
  if (strncmp(w, "--no-", 5) == 0 || strchr(w, '='))
    return true;
  for (size_t i = 0; list[i]; i++)
    if (strcmp(w, list[i]) == 0)
      return true;
  /* A cluster of short no-value flags (-NV). */
  if (w[0] == '-' && w[1] && w[1] != '-') {
    for (const char *c = w + 1; *c; c++)
      if (!strchr("NEfwlrbqVu", *c))
        return false;
    return true;
  }
  return false;
}

static bool pinned(const dfl_sh_word *w)
{
  if (memchr(w->text, ':', w->len))
    return true;
  return w->len > 4 && memcmp(w->text + w->len - 4, ".gem", 4) == 0;
}

/* The first unpinned gem of an install, or NULL. */
static const dfl_sh_word *unpinned(const dfl_sh_cmd *u)
{
  size_t i = 1;
  while (i < u->argc && u->argv[i].len && u->argv[i].text[0] == '-')
    i++;
  if (i >= u->argc || !(dfl_sh_word_eq(&u->argv[i], "install") ||
                        dfl_sh_word_eq(&u->argv[i], "i")))
    return NULL;
  if (dfl_sh_has_flag(u, "v|version"))
    return NULL;
  for (i++; i < u->argc; i++) {
    const dfl_sh_word *w = &u->argv[i];
    if (dfl_sh_word_eq(w, "--"))
      break; /* the rest goes to the gem's build */
    if (w->len > 1 && w->text[0] == '-') {
      if (!no_value_option(w->text) && i + 1 < u->argc &&
          u->argv[i + 1].text[0] != '-')
        i++;
      continue;
    }
    if (!pinned(w))
      return w;
  }
  return NULL;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    if (!dlb_named(&it.u, "gem"))
      continue;
    const dfl_sh_word *w = unpinned(&it.u);
    if (w) {
      dfl_emit(ctx, in, dlb_word_range(&it, w),
               "gem install %.*s has no version; pin it as %.*s:<version> "
               "(or with -v)",
               (int)w->len, w->text, (int)w->len, w->text);
      break;
    }
  }
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3028 = {
  .id = "DL3028",
  .name = "GemVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Pin the versions of gems in gem install",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3028",
  .on_instr = check,
};
