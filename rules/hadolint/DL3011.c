/* DL3011: EXPOSE with a port number above 65535. TCP and UDP ports are
 * 16-bit; such a port can never be published, and it is usually a typo. */
#include <string.h>

#include "dflint/rule.h"

/* Checks one number of s[0..n): true when it is all digits and > 65535. */
static bool too_big(const char *s, size_t n)
{
  if (n == 0)
    return false;
  unsigned long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false; /* a variable or garbage: not ours to judge */
    if (v <= 65535)
      v = v * 10 + (unsigned long)(s[i] - '0');
  }
  return v > 65535;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_EXPOSE)
    return;
  for (size_t i = 0; i < in->nargs; i++) {
    const char *s = in->args[i].value;
    size_t n = in->args[i].len;
    const char *slash = memchr(s, '/', n);
    if (slash)
      n = (size_t)(slash - s);
    const char *dash = memchr(s, '-', n);
    bool bad = dash ? too_big(s, (size_t)(dash - s)) ||
                          too_big(dash + 1, n - (size_t)(dash - s) - 1)
                    : too_big(s, n);
    if (bad)
      dfl_emit(ctx, in, in->args[i].range,
               "EXPOSE %s: port numbers go from 0 to 65535",
               in->args[i].value);
  }
}

const dfl_rule dfl_rule_DL3011 = {
  .id = "DL3011",
  .name = "ExposePortOutOfRange",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "An EXPOSE port is above 65535",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3011",
  .on_instr = check,
};
