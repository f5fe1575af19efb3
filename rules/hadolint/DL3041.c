/* DL3041 DnfVersionPinning: dnf or microdnf installing packages without
 * versions (name-version) or modules without a stream (name:stream). The
 * image gets whatever the repositories hold on the day it is built. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

#define MAX_OPS 256

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  static const char *const dnfs[] = {"dnf", "microdnf", "dnf5", NULL};
  const dfl_instr *run = dlb_run_of(in, true);
  if (!run)
    return;
  dlb_cmds it;
  dlb_cmds_init(&it, ctx, run);
  while (dlb_cmds_next(&it)) {
    size_t first;
    int which = dlb_named_any(&it.u, dnfs);
    if (which < 0)
      continue;
    dlb_rpm_kind k = dlb_rpm_install(&it.u, &first);
    /* Groups have no versions to pin. */
    if (k != DLB_RPM_PACKAGES && k != DLB_RPM_MODULES)
      continue;
    const dfl_sh_word *ops[MAX_OPS];
    size_t n = dlb_positionals(&it.u, dlb_rpm_value_flags, ops, MAX_OPS);
    if (n > MAX_OPS)
      n = MAX_OPS;
    for (size_t i = first; i < n; i++) {
      const dfl_sh_word *w = ops[i];
      bool ok = k == DLB_RPM_MODULES ? memchr(w->text, ':', w->len) != NULL
                                     : dlb_rpm_pinned(ctx, in, &it, w);
      if (ok)
        continue;
      if (k == DLB_RPM_MODULES)
        dfl_emit(ctx, in, dlb_word_range(&it, w),
                 "%s module install %.*s has no stream; pin it as "
                 "%.*s:<stream>",
                 dnfs[which], (int)w->len, w->text, (int)w->len, w->text);
      else if (w->flags & DFL_SH_WORD_EXPANDS)
        dfl_emit(ctx, in, dlb_word_range(&it, w),
                 "%s install %.*s: no version is pinned, as no variable "
                 "in it has a value known here",
                 dnfs[which], (int)w->len, w->text);
      else
        dfl_emit(ctx, in, dlb_word_range(&it, w),
                 "%s install %.*s has no version; pin it as "
                 "%.*s-<version>",
                 dnfs[which], (int)w->len, w->text, (int)w->len, w->text);
      goto done;
    }
  }
done:
  dlb_cmds_free(&it);
}

const dfl_rule dfl_rule_DL3041 = {
  .id = "DL3041",
  .name = "DnfVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Pin versions in dnf install (package-version)",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3041",
  .on_instr = check,
};
