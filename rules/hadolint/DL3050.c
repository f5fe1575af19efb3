/* DL3050 SuperfluousLabel: with `strict-labels: true`, a LABEL whose key
 * the configured label-schema does not list. Teams that keep a fixed set
 * of labels use it to catch typos and strays. Dormant until strict-labels
 * is set. */
#include "dflint/buf.h"
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_config *cfg = dlc_config(ctx);
  if (in->kind != DFL_INSTR_LABEL || !cfg || !cfg->strict_labels)
    return;
  dfl_buf key;
  dfl_buf_init(&key);
  for (size_t i = 0; i < DLC_PAIRS(in); i++) {
    const dfl_arg *k = DLC_KEY(in, i);
    if (!dlc_word(ctx, k->value, k->len, &key) ||
        dlc_label_type(cfg, dfl_buf_cstr(&key), key.len) >= 0)
      continue;
    dfl_emit(ctx, in, k->range,
             "Label `%s` is not in the label-schema (strict-labels is on)",
             dfl_buf_cstr(&key));
    break; /* one finding per LABEL, as hadolint */
  }
  dfl_buf_free(&key);
}

const dfl_rule dfl_rule_DL3050 = {
  .id = "DL3050",
  .name = "SuperfluousLabel",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_INFO,
  .category = "best-practice",
  .summary = "With strict-labels, only labels of the label-schema are allowed",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3050",
  .on_instr = check,
};
