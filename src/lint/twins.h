/* Twins: hadolint rules (DLnnnn) that report what one of BuildKit's checks
 * reports, such as DL4000 and MaintainerDeprecated. Users must never see
 * the same finding twice, so the engine keeps one side of each pair on
 * (docs/hadolint-compat.md, "Duplicate rules"). */
#ifndef DFLINT_LINT_TWINS_H
#define DFLINT_LINT_TWINS_H

#include <stdbool.h>

#include "dflint/lint.h"

/* Whether hadolint's rules win the pairs by default: the configuration in
 * effect is a hadolint file (.hadolint.yaml, ~/.config/hadolint.yaml ...), or
 * the selection names hadolint's rules (--select DL..., --select hadolint). */
bool dfl_twins_hadolint_mode(const dfl_lint_options *o);

/* Adjusts on[] (parallel to dfl_rules: the rules the selection and the
 * overrides turned on) so that one side of each pair reports. For a pair
 * whose rules the user named by id or name (in --select, --ignore, ignored,
 * override) the named side is the one used; a pair named on both sides is
 * left alone (an explicit --select of both shows both); otherwise hadolint
 * mode picks the DL side, else BuildKit's. The side in use is turned on
 * when the selection is the default one (unless ignored), and the other
 * side is turned off when every finding it has is covered (the twins are on
 * or were ignored by name). */
void dfl_twins_apply(const dfl_lint_options *o, bool *on);

/* Whether id (from an ignore pragma) is the id or name of a twin of r: a
 * `# hadolint ignore=DL4000` also silences MaintainerDeprecated. */
bool dfl_twins_related(const char *id, const dfl_rule *r);

#endif
