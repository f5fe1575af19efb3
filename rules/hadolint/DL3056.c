/* DL3056 LabelInvalidSemver: a label of type semver (such as
 * org.opencontainers.image.version) should hold a Semantic Versioning
 * 2.0.0 version, `1.4.2` or `2.0.0-rc.1+build.5`, which tools can compare
 * and sort. Dormant until the configuration's label-schema lists a label
 * of type semver. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static bool digit(char c) { return c >= '0' && c <= '9'; }
static bool ident_char(char c)
{
  return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '-';
}

/* A numeric identifier: digits without a leading zero. */
static bool number(const char *v, size_t n, size_t *i)
{
  size_t s = *i;
  while (*i < n && digit(v[*i]))
    (*i)++;
  return *i > s && !(v[s] == '0' && *i - s > 1);
}

/* Dot-separated identifiers up to the end or `stop`; in a pre-release a
 * numeric identifier has no leading zero. */
static bool idents(const char *v, size_t n, size_t *i, char stop,
                   bool pre)
{
  for (;;) {
    size_t s = *i;
    bool all_digits = true;
    while (*i < n && ident_char(v[*i])) {
      all_digits = all_digits && digit(v[*i]);
      (*i)++;
    }
    if (*i == s)
      return false;
    if (pre && all_digits && v[s] == '0' && *i - s > 1)
      return false;
    if (*i < n && v[*i] == '.') {
      (*i)++;
      continue;
    }
    return *i == n || v[*i] == stop;
  }
}

static bool semver(const char *v, size_t n)
{
  size_t i = 0;
  for (int part = 0; part < 3; part++) {
    if (part && !(i < n && v[i++] == '.'))
      return false;
    if (!number(v, n, &i))
      return false;
  }
  if (i < n && v[i] == '-') {
    i++;
    if (!idents(v, n, &i, '+', true))
      return false;
  }
  if (i < n && v[i] == '+') {
    i++;
    if (!idents(v, n, &i, '\0', false) || i != n)
      return false;
  }
  return i == n;
}

static bool bad(const char *v, size_t n) { return !semver(v, n); }

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_check_labels(ctx, in, DFL_LABEL_SEMVER, bad,
                   "is not a semantic version (MAJOR.MINOR.PATCH)");
}

const dfl_rule dfl_rule_DL3056 = {
  .id = "DL3056",
  .name = "LabelInvalidSemver",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "A semver label of the label-schema must be a semantic version",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3056",
  .on_instr = check,
};
