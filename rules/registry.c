#include <string.h>

#include "dflint/instr_check.h"
#include "dflint/rule.h"
#include "lint/engine.h"

#define DFL_RULE(sym) extern const dfl_rule sym;
#include "rules.def"
#undef DFL_RULE

const dfl_rule *const dfl_rules[] = {
#define DFL_RULE(sym) &sym,
#include "rules.def"
#undef DFL_RULE
};

const size_t dfl_nrules = sizeof dfl_rules / sizeof dfl_rules[0];

const dfl_rule *dfl_rule_find(const char *id_or_name)
{
  for (size_t i = 0; i < dfl_nrules; i++)
    if (strcmp(dfl_rules[i]->id, id_or_name) == 0 ||
        strcmp(dfl_rules[i]->name, id_or_name) == 0)
      return dfl_rules[i];
  return NULL;
}

const dfl_rule *dfl_rule_suggest(const char *s)
{
  const dfl_rule *best = NULL;
  int best_d = 3;
  size_t n = strlen(s);
  for (size_t i = 0; i < dfl_nrules; i++) {
    const char *cands[2] = {dfl_rules[i]->id, dfl_rules[i]->name};
    for (int c = 0; c < 2; c++) {
      int d = dfl_levenshtein(s, n, cands[c], strlen(cands[c]));
      if (d < best_d) {
        best_d = d;
        best = dfl_rules[i];
      }
    }
  }
  return best;
}

static const char *const severity_names[] = {"error", "warning", "info",
                                             "style", "none"};

const char *dfl_severity_name(dfl_severity s)
{
  return (unsigned)s <= DFL_SEV_NONE ? severity_names[s] : "none";
}

int dfl_severity_parse(const char *s)
{
  for (int i = 0; i <= DFL_SEV_NONE; i++)
    if (strcmp(s, severity_names[i]) == 0)
      return i;
  if (strcmp(s, "ignore") == 0)
    return DFL_SEV_NONE;
  return -1;
}

const char *dfl_source_name(dfl_source s)
{
  switch (s) {
  case DFL_SOURCE_BUILDKIT: return "buildkit";
  case DFL_SOURCE_HADOLINT: return "hadolint";
  case DFL_SOURCE_DFLINT: return "dflint";
  case DFL_SOURCE_SHELLCHECK: return "shellcheck";
  }
  return "dflint";
}
