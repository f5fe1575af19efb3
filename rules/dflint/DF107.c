/* DF107 EndOfLifeBase: a stage is built FROM an image whose runtime or
 * distribution release is past its end of life, so it gets no security
 * fixes any more. Every stage counts: an end-of-life builder compiles with
 * an unpatched toolchain even if it is not shipped. The date compared with
 * is --today, SOURCE_DATE_EPOCH or the current date (dfl_lint_today). */
#include <stdio.h>
#include <string.h>

#include "dfa_common.h"
#include "dflint/lint.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_FROM)
    return;
  const dfl_stage *st = dfl_model_stage_of(dfl_ctx_model(ctx), in);
  /* FROM <stage> is reported at that stage's own FROM. */
  if (!st || st->from != in || st->base_stage >= 0)
    return;
  df_base b;
  if (!df_stage_base(ctx, st, &b))
    return;
  const dfl_catalog_entry *e = b.match.entry;
  int32_t today = dfl_lint_today(dfl_ctx_options(ctx));
  if (dfl_catalog_is_eol(e, today) != 1)
    return;
  char eol[16], repl[400];
  dfa_format_ymd(e->eol_ymd, eol, sizeof eol);
  const dfl_catalog_entry *r =
      dfa_supported_replacement(df_catalog(ctx), e, today);
  if (r) {
    char ref[256], until[48];
    df_entry_ref(r, ref, sizeof ref);
    if (r->eol_ymd) {
      char d[16];
      dfa_format_ymd(r->eol_ymd, d, sizeof d);
      snprintf(until, sizeof until, "supported until %s", d);
    } else {
      snprintf(until, sizeof until, "no end of life announced yet");
    }
    snprintf(repl, sizeof repl,
             "the oldest supported replacement is %s (%s)", ref, until);
  } else {
    snprintf(repl, sizeof repl,
             "the catalog knows no supported release to move to");
  }
  if (e->runtime_key_len)
    dfl_emit(ctx, in, dfa_from_image_range(in),
             "%s is past its end of life: %.*s reached it on %s and gets no "
             "more security fixes; %s",
             b.image, (int)e->runtime_key_len, e->runtime, eol, repl);
  else
    dfl_emit(ctx, in, dfa_from_image_range(in),
             "%s reached its end of life on %s and gets no more security "
             "fixes; %s",
             b.image, eol, repl);
}

const dfl_rule dfl_rule_DF107 = {
  .id = "DF107",
  .name = "EndOfLifeBase",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_WARNING,
  .category = "security",
  .summary = "A stage's base image runs a runtime or distribution release "
             "past its end of life",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF107.md",
  .on_instr = check,
};
