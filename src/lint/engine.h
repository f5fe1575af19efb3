/* Engine internals shared with the built-in rules. */
#ifndef DFLINT_ENGINE_H
#define DFLINT_ENGINE_H

#include "dflint/lint.h"
#include "dflint/rule.h"
#include "lint/pragma.h"

extern const dfl_rule dfl_rule_syntax_error;
extern const dfl_rule dfl_rule_invalid_pragma;

void dfl_engine_emit_as(dfl_ctx *ctx, const dfl_rule *rule,
                        const dfl_instr *in, dfl_range range, const char *msg);
bool dfl_engine_rule_enabled(const dfl_ctx *ctx, const dfl_rule *rule);
void dfl_engine_report_syntax(dfl_ctx *ctx);
void dfl_engine_report_pragmas(dfl_ctx *ctx, const dfl_pragma_line *p,
                               size_t n);
/* The file's pragma lines, in line order, parsed once per file (rules read
 * them; the engine applies them after the rules ran). */
const dfl_pragma_line *dfl_ctx_pragmas(dfl_ctx *ctx, size_t *n);
bool dfl_engine_override_ignores(const dfl_lint_options *o, const dfl_diag *d);
/* Whether one --select/--ignore entry (id, name, prefix, source, all)
 * matches rule r. */
bool dfl_selector_matches(const char *sel, const dfl_rule *r);
/* The registered rule whose id or name is closest to s, or NULL. */
const dfl_rule *dfl_rule_suggest(const char *s);

#endif
