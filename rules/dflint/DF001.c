/* DF001 InvalidPragma: a dflint or hadolint pragma that does not parse, or
 * names a rule that does not exist, would silently do nothing. */
#include "dflint/rule.h"

const dfl_rule dfl_rule_invalid_pragma = {
  .id = "DF001",
  .name = "InvalidPragma",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_WARNING,
  .category = "pragma",
  .summary = "An ignore pragma is malformed or names an unknown rule",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF001.md",
};
