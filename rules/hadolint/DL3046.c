/* DL3046 UseraddWithoutNoLogInit: `useradd -u <big uid>` without -l makes
 * useradd grow /var/log/lastlog and faillog as sparse files sized by the
 * uid; image layers do not keep them sparse, so the layer can weigh
 * gigabytes. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

/* The options of useradd that take a value, besides -u. */
static const char value_opts[] = "bcdefgGkKpRPsZ";

/* The uid given with -u / --uid, or NULL. A cluster such as `-mu 1000` or
 * `-u1000` counts too. */
static const dfl_sh_word *uid_word(const dfl_sh_cmd *c, size_t *skip)
{
  *skip = 0;
  for (size_t i = 1; i < c->argc; i++) {
    const dfl_sh_word *w = &c->argv[i];
    const char *t = w->text;
    if (dfl_sh_word_eq(w, "--"))
      break;
    if (dfl_sh_word_eq(w, "--uid"))
      return i + 1 < c->argc ? &c->argv[i + 1] : NULL;
    if (w->len > 6 && strncmp(t, "--uid=", 6) == 0) {
      *skip = 6;
      return w;
    }
    if (w->len < 2 || t[0] != '-' || t[1] == '-')
      continue;
    for (size_t j = 1; j < w->len; j++) {
      if (t[j] == 'u') {
        if (j + 1 < w->len) {
          *skip = j + 1;
          return w;
        }
        return i + 1 < c->argc ? &c->argv[i + 1] : NULL;
      }
      if (strchr(value_opts, t[j])) {
        if (j + 1 == w->len)
          i++; /* its value is the next word */
        break;
      }
    }
  }
  return NULL;
}

/* hadolint: a uid longer than 5 characters (above 99999). A uid that only
 * a variable gives is unknown, not long. */
static bool long_uid(const dfl_sh_cmd *c)
{
  size_t skip;
  const dfl_sh_word *w = uid_word(c, &skip);
  return w && w->len > skip + 5 && !dlc_word_expands(w);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_cmds it;
  if (!dlc_cmds_init(&it, ctx, in, true))
    return;
  for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));) {
    dfl_sh_cmd u;
    if (!dlc_cmd_is(c, "useradd", &u) ||
        dfl_sh_has_flag(&u, "l|no-log-init") || !long_uid(&u))
      continue;
    dfl_emit(ctx, in, dlc_cmds_range(&it, c),
             "`useradd` with a uid above 99999 needs `-l` (`--no-log-init`): "
             "without it the lastlog and faillog files grow with the uid "
             "and bloat the layer");
    return;
  }
}

const dfl_rule dfl_rule_DL3046 = {
  .id = "DL3046",
  .name = "UseraddWithoutNoLogInit",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "useradd with a high uid and without -l bloats the image",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3046",
  .on_instr = check,
};
