/* DL3058 LabelInvalidEmail: a label of type email should hold a bare
 * address (RFC 5322 addr-spec, `team@example.com`) that tools can use;
 * `Jane <jane@example.com>` is a display form, not an address. Dormant
 * until the configuration's label-schema lists a label of type email. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static bool atext(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~", c)) ||
         (unsigned char)c >= 0x80; /* RFC 6532: UTF-8 is allowed */
}

/* dot-atom: atext runs separated by single dots. */
static bool dot_atom(const char *v, size_t n)
{
  if (n == 0 || v[0] == '.' || v[n - 1] == '.')
    return false;
  for (size_t i = 0; i < n; i++) {
    if (v[i] == '.') {
      if (v[i + 1] == '.')
        return false;
    } else if (!atext(v[i])) {
      return false;
    }
  }
  return true;
}

static bool quoted(const char *v, size_t n)
{
  if (n < 2 || v[0] != '"' || v[n - 1] != '"')
    return false;
  for (size_t i = 1; i + 1 < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c == '\\') {
      if (++i + 1 >= n)
        return false;
    } else if (c == '"' || c < 32 || c == 127) {
      return false;
    }
  }
  return true;
}

static bool domain_literal(const char *v, size_t n)
{
  if (n < 2 || v[0] != '[' || v[n - 1] != ']')
    return false;
  for (size_t i = 1; i + 1 < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c <= 32 || c == '[' || c == ']' || c == '\\' || c == 127)
      return false;
  }
  return true;
}

/* addr-spec = local-part "@" domain */
static bool email(const char *v, size_t n)
{
  const char *at = NULL;
  /* The last @: a quoted local part may hold one. */
  for (size_t i = 0; i < n; i++)
    if (v[i] == '@')
      at = v + i;
  if (!at)
    return false;
  size_t ln = (size_t)(at - v), dn = n - ln - 1;
  const char *d = at + 1;
  return (dot_atom(v, ln) || quoted(v, ln)) && ln <= 64 &&
         (dot_atom(d, dn) || domain_literal(d, dn)) && dn <= 255;
}

static bool bad(const char *v, size_t n) { return !email(v, n); }

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_check_labels(ctx, in, DFL_LABEL_EMAIL, bad,
                   "is not a valid email address (RFC 5322 addr-spec)");
}

const dfl_rule dfl_rule_DL3058 = {
  .id = "DL3058",
  .name = "LabelInvalidEmail",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "An email label of the label-schema must be an email address",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3058",
  .on_instr = check,
};
