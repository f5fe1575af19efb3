#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

char *tu_read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, n = 0;
  char *data = malloc(cap + 1);
  size_t got;
  while ((got = fread(data + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      cap *= 2;
      data = realloc(data, cap + 1);
    }
  }
  fclose(f);
  data[n] = '\0';
  if (len)
    *len = n;
  return data;
}

double tu_time_limit(double seconds)
{
  const char *s = getenv("DFLINT_TEST_TIME_SCALE");
  double scale = s ? atof(s) : 1.0;
  return seconds * (scale >= 1.0 ? scale : 1.0);
}

const char *tu_shared_path(const char *rel)
{
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", DFLINT_SHARED_DIR, rel);
  return buf;
}

bool tu_shared_available(const char *rel)
{
  struct stat st;
  if (stat(tu_shared_path(rel), &st) == 0)
    return true;
  fprintf(stderr, "NOTE: %s is absent: its conformance cases are skipped\n",
          tu_shared_path(rel));
  return false;
}

int tu_run_suite(Suite *s)
{
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
