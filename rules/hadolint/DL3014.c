/* DL3014: apt-get install without -y. A build has no terminal to answer
 * apt's "Do you want to continue?", so the install aborts as soon as apt
 * decides to ask (extra dependencies, removals). */
#include "dflint/rule.h"
#include "hadolint/dla_common.h"

/* apt's quiet level: each -q or --quiet adds one, -q=N / --quiet=N set it.
 * Level 2 implies --assume-yes. */
static size_t quiet_level(const dfl_sh_cmd *c)
{
  size_t level = dla_flag_count(c, "q") + dla_flag_count(c, "quiet");
  for (size_t i = 1; i < c->argc; i++) {
    const dfl_sh_word *w = &c->argv[i];
    if (dfl_sh_word_eq(w, "--"))
      break;
    if (dla_has_prefix(w->text, w->len, "-q=") ||
        dla_has_prefix(w->text, w->len, "--quiet=")) {
      const char *v = w->text[1] == 'q' ? w->text + 3 : w->text + 8;
      size_t n = 0;
      while (*v >= '0' && *v <= '9' && n < 100)
        n = n * 10 + (size_t)(*v++ - '0');
      /* The option itself was counted once above. */
      level = level - 1 + n;
    }
  }
  return level;
}

static bool assumes_yes(const dfl_sh_cmd *c)
{
  if (dfl_sh_has_flag(c, "y|yes|assume-yes|qq"))
    return true;
  if (quiet_level(c) >= 2)
    return true;
  /* -o APT::Get::Assume-Yes=true */
  return dla_apt_option(c, "APT::Get::Assume-Yes", true);
}

static bool unanswered(const dla_cmd *c)
{
  return dla_is_apt_get_install(c) && !assumes_yes(&c->cmd);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dla_report_first(ctx, in, true, unanswered,
                   "apt-get install without -y: a build cannot answer apt's "
                   "confirmation prompt");
}

const dfl_rule dfl_rule_DL3014 = {
  .id = "DL3014",
  .name = "AptGetMissingYes",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "apt-get install does not answer the confirmation prompt (-y)",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3014",
  .on_instr = check,
};
