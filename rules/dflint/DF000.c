/* DF000 SyntaxError: what BuildKit refuses to build. The engine reports the
 * parser's errors and BuildKit's instruction checks under this rule. */
#include "dflint/rule.h"

const dfl_rule dfl_rule_syntax_error = {
  .id = "DF000",
  .name = "SyntaxError",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_ERROR,
  .category = "syntax",
  .summary = "The Dockerfile does not parse, or BuildKit rejects an instruction",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF000.md",
};
