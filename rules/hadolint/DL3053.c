/* DL3053 LabelInvalidRfc3339: a label of type rfc3339 (such as
 * org.opencontainers.image.created) should hold an RFC 3339 date-time,
 * `2024-05-01T12:00:00Z`, the one format the OCI annotations name.
 * Dormant until the configuration's label-schema lists a label of type
 * rfc3339. */
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

/* n digits at v[*i] as a number, or -1. */
static int num(const char *v, size_t len, size_t *i, size_t n)
{
  if (*i + n > len)
    return -1;
  int x = 0;
  for (size_t k = 0; k < n; k++) {
    char c = v[*i + k];
    if (c < '0' || c > '9')
      return -1;
    x = x * 10 + (c - '0');
  }
  *i += n;
  return x;
}

static bool lit(const char *v, size_t len, size_t *i, char c)
{
  if (*i < len && v[*i] == c) {
    (*i)++;
    return true;
  }
  return false;
}

static int days_in(int y, int m)
{
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : d[m - 1];
}

/* date-time = full-date "T" full-time (RFC 3339 section 5.6; a lower-case
 * t or a space may separate, as its note allows). */
static bool rfc3339(const char *v, size_t n)
{
  size_t i = 0;
  int y = num(v, n, &i, 4);
  if (y < 0 || !lit(v, n, &i, '-'))
    return false;
  int mo = num(v, n, &i, 2);
  if (mo < 1 || mo > 12 || !lit(v, n, &i, '-'))
    return false;
  int d = num(v, n, &i, 2);
  if (d < 1 || d > days_in(y, mo))
    return false;
  if (!lit(v, n, &i, 'T') && !lit(v, n, &i, 't') && !lit(v, n, &i, ' '))
    return false;
  int h = num(v, n, &i, 2);
  if (h < 0 || h > 23 || !lit(v, n, &i, ':'))
    return false;
  int mi = num(v, n, &i, 2);
  if (mi < 0 || mi > 59 || !lit(v, n, &i, ':'))
    return false;
  int s = num(v, n, &i, 2);
  if (s < 0 || s > 60)
    return false;
  if (lit(v, n, &i, '.')) {
    size_t start = i;
    while (i < n && v[i] >= '0' && v[i] <= '9')
      i++;
    if (i == start)
      return false;
  }
  if (lit(v, n, &i, 'Z') || lit(v, n, &i, 'z'))
    return i == n;
  if (!lit(v, n, &i, '+') && !lit(v, n, &i, '-'))
    return false;
  int oh = num(v, n, &i, 2);
  if (oh < 0 || oh > 23 || !lit(v, n, &i, ':'))
    return false;
  int om = num(v, n, &i, 2);
  return om >= 0 && om <= 59 && i == n;
}

static bool bad(const char *v, size_t n) { return !rfc3339(v, n); }

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_check_labels(ctx, in, DFL_LABEL_RFC3339, bad,
                   "is not an RFC 3339 date-time (2024-05-01T12:00:00Z)");
}

const dfl_rule dfl_rule_DL3053 = {
  .id = "DL3053",
  .name = "LabelInvalidRfc3339",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "An rfc3339 label of the label-schema must be an RFC 3339 time",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3053",
  .on_instr = check,
};
