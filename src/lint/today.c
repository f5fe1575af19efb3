/* The date end-of-life checks use, fixed by --today or SOURCE_DATE_EPOCH so
 * that tests and reproducible builds get the same answer every day. */
#include <stdlib.h>
#include <time.h>

#include "dflint/lint.h"

int32_t dfl_lint_today(const dfl_lint_options *o)
{
  if (o && o->today)
    return o->today;
  time_t t = time(NULL);
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    long long v = strtoll(sde, &end, 10);
    if (*end == '\0' && v >= 0)
      t = (time_t)v;
  }
  struct tm tm;
  gmtime_r(&t, &tm);
  return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
                   tm.tm_mday);
}
